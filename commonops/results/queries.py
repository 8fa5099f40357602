"""Reads of the results engine: the status of many indicators at once (B6), for any app.

Other apps show their KPIs with `indicator_summaries` and the include
`results/_indicator_table.html`; both take the indicators they are given, so the caller
scopes them (`.visible_to(user)`) first.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from commonops.results import rules
from commonops.results.models import Indicator, Measurement, Target


@dataclass(frozen=True)
class IndicatorSummary:
    """An indicator's target, actual and status (B6) for one period, totals only."""

    indicator: Indicator
    target: Decimal | None
    actual: Decimal | None
    status: str
    status_label: str
    progress: Decimal | None  # 0–100, from baseline towards target


def summarise(indicator: Indicator, target, actual, *, min_cases: int | None = None,
              cases: int | None = None, condition: str = "",
              condition_met: bool | None = None) -> IndicatorSummary:
    """The status of one period. A target's condition counts (C2): `min_cases` against the
    measurement's `cases`, and a condition in words against its `condition_met`."""
    status = rules.period_status(
        direction=indicator.direction, target=target, actual=actual,
        baseline=indicator.baseline, min_cases=min_cases, cases=cases,
        condition_met=condition_met if condition else None)
    return IndicatorSummary(
        indicator=indicator, target=target, actual=actual, status=status,
        status_label=_(rules.STATUS_LABELS[status]),
        progress=rules.progress_share(direction=indicator.direction, target=target,
                                      actual=actual, baseline=indicator.baseline))


def indicator_summaries(indicators, *, year: int, month: int = rules.WHOLE_YEAR
                        ) -> list[IndicatorSummary]:
    """The summaries of `indicators` for a period, in three queries whatever their number.

    Totals only (agency None), as the status of a KPI is that of its total.
    """
    indicators = list(indicators)
    ids = [indicator.pk for indicator in indicators]
    period = {"indicator_id__in": ids, "year": year, "month": month, "agency__isnull": True}
    targets = {row[0]: row[1:] for row in Target.objects.filter(**period).values_list(
        "indicator_id", "value", "min_cases", "condition")}
    actuals = {row[0]: row[1:] for row in Measurement.objects.filter(**period).values_list(
        "indicator_id", "value", "cases", "condition_met")}
    summaries = []
    for indicator in indicators:
        target, min_cases, condition = targets.get(indicator.pk, (None, None, ""))
        actual, cases, condition_met = actuals.get(indicator.pk, (None, None, None))
        summaries.append(summarise(indicator, target, actual, min_cases=min_cases,
                                   cases=cases, condition=condition,
                                   condition_met=condition_met))
    return summaries


def indicators_for(obj):
    """The indicators whose subject is `obj` (the KPIs of a service, a team…)."""
    return Indicator.objects.filter(subject_type=ContentType.objects.get_for_model(obj),
                                    subject_id=obj.pk)


@dataclass(frozen=True)
class PeriodRow:
    """One period of an indicator's detail page: target and actual side by side."""

    year: int
    month: int
    agency: object  # Agency or None (the total)
    target: Target | None
    measurement: Measurement | None
    summary: IndicatorSummary

    @property
    def label(self) -> str:
        return f"{self.year}" if self.month == rules.WHOLE_YEAR else f"{self.year}-{self.month:02}"


def period_rows(indicator: Indicator) -> list[PeriodRow]:
    """Every period with a target or an actual, oldest first, totals before agencies."""
    targets = {(t.year, t.month, t.agency_id): t
               for t in Target.objects.filter(indicator=indicator).select_related("agency")}
    measurements = {(m.year, m.month, m.agency_id): m
                    for m in Measurement.objects.filter(indicator=indicator)
                    .select_related("agency")}
    rows = []
    for key in sorted(set(targets) | set(measurements),
                      key=lambda k: (k[0], k[1], k[2] is not None, k[2] or 0)):
        target, measurement = targets.get(key), measurements.get(key)
        rows.append(PeriodRow(
            year=key[0], month=key[1],
            agency=(target or measurement).agency,
            target=target, measurement=measurement,
            summary=summarise(
                indicator, target.value if target else None,
                measurement.value if measurement else None,
                min_cases=target.min_cases if target else None,
                cases=measurement.cases if measurement else None,
                condition=target.condition if target else "",
                condition_met=measurement.condition_met if measurement else None)))
    return rows


def indicators_missing_actual(indicators, *, year: int):
    """Indicators with a yearly target for `year` but no total actual for it (B7 reporting)."""
    period = {"indicator": OuterRef("pk"), "year": year, "month": rules.WHOLE_YEAR,
              "agency__isnull": True}
    return (indicators.filter(Exists(Target.objects.filter(**period)))
            .exclude(Exists(Measurement.objects.filter(**period))))
