"""Reads of the Performance area: the figures of the country, regional, HQ and agency
pages, each an aggregate in SQL over the other areas' rows, scoped with `core.access`
first. Each page runs a fixed number of queries whatever the number of countries.

The aggregates behind the regional and HQ pages are separate functions
(`countries_with_stage`, `catalogue_sizes`, `launch_counts`, `estimated_by_country`,
`realised_by_agency_in_country`, `baselines_of`, `desk_by_country`) so that
`reports.bench` can time each against one hand-written SQL query computing the same
figure. H1 and H2 go through `reports.rules` (the contract).
"""

from commonops.reports.queries.access import (
    agency_countries,
    comparable_countries,
    country_or_404,
    region_or_404,
    regions_for,
    require_global,
    sees_everything,
)
from commonops.reports.queries.agency import (
    AgencyCountry,
    AgencyOverview,
    agency_overview,
)
from commonops.reports.queries.common import (
    EXPANSION_YEARS,
    LAUNCHED,
    MONEY,
    ZERO,
)
from commonops.reports.queries.country import (
    AREAS,
    CostAvoidance,
    CountryDashboard,
    KpiArea,
    OmtHealth,
    bos_by_year,
    bos_results,
    cost_avoidance_series,
    country_dashboard,
    kpi_areas,
    omt_health,
    service_satisfaction,
)
from commonops.reports.queries.overview import (
    SORTS,
    AgencySavings,
    CountryRow,
    ExpansionYear,
    Figures,
    Overview,
    RegionRow,
    SavingsFigures,
    baselines_of,
    catalogue_sizes,
    countries_with_stage,
    desk_by_country,
    estimated_by_country,
    launch_counts,
    local_year,
    overview,
    realised_by_agency_in_country,
    savings,
)

__all__ = [
    "ZERO",
    "MONEY",
    "EXPANSION_YEARS",
    "LAUNCHED",
    "country_or_404",
    "comparable_countries",
    "regions_for",
    "region_or_404",
    "sees_everything",
    "require_global",
    "agency_countries",
    "countries_with_stage",
    "catalogue_sizes",
    "launch_counts",
    "estimated_by_country",
    "realised_by_agency_in_country",
    "baselines_of",
    "SavingsFigures",
    "savings",
    "local_year",
    "desk_by_country",
    "Figures",
    "CountryRow",
    "SORTS",
    "RegionRow",
    "AgencySavings",
    "ExpansionYear",
    "Overview",
    "overview",
    "AgencyCountry",
    "AgencyOverview",
    "agency_overview",
    "CostAvoidance",
    "KpiArea",
    "OmtHealth",
    "CountryDashboard",
    "cost_avoidance_series",
    "kpi_areas",
    "AREAS",
    "omt_health",
    "service_satisfaction",
    "country_dashboard",
    "bos_results",
    "bos_by_year",
]
