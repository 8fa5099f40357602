"""Reads of the Performance area: the figures of the country, regional, HQ and agency
pages, each an aggregate in SQL over the other areas' rows, scoped with `core.access`
first. Each page runs a fixed number of queries whatever the number of countries.

The aggregates behind the regional and HQ pages are separate functions
(`countries_with_stage`, `catalogue_sizes`, `launch_counts`, `estimated_by_country`,
`realised_by_agency_in_country`, `baselines_of`, `desk_by_country`) so that
`reports.bench` can time each against one hand-written SQL query computing the same
figure. H1 and H2 go through `reports.rules` (the contract).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import repeat
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import Http404
from django.utils.translation import gettext as _

from commonops.bos import rules as bos_rules
from commonops.bos.models import AnnualResult, Bos, BosStatus, CbaEntry
from commonops.commonservices import rules as cs_rules
from commonops.commonservices.models import (
    AllocationShare,
    BudgetLine,
    CommonService,
    Expenditure,
    Payment,
    ServiceStatus,
)
from commonops.core import access
from commonops.core.models import (
    BOS_LINE_CHOICES,
    Agency,
    AgencyPresence,
    Country,
    Region,
    Typology,
)
from commonops.core.money import to_cent
from commonops.core.roles import Perm
from commonops.reports import rules
from commonops.reports.models import AdminBudget

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=18, decimal_places=2)
# H1 is shown for the year asked and the four before it (the strategy's five-year horizon)
EXPANSION_YEARS = 5
LAUNCHED = (ServiceStatus.ACTIVE, ServiceStatus.DISCONTINUED)


# --- who may see which page ------------------------------------------------------------------


def country_or_404(user, pk) -> Country:
    """A country team the user may see (its dashboard and annual report)."""
    return access.get_visible_or_404(Country.objects.select_related("region"), user, pk=pk)


def comparable_countries(user):
    """The country teams the user may compare: their region's, or all for HQ roles."""
    return access.scope_queryset(Country.objects.all(), user, Perm.COMPARE_COUNTRIES)


def regions_for(user):
    """The regions whose page the user may open (404 for any other)."""
    ids = access.region_ids(user, Perm.COMPARE_COUNTRIES)
    regions = Region.objects.all()
    return regions if ids is None else regions.filter(pk__in=ids)


def region_or_404(user, pk) -> Region:
    region = regions_for(user).filter(pk=pk).first()
    if region is None:
        raise Http404
    return region


def sees_everything(user) -> bool:
    """The HQ page and the global report: HQ analysts, auditors and administrators."""
    return access.scope_for(user, Perm.GLOBAL_REPORTS).everywhere


def require_global(user) -> None:
    if not sees_everything(user):
        raise Http404


def agency_countries(user):
    """The countries whose figures the agency view shows to `user`."""
    if not access.can(user, Perm.COMPARE_COUNTRIES):
        raise Http404
    return comparable_countries(user)


# --- one row per country team (regional and HQ pages) ----------------------------------------


def countries_with_stage(countries, year: int):
    """The country teams with the status and id of their BOS for `year`: the one whose
    cycle covers the year, else the latest (one query, a correlated subquery each)."""
    chosen = (Bos.objects.filter(country=OuterRef("pk"))
              .annotate(covers=Case(When(start_year__lte=year, end_year__gte=year, then=0),
                                    default=1, output_field=IntegerField()))
              .order_by("covers", "-start_year"))
    return (countries.select_related("region")
            .only("iso_code", "name", "typology", "time_zone", "region__code",
                  "region__name")
            .annotate(bos_status=Subquery(chosen.values("status")[:1]),
                      bos_pk=Subquery(chosen.values("pk")[:1])))


def _in(ids) -> Q:
    """Rows of some country teams: `ids` is a list of country ids, a Region (every country
    team of it), or None (every country team). The regional and HQ pages, unfiltered, pass
    a region or None, so their queries read like the hand-written ones, without a list of
    ids."""
    if ids is None:
        return Q()
    if isinstance(ids, Region):
        return Q(country__region=ids)
    return Q(country_id__in=ids)


