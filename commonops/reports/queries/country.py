"""The country dashboard and a country's BOS results for results-reporting systems."""


from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import repeat
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Q,
    Sum,
    When,
)
from django.db.models.functions import ExtractMonth

from commonops.bos import rules as bos_rules
from commonops.bos.models import AnnualResult, Bos, CbaEntry
from commonops.commonservices import rules as cs_rules
from commonops.commonservices.models import (
    BudgetLine,
    Expenditure,
)
from commonops.core.models import (
    BOS_LINE_CHOICES,
    Country,
)
from commonops.core.money import to_cent
from commonops.reports import rules
from commonops.reports.queries.common import EXPANSION_YEARS, ZERO
from commonops.reports.queries.overview import (
    _NET,
    AgencySavings,
    Figures,
    SavingsFigures,
    _agency_savings,
    catalogue_sizes,
    launch_counts,
    local_year,
    savings,
)

# --- the country dashboard -------------------------------------------------------------------


@dataclass
class CostAvoidance:
    label: str
    estimated: Decimal = ZERO
    realised: Decimal = ZERO
    key: object = None  # the year or the service line


@dataclass
class KpiArea:
    """B6: how many of an area's KPIs met their target in the year, and so on."""

    key: str
    label: str
    met: int = 0
    progress: int = 0
    not_met: int = 0
    no_data: int = 0
    not_applicable: int = 0  # a conditional target whose condition did not hold (C2)

    @property
    def total(self) -> int:
        return self.met + self.progress + self.not_met + self.no_data + self.not_applicable


@dataclass
class OmtHealth:
    omt: object
    meetings_per_month: list[int] = field(default_factory=lambda: [0] * 12)
    held: int = 0
    agendas_sent: int = 0
    agendas_on_time: int = 0
    quorate: int = 0
    members: int = 0
    minutes_circulated: int = 0
    minutes_on_time: int = 0
    overdue_actions: int = 0
    months_without_meeting: int = 0


@dataclass
class CountryDashboard:
    country: Country
    year: int
    bos: Bos | None
    years: list[CostAvoidance]
    lines: list[CostAvoidance]
    estimated: Decimal
    realised: Decimal
    catalogue: int
    new_services: int
    kpis: list[KpiArea]
    budget: Decimal
    expenditure: Decimal
    variance: object
    service_satisfaction: Decimal | None
    service_ratings: int
    desk: object  # servicedesk.queries.KpiRow for the year
    backlog: int
    omt: OmtHealth
    savings: list[AgencySavings]
    savings_totals: Figures

    @property
    def execution(self) -> Decimal | None:
        return rules.percent(self.expenditure, self.budget)

    @property
    def expansion_met(self) -> bool:
        return self.new_services >= rules.EXPANSION_SERVICES


def cost_avoidance_series(country, first_year: int, last_year: int):
    """B4/B7: estimated and realised cost avoidance of the country per calendar year and
    per service line, from the CBA lines (horizon year h of a service started in s falls in
    s + h − 1; four years count) and the annual results: two queries."""
    start = F("opportunity__implementation_start")
    estimated = (CbaEntry.objects.filter(
        country=country, opportunity__selected=True,
        opportunity__implementation_start__isnull=False,
        year__lte=bos_rules.BENEFIT_YEARS)
        .annotate(calendar_year=start + F("year") - 1)
        .filter(calendar_year__gte=first_year, calendar_year__lte=last_year)
        .order_by().values_list("calendar_year", "opportunity__service_line")
        .annotate(net=_NET))
    realised = (AnnualResult.objects.filter(
        Q(year__gte=start) & Q(year__lte=start + bos_rules.BENEFIT_YEARS - 1),
        country=country, opportunity__selected=True, year__gte=first_year,
        year__lte=last_year)
        .order_by().values_list("year", "opportunity__service_line")
        .annotate(total=Sum("realised_cost_avoidance")))
    return list(estimated), list(realised)


