"""Every change to surveys: building the questionnaire, opening, inviting, answering,
closing (Q1, S6). Pages, the API and the demo call these functions."""

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonops.core import access, mail
from commonops.core.audit import audited_action
from commonops.core.display import standard_texts
from commonops.core.models import Agency, User
from commonops.core.roles import Perm
from commonops.core.saving import apply_fields, validated_save
from commonops.surveys.models import (
    Answer,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyStatus,
    hash_token,
    new_token,
)


def _require(by, country_id) -> None:
    access.require(by, Perm.MANAGE_SURVEYS, country_id)


def _require_draft(survey: Survey) -> None:
    if not survey.is_draft:
        raise ValidationError(_("The survey is %(status)s: its questions can no longer "
                                "change.") % {"status": survey.get_status_display().lower()})


# --- the survey and its questions -------------------------------------------------------------

_SURVEY_FIELDS = ("title", "year", "opens_on", "closes_on", "intro")
# Q1/S6: texts stored with the quality KPIs the surveys record, read in the reader's language.
SURVEY_VERIFICATION = gettext_noop("Annual client-satisfaction survey")
RATE_NOTE = gettext_noop("Share of ratings of 4 or 5 (Q1).")
standard_texts(SURVEY_VERIFICATION, RATE_NOTE)


@audited_action
def survey_create(*, by, data: dict) -> Survey:
    """Q1: a draft survey of a country team (title, year surveyed, dates, introduction)."""
    country = data.get("country")
    _require(by, getattr(country, "pk", country))
    return validated_save(Survey(), data)


@audited_action
def survey_update(*, survey: Survey, by, data: dict) -> Survey:
    _require(by, survey.country_id)
    if survey.is_closed:
        raise ValidationError(_("A closed survey is kept as it was."))
    data = {name: value for name, value in data.items() if name != "country"}
    for name in data:
        if name not in _SURVEY_FIELDS:
            raise ValidationError(_("%(field)s cannot be changed here.") % {"field": name})
    return validated_save(survey, data)


@audited_action
def survey_delete(*, survey: Survey, by) -> None:
    _require(by, survey.country_id)
    if not survey.is_draft:
        raise ValidationError(_("Only a draft survey can be deleted; an opened survey has "
                                "invitations and answers to keep."))
    survey.delete()


def _check_service(survey: Survey, service, kind: str) -> None:
    if service is not None and service.country_id != survey.country_id:
        raise ValidationError({"service": _("The service belongs to another country team.")})
    if service is not None and kind != QuestionKind.LIKERT:
        # Q1: a service is rated on 1–5; comments go in a general question.
        raise ValidationError({"kind": _("A question about a service is a 1–5 rating.")})


@audited_action
def question_create(*, by, data: dict) -> Question:
    """A question of a draft survey: a 1–5 rating of a service, or a general question;
    numbered after the last one unless `position` is given."""
    data = dict(data)
    survey = data.get("survey")
    if survey is None:
        raise ValidationError({"survey": _("This field is required.")})
    _require(by, survey.country_id)
    _require_draft(survey)
    kind = data.setdefault("kind", QuestionKind.LIKERT)
    _check_service(survey, data.get("service"), kind)
    if data.get("position") is None:
        data["position"] = (survey.questions.aggregate(last=Max("position"))["last"] or 0) + 1
    return validated_save(Question(country_id=survey.country_id), data)


@audited_action
def question_update(*, question: Question, by, data: dict) -> Question:
    _require(by, question.country_id)
    _require_draft(question.survey)
    data = {name: value for name, value in data.items()  # a question stays in its survey
            if name != "survey" and not (name == "position" and value is None)}
    apply_fields(question, data)
    _check_service(question.survey, question.service, question.kind)
    return validated_save(question)


@audited_action
def question_delete(*, question: Question, by) -> None:
    _require(by, question.country_id)
    _require_draft(question.survey)
    question.delete()