def catalogue_sizes(ids, year: int) -> dict[int, int]:
    """Active common services in each country's catalogue by the end of `year` (services
    without a start date count)."""
    return dict(CommonService.objects.filter(_in(ids), status=ServiceStatus.ACTIVE)
                .filter(Q(start_date__isnull=True) | Q(start_date__lte=date(year, 12, 31)))
                .order_by().values_list("country_id").annotate(n=Count("id")))


def launch_counts(ids, first_year: int, last_year: int) -> list[tuple[int, int, int]]:
    """H1: (country id, launch year, new services) for the years asked: a service is
    launched in the year of its start date, whether still active or since discontinued."""
    return list(CommonService.objects.filter(
        _in(ids), status__in=LAUNCHED, start_date__gte=date(first_year, 1, 1),
        start_date__lte=date(last_year, 12, 31))
        .order_by().annotate(launched=ExtractYear("start_date"))
        .values_list("country_id", "launched").annotate(n=Count("id")))


def _counted(year: int) -> Q:
    """B7: selected opportunities whose benefits count in `year` (the first four years of
    joint implementation), seen from a row pointing at the opportunity."""
    first = year - bos_rules.BENEFIT_YEARS + 1
    return Q(opportunity__selected=True, opportunity__implementation_start__gte=first,
             opportunity__implementation_start__lte=year)


_NET = Sum(Case(When(side="benefit", then=F("amount")), default=-F("amount"),
                output_field=MONEY))


def estimated_by_country(ids, year: int) -> dict[int, Decimal]:
    """B4/B7: each country's estimated cost avoidance in `year`: the CBA net benefit of the
    horizon year `year` falls in, over the selected opportunities still counted."""
    rows = (CbaEntry.objects.filter(_counted(year), _in(ids))
            .filter(year=Value(year + 1) - F("opportunity__implementation_start"))
            .order_by().values_list("country_id").annotate(net=_NET))
    return {country_id: to_cent(net or ZERO) for country_id, net in rows}


def realised_by_agency_in_country(ids, year: int) -> dict[tuple[int, int], Decimal]:
    """B7: realised cost avoidance in `year` per (country, agency): the finest grain the
    savings figures (H2) are added up from."""
    rows = (AnnualResult.objects.filter(_counted(year), _in(ids), year=year)
            .order_by().values_list("country_id", "agency_id")
            .annotate(total=Sum("realised_cost_avoidance")))
    return {(country_id, agency_id): to_cent(total or ZERO)
            for country_id, agency_id, total in rows}


def baselines_of(ids, year: int) -> dict[tuple[int, int], Decimal]:
    """H2: each agency's administrative budget of `year` in each country (one per agency,
    country and year: no adding up needed)."""
    return {(country_id, agency_id): amount for country_id, agency_id, amount in
            AdminBudget.objects.filter(_in(ids), year=year).order_by()
            .values_list("country_id", "agency_id", "amount")}


@dataclass
class SavingsFigures:
    """H2 over some countries and agencies: realised cost avoidance, the part of it where
    the agency has a baseline in that country, and those baselines added up."""

    realised: Decimal = ZERO
    realised_with_baseline: Decimal = ZERO
    baseline: Decimal | None = None


def savings(ids, year: int) -> tuple[dict[int, SavingsFigures], dict[int, SavingsFigures]]:
    """H2 per country and per agency, from two queries at the (country, agency) grain
    (a few thousand rows at most: 130 countries × 25 agencies)."""
    realised = realised_by_agency_in_country(ids, year)
    baselines = baselines_of(ids, year)
    by_country: dict[int, SavingsFigures] = defaultdict(SavingsFigures)
    by_agency: dict[int, SavingsFigures] = defaultdict(SavingsFigures)
    for (country_id, agency_id), amount in realised.items():
        for figures in (by_country[country_id], by_agency[agency_id]):
            figures.realised += amount
            if (country_id, agency_id) in baselines:
                figures.realised_with_baseline += amount
    for (country_id, agency_id), amount in baselines.items():
        for figures in (by_country[country_id], by_agency[agency_id]):
            figures.baseline = (figures.baseline or ZERO) + amount
    return dict(by_country), dict(by_agency)


