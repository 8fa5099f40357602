"""The catalogue (S1) with its KPIs (B5), agreements and contracts (S2), rates of exchange (S3)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonops.commonservices import rules
from commonops.commonservices.actions.common import _require_manage, _same_country, _split_m2m
from commonops.commonservices.models import (
    Agreement,
    AgreementKind,
    CommonService,
    Contract,
    ExchangeRate,
)
from commonops.core.audit import audited_action
from commonops.core.display import standard_texts
from commonops.core.saving import apply_fields, delete_managed, save_managed, validated_save

# --- catalogue --------------------------------------------------------------------------------


def _service_save(service: CommonService, *, by, data: dict) -> CommonService:
    data = dict(data)
    m2m = _split_m2m(data, ("provider_agencies", "client_agencies"))
    if service.pk:
        _require_manage(by, service.country_id)
    apply_fields(service, data)
    _require_manage(by, service.country_id)
    if "opportunity" in data or "stocktake_entry" in data:
        for name in ("opportunity", "stocktake_entry"):
            linked = getattr(service, name, None)
            if linked is not None and linked.country_id != service.country_id:
                raise ValidationError({name: _("Choose a row of the same country team.")})
    validated_save(service)
    for name, agencies in m2m.items():
        getattr(service, name).set(agencies)
    return service


@audited_action
def service_create(*, by, data: dict) -> CommonService:
    """Create or change a common service with its managing and client agencies."""
    return _service_save(CommonService(), by=by, data=data)


@audited_action
def service_update(*, service: CommonService, by, data: dict) -> CommonService:
    return _service_save(service, by=by, data=data)


@audited_action
def service_delete(*, service: CommonService, by) -> None:
    _require_manage(by, service.country_id)
    service.delete()


# B5: how a service's KPIs are verified, stored in the language of whoever created them.
KPI_VERIFICATION = gettext_noop("Annual common-services report")
standard_texts(KPI_VERIFICATION)

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
        created.append(results_actions.indicator_create(by=by, data={
            "country": service.country, "name": f"{service.name}: {_(name)}", "unit": unit,
            "direction": direction, "kind": kind, "frequency": "yearly", "subject": service,
            "means_of_verification": _(KPI_VERIFICATION)}))
    return created


# --- agreements and contracts (S2) ------------------------------------------------------------


def _agreement_save(agreement: Agreement, *, by, data: dict) -> Agreement:
    data = dict(data)
    m2m = _split_m2m(data, ("parties", "services"))
    if agreement.pk:
        _require_manage(by, agreement.country_id)
    apply_fields(agreement, data)
    _require_manage(by, agreement.country_id)
    if "services" in m2m:
        _same_country(agreement.country_id, m2m["services"], "services")
    validated_save(agreement)
    for name, rows in m2m.items():
        getattr(agreement, name).set(rows)
    return agreement


@audited_action
def agreement_create(*, by, data: dict) -> Agreement:
    return _agreement_save(Agreement(), by=by, data=data)


@audited_action
def agreement_update(*, agreement: Agreement, by, data: dict) -> Agreement:
    return _agreement_save(agreement, by=by, data=data)


@audited_action
def agreement_delete(*, agreement: Agreement, by) -> None:
    _require_manage(by, agreement.country_id)
    agreement.delete()


@audited_action
def exchange_rate_create(*, by, data: dict) -> ExchangeRate:
    """S3: a UN operational rate of exchange (kept by the administrator)."""
    return save_managed(ExchangeRate(), by=by, data=data)


@audited_action
def exchange_rate_update(*, exchange_rate: ExchangeRate, by, data: dict) -> ExchangeRate:
    return save_managed(exchange_rate, by=by, data=data)


@audited_action
def exchange_rate_delete(*, exchange_rate: ExchangeRate, by) -> None:
    delete_managed(exchange_rate, by=by)


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


def _contract_save(contract: Contract, *, by, data: dict) -> Contract:
    data = dict(data)
    m2m = _split_m2m(data, ("services",))
    if contract.pk:
        _require_manage(by, contract.country_id)
    apply_fields(contract, data)
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
    validated_save(contract)
    if "services" in m2m:
        contract.services.set(m2m["services"])
    return contract


@audited_action
def contract_create(*, by, data: dict) -> Contract:
    """S2: a contract, its value in USD at the start month's rate, and its covering MOU."""
    return _contract_save(Contract(), by=by, data=data)


@audited_action
def contract_update(*, contract: Contract, by, data: dict) -> Contract:
    return _contract_save(contract, by=by, data=data)


@audited_action
def contract_delete(*, contract: Contract, by) -> None:
    _require_manage(by, contract.country_id)
    contract.delete()
