"""The rows of the common-service account: budgets, keys, headcounts, usage (S1), expenditures
(S3), payments (S4), premises and occupancy (S5)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from commonops.commonservices import rules
from commonops.commonservices.actions.catalogue import rate_for
from commonops.commonservices.actions.common import _require_manage
from commonops.commonservices.models import (
    BudgetLine,
    CostSharingKey,
    Expenditure,
    FixedShare,
    Headcount,
    Occupancy,
    Payment,
    Premises,
    Usage,
)
from commonops.core.audit import audited_action
from commonops.core.saving import apply_fields, validated_save

# --- rows that hang off a service, a key or premises ------------------------------------------


def _owned_save(instance, *, by, data: dict, parent: str):
    """Save a row whose country is its parent's (service, key or premises)."""
    if instance.pk:
        _require_manage(by, instance.country_id)
    apply_fields(instance, data)
    owner = getattr(instance, parent, None) if getattr(instance, f"{parent}_id") else None
    if owner is None:
        raise ValidationError({parent: _("This field is required.")})
    instance.country_id = owner.country_id
    _require_manage(by, instance.country_id)
    return instance


def _owned_delete(instance, by) -> None:
    _require_manage(by, instance.country_id)
    instance.delete()


def _budget_line_save(budget_line: BudgetLine, *, by, data: dict) -> BudgetLine:
    line = _owned_save(budget_line, by=by, data=data, parent="service")
    if line.amount is not None and line.amount < 0:
        raise ValidationError({"amount": _("A budget cannot be negative.")})
    return validated_save(line)


@audited_action
def budget_line_create(*, by, data: dict) -> BudgetLine:
    """S1: one line of a service's yearly budget (never negative)."""
    return _budget_line_save(BudgetLine(), by=by, data=data)


@audited_action
def budget_line_update(*, budget_line: BudgetLine, by, data: dict) -> BudgetLine:
    return _budget_line_save(budget_line, by=by, data=data)


@audited_action
def budget_line_delete(*, budget_line: BudgetLine, by) -> None:
    _owned_delete(budget_line, by)


def _key_save(key: CostSharingKey, *, by, data: dict) -> CostSharingKey:
    key = _owned_save(key, by=by, data=data, parent="service")
    if key.premises_id and key.premises.country_id != key.country_id:
        raise ValidationError({"premises": _("Choose premises of the same country team.")})
    return validated_save(key)


@audited_action
def key_create(*, by, data: dict) -> CostSharingKey:
    """S1: a service's cost-sharing key for a year."""
    return _key_save(CostSharingKey(), by=by, data=data)


@audited_action
def key_update(*, key: CostSharingKey, by, data: dict) -> CostSharingKey:
    return _key_save(key, by=by, data=data)


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


def _headcount_save(headcount: Headcount, *, by, data: dict) -> Headcount:
    if headcount.pk:
        _require_manage(by, headcount.country_id)
    apply_fields(headcount, data)
    _require_manage(by, headcount.country_id)
    _agency_in_country(headcount.agency if headcount.agency_id else None,
                       headcount.country_id)
    return validated_save(headcount)


@audited_action
def headcount_create(*, by, data: dict) -> Headcount:
    """S1: an agency's headcount for a year."""
    return _headcount_save(Headcount(), by=by, data=data)


@audited_action
def headcount_update(*, headcount: Headcount, by, data: dict) -> Headcount:
    return _headcount_save(headcount, by=by, data=data)


@audited_action
def headcount_delete(*, headcount: Headcount, by) -> None:
    _owned_delete(headcount, by)


def _usage_save(usage: Usage, *, by, data: dict) -> Usage:
    usage = _owned_save(usage, by=by, data=data, parent="service")
    if usage.agency_id and not usage.service.client_agencies.filter(
            pk=usage.agency_id).exists():
        raise ValidationError({"agency": _("%(agency)s is not a client of %(service)s.")
                               % {"agency": usage.agency, "service": usage.service}})
    return validated_save(usage)


