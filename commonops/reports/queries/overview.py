"""One row per country team: the regional and HQ pages, each figure an aggregate in SQL."""


from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import repeat
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from commonops.bos import rules as bos_rules
from commonops.bos.models import AnnualResult, Bos, BosStatus, CbaEntry
from commonops.commonservices.models import (
    CommonService,
    ServiceStatus,
)
from commonops.core.models import (
    Agency,
    Country,
    Region,
    Typology,
)
from commonops.core.money import to_cent
from commonops.reports import rules
from commonops.reports.models import AdminBudget
from commonops.reports.queries.common import EXPANSION_YEARS, LAUNCHED, MONEY, ZERO

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
