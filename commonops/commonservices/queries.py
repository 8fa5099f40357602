"""Reads across common-services tables: key weights, budget vs actual, statements and the
annual report (S1–S4). Scoped with `visible_to(user)` first; sums run in SQL."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from commonops.commonservices import providers, rules
from commonops.commonservices.cost_sharing import allocate
from commonops.commonservices.models import (
    Agreement,
    Allocation,
    AllocationShare,
    BudgetLine,
    CommonService,
    Contract,
    CostSharingKey,
    Expenditure,
    FixedShare,
    Headcount,
    KeyMethod,
    Occupancy,
    Payment,
    Usage,
    UsageSource,
)

ZERO = Decimal("0.00")


# --- key weights (S1) -------------------------------------------------------------------------


def key_weights(key: CostSharingKey, clients) -> dict:
    """The weight of each client agency (in `clients`' order) under `key`."""
    ids = [a.pk for a in clients]
    if key.method == KeyMethod.EQUAL:
        found = {pk: Decimal(1) for pk in ids}
    elif key.method == KeyMethod.HEADCOUNT:
        found = dict(Headcount.objects.filter(country_id=key.country_id, year=key.year,
                                              agency_id__in=ids)
                     .values_list("agency_id", "headcount"))
        missing = [a.acronym for a in clients if a.pk not in found]
        if missing:
            raise ValidationError(_("No headcount for %(year)s for: %(agencies)s.")
                                  % {"year": key.year, "agencies": ", ".join(missing)})
    elif key.method == KeyMethod.USAGE:
        if key.usage_source != UsageSource.ENTERED:
            volumes = providers.usage_from(key.usage_source, country=key.country,
                                           year=key.year)
            found = {pk: volumes.get(pk, 0) for pk in ids}
        else:
            found = dict(Usage.objects.filter(service_id=key.service_id, year=key.year)
                         .values_list("agency_id", "units"))
    elif key.method == KeyMethod.FLOOR_AREA:
        rows = Occupancy.objects.filter(country_id=key.country_id, agency_id__in=ids)
        if key.premises_id:
            rows = rows.filter(premises_id=key.premises_id)
        found = dict(rows.values("agency_id").annotate(area=Sum("area_m2"))
                     .values_list("agency_id", "area"))
    elif key.method == KeyMethod.FIXED:
        shares = dict(FixedShare.objects.filter(key=key).values_list("agency_id", "percent"))
        problem = rules.fixed_percentages_error(shares)
        if problem:
            raise ValidationError(_(problem))
        strangers = set(shares) - set(ids)
        if strangers:
            raise ValidationError(_("Some fixed percentages belong to agencies that are no "
                                    "longer clients of this service."))
        found = shares
    else:
        raise ValidationError(_("Unknown cost-sharing method."))
    return {a: Decimal(found.get(a.pk) or 0) for a in clients}


def inputs_changed(allocation: Allocation) -> bool | None:
    """True when today's inputs differ from those the allocation was computed from; None
    when they can no longer be computed (for example the key was deleted)."""
    from commonops.commonservices.actions import allocation_inputs

    key = (CostSharingKey.objects.select_related("service", "country")
           .filter(service_id=allocation.service_id, year=allocation.year).first())
    if key is None:
        return None
    try:
        now = allocation_inputs(key)
    except ValidationError:
        return None
    before = allocation.inputs
    return _comparable(now) != _comparable(before)


def _comparable(inputs: dict):
    return (inputs.get("method"), Decimal(inputs.get("total", "0")),
            [(w[0], Decimal(w[2])) for w in inputs.get("weights", [])])


# --- catalogue, agreements, contracts (S2) ----------------------------------------------------


def uncovered_contracts(queryset, threshold: Decimal):
    """S2: contracts at or above the threshold without a covering MOU."""
    return queryset.filter(value_usd__gte=threshold, agreement__isnull=True)


def expiring(queryset, *, today, days: int):
    """S2: agreements or contracts ending within `days` days (not yet ended)."""
    from datetime import timedelta

    return queryset.filter(ends_on__gte=today, ends_on__lte=today + timedelta(days=days))


# --- budget vs actual, statements, annual report (S1, S3, S4) ---------------------------------


@dataclass
class ServiceYear:
    service: CommonService
    budget: Decimal = ZERO  # the year's budget
    actual: Decimal = ZERO  # spent in the compared period (the whole year once it is over)
    allocation: Allocation | None = None
    variance: rules.Variance | None = None  # actual vs the budget for the period (S3)
    satisfaction: Decimal | None = None
    kpis: list = field(default_factory=list)
    period: rules.Period | None = None

    @property
    def budget_to_date(self) -> Decimal:
        return rules.budget_for_period(self.budget, self.period)


def _period(year: int, today) -> rules.Period:
    return rules.Period(year, 12) if today is None else rules.comparison_period(year, today)


def services_year(user, *, country, year: int, today=None) -> list[ServiceYear]:
    """Budget, actual and variance (S3) per service of a country and year: three queries.

    With `today` (the country's), a year in progress compares the spending up to the end of
    the last month over with the budget for those months (rules.comparison_period);
    without it the whole year is compared."""
    period = _period(year, today)
    services = list(CommonService.objects.visible_to(user).filter(country=country)
                    .order_by("service_line", "name"))
    budgets = dict(BudgetLine.objects.filter(country=country, year=year)
                   .values("service_id").annotate(total=Sum("amount"))
                   .values_list("service_id", "total"))
    actuals = dict(Expenditure.objects.filter(country=country, year=year,
                                              spent_on__lt=period.ends_before)
                   .values("service_id").annotate(total=Sum("amount_usd"))
                   .values_list("service_id", "total"))
    allocations = {a.service_id: a for a in Allocation.objects.filter(country=country,
                                                                      year=year)}
    rows = []
    for service in services:
        row = ServiceYear(service, budgets.get(service.pk) or ZERO,
                          actuals.get(service.pk) or ZERO, allocations.get(service.pk),
                          period=period)
        row.variance = rules.variance(row.budget_to_date, row.actual)
        rows.append(row)
    return rows


@dataclass
class AgencyYear:
    agency: object
    allocated: Decimal = ZERO  # its shares of the budgets
    actual: Decimal = ZERO  # its shares of the expenditure, by the same weights
    paid: Decimal = ZERO
    period: rules.Period | None = None

    @property
    def allocated_to_date(self) -> Decimal:
        return rules.budget_for_period(self.allocated, self.period)

    @property
    def variance(self):
        return rules.variance(self.allocated_to_date, self.actual)

    @property
    def balance(self):
        return self.allocated - self.paid


def agencies_year(user, *, country, year: int, rows: list[ServiceYear] | None = None):
    """S3/S4: per agency its allocated shares, its share of actual spending (the actual
    of each allocated service shared by the allocation's weights) and payments."""
    rows = rows if rows is not None else services_year(user, country=country, year=year)
    shares = (AllocationShare.objects.visible_to(user)
              .filter(allocation__country=country, allocation__year=year)
              .select_related("agency").order_by("allocation_id", "agency__acronym"))
    by_allocation = defaultdict(list)
    agencies = {}
    for share in shares:
        by_allocation[share.allocation_id].append(share)
        agencies[share.agency_id] = share.agency
    period = rows[0].period if rows else rules.Period(year, 12)
    result = {pk: AgencyYear(agency, period=period) for pk, agency in agencies.items()}
    for row in rows:
        if row.allocation is None:
            continue
        its_shares = by_allocation.get(row.allocation.pk, [])
        for share in its_shares:
            result[share.agency_id].allocated += share.amount
        weights = {s.agency_id: s.weight for s in its_shares}
        if row.actual and any(weights.values()):
            for agency_id, amount in allocate(row.actual, weights).items():
                result[agency_id].actual += amount
    paid = dict(Payment.objects.visible_to(user).filter(country=country, year=year)
                .values("agency_id").annotate(total=Sum("amount"))
                .values_list("agency_id", "total"))
    for agency_id, total in paid.items():
        if agency_id in result:
            result[agency_id].paid = total
    return sorted(result.values(), key=lambda r: r.agency.acronym)


@dataclass
class Statement:
    """S4: an agency's shares of a year, the keys and inputs behind them, its payments."""

    country: object
    agency: object
    year: int
    lines: list  # AllocationShare rows with allocation and service
    payments: list
    total_share: Decimal
    total_paid: Decimal

    @property
    def balance(self) -> Decimal:
        return self.total_share - self.total_paid


def statement(user, *, country, agency, year: int) -> Statement:
    """S4: three queries whatever the number of services."""
    lines = list(AllocationShare.objects.visible_to(user)
                 .filter(allocation__country=country, allocation__year=year, agency=agency)
                 .select_related("allocation", "allocation__service")
                 .order_by("allocation__service__service_line", "allocation__service__name"))
    for line in lines:
        inputs = line.allocation.inputs or {}
        weight_sum = sum((Decimal(w[2]) for w in inputs.get("weights", [])), Decimal(0))
        line.share_percent = (line.weight * 100 / weight_sum).quantize(Decimal("0.1")) \
            if weight_sum else None
        line.weight_sum = weight_sum
    payments = list(Payment.objects.visible_to(user)
                    .filter(country=country, agency=agency, year=year)
                    .order_by("received_on"))
    return Statement(country, agency, year, lines, payments,
                     sum((line.amount for line in lines), ZERO),
                     sum((p.amount for p in payments), ZERO))


def statement_agencies(user, *, country, year: int):
    """Agencies with a share in the year's allocations, for the statements index."""
    from commonops.core.models import Agency

    ids = (AllocationShare.objects.visible_to(user)
           .filter(allocation__country=country, allocation__year=year)
           .values("agency_id"))
    return Agency.objects.filter(pk__in=ids).order_by("acronym")


def kpis_by_service(services, *, year: int) -> dict:
    """B5/B6: each service's KPI summaries (target, actual, status) for the year, from the
    results engine, in a constant number of queries."""
    from django.contrib.contenttypes.models import ContentType

    from commonops.results.models import Indicator
    from commonops.results.queries import indicator_summaries

    indicators = Indicator.objects.filter(
        subject_type=ContentType.objects.get_for_model(CommonService),
        subject_id__in=[s.pk for s in services]).order_by("kind", "name")
    result = defaultdict(list)
    for summary in indicator_summaries(indicators, year=year):
        result[summary.indicator.subject_id].append(summary)
    return result


@dataclass
class AnnualReport:
    country: object
    year: int
    services: list[ServiceYear]
    agencies: list[AgencyYear]
    total_budget: Decimal
    total_actual: Decimal
    period: rules.Period

    @property
    def total_budget_to_date(self) -> Decimal:
        return sum((r.budget_to_date for r in self.services), ZERO)

    @property
    def variance(self):
        return rules.variance(self.total_budget_to_date, self.total_actual)


def annual_report(user, *, country, year: int, today=None) -> AnnualReport:
    """S3/B7: the annual report to the UNCT on the common-service account; `today` as in
    `services_year`."""
    rows = services_year(user, country=country, year=year, today=today)
    satisfaction = providers.satisfaction_by_service(country=country, year=year)
    kpis = kpis_by_service([r.service for r in rows], year=year)
    for row in rows:
        row.satisfaction = satisfaction.get(row.service.pk)
        row.kpis = kpis.get(row.service.pk, [])
    agencies = agencies_year(user, country=country, year=year, rows=rows)
    return AnnualReport(country, year, rows, agencies,
                        sum((r.budget for r in rows), ZERO),
                        sum((r.actual for r in rows), ZERO), _period(year, today))


def agreements_for(user, country):
    return Agreement.objects.visible_to(user).filter(country=country)


def contracts_for(user, country):
    return Contract.objects.visible_to(user).filter(country=country)
