"""Every change to common-services data (S1–S5). Pages, the API, imports and the demo call
these functions; each is one transaction, checks `by` with `core.access`, validates the
whole row (`full_clean`) and leaves the audit row to `core.audit`.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonops.commonservices import rules
from commonops.commonservices.cost_sharing import allocate
from commonops.commonservices.models import (
    Agreement,
    AgreementKind,
    Allocation,
    AllocationShare,
    BudgetLine,
    CommonService,
    Contract,
    CostSharingKey,
    ExchangeRate,
    Expenditure,
    FixedShare,
    Headcount,
    KeyMethod,
    Occupancy,
    Payment,
    Premises,
    Usage,
)
from commonops.core import access
from commonops.core.audit import audited_action
from commonops.core.display import standard_texts
from commonops.core.roles import Perm

# B5: how a service's KPIs are verified, stored in the language of whoever created them.
KPI_VERIFICATION = gettext_noop("Annual common-services report")
standard_texts(KPI_VERIFICATION)


def mou_threshold_usd() -> Decimal:
    """S2: the configurable threshold (setting COMMONSERVICES_MOU_THRESHOLD_USD)."""
    return Decimal(str(getattr(settings, "COMMONSERVICES_MOU_THRESHOLD_USD",
                               rules.MOU_THRESHOLD_USD)))


def _require_manage(by, country_id) -> None:
    if not access.can(by, Perm.MANAGE_COMMON_SERVICES, country_id):
        raise PermissionDenied(_("You may not change common services in this country team."))


def _apply(instance, data: dict) -> None:
    for name, value in data.items():
        setattr(instance, name, value)


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


def _same_country(country_id, objs, field: str) -> None:
    if any(obj.country_id != country_id for obj in objs):
        raise ValidationError({field: _("Choose rows of the same country team.")})


def _split_m2m(data: dict, names) -> dict:
    return {name: data.pop(name) for name in names if name in data}


# --- catalogue --------------------------------------------------------------------------------


@audited_action
def service_save(*, by, data: dict, service: CommonService | None = None) -> CommonService:
    """Create or change a common service with its managing and client agencies."""
    data = dict(data)
    m2m = _split_m2m(data, ("provider_agencies", "client_agencies"))
    service = service or CommonService()
    if service.pk:
        _require_manage(by, service.country_id)
    _apply(service, data)
    _require_manage(by, service.country_id)
    if "opportunity" in data or "stocktake_entry" in data:
        for name in ("opportunity", "stocktake_entry"):
            linked = getattr(service, name, None)
            if linked is not None and linked.country_id != service.country_id:
                raise ValidationError({name: _("Choose a row of the same country team.")})
    _save(service)
    for name, agencies in m2m.items():
        getattr(service, name).set(agencies)
    return service


@audited_action
def service_delete(*, service: CommonService, by) -> None:
    _require_manage(by, service.country_id)
    service.delete()


B5_KPIS = (
    # (name, unit, kind, direction)
    (gettext_noop("Cost avoidance"), "usd", "cost_avoidance", "increase"),
    (gettext_noop("Client satisfaction"), "percent", "quality", "increase"),
)


@audited_action
def service_kpis_create(*, service: CommonService, by) -> list:
    """B5: give a service its two standard KPIs (cost avoidance in USD, client satisfaction
    in %) through the results engine; those it already has are left alone."""
    from commonops.results import actions as results_actions
    from commonops.results.models import Indicator

    _require_manage(by, service.country_id)
    existing = set(Indicator.objects.filter(
        subject_type__app_label="commonservices", subject_type__model="commonservice",
        subject_id=service.pk).values_list("kind", flat=True))
    created = []
    for name, unit, kind, direction in B5_KPIS:
        if kind in existing:
            continue
        created.append(results_actions.indicator_create(
            country=service.country, name=f"{service.name}: {_(name)}", unit=unit,
            direction=direction, kind=kind, frequency="yearly", subject=service,
            means_of_verification=_(KPI_VERIFICATION), by=by))
    return created


# --- agreements and contracts (S2) ------------------------------------------------------------


@audited_action
def agreement_save(*, by, data: dict, agreement: Agreement | None = None) -> Agreement:
    data = dict(data)
    m2m = _split_m2m(data, ("parties", "services"))
    agreement = agreement or Agreement()
    if agreement.pk:
        _require_manage(by, agreement.country_id)
    _apply(agreement, data)
    _require_manage(by, agreement.country_id)
    if "services" in m2m:
        _same_country(agreement.country_id, m2m["services"], "services")
    _save(agreement)
    for name, rows in m2m.items():
        getattr(agreement, name).set(rows)
    return agreement


@audited_action
def agreement_delete(*, agreement: Agreement, by) -> None:
    _require_manage(by, agreement.country_id)
    agreement.delete()


def rate_for(currency: str, day) -> Decimal:
    """S3: the UN operational rate of `currency` for the month of `day` (units per USD)."""
    if currency == "USD":
        return Decimal(1)
    rate = (ExchangeRate.objects.filter(currency=currency, month=day.replace(day=1))
            .values_list("rate", flat=True).first())
    if rate is None:
        raise ValidationError({"currency": _(
            "There is no UN operational rate of exchange for %(currency)s in %(month)s; "
            "ask the administrator to add it.") % {"currency": currency,
                                                   "month": f"{day:%Y-%m}"}})
    return rate


@audited_action
def contract_save(*, by, data: dict, contract: Contract | None = None) -> Contract:
    """S2: a contract, its value in USD at the start month's rate, and its covering MOU."""
    data = dict(data)
    m2m = _split_m2m(data, ("services",))
    contract = contract or Contract()
    if contract.pk:
        _require_manage(by, contract.country_id)
    _apply(contract, data)
    _require_manage(by, contract.country_id)
    if "services" in m2m:
        _same_country(contract.country_id, m2m["services"], "services")
    if contract.agreement is not None:
        if contract.agreement.country_id != contract.country_id:
            raise ValidationError({"agreement": _("Choose an MOU of the same country team.")})
        if contract.agreement.kind != AgreementKind.MOU:
            raise ValidationError({"agreement": _("Only an MOU covers a contract.")})
    if contract.value is not None and contract.currency and contract.starts_on:
        contract.value_usd = rules.to_usd(contract.value,
                                          rate_for(contract.currency, contract.starts_on))
    _save(contract)
    if "services" in m2m:
        contract.services.set(m2m["services"])
    return contract


