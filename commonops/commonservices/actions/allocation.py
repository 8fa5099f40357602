"""Allocation (S1): a service's budget of a year shared exactly by its key, kept with its inputs."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonops.commonservices import rules
from commonops.commonservices.cost_sharing import allocate
from commonops.commonservices.models import (
    Allocation,
    AllocationShare,
    BudgetLine,
    CommonService,
    CostSharingKey,
    KeyMethod,
)
from commonops.core import access
from commonops.core.audit import audited_action
from commonops.core.roles import Perm
from commonops.core.saving import validated_save

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
    validated_save(allocation)
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
def key_allocate(*, key: CostSharingKey, by) -> Allocation:
    """S1: allocate the budget of the key's service and year (the key page's button)."""
    return allocation_allocate(service=key.service, year=key.year, by=by)


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