def kpi_areas(country, year: int) -> list[KpiArea]:
    """B6 per area: the status of each of the country's KPIs in `year` — yearly ones for the
    year, monthly ones for their latest month of the year with an actual (December when
    none) — from the results engine's rule. Three queries."""
    from commonops.results.models import Frequency, Indicator, Measurement, Target
    from commonops.results.queries import summarise
    from commonops.servicedesk.kpis import KPI_DEFINITIONS

    desk_codes = {d.code for d in KPI_DEFINITIONS}
    indicators = list(Indicator.objects.filter(country=country).select_related("subject_type"))
    ids = [i.pk for i in indicators]
    targets = {(t, m): rest for t, m, *rest in Target.objects.filter(
        indicator_id__in=ids, year=year, agency__isnull=True).values_list(
        "indicator_id", "month", "value", "min_cases", "condition")}
    actuals = {(i, m): rest for i, m, *rest in Measurement.objects.filter(
        indicator_id__in=ids, year=year, agency__isnull=True).values_list(
        "indicator_id", "month", "value", "cases", "condition_met")}
    latest = {}
    for indicator_id, month in actuals:
        latest[indicator_id] = max(latest.get(indicator_id, 0), month)
    areas = {key: KpiArea(key, label) for key, label in AREAS}
    for indicator in indicators:
        if indicator.frequency == Frequency.MONTHLY:
            month = latest.get(indicator.pk, 12) or 12
        else:
            month = 0
        target, actual = targets.get((indicator.pk, month)), actuals.get((indicator.pk, month))
        if target is None and actual is None:
            continue  # not measured in this year
        value, min_cases, condition = target or (None, None, "")
        measured, cases, condition_met = actual or (None, None, None)
        # a target's condition counts (C2): one that did not hold is "not applicable"
        status = summarise(indicator, value, measured, min_cases=min_cases, cases=cases,
                           condition=condition, condition_met=condition_met).status
        app = indicator.subject_type.app_label if indicator.subject_type_id else ""
        if not app and indicator.code in desk_codes:
            app = "servicedesk"
        area = areas.get(app, areas["other"])
        setattr(area, status, getattr(area, status) + 1)
    return [area for area in areas.values() if area.total]


AREAS = [
    ("bos", "BOS"),
    ("commonservices", "Common services"),
    ("servicedesk", "Service desk"),
    ("workplans", "Work plans"),
    ("compacts", "Compacts"),
    ("other", "Other"),
]


def omt_health(country, year: int) -> OmtHealth:
    """G3–G6 for the year and the overdue actions today: six queries."""
    from commonops.governance import rules as governance_rules
    from commonops.governance.models import (
        Action,
        ActionStatus,
        AttendanceCapacity,
        AttendanceStatus,
        Meeting,
        MeetingStatus,
        Membership,
        Minutes,
        Omt,
    )

    omt = Omt.objects.filter(country=country).first()
    health = OmtHealth(omt=omt)
    if omt is None:
        return health
    start, end = local_year(country.time_zone, year)
    meetings = Meeting.objects.filter(omt=omt, starts_at__gte=start, starts_at__lt=end)
    held = meetings.filter(status=MeetingStatus.HELD)
    for month, n in (held.order_by()
                     .annotate(month=ExtractMonth("starts_at", tzinfo=ZoneInfo(
                         country.time_zone)))
                     .values_list("month").annotate(n=Count("id"))):
        health.meetings_per_month[month - 1] = n
    health.held = sum(health.meetings_per_month)
    agendas = meetings.exclude(status=MeetingStatus.CANCELLED).aggregate(
        sent=Count("id", filter=Q(agenda_sent_at__isnull=False)),
        on_time=Count("id", filter=Q(agenda_sent_at__isnull=False, agenda_late=False)))
    health.agendas_sent, health.agendas_on_time = agendas["sent"], agendas["on_time"]
    health.members = Membership.objects.filter(omt=omt).count()
    present = Q(attendance__status=AttendanceStatus.PRESENT,
                attendance__capacity__in=[AttendanceCapacity.MEMBER,
                                          AttendanceCapacity.ALTERNATE])
    for agencies in held.order_by().annotate(
            present=Count("attendance__agency", filter=present, distinct=True)
    ).values_list("present", flat=True):
        health.quorate += governance_rules.has_quorum(health.members, agencies)
    minutes = Minutes.objects.filter(meeting__in=meetings, version=1,
                                     circulated_at__isnull=False).aggregate(
        circulated=Count("id"), on_time=Count("id", filter=Q(circulated_late=False)))
    health.minutes_circulated, health.minutes_on_time = minutes["circulated"], \
        minutes["on_time"]
    health.overdue_actions = Action.objects.filter(
        omt=omt, status=ActionStatus.OPEN, due_on__lt=country.today()).count()
    today = country.today()
    last_month = 12 if year < today.year else (today.month if year == today.year else 0)
    health.months_without_meeting = sum(1 for n in health.meetings_per_month[:last_month]
                                        if n == 0)
    return health