@audited_action
def contract_delete(*, contract: Contract, by) -> None:
    _require_manage(by, contract.country_id)
    contract.delete()


# --- rows that hang off a service, a key or premises ------------------------------------------


def _owned_save(model, *, by, data: dict, instance=None, parent: str):
    """Save a row whose country is its parent's (service, key or premises)."""
    instance = instance or model()
    if instance.pk:
        _require_manage(by, instance.country_id)
    _apply(instance, data)
    owner = getattr(instance, parent, None) if getattr(instance, f"{parent}_id") else None
    if owner is None:
        raise ValidationError({parent: _("This field is required.")})
    instance.country_id = owner.country_id
    _require_manage(by, instance.country_id)
    return instance


def _owned_delete(instance, by) -> None:
    _require_manage(by, instance.country_id)
    instance.delete()


@audited_action
def budget_line_save(*, by, data: dict, budget_line: BudgetLine | None = None) -> BudgetLine:
    """S1: one line of a service's yearly budget (never negative)."""
    line = _owned_save(BudgetLine, by=by, data=data, instance=budget_line, parent="service")
    if line.amount is not None and line.amount < 0:
        raise ValidationError({"amount": _("A budget cannot be negative.")})
    return _save(line)


@audited_action
def budget_line_delete(*, budget_line: BudgetLine, by) -> None:
    _owned_delete(budget_line, by)


@audited_action
def key_save(*, by, data: dict, key: CostSharingKey | None = None) -> CostSharingKey:
    """S1: a service's cost-sharing key for a year."""
    key = _owned_save(CostSharingKey, by=by, data=data, instance=key, parent="service")
    if key.premises_id and key.premises.country_id != key.country_id:
        raise ValidationError({"premises": _("Choose premises of the same country team.")})
    return _save(key)


@audited_action
def key_delete(*, key: CostSharingKey, by) -> None:
    _owned_delete(key, by)


@audited_action
def key_set_percentages(*, key: CostSharingKey, percentages: dict, by) -> list[FixedShare]:
    """S1: replace a fixed key's percentages; they must add up to 100 and belong to the
    service's client agencies. Nothing changes when they do not."""
    _require_manage(by, key.country_id)
    percentages = {agency: Decimal(value) for agency, value in percentages.items()
                   if value not in (None, "")}
    problem = rules.fixed_percentages_error(percentages)
    if problem:
        raise ValidationError(_(problem))
    clients = set(key.service.client_agencies.values_list("pk", flat=True))
    strangers = [str(a) for a in percentages if a.pk not in clients]
    if strangers:
        raise ValidationError(_("Not client agencies of this service: %(agencies)s.")
                              % {"agencies": ", ".join(strangers)})
    FixedShare.objects.filter(key=key).delete()
    return FixedShare.objects.bulk_create([
        FixedShare(key=key, country_id=key.country_id, agency=agency, percent=value)
        for agency, value in percentages.items()])