@audited_action
def question_move(*, question: Question, up: bool, by) -> None:
    """Swap a question with its neighbour above (or below), then number them 1, 2, 3…"""
    _require(by, question.country_id)
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    _require_draft(survey)
    questions = list(survey.questions.order_by("position", "id"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(questions):
        questions[index], questions[other] = questions[other], questions[index]
    changed = []
    for position, q in enumerate(questions, start=1):
        if q.position != position:
            q.position = position
            changed.append(q)
    Question.objects.bulk_update(changed, ["position"])


# --- the workflow: open, invite, answer, close ------------------------------------------------


@audited_action
def survey_open(*, survey: Survey, services: Iterable = (), today=None, by) -> Survey:
    """Open a draft survey with a 1–5 question for each chosen client service (Q1) and a
    general comments question, unless it already has them."""
    _require(by, survey.country_id)
    # Lock the survey so that two people opening it at once do not add questions twice.
    list(Survey.objects.select_for_update().filter(pk=survey.pk).values_list("pk"))
    survey.refresh_from_db()
    _require_draft(survey)
    asked = set(survey.questions.exclude(service=None).values_list("service_id", flat=True))
    for service in services:
        if service.pk not in asked:
            question_create(by=by, data={
                "survey": survey, "service": service,
                "text": _("How satisfied are you with %(service)s?") % {"service": service.name}})
            asked.add(service.pk)
    if not survey.questions.filter(kind=QuestionKind.LIKERT).exists():
        raise ValidationError(_("Choose at least one service to rate, or add a rating "
                                "question, before opening the survey."))
    if not survey.questions.filter(kind=QuestionKind.TEXT).exists():
        question_create(by=by, data={
            "survey": survey, "kind": QuestionKind.TEXT,
            "text": _("Any comments or suggestions on the common services?")})
    survey.status = SurveyStatus.OPEN
    survey.opens_on = survey.opens_on or today or survey.country.today()
    return validated_save(survey)


def surveyed_services(survey: Survey):
    from commonops.commonservices.models import CommonService

    return CommonService.objects.filter(
        pk__in=survey.questions.exclude(service=None).values("service_id"))


def client_staff(survey: Survey):
    """Q1: active staff in the survey's country of the agencies that are clients of the
    surveyed services."""
    clients = Agency.objects.filter(
        used_common_service__in=surveyed_services(survey)).values("pk")
    return (User.objects.filter(is_active=True, duty_country_id=survey.country_id,
                                agency__in=clients)
            .exclude(email="").order_by("email"))


@audited_action
def survey_invite(*, survey: Survey, include_client_staff: bool = True,
                  extra_emails: Iterable[str] = (), extra_agency: Agency | None = None,
                  send_email: bool = True, by) -> list[Invitation]:
    """Invite the client agencies' staff (and extra addresses) to an open survey, each with
    a single-use link. People already invited are left alone. Returns the new invitations,
    each with its `token` (only ever sent by e-mail; the database keeps its hash)."""
    _require(by, survey.country_id)
    if not survey.is_open:
        raise ValidationError(_("Only an open survey can send invitations."))
    wanted: dict[str, Agency | None] = {}
    if include_client_staff:
        for person in client_staff(survey).select_related("agency"):
            wanted.setdefault(person.email.lower(), person.agency)
    bad = []
    for email in extra_emails:
        email = email.strip().lower()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            bad.append(email)
        wanted.setdefault(email, extra_agency)
    if bad:
        raise ValidationError({"extra_emails": _("Not valid e-mail addresses: %(emails)s")
                               % {"emails": ", ".join(bad)}})
    already = set(survey.invitations.values_list("email", flat=True))
    now = timezone.now() if send_email else None
    invitations = []
    for email, agency in wanted.items():
        if email in already:
            continue
        token = new_token()
        invitation = Invitation(survey=survey, country_id=survey.country_id, email=email,
                                agency=agency, token_hash=hash_token(token), sent_at=now)
        invitation.token = token
        invitations.append(invitation)
    Invitation.objects.bulk_create(invitations)
    if send_email and invitations:
        messages = [_invitation_email(survey, invitation) for invitation in invitations]
        mail.deliver(messages)  # queued with the invitations, sent once they are committed
    return invitations


def _invitation_email(survey: Survey, invitation: Invitation) -> EmailMessage:
    from django.urls import reverse

    link = settings.SITE_URL.rstrip("/") + reverse("surveys:answer", args=[invitation.token])
    closes = (_("It closes on %(day)s.") % {"day": f"{survey.closes_on:%Y-%m-%d}"}
              if survey.closes_on else "")
    body = "\n\n".join(part for part in [
        _("You are invited to rate the common services you use: %(survey)s.")
        % {"survey": survey.title},
        survey.intro,
        _("Your answers are anonymous. The link works once:"),
        link, closes] if part)
    return EmailMessage(subject=survey.title, body=body, to=[invitation.email])


class InvitationUnusable(Exception):
    """The link is unknown, already used, or its survey is not open."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def invitation_for(token: str) -> Invitation:
    """The invitation of a link, if it can still be answered."""
    invitation = (Invitation.objects.select_related("survey")
                  .filter(token_hash=hash_token(token)).first())
    if invitation is None:
        raise InvitationUnusable(_("This link is not valid."))
    if invitation.used_at is not None:
        raise InvitationUnusable(_("This link has already been used: each invitation "
                                   "answers the survey once."))
    if not invitation.survey.is_open:
        raise InvitationUnusable(_("This survey is not open for answers."))
    return invitation


@audited_action
def survey_answer(*, token: str, answers: dict, by=None) -> Response:
    """Q1: record one anonymous response through a single-use link.

    `answers` maps question ids to a score (1–5) or a text; questions left out are skipped.
    """
    invitation = invitation_for(token)
    survey = invitation.survey
    questions = {q.pk: q for q in survey.questions.all()}
    rows = []
    for question_id, value in answers.items():
        question = questions.get(int(question_id))
        if question is None:
            raise ValidationError(_("An answer is for a question of another survey."))
        if value in (None, ""):
            continue
        if question.kind == QuestionKind.LIKERT:
            if int(value) not in range(1, 6):
                raise ValidationError({str(question.pk): _("A score is from 1 to 5.")})
            rows.append(Answer(question=question, country_id=survey.country_id,
                               score=int(value)))
        else:
            rows.append(Answer(question=question, country_id=survey.country_id,
                               text=str(value).strip()[:5000]))
    if not rows:
        raise ValidationError(_("Answer at least one question."))
    # Single use even when the link is submitted twice at once: only one conditional update
    # can change `used_at` from empty.
    claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
        used_at=timezone.now())
    if not claimed:
        raise InvitationUnusable(_("This link has already been used: each invitation "
                                   "answers the survey once."))
    response = Response.objects.create(survey=survey, country_id=survey.country_id,
                                       agency_id=invitation.agency_id)
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    return response


@audited_action
def survey_close(*, survey: Survey, by) -> dict:
    """Close an open survey and record each rated service's satisfaction (Q1) as the actual
    of the service's quality KPI for the survey's year (S6, B5), creating the KPI if the
    service has none. Returns {service id: rate}."""
    from commonops.results import actions as results_actions
    from commonops.surveys import queries

    _require(by, survey.country_id)
    for perm in (Perm.MANAGE_INDICATORS, Perm.MEASURE):
        access.require(by, perm, survey.country_id, _(
            "Closing records the services' satisfaction KPIs: it needs the right to manage "
            "indicators and record measurements."))
    # Lock the survey: closing twice at once would record the KPIs twice.
    list(Survey.objects.select_for_update().filter(pk=survey.pk).values_list("pk"))
    survey.refresh_from_db()
    if not survey.is_open:
        raise ValidationError(_("Only an open survey can be closed."))
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = timezone.now()
    validated_save(survey)
    rates = queries.rates_by_service(survey)
    kpis = queries.quality_kpis(rates.keys())
    services = {s.pk: s for s in surveyed_services(survey)}
    for service_id, rate in rates.items():
        if rate is None:
            continue
        indicator = kpis.get(service_id)
        if indicator is None:
            indicator = results_actions.indicator_create(by=by, data={
                "country": survey.country,
                "name": _("%(service)s: client satisfaction")
                % {"service": services[service_id].name},
                "unit": "percent", "kind": "quality", "direction": "increase",
                "frequency": "yearly", "subject": services[service_id],
                "means_of_verification": _(SURVEY_VERIFICATION)})
        results_actions.measurement_record(
            indicator=indicator, year=survey.year, value=Decimal(rate),
            means_of_verification=_("Survey: %(title)s") % {"title": survey.title},
            note=_(RATE_NOTE), by=by)
    return rates