def service_satisfaction(country, year: int) -> tuple[Decimal | None, int]:
    """Q1: the share of 4–5 scores over the closed client surveys of the year, and the
    number of scores (one query)."""
    from commonops.surveys.models import Answer, SurveyStatus
    from commonops.surveys.rules import satisfaction_rate

    counts = dict(Answer.objects.filter(
        response__survey__country=country, response__survey__year=year,
        response__survey__status=SurveyStatus.CLOSED, question__service__isnull=False,
        score__isnull=False).order_by().values_list("score").annotate(n=Count("id")))
    scores = [s for score, n in counts.items() for s in repeat(score, n)]
    return satisfaction_rate(scores), len(scores)


def country_dashboard(country, *, year: int, now=None) -> CountryDashboard:
    """Everything the country dashboard shows, in a fixed number of queries."""
    from django.utils import timezone

    from commonops.servicedesk import queries as desk

    now = now or timezone.now()
    first_year = year - EXPANSION_YEARS + 1
    bos = (Bos.objects.filter(country=country)
           .annotate(covers=Case(When(start_year__lte=year, end_year__gte=year, then=0),
                                 default=1, output_field=IntegerField()))
           .order_by("covers", "-start_year").first())
    estimated_rows, realised_rows = cost_avoidance_series(country, first_year, year)
    years = {y: CostAvoidance(str(y), key=y) for y in range(first_year, year + 1)}
    lines = {value: CostAvoidance(label, key=value) for value, label in BOS_LINE_CHOICES}
    for calendar_year, line, net in estimated_rows:
        years[calendar_year].estimated += net or ZERO
        if calendar_year == year:
            lines[line].estimated += net or ZERO
    for calendar_year, line, total in realised_rows:
        years[calendar_year].realised += total or ZERO
        if calendar_year == year:
            lines[line].realised += total or ZERO
    for row in [*years.values(), *lines.values()]:
        row.estimated, row.realised = to_cent(row.estimated), to_cent(row.realised)
    ids = [country.pk]
    launches = launch_counts(ids, year, year)
    budget = to_cent(BudgetLine.objects.filter(country=country, year=year).aggregate(
        total=Sum("amount"))["total"] or ZERO)
    spent = to_cent(Expenditure.objects.filter(country=country, year=year).aggregate(
        total=Sum("amount_usd"))["total"] or ZERO)
    rate, ratings = service_satisfaction(country, year)
    kpi_row = desk.kpis(country=country, year=year)[0]
    by_country, by_agency = savings(ids, year)
    mine = by_country.get(country.pk) or SavingsFigures()
    totals = Figures(realised=mine.realised, realised_with_baseline=mine.realised_with_baseline,
                     baseline=mine.baseline)
    return CountryDashboard(
        country=country, year=year, bos=bos, years=list(years.values()),
        lines=[line for line in lines.values()],
        estimated=years[year].estimated, realised=years[year].realised,
        catalogue=catalogue_sizes(ids, year).get(country.pk, 0),
        new_services=sum(n for _c, _y, n in launches),
        kpis=kpi_areas(country, year), budget=budget, expenditure=spent,
        variance=cs_rules.variance(budget, spent), service_satisfaction=rate,
        service_ratings=ratings, desk=kpi_row,
        backlog=desk.backlog(country=country, now=now)["n"],
        omt=omt_health(country, year), savings=_agency_savings(by_agency),
        savings_totals=totals)


