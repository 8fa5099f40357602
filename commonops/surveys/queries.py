"""Reads of surveys: satisfaction rates per service, service line and agency (Q1).

Scores are counted in SQL (one row per question, agency and score with its count) and the
rates computed with `rules.satisfaction_rate`, so every page, report and KPI uses the one
contract.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import repeat

from django.db.models import Count, Q

from commonops.commonservices.providers import satisfaction_provider
from commonops.core.models import Agency, ServiceLine
from commonops.surveys.models import Answer, QuestionKind, Response, Survey, SurveyStatus
from commonops.surveys.rules import MIN_GROUP_SIZE, satisfaction_rate, shown_in_breakdown


def _rate(counts: dict[int, int]) -> Decimal | None:
    return satisfaction_rate(s for score, n in counts.items() for s in repeat(score, n))


def _score_counts(answers):
    """(service id, service line, agency id, score, count) rows of rated answers."""
    return (answers.filter(score__isnull=False)
            .values_list("question__service_id", "question__service__service_line",
                         "response__agency_id", "score")
            .annotate(n=Count("id")).order_by())


def rates_by_service(survey: Survey) -> dict[int, Decimal | None]:
    counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for service_id, _line, _agency, score, n in _score_counts(
            Answer.objects.filter(response__survey=survey, question__service__isnull=False)):
        counts[service_id][score] += n
    return {service_id: _rate(scores) for service_id, scores in counts.items()}


@satisfaction_provider
def survey_satisfaction(*, country, year: int) -> dict:
    """S6: the annual common-services report shows each service's surveyed satisfaction."""
    return satisfaction_by_service(country=country, year=year)


def satisfaction_by_service(*, country, year: int) -> dict[int, Decimal | None]:
    """Service id → satisfaction rate from the closed surveys of `year` in `country`, from
    the scores fetched in one query."""
    country_id = getattr(country, "pk", country)
    counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for service_id, score, n in (
            Answer.objects.filter(response__survey__country_id=country_id,
                                  response__survey__year=year,
                                  response__survey__status=SurveyStatus.CLOSED,
                                  question__service__isnull=False, score__isnull=False)
            .values_list("question__service_id", "score").annotate(n=Count("id")).order_by()):
        counts[service_id][score] += n
    return {service_id: _rate(scores) for service_id, scores in counts.items()}


def quality_kpis(service_ids) -> dict:
    """Service id → the service's first quality indicator (results engine), if any."""
    from django.contrib.contenttypes.models import ContentType

    from commonops.commonservices.models import CommonService
    from commonops.results.models import Indicator

    kpis = {}
    for indicator in Indicator.objects.filter(
            subject_type=ContentType.objects.get_for_model(CommonService),
            subject_id__in=list(service_ids), kind="quality").order_by("pk"):
        kpis.setdefault(indicator.subject_id, indicator)
    return kpis


@dataclass
class Group:
    label: str
    rate: Decimal | None
    ratings: int  # scores given
    responses: int = 0  # people (for agency groups)
    url: str = ""


@dataclass
class SurveyResults:
    responses: int
    invited: int
    answered: int
    services: list[Group] = field(default_factory=list)
    lines: list[Group] = field(default_factory=list)
    agencies: list[Group] = field(default_factory=list)  # groups of at least MIN_GROUP_SIZE
    other_agencies: Group | None = None  # the smaller groups, folded together
    folded_agencies: int = 0  # how many agencies were folded into "other agencies"
    overall: Group | None = None
    comments: list[tuple[str, list[str]]] = field(default_factory=list)
    min_group_size: int = MIN_GROUP_SIZE

    @property
    def agency_rows(self) -> list[Group]:
        return self.agencies + ([self.other_agencies] if self.other_agencies else [])


def survey_results(survey: Survey, *, other_label: str, overall_label: str
                   ) -> SurveyResults:
    """Q1: satisfaction per service, per service line and per agency, with agencies of
    fewer than MIN_GROUP_SIZE respondents folded into one "other agencies" group (whose
    rate is shown only if that group itself reaches the size)."""
    answers = Answer.objects.filter(response__survey=survey)
    by_service: dict = defaultdict(lambda: defaultdict(int))
    by_line: dict = defaultdict(lambda: defaultdict(int))
    by_agency: dict = defaultdict(lambda: defaultdict(int))
    overall: dict = defaultdict(int)
    for service_id, line, agency_id, score, n in _score_counts(answers):
        if service_id is not None:
            by_service[service_id][score] += n
            by_line[line][score] += n
        by_agency[agency_id][score] += n
        overall[score] += n
    people = dict(Response.objects.filter(survey=survey).values_list("agency_id")
                  .annotate(n=Count("id")).order_by())
    invitations = survey.invitations.aggregate(
        invited=Count("id"), answered=Count("id", filter=Q(used_at__isnull=False)))
    results = SurveyResults(responses=sum(people.values()), invited=invitations["invited"],
                            answered=invitations["answered"])
    questions = list(survey.questions.select_related("service"))
    seen = set()
    for question in questions:
        service = question.service
        if service is None or service.pk in seen:
            continue
        seen.add(service.pk)
        counts = by_service.get(service.pk, {})
        results.services.append(Group(service.name, _rate(counts), sum(counts.values()),
                                      url=service.get_absolute_url()))
    line_labels = dict(ServiceLine.choices)
    for line, counts in sorted(by_line.items()):
        results.lines.append(Group(str(line_labels.get(line, line)), _rate(counts),
                                   sum(counts.values())))
    results.overall = Group(overall_label, _rate(overall), sum(overall.values()),
                            responses=results.responses)
    names = {a.pk: a.acronym for a in Agency.objects.filter(pk__in=[k for k in people if k])}
    folded: dict[int, int] = defaultdict(int)
    folded_people = 0
    for agency_id, count in sorted(people.items(), key=lambda kv: names.get(kv[0], "~")):
        if agency_id is not None and shown_in_breakdown(count):
            counts = by_agency.get(agency_id, {})
            results.agencies.append(Group(names[agency_id], _rate(counts),
                                          sum(counts.values()), responses=count))
        else:
            results.folded_agencies += 1
            folded_people += count
            for score, n in by_agency.get(agency_id, {}).items():
                folded[score] += n
    if folded_people:
        shown = shown_in_breakdown(folded_people)
        results.other_agencies = Group(other_label, _rate(folded) if shown else None,
                                       sum(folded.values()), responses=folded_people)
    texts: dict[int, list[str]] = defaultdict(list)
    for question_id, text in (answers.filter(question__kind=QuestionKind.TEXT)
                              .exclude(text="").values_list("question_id", "text")
                              .order_by("question_id", "text")):
        texts[question_id].append(text)
    results.comments = [(q.text, texts[q.pk]) for q in questions if texts.get(q.pk)]
    return results


def invitation_counts(survey: Survey) -> dict:
    return survey.invitations.aggregate(invited=Count("id"),
                                        answered=Count("id", filter=Q(used_at__isnull=False)))
