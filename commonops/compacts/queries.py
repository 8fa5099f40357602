"""Reads of compacts: the office's figures as plain values for the rules, a compact's
scorecard, the comparison of an office's compacts, and the oversight rates (C1–C3). A
fixed number of queries whatever the number of measures or recommendations."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext

from commonops.compacts import rules
from commonops.compacts.models import (
    AppealResponse,
    Compact,
    ComplianceFigure,
    DocumentSubmission,
    Objective,
    Office,
    OversightRecommendation,
    PerformanceMeasure,
    SpendingFigure,
    StaffFigure,
)
from commonops.results import rules as results_rules
from commonops.results.models import Measurement, Target
from commonops.results.queries import IndicatorSummary, summarise


def office_figures(office: Office, year: int) -> rules.OfficeFigures:
    """Everything the standard measures of `year` are computed from (six queries)."""
    staff = {}
    for row in StaffFigure.objects.filter(office=office, year=year).values(
            "kind", "level", "gender", "nationality", "count"):
        key = (row["kind"], row["level"], row["gender"], row["nationality"])
        staff[key] = staff.get(key, 0) + row["count"]
    return rules.OfficeFigures(
        staff=staff,
        compliance={kind: (required, completed) for kind, required, completed in
                    ComplianceFigure.objects.filter(office=office, year=year).values_list(
                        "kind", "required", "completed")},
        spending=list(SpendingFigure.objects.filter(office=office, year=year).values_list(
            "month", "planned", "actual")),
        documents=list(DocumentSubmission.objects.filter(
            office=office, slot_date__year=year).values_list("slot_date", "submitted_on")),
        appeals=list(AppealResponse.objects.filter(
            office=office, received_on__year=year).values_list("received_on",
                                                               "answered_on")),
        recommendations=[rules.Recommendation(target, implemented) for target, implemented in
                         OversightRecommendation.objects.filter(
                             office=office, target_date__year=year)
                         .values_list("target_date", "implemented_on")],
    )


def oversight_rates(office: Office, *, year: int, today: date) -> rules.OversightRates:
    """C3: the office's two rates for the recommendations due in `year`."""
    recs = [rules.Recommendation(t, i) for t, i in OversightRecommendation.objects.filter(
        office=office, target_date__year=year).values_list("target_date", "implemented_on")]
    return rules.oversight_rates(recs, rules.as_of_for(year, today))


@dataclass
class MeasureRow:
    measure: PerformanceMeasure
    summary: IndicatorSummary
    min_cases: int | None
    cases: int | None


@dataclass
class ObjectiveRows:
    objective: Objective
    measures: list[MeasureRow]


@dataclass
class Scorecard:
    compact: Compact
    objectives: list[ObjectiveRows]
    counts: dict = field(default_factory=dict)  # status -> count

    @property
    def rows(self) -> list[MeasureRow]:
        return [row for group in self.objectives for row in group.measures]

    @property
    def met_share(self) -> Decimal | None:
        """The share of measures met among those with data whose target applies."""
        counted = sum(self.counts.get(s, 0) for s in (results_rules.MET,
                                                      results_rules.NOT_MET))
        return rules.share(self.counts.get(results_rules.MET, 0), counted)

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        return [(status, gettext(results_rules.STATUS_LABELS[status]),
                 self.counts.get(status, 0))
                for status in (results_rules.MET, results_rules.NOT_MET,
                               results_rules.NOT_APPLICABLE, results_rules.NO_DATA)]


def _measures_of(compacts):
    return (PerformanceMeasure.objects.filter(objective__compact__in=compacts)
            .select_related("indicator", "objective")
            .order_by("objective__section", "objective__position", "objective_id", "id"))


def _summaries(measures, years: set[int]) -> dict[int, MeasureRow]:
    """Each measure's target, actual and status for its compact's year (two queries)."""
    ids = [m.indicator_id for m in measures]
    period = {"indicator_id__in": ids, "year__in": years, "month": 0, "agency__isnull": True}
    targets = {(r[0], r[1]): r[2:] for r in Target.objects.filter(**period).values_list(
        "indicator_id", "year", "value", "min_cases", "condition")}
    actuals = {(r[0], r[1]): r[2:] for r in Measurement.objects.filter(**period).values_list(
        "indicator_id", "year", "value", "cases", "condition_met")}
    rows = {}
    for measure in measures:
        year = measure.objective.compact.year
        target, min_cases, condition = targets.get((measure.indicator_id, year),
                                                   (None, None, ""))
        actual, cases, condition_met = actuals.get((measure.indicator_id, year),
                                                   (None, None, None))
        summary = summarise(measure.indicator, target, actual, min_cases=min_cases,
                            cases=cases, condition=condition, condition_met=condition_met)
        rows[measure.pk] = MeasureRow(measure, summary, min_cases, cases)
    return rows


SECTION_ORDER = {"programme": 0, "priority": 1, "management": 2}  # as the compact reads


def scorecard(compact: Compact) -> Scorecard:
    """C1: every objective of the compact with its measures' target, actual and status."""
    objectives = sorted(compact.objectives.all(),
                        key=lambda o: (SECTION_ORDER[o.section], o.position, o.pk))
    measures = list(_measures_of([compact]))
    for measure in measures:
        measure.objective.compact = compact
    rows = _summaries(measures, {compact.year})
    groups = [ObjectiveRows(o, [rows[m.pk] for m in measures if m.objective_id == o.pk])
              for o in objectives]
    counts = Counter(row.summary.status for row in rows.values())
    return Scorecard(compact, groups, dict(counts))


@dataclass
class Comparison:
    office: Office
    compacts: list[Compact]
    lines: list[tuple[str, list]]  # (measure name, [MeasureRow or None per compact])
    cards: list[dict]  # per compact: met share and counts


def comparison(office: Office, *, user) -> Comparison:
    """C1: the office's compacts side by side (latest version of each manager and year):
    each measure by name, across years and managers."""
    compacts = list(Compact.objects.visible_to(user).filter(
        office=office, superseded_by__isnull=True).select_related("manager", "office")
        .order_by("year", "manager__last_name"))
    measures = list(_measures_of(compacts).select_related("objective__compact"))
    rows = _summaries(measures, {c.year for c in compacts})
    names: dict[str, dict] = {}
    for measure in measures:
        names.setdefault(measure.indicator.name, {})[measure.objective.compact_id] = \
            rows[measure.pk]
    lines = [(name, [by_compact.get(c.pk) for c in compacts])
             for name, by_compact in names.items()]
    cards = []
    for compact in compacts:
        statuses = Counter(rows[m.pk].summary.status for m in measures
                           if m.objective.compact_id == compact.pk)
        counted = statuses[results_rules.MET] + statuses[results_rules.NOT_MET]
        cards.append({"compact": compact, "met": statuses[results_rules.MET],
                      "counted": counted,
                      "share": rules.share(statuses[results_rules.MET], counted)})
    return Comparison(office, compacts, lines, cards)


def due_for_reminders(today: date):
    """Recommendations not yet implemented whose target date is at most a week away or
    past (C3): the candidates of the reminders; the rule decides about each."""
    from datetime import timedelta

    return (OversightRecommendation.objects.filter(
        status__in=[rules.OPEN, rules.IN_PROGRESS],
        target_date__lte=today + timedelta(days=rules.REMIND_BEFORE_DAYS))
        .select_related("owner", "office", "country"))
