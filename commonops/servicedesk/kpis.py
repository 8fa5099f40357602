"""T6: the desk's KPIs as results-engine indicators (one engine, reused): defined once per
country with monthly targets, and each month's actuals recorded as measurements."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonops.results import actions as results
from commonops.results.models import Indicator
from commonops.servicedesk import queries


@dataclass(frozen=True)
class KpiDefinition:
    code: str
    name: str
    unit: str
    direction: str
    target: Decimal


KPI_DEFINITIONS = (
    KpiDefinition("SD-FRT", gettext_noop("Service desk: first responses on time"), "percent",
                  "increase", Decimal("90")),
    KpiDefinition("SD-RES", gettext_noop("Service desk: resolutions on time"), "percent",
                  "increase", Decimal("85")),
    KpiDefinition("SD-MTTR", gettext_noop("Service desk: median business hours to resolve"),
                  "hours", "decrease", Decimal("8")),
    KpiDefinition("SD-BACKLOG", gettext_noop("Service desk: open tickets at month end"),
                  "count", "decrease", Decimal("40")),
    KpiDefinition("SD-REOPEN", gettext_noop("Service desk: reopen rate"), "percent",
                  "decrease", Decimal("5")),
    KpiDefinition("SD-CSAT", gettext_noop("Service desk: satisfied requesters (4–5)"),
                  "percent", "increase", Decimal("85")),
)


def indicators_for(*, country, year, by) -> dict[str, Indicator]:
    """The country's desk indicators, created with this year's monthly targets if needed."""
    existing = {i.code: i for i in Indicator.objects.filter(
        country=country, code__in=[d.code for d in KPI_DEFINITIONS])}
    for definition in KPI_DEFINITIONS:
        indicator = existing.get(definition.code)
        if indicator is None:
            indicator = results.indicator_create(by=by, data={
                "country": country, "name": _(definition.name), "code": definition.code,
                "unit": definition.unit, "direction": definition.direction, "kind": "quality",
                "frequency": "monthly", "means_of_verification": _("CommonOps service desk")})
            existing[definition.code] = indicator
        if not indicator.targets.filter(year=year).exists():
            for month in range(1, 13):
                results.target_set(indicator=indicator, year=year, month=month,
                                   value=definition.target, by=by)
    return existing


def kpi_record_month(*, country, year: int, month: int, by, now=None) -> dict[str, Decimal]:
    """Record one month's actuals; a KPI without data that month is not recorded."""
    indicators = indicators_for(country=country, year=year, by=by)
    row = queries.kpis(country=country, year=year, month=month)[0]
    start, end = queries._month_bounds(country, year, month)
    now = now or timezone.now()
    backlog = queries.backlog_at(country=country, moment=min(end, now))
    actuals = {
        "SD-FRT": row.first_response_compliance,
        "SD-RES": row.resolution_compliance,
        "SD-MTTR": None if row.median_hours is None else
        Decimal(str(row.median_hours)).quantize(Decimal("0.01")),
        "SD-BACKLOG": Decimal(backlog),
        "SD-REOPEN": row.reopen_rate,
        "SD-CSAT": row.satisfaction,
    }
    recorded = {}
    for code, value in actuals.items():
        if value is None:
            continue
        results.measurement_record(indicator=indicators[code], year=year, month=month,
                                   value=value, by=by)
        recorded[code] = value
    return recorded