def _agency_in_country(agency, country_id) -> None:
    if agency is not None and not agency.presences.filter(country_id=country_id).exists():
        raise ValidationError({"agency": _("%(agency)s is not present in this country team.")
                               % {"agency": agency}})


@audited_action
def headcount_save(*, by, data: dict, headcount: Headcount | None = None) -> Headcount:
    """S1: an agency's headcount for a year."""
    headcount = headcount or Headcount()
    if headcount.pk:
        _require_manage(by, headcount.country_id)
    _apply(headcount, data)
    _require_manage(by, headcount.country_id)
    _agency_in_country(headcount.agency if headcount.agency_id else None,
                       headcount.country_id)
    return _save(headcount)


@audited_action
def headcount_delete(*, headcount: Headcount, by) -> None:
    _owned_delete(headcount, by)


@audited_action
def usage_save(*, by, data: dict, usage: Usage | None = None) -> Usage:
    """S1: a client agency's usage of a service in a year (only client agencies)."""
    usage = _owned_save(Usage, by=by, data=data, instance=usage, parent="service")
    if usage.agency_id and not usage.service.client_agencies.filter(
            pk=usage.agency_id).exists():
        raise ValidationError({"agency": _("%(agency)s is not a client of %(service)s.")
                               % {"agency": usage.agency, "service": usage.service}})
    return _save(usage)


@audited_action
def usage_delete(*, usage: Usage, by) -> None:
    _owned_delete(usage, by)


@audited_action
def expenditure_save(*, by, data: dict,
                     expenditure: Expenditure | None = None) -> Expenditure:
    """S3: an expenditure in local currency, converted at the month's UN rate; a currency
    without a rate for the month is refused."""
    expenditure = _owned_save(Expenditure, by=by, data=data, instance=expenditure,
                              parent="service")
    if expenditure.spent_on is None or not expenditure.currency:
        expenditure.full_clean()  # names the missing fields
    expenditure.year = expenditure.spent_on.year
    expenditure.rate = rate_for(expenditure.currency, expenditure.spent_on)
    if expenditure.amount_local is not None:
        if expenditure.amount_local < 0:
            raise ValidationError({"amount_local": _("An expenditure cannot be negative.")})
        expenditure.amount_usd = rules.to_usd(expenditure.amount_local, expenditure.rate)
    return _save(expenditure)


@audited_action
def expenditure_delete(*, expenditure: Expenditure, by) -> None:
    _owned_delete(expenditure, by)


@audited_action
def payment_save(*, by, data: dict, payment: Payment | None = None) -> Payment:
    payment = payment or Payment()
    if payment.pk:
        _require_manage(by, payment.country_id)
    _apply(payment, data)
    _require_manage(by, payment.country_id)
    return _save(payment)


@audited_action
def payment_delete(*, payment: Payment, by) -> None:
    _owned_delete(payment, by)


@audited_action
def premises_save(*, by, data: dict, premises: Premises | None = None) -> Premises:
    premises = premises or Premises()
    if premises.pk:
        _require_manage(by, premises.country_id)
    _apply(premises, data)
    _require_manage(by, premises.country_id)
    return _save(premises)


@audited_action
def premises_delete(*, premises: Premises, by) -> None:
    _owned_delete(premises, by)


@audited_action
def occupancy_save(*, by, data: dict, occupancy: Occupancy | None = None) -> Occupancy:
    """S5: an agency's area in premises; all occupied areas fit in the premises' area."""
    occupancy = _owned_save(Occupancy, by=by, data=data, instance=occupancy,
                            parent="premises")
    if occupancy.area_m2 is not None:
        others = sum(Occupancy.objects.filter(premises=occupancy.premises)
                     .exclude(pk=occupancy.pk).values_list("area_m2", flat=True), Decimal(0))
        if others + occupancy.area_m2 > occupancy.premises.area_m2:
            raise ValidationError({"area_m2": _(
                "The occupied areas would add up to more than the premises' %(area)s m².")
                % {"area": occupancy.premises.area_m2}})
    return _save(occupancy)


@audited_action
def occupancy_delete(*, occupancy: Occupancy, by) -> None:
    _owned_delete(occupancy, by)


