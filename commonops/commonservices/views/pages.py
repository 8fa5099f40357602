"""Common services' rows on the generic pages: catalogue, agreements, contracts, rates,
budgets, keys, inputs, allocations, expenditures, payments, premises."""


from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as L

from commonops.commonservices import actions, filters, forms, queries, rules
from commonops.commonservices.models import (
    Agreement,
    Allocation,
    BudgetLine,
    CommonService,
    Contract,
    CostSharingKey,
    ExchangeRate,
    Expenditure,
    Headcount,
    KeyMethod,
    Occupancy,
    Payment,
    Premises,
    Usage,
)
from commonops.commonservices.views.account import _year
from commonops.core import access
from commonops.core.generic import ObjectPages
from commonops.core.roles import Perm


class _Pages(ObjectPages):
    namespace = "commonservices"


class _RecentFirstPages(_Pages):
    """Lists of many yearly rows show the most recently entered first (filters narrow them
    by service, agency and year)."""

    @classmethod
    def queryset(cls, request):
        return super().queryset(request).order_by("-updated_at", "-pk")


class CommonServicePages(_Pages):
    """S1: the catalogue of common services."""

    model = CommonService
    name = "service"
    segment = "catalogue"
    filterset = filters.CommonServiceFilterSet
    form = forms.CommonServiceForm
    select_related = ("country", "opportunity", "stocktake_entry")
    columns = [("name", L("Name")), ("service_line", L("Service line")),
               ("modality", L("Modality")), ("status", L("Status")),
               ("start_date", L("Since")), ("country", L("Country"))]
    detail_fields = ["country", "name", "service_line", "description", "modality",
                     "start_date", "status"]
    detail_template = "commonservices/service_detail.html"
    object_arg = "service"
    create_action = staticmethod(actions.service_create)
    update_action = staticmethod(actions.service_update)
    delete_action = staticmethod(actions.service_delete)

    @classmethod
    def detail_context(cls, request, obj):
        year = _year(request)
        kpis = queries.kpis_by_service([obj], year=year).get(obj.pk, [])
        return {
            "year": year,
            "providers": obj.provider_agencies.all(),
            "clients": obj.client_agencies.all(),
            "links": [(capfirst(obj._meta.get_field(n).verbose_name), getattr(obj, n))
                      for n in ("opportunity", "stocktake_entry") if hasattr(obj, n)],
            "kpis": kpis,
            "can_add_kpis": access.can(request.user, Perm.MANAGE_INDICATORS, obj.country_id)
            and len({k.indicator.kind for k in kpis} & {"cost_avoidance", "quality"}) < 2,
            "keys": obj.keys.order_by("-year"),
            "allocations": obj.allocations.order_by("-year"),
            "budget_lines": obj.budget_lines.order_by("-year", "line"),
            "agreements": obj.agreements.order_by("-ends_on"),
        }


class AgreementPages(_Pages):
    """S2: MOUs and SLAs."""

    model = Agreement
    name = "agreement"
    segment = "agreements"
    filterset = filters.AgreementFilterSet
    form = forms.AgreementForm
    select_related = ("country", "provider")
    columns = [("title", L("Title")), ("kind", L("Kind")), ("provider", L("Provider")),
               ("starts_on", L("From")), ("ends_on", L("To")), ("country", L("Country"))]
    detail_fields = ["country", "kind", "title", "provider", "starts_on", "ends_on",
                     "cost_sharing_key", "performance_metrics"]
    detail_template = "commonservices/agreement_detail.html"
    object_arg = "agreement"
    create_action = staticmethod(actions.agreement_create)
    update_action = staticmethod(actions.agreement_update)
    delete_action = staticmethod(actions.agreement_delete)

    @classmethod
    def detail_context(cls, request, obj):
        return {"parties": obj.parties.all(), "services": obj.services.all(),
                "contracts": obj.contracts.all(),
                "expiry": rules.expiry_state(obj.ends_on, obj.country.today())}


class ContractPages(_Pages):
    """S2: contracts, with the MOU-coverage check."""

    model = Contract
    name = "contract"
    segment = "contracts"
    filterset = filters.ContractFilterSet
    form = forms.ContractForm
    select_related = ("country", "agreement")
    columns = [("reference", L("Reference")), ("vendor", L("Vendor")),
               ("value_usd", L("Value (USD)")), ("ends_on", L("To")),
               ("agreement", L("Covering MOU")), ("country", L("Country"))]
    detail_fields = ["country", "reference", "vendor", "description", "value", "currency",
                     "value_usd", "starts_on", "ends_on", "agreement"]
    detail_template = "commonservices/contract_detail.html"
    object_arg = "contract"
    create_action = staticmethod(actions.contract_create)
    update_action = staticmethod(actions.contract_update)
    delete_action = staticmethod(actions.contract_delete)

    @classmethod
    def detail_context(cls, request, obj):
        threshold = actions.mou_threshold_usd()
        return {"services": obj.services.all(), "threshold": threshold,
                "uncovered": rules.is_uncovered(obj.value_usd, obj.agreement_id is not None,
                                                threshold),
                "expiry": rules.expiry_state(obj.ends_on, obj.country.today())}