@audited_action
def usage_create(*, by, data: dict) -> Usage:
    """S1: a client agency's usage of a service in a year (only client agencies)."""
    return _usage_save(Usage(), by=by, data=data)


@audited_action
def usage_update(*, usage: Usage, by, data: dict) -> Usage:
    return _usage_save(usage, by=by, data=data)


@audited_action
def usage_delete(*, usage: Usage, by) -> None:
    _owned_delete(usage, by)


def _expenditure_save(expenditure: Expenditure, *, by, data: dict) -> Expenditure:
    expenditure = _owned_save(expenditure, by=by, data=data, parent="service")
    if expenditure.spent_on is None or not expenditure.currency:
        expenditure.full_clean()  # names the missing fields
    expenditure.year = expenditure.spent_on.year
    expenditure.rate = rate_for(expenditure.currency, expenditure.spent_on)
    if expenditure.amount_local is not None:
        if expenditure.amount_local < 0:
            raise ValidationError({"amount_local": _("An expenditure cannot be negative.")})
        expenditure.amount_usd = rules.to_usd(expenditure.amount_local, expenditure.rate)
    return validated_save(expenditure)


@audited_action
def expenditure_create(*, by, data: dict) -> Expenditure:
    """S3: an expenditure in local currency, converted at the month's UN rate; a currency
    without a rate for the month is refused."""
    return _expenditure_save(Expenditure(), by=by, data=data)


@audited_action
def expenditure_update(*, expenditure: Expenditure, by, data: dict) -> Expenditure:
    return _expenditure_save(expenditure, by=by, data=data)


@audited_action
def expenditure_delete(*, expenditure: Expenditure, by) -> None:
    _owned_delete(expenditure, by)


def _payment_save(payment: Payment, *, by, data: dict) -> Payment:
    if payment.pk:
        _require_manage(by, payment.country_id)
    apply_fields(payment, data)
    _require_manage(by, payment.country_id)
    return validated_save(payment)


@audited_action
def payment_create(*, by, data: dict) -> Payment:
    return _payment_save(Payment(), by=by, data=data)


@audited_action
def payment_update(*, payment: Payment, by, data: dict) -> Payment:
    return _payment_save(payment, by=by, data=data)


@audited_action
def payment_delete(*, payment: Payment, by) -> None:
    _owned_delete(payment, by)


def _premises_save(premises: Premises, *, by, data: dict) -> Premises:
    if premises.pk:
        _require_manage(by, premises.country_id)
    apply_fields(premises, data)
    _require_manage(by, premises.country_id)
    return validated_save(premises)


@audited_action
def premises_create(*, by, data: dict) -> Premises:
    return _premises_save(Premises(), by=by, data=data)


@audited_action
def premises_update(*, premises: Premises, by, data: dict) -> Premises:
    return _premises_save(premises, by=by, data=data)


@audited_action
def premises_delete(*, premises: Premises, by) -> None:
    _owned_delete(premises, by)


def _occupancy_save(occupancy: Occupancy, *, by, data: dict) -> Occupancy:
    occupancy = _owned_save(occupancy, by=by, data=data, parent="premises")
    if occupancy.area_m2 is not None:
        others = sum(Occupancy.objects.filter(premises=occupancy.premises)
                     .exclude(pk=occupancy.pk).values_list("area_m2", flat=True), Decimal(0))
        if others + occupancy.area_m2 > occupancy.premises.area_m2:
            raise ValidationError({"area_m2": _(
                "The occupied areas would add up to more than the premises' %(area)s m².")
                % {"area": occupancy.premises.area_m2}})
    return validated_save(occupancy)


@audited_action
def occupancy_create(*, by, data: dict) -> Occupancy:
    """S5: an agency's area in premises; all occupied areas fit in the premises' area."""
    return _occupancy_save(Occupancy(), by=by, data=data)


@audited_action
def occupancy_update(*, occupancy: Occupancy, by, data: dict) -> Occupancy:
    return _occupancy_save(occupancy, by=by, data=data)


@audited_action
def occupancy_delete(*, occupancy: Occupancy, by) -> None:
    _owned_delete(occupancy, by)