def local_year(time_zone: str, year: int) -> tuple[datetime, datetime]:
    tz = ZoneInfo(time_zone)
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def desk_by_country(countries, year: int, *, scope=False) -> dict[int, dict]:
    """T6 per country: tickets resolved in the country's local `year`, how many were
    measured against the resolution target and how many met it — the figures
    `servicedesk.queries.kpis` gives for each country. Read, like the desk's own KPIs, from
    the desk's monthly roll-ups (`servicedesk.rollups`, whose months are each country's
    local months): one grouped query over the year's roll-up rows, whatever the number of
    tickets. `scope` narrows the countries as `_in` does (by default to the ids of
    `countries`)."""
    from commonops.servicedesk.models import KpiRollup

    countries = list(countries)
    if not countries:
        return {}
    where = _in([c.pk for c in countries] if scope is False else scope)
    rows = (KpiRollup.objects.filter(where, year=year).order_by().values("country_id")
            .annotate(resolved=Sum("resolved"), on_time=Sum("resolution_on_time"),
                      measured=Sum("resolution_measured")))
    return {row["country_id"]: row for row in rows}


@dataclass
class Figures:
    """The figures added up over countries: one country, a region, or all."""

    countries: int = 0
    catalogue: int = 0
    new_services: int = 0
    estimated: Decimal = ZERO
    realised: Decimal = ZERO
    realised_with_baseline: Decimal = ZERO
    baseline: Decimal | None = None
    resolved: int = 0
    resolved_on_time: int = 0
    resolution_measured: int = 0
    signed_off: int = 0
    expanding: int = 0  # countries with enough launches in the year (H1)

    @property
    def savings_rate(self) -> Decimal | None:
        return rules.savings_rate(self.realised_with_baseline, self.baseline)

    @property
    def savings_met(self) -> bool:
        return rules.meets_savings_target(self.savings_rate)

    @property
    def resolution_on_time(self) -> Decimal | None:
        return rules.percent(self.resolved_on_time, self.resolution_measured)

    def add(self, other: "Figures") -> None:
        for name in ("countries", "catalogue", "new_services", "estimated", "realised",
                     "realised_with_baseline", "resolved", "resolved_on_time",
                     "resolution_measured", "signed_off", "expanding"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.baseline is not None:
            self.baseline = (self.baseline or ZERO) + other.baseline


@dataclass
class CountryRow(Figures):
    """One country team in the regional and HQ tables."""

    country: Country | None = None
    bos_status: str | None = None
    bos_pk: int | None = None
    rank: int | None = None

    @property
    def bos_stage(self) -> str:
        return BosStatus(self.bos_status).label if self.bos_status else _("No BOS")


# The columns a table may be sorted (and ranked) by
SORTS = {
    "name": lambda r: r.country.name,
    "catalogue": lambda r: r.catalogue,
    "new": lambda r: r.new_services,
    "estimated": lambda r: r.estimated,
    "realised": lambda r: r.realised,
    "baseline": lambda r: r.baseline,
    "savings": lambda r: r.savings_rate,
    "desk": lambda r: r.resolution_on_time,
}


@dataclass
class RegionRow(Figures):
    region: Region | None = None
    expansion: rules.Expansion | None = None


@dataclass
class AgencySavings:
    """H2 for one agency over the countries in view."""

    agency: Agency
    realised: Decimal
    realised_with_baseline: Decimal
    baseline: Decimal | None

    @property
    def without_baseline(self) -> Decimal:
        return self.realised - self.realised_with_baseline

    @property
    def rate(self) -> Decimal | None:
        return rules.savings_rate(self.realised_with_baseline, self.baseline)

    @property
    def met(self) -> bool:
        return rules.meets_savings_target(self.rate)


@dataclass
class ExpansionYear:
    expansion: rules.Expansion
    cumulative: rules.CumulativeExpansion


@dataclass
class Overview:
    """A regional or HQ page: every country team in view with its figures, and the H1/H2
    targets over them."""

    year: int
    region: Region | None
    rows: list[CountryRow]
    totals: Figures
    regions: list[RegionRow]
    expansion: list[ExpansionYear]
    agencies: list[AgencySavings]
    typology: list[tuple[str, str, int]]
    stages: list[tuple[str, str, int]]
    sort: str = "name"
    descending: bool = False

    @property
    def this_year(self) -> ExpansionYear:
        return self.expansion[-1]


def _agency_savings(by_agency: dict[int, SavingsFigures]) -> list[AgencySavings]:
    agencies = Agency.objects.in_bulk(list(by_agency))
    rows = [AgencySavings(agency=agencies[pk], realised=f.realised,
                          realised_with_baseline=f.realised_with_baseline, baseline=f.baseline)
            for pk, f in by_agency.items()]
    return sorted(rows, key=lambda r: r.agency.acronym)


def overview(countries, *, year: int, region=None, typology: str = "", stage: str = "",
             sort: str = "name", descending: bool = False) -> Overview:
    """The figures of `countries` (a queryset already scoped to what the user may compare)
    for `year`, narrowed by typology and BOS stage ("none" for no BOS): ten queries."""
    # every country team, or every one of a region (which a person who may open the region's
    # page may all see): the aggregates need no list of ids
    unfiltered = not typology and not stage
    everything = unfiltered and region is None and not countries.query.has_filters()
    countries = countries_with_stage(countries, year)
    if region is not None:
        countries = countries.filter(region=region)
    if typology:
        countries = countries.filter(typology=typology)
    if stage == "none":
        countries = countries.filter(bos_status__isnull=True)
    elif stage:
        countries = countries.filter(bos_status=stage)
    countries = list(countries.order_by("region__name", "name"))
    if everything:
        ids = None
    elif unfiltered and region is not None:
        ids = region
    else:
        ids = [c.pk for c in countries]
    first_year = year - EXPANSION_YEARS + 1
    catalogue = catalogue_sizes(ids, year)
    launches = launch_counts(ids, first_year, year)
    estimated = estimated_by_country(ids, year)
    by_country, by_agency = savings(ids, year)
    desk = desk_by_country(countries, year, scope=ids)
    agencies = _agency_savings(by_agency)

    codes = {c.pk: c.iso_code for c in countries}
    pairs = [pair for country_id, launched, n in launches
             for pair in repeat((codes[country_id], launched), n)]
    new_this_year = defaultdict(int)
    for country_id, launched, n in launches:
        if launched == year:
            new_this_year[country_id] += n
    this_year = rules.expansion(pairs, year)
    expanding = set(this_year.countries)

    rows = []
    for country in countries:
        got = by_country.get(country.pk) or SavingsFigures()
        desk_row = desk.get(country.pk, {})
        rows.append(CountryRow(
            country=country, bos_status=country.bos_status, bos_pk=country.bos_pk,
            countries=1, catalogue=catalogue.get(country.pk, 0),
            new_services=new_this_year[country.pk],
            estimated=estimated.get(country.pk, ZERO), realised=got.realised,
            realised_with_baseline=got.realised_with_baseline,
            baseline=got.baseline, resolved=desk_row.get("resolved", 0),
            resolved_on_time=desk_row.get("on_time", 0),
            resolution_measured=desk_row.get("measured", 0),
            signed_off=int(country.bos_status == BosStatus.SIGNED_OFF),
            expanding=int(country.iso_code in expanding)))

    totals = Figures()
    by_region: dict[int, RegionRow] = {}
    for row in rows:
        totals.add(row)
        region_row = by_region.setdefault(row.country.region_id,
                                          RegionRow(region=row.country.region))
        region_row.add(row)
    region_codes = defaultdict(set)
    for country in countries:
        region_codes[country.region_id].add(country.iso_code)
    for region_id, region_row in by_region.items():
        region_row.expansion = rules.expansion(
            [p for p in pairs if p[0] in region_codes[region_id]], year)
    regions = sorted(by_region.values(), key=lambda r: r.region.name)

    per_year = [rules.expansion(pairs, y) for y in range(first_year, year + 1)]
    cumulative = rules.cumulative_expansion(per_year)

    sort = sort if sort in SORTS else "name"
    _sort_and_rank(rows, sort, descending)
    typology_counts = defaultdict(int)
    stage_counts = defaultdict(int)
    for row in rows:
        typology_counts[row.country.typology] += 1
        stage_counts[row.bos_status or "none"] += 1
    return Overview(
        year=year, region=region, rows=rows, totals=totals, regions=regions,
        expansion=[ExpansionYear(e, c) for e, c in zip(per_year, cumulative, strict=True)],
        agencies=agencies,
        typology=[(value, label, typology_counts[value]) for value, label in Typology.choices],
        stages=[(value, label, stage_counts[value]) for value, label in
                [*BosStatus.choices, ("none", _("No BOS"))]],
        sort=sort, descending=descending)


def _sort_and_rank(rows: list[CountryRow], sort: str, descending: bool) -> None:
    """Sort the rows by a figure (missing figures last) and rank them by it, highest
    first; sorting by name ranks nothing."""
    key = SORTS[sort]
    if sort == "name":
        rows.sort(key=lambda r: r.country.name, reverse=descending)
        return
    present = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]
    present.sort(key=lambda r: (key(r), r.country.name), reverse=descending)
    rows[:] = present + sorted(missing, key=lambda r: r.country.name)
    for row, place in zip(rows, rules.rank([key(r) for r in rows]), strict=True):
        row.rank = place