class ExchangeRatePages(_Pages):
    """S3: the UN operational rates of exchange (kept by the administrator)."""

    model = ExchangeRate
    name = "exchangerate"
    segment = "exchange-rates"
    filterset = filters.ExchangeRateFilterSet
    form = forms.ExchangeRateForm
    columns = [("currency", L("Currency")), ("month", L("Month")), ("rate", L("Units per USD"))]
    detail_fields = ["currency", "month", "rate"]
    object_arg = "exchange_rate"
    create_action = staticmethod(actions.exchange_rate_create)
    update_action = staticmethod(actions.exchange_rate_update)
    delete_action = staticmethod(actions.exchange_rate_delete)


class BudgetLinePages(_RecentFirstPages):
    """S1: yearly budgets by line."""

    model = BudgetLine
    name = "budgetline"
    segment = "budgets"
    filterset = filters.BudgetLineFilterSet
    form = forms.BudgetLineForm
    select_related = ("service", "country")
    columns = [("service", L("Service")), ("year", L("Year")), ("line", L("Budget line")),
               ("amount", L("Amount (USD)")), ("country", L("Country"))]
    detail_fields = ["service", "year", "line", "amount"]
    object_arg = "budget_line"
    create_action = staticmethod(actions.budget_line_create)
    update_action = staticmethod(actions.budget_line_update)
    delete_action = staticmethod(actions.budget_line_delete)


class CostSharingKeyPages(_RecentFirstPages):
    """S1: the key per service and year."""

    model = CostSharingKey
    name = "costsharingkey"
    segment = "keys"
    filterset = filters.CostSharingKeyFilterSet
    form = forms.CostSharingKeyForm
    select_related = ("service", "country", "premises")
    columns = [("service", L("Service")), ("year", L("Year")), ("method", L("Method")),
               ("country", L("Country"))]
    detail_fields = ["service", "year", "method", "usage_source", "usage_unit", "premises"]
    detail_template = "commonservices/key_detail.html"
    object_arg = "key"
    create_action = staticmethod(actions.key_create)
    update_action = staticmethod(actions.key_update)
    delete_action = staticmethod(actions.key_delete)

    @classmethod
    def detail_context(cls, request, obj):
        clients = list(obj.service.client_agencies.order_by("acronym"))
        try:
            weights = queries.key_weights(obj, clients)
            problem = None
        except ValidationError as error:
            weights, problem = {}, " ".join(error.messages)
        allocation = Allocation.objects.filter(service=obj.service, year=obj.year).first()
        return {
            "weights": [(a, weights.get(a)) for a in clients],
            "problem": problem,
            "is_fixed": obj.method == KeyMethod.FIXED,
            "allocation": allocation,
        }


class HeadcountPages(_RecentFirstPages):
    model = Headcount
    name = "headcount"
    segment = "headcounts"
    filterset = filters.HeadcountFilterSet
    form = forms.HeadcountForm
    select_related = ("agency", "country")
    columns = [("agency", L("Agency")), ("year", L("Year")), ("headcount", L("Headcount")),
               ("country", L("Country"))]
    detail_fields = ["country", "agency", "year", "headcount"]
    object_arg = "headcount"
    create_action = staticmethod(actions.headcount_create)
    update_action = staticmethod(actions.headcount_update)
    delete_action = staticmethod(actions.headcount_delete)


class UsagePages(_RecentFirstPages):
    model = Usage
    name = "usage"
    segment = "usage"
    filterset = filters.UsageFilterSet
    form = forms.UsageForm
    select_related = ("service", "agency", "country")
    columns = [("service", L("Service")), ("agency", L("Agency")), ("year", L("Year")),
               ("units", L("Units")), ("country", L("Country"))]
    detail_fields = ["service", "agency", "year", "units"]
    object_arg = "usage"
    create_action = staticmethod(actions.usage_create)
    update_action = staticmethod(actions.usage_update)
    delete_action = staticmethod(actions.usage_delete)