# --- allocation (S1) --------------------------------------------------------------------------


def allocation_inputs(key: CostSharingKey) -> dict:
    """What an allocation of `key`'s service and year is computed from, as plain JSON.

    Raises ValidationError with a clear message when the inputs are incomplete."""
    from commonops.commonservices import queries

    service, year = key.service, key.year
    lines = dict(BudgetLine.objects.filter(service=service, year=year)
                 .order_by("line").values_list("line", "amount"))
    if not lines:
        raise ValidationError(_("%(service)s has no budget for %(year)s yet.")
                              % {"service": service, "year": year})
    clients = list(service.client_agencies.order_by("acronym"))
    if not clients:
        raise ValidationError(_("%(service)s has no client agencies.") % {"service": service})
    weights = queries.key_weights(key, clients)
    if not any(weights.values()):
        raise ValidationError(_("Every client agency has a weight of zero for this key: enter "
                                "its inputs first."))
    total = sum(lines.values(), Decimal(0))
    return {
        "method": key.method,
        "usage_source": key.usage_source if key.method == KeyMethod.USAGE else "",
        "premises": key.premises_id if key.method == KeyMethod.FLOOR_AREA else None,
        "total": str(rules.to_cent(total)),
        "budget_lines": {line: str(amount) for line, amount in lines.items()},
        "weights": [[a.pk, a.acronym, str(weights[a])] for a in clients],
    }


def _compute(allocation: Allocation, inputs: dict, by) -> list[AllocationShare]:
    weights = {agency_id: Decimal(weight) for agency_id, _acronym, weight in inputs["weights"]}
    try:
        shares = allocate(Decimal(inputs["total"]), weights)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    allocation.method = inputs["method"]
    allocation.total = Decimal(inputs["total"])
    allocation.inputs = inputs
    allocation.computed_at = timezone.now()
    allocation.computed_by = by
    _save(allocation)
    return AllocationShare.objects.bulk_create([
        AllocationShare(allocation=allocation, country_id=allocation.country_id,
                        agency_id=agency_id, weight=weights[agency_id], amount=amount)
        for agency_id, amount in shares.items()])


def _locked_key(service, year) -> CostSharingKey:
    # Two people allocating the same service and year at once: the key row is locked, so
    # the second waits and then finds the first one's allocation (and the unique
    # constraint on (service, year) stops a second row where locks are not available).
    key = (CostSharingKey.objects.select_for_update(of=("self",))
           .select_related("service", "premises")
           .filter(service=service, year=year).first())
    if key is None:
        raise ValidationError(_("%(service)s has no cost-sharing key for %(year)s yet.")
                              % {"service": service, "year": year})
    return key


@audited_action
def allocation_allocate(*, service: CommonService, year: int, by) -> Allocation:
    """S1: share the service's budget of `year` by its key, exactly, and save the inputs."""
    access.require(by, Perm.ALLOCATE_COSTS, service.country_id)
    key = _locked_key(service, year)
    if Allocation.objects.filter(service=service, year=year).exists():
        raise ValidationError(_("%(service)s is already allocated for %(year)s; recompute "
                                "it instead.") % {"service": service, "year": year})
    inputs = allocation_inputs(key)
    allocation = Allocation(service=service, year=year, country_id=service.country_id)
    try:
        with transaction.atomic():
            _compute(allocation, inputs, by)
    except IntegrityError as error:
        raise ValidationError(_("%(service)s is already allocated for %(year)s; recompute "
                                "it instead.") % {"service": service, "year": year}) from error
    return allocation


@audited_action
def allocation_recompute(*, allocation: Allocation, by) -> Allocation:
    """S1: recompute an allocation from today's inputs (explicit, audited, new revision)."""
    access.require(by, Perm.ALLOCATE_COSTS, allocation.country_id)
    key = _locked_key(allocation.service, allocation.year)
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    inputs = allocation_inputs(key)
    AllocationShare.objects.filter(allocation=allocation).delete()
    allocation.revision += 1
    _compute(allocation, inputs, by)
    return allocation


@audited_action
def allocation_delete(*, allocation: Allocation, by) -> None:
    access.require(by, Perm.ALLOCATE_COSTS, allocation.country_id)
    allocation.delete()


def usage_from_service_desk(*, country, year: int) -> dict:
    """S1: ticket volumes per agency from the service desk, for usage keys."""
    from commonops.servicedesk import queries as desk_queries

    return desk_queries.ticket_volume_by_agency(country=country, year=year)