# --- the agency view -------------------------------------------------------------------------


@dataclass
class AgencyCountry:
    """What one agency pays and saves in one country in a year."""

    country: Country
    presence: str
    shares: Decimal = ZERO  # its allocated shares of common-service budgets (S1)
    paid: Decimal = ZERO  # its payments towards them (S4)
    realised: Decimal = ZERO  # realised cost avoidance (B7)
    baseline: Decimal | None = None  # its administrative budget (H2)

    @property
    def rate(self) -> Decimal | None:
        return rules.savings_rate(self.realised, self.baseline)

    @property
    def met(self) -> bool:
        return rules.meets_savings_target(self.rate)


@dataclass
class AgencyOverview:
    agency: Agency
    year: int
    rows: list[AgencyCountry]
    shares: Decimal
    paid: Decimal
    realised: Decimal
    realised_with_baseline: Decimal
    baseline: Decimal | None

    @property
    def rate(self) -> Decimal | None:
        return rules.savings_rate(self.realised_with_baseline, self.baseline)

    @property
    def met(self) -> bool:
        return rules.meets_savings_target(self.rate)


def agency_overview(countries, *, agency: Agency, year: int) -> AgencyOverview:
    """The agency in every country of `countries` where it is present: five queries."""
    presences = list(AgencyPresence.objects.filter(agency=agency, country__in=countries)
                     .select_related("country", "country__region")
                     .order_by("country__name"))
    ids = [p.country_id for p in presences]
    shares = dict(AllocationShare.objects.filter(
        agency=agency, allocation__country_id__in=ids, allocation__year=year).order_by()
        .values_list("allocation__country_id").annotate(total=Sum("amount")))
    paid = dict(Payment.objects.filter(agency=agency, country_id__in=ids, year=year)
                .order_by().values_list("country_id").annotate(total=Sum("amount")))
    realised = dict(AnnualResult.objects.filter(_counted(year), agency=agency,
                                                country_id__in=ids, year=year)
                    .order_by().values_list("country_id")
                    .annotate(total=Sum("realised_cost_avoidance")))
    baselines = dict(AdminBudget.objects.filter(agency=agency, country_id__in=ids, year=year)
                     .values_list("country_id", "amount"))
    rows = [AgencyCountry(country=p.country, presence=p.get_presence_display(),
                          shares=to_cent(shares.get(p.country_id) or ZERO),
                          paid=to_cent(paid.get(p.country_id) or ZERO),
                          realised=to_cent(realised.get(p.country_id) or ZERO),
                          baseline=baselines.get(p.country_id)) for p in presences]
    with_baseline = [r for r in rows if r.baseline is not None]
    return AgencyOverview(
        agency=agency, year=year, rows=rows,
        shares=sum((r.shares for r in rows), ZERO), paid=sum((r.paid for r in rows), ZERO),
        realised=sum((r.realised for r in rows), ZERO),
        realised_with_baseline=sum((r.realised for r in with_baseline), ZERO),
        baseline=sum((r.baseline for r in with_baseline), ZERO) if with_baseline else None)


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