class AllocationPages(_RecentFirstPages):
    """S1: allocations are made and recomputed on their own pages, never edited."""

    model = Allocation
    name = "allocation"
    segment = "allocations"
    filterset = filters.AllocationFilterSet
    form = None
    select_related = ("service", "country", "computed_by")
    columns = [("service", L("Service")), ("year", L("Year")), ("method", L("Method")),
               ("total", L("Budget shared (USD)")), ("revision", L("Revision")),
               ("computed_at", L("Computed")), ("country", L("Country"))]
    detail_fields = ["service", "year", "method", "total", "revision", "computed_at",
                     "computed_by"]
    detail_template = "commonservices/allocation_detail.html"

    @classmethod
    def urls(cls):
        # Made with the allocate form (allocation_add) and recomputed; never edited.
        return [url for url in super().urls() if url.name.endswith(("_list", "_detail"))]

    @classmethod
    def detail_context(cls, request, obj):
        inputs = obj.inputs or {}
        return {
            "shares": obj.shares.select_related("agency"),
            "budget_lines": sorted((inputs.get("budget_lines") or {}).items()),
            "changed": queries.inputs_changed(obj),
        }


class ExpenditurePages(_RecentFirstPages):
    model = Expenditure
    name = "expenditure"
    segment = "expenditures"
    filterset = filters.ExpenditureFilterSet
    form = forms.ExpenditureForm
    select_related = ("service", "country")
    columns = [("spent_on", L("Date")), ("service", L("Service")),
               ("budget_line", L("Budget line")), ("amount_local", L("Amount")),
               ("currency", L("Currency")), ("amount_usd", L("Amount (USD)")),
               ("country", L("Country"))]
    detail_fields = ["service", "spent_on", "budget_line", "description", "amount_local",
                     "currency", "rate", "amount_usd"]
    object_arg = "expenditure"
    create_action = staticmethod(actions.expenditure_create)
    update_action = staticmethod(actions.expenditure_update)
    delete_action = staticmethod(actions.expenditure_delete)


class PaymentPages(_RecentFirstPages):
    model = Payment
    name = "payment"
    segment = "payments"
    filterset = filters.PaymentFilterSet
    form = forms.PaymentForm
    select_related = ("agency", "country")
    columns = [("received_on", L("Received")), ("agency", L("Agency")), ("year", L("Year")),
               ("amount", L("Amount (USD)")), ("reference", L("Reference")),
               ("country", L("Country"))]
    detail_fields = ["country", "agency", "year", "received_on", "amount", "reference"]
    object_arg = "payment"
    create_action = staticmethod(actions.payment_create)
    update_action = staticmethod(actions.payment_update)
    delete_action = staticmethod(actions.payment_delete)


class PremisesPages(_Pages):
    """S5: the premises register."""

    model = Premises
    name = "premises"
    segment = "premises"
    filterset = filters.PremisesFilterSet
    form = forms.PremisesForm
    select_related = ("country",)
    columns = [("name", L("Name")), ("area_m2", L("Area (m²)")),
               ("desk_capacity", L("Desks")), ("desks_occupied", L("Occupied")),
               ("ownership", L("Ownership")), ("country", L("Country"))]
    detail_fields = ["country", "name", "address", "area_m2", "desk_capacity",
                     "desks_occupied", "ownership"]
    detail_template = "commonservices/premises_detail.html"
    object_arg = "premises"
    create_action = staticmethod(actions.premises_create)
    update_action = staticmethod(actions.premises_update)
    delete_action = staticmethod(actions.premises_delete)

    @classmethod
    def detail_context(cls, request, obj):
        rows = list(obj.occupancies.select_related("agency"))
        return {"occupancies": rows,
                "occupied_area": sum((o.area_m2 for o in rows), 0)}


class OccupancyPages(_RecentFirstPages):
    model = Occupancy
    name = "occupancy"
    segment = "occupancies"
    filterset = filters.OccupancyFilterSet
    form = forms.OccupancyForm
    select_related = ("premises", "agency", "country")
    columns = [("premises", L("Premises")), ("agency", L("Agency")),
               ("area_m2", L("Area (m²)")), ("desks", L("Desks")), ("country", L("Country"))]
    detail_fields = ["premises", "agency", "area_m2", "desks"]
    object_arg = "occupancy"
    create_action = staticmethod(actions.occupancy_create)
    update_action = staticmethod(actions.occupancy_update)
    delete_action = staticmethod(actions.occupancy_delete)


PAGES = [CommonServicePages, AgreementPages, ContractPages, ExchangeRatePages,
         BudgetLinePages, CostSharingKeyPages, HeadcountPages, UsagePages, AllocationPages,
         ExpenditurePages, PaymentPages, PremisesPages, OccupancyPages]