# --- a country's BOS results for a results-reporting system ----------------------------------


def bos_results(country) -> dict:
    """B5–B7: every BOS of the country with its selected services, their KPIs (targets and
    actuals by year) and estimated and realised cost avoidance by year, as plain data for
    JSON. Five queries per BOS."""
    from commonops.bos import queries as bos_queries
    from commonops.results.models import Measurement, Target

    out = []
    for bos in Bos.objects.filter(country=country).order_by("start_year"):
        rows = bos_queries.opportunities_with_summaries(bos, selected_only=True)
        kpis = bos_queries.kpis_for([r.opportunity for r in rows])
        indicator_ids = [i.pk for items in kpis.values() for i in items]
        targets = defaultdict(dict)
        for indicator_id, year, value in Target.objects.filter(
                indicator_id__in=indicator_ids, month=0, agency__isnull=True
        ).values_list("indicator_id", "year", "value"):
            targets[indicator_id][year] = value
        actuals = defaultdict(dict)
        for indicator_id, year, value in Measurement.objects.filter(
                indicator_id__in=indicator_ids, month=0, agency__isnull=True
        ).values_list("indicator_id", "year", "value"):
            actuals[indicator_id][year] = value
        realised = defaultdict(lambda: ZERO)
        for opportunity_id, year, total in (AnnualResult.objects.filter(opportunity__bos=bos)
                                            .order_by().values_list("opportunity_id", "year")
                                            .annotate(total=Sum("realised_cost_avoidance"))):
            realised[(opportunity_id, year)] = to_cent(total)
        services = []
        for row in rows:
            o = row.opportunity
            years = []
            for y in range(bos.start_year, bos.end_year + 1):
                counted = bos_rules.benefit_counted(y, o.implementation_start)
                horizon = (bos_rules.horizon_year(y, o.implementation_start)
                           if o.implementation_start else None)
                estimated = (bos_queries.estimated_for_year(row.summary, horizon)
                             if counted else ZERO)
                years.append({"year": y, "counted": counted, "estimated": str(estimated),
                              "realised": str(realised[(o.pk, y)] if counted else ZERO)})
            services.append({
                "name": o.name, "service_line": o.service_line,
                "implementation_start": o.implementation_start,
                "managing_agencies": sorted(a.acronym for a in o.managing_agencies.all()),
                "participating_agencies": sorted(
                    a.acronym for a in o.participating_agencies.all()),
                "net_benefit": str(row.summary.net_benefit),
                "benefit_cost_ratio": (None if row.summary.benefit_cost_ratio is None
                                       else str(row.summary.benefit_cost_ratio)),
                "kpis": [{"name": i.name, "kind": i.kind, "unit": i.unit,
                          "direction": i.direction,
                          "baseline": None if i.baseline is None else str(i.baseline),
                          "targets": {str(y): str(v) for y, v in sorted(targets[i.pk].items())},
                          "actuals": {str(y): str(v) for y, v in sorted(actuals[i.pk].items())}}
                         for i in kpis[o.pk]],
                "cost_avoidance": years,
            })
        out.append({"title": bos.title, "start_year": bos.start_year,
                    "end_year": bos.end_year, "status": bos.status, "services": services})
    return {"country": country.iso_code, "name": country.name, "strategies": out}


def bos_by_year(country, years) -> dict[int, Bos]:
    """The BOS whose cycle covers each year (one query): where the BOS's annual report and
    annual results for that year are."""
    strategies = list(Bos.objects.filter(country=country).order_by("-start_year"))
    return {year: bos for year in years for bos in reversed(strategies)
            if bos.start_year <= year <= bos.end_year}
