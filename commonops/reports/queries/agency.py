"""The agency view: what one agency pays and saves in every country where it takes part."""


from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Sum,
)

from commonops.bos.models import AnnualResult
from commonops.commonservices.models import (
    AllocationShare,
    Payment,
)
from commonops.core.models import (
    Agency,
    AgencyPresence,
    Country,
)
from commonops.core.money import to_cent
from commonops.reports import rules
from commonops.reports.models import AdminBudget
from commonops.reports.queries.common import ZERO
from commonops.reports.queries.overview import _counted

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
