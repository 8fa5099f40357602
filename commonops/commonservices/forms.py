"""Forms of the common-services pages. They validate input; the actions change state.

Every choice of a service, key, premises or MOU offers only rows of the countries where the
user may manage common services, so another country's id is an invalid choice."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from commonops.bos.models import Opportunity, StocktakeEntry
from commonops.commonservices.models import (
    Agreement,
    AgreementKind,
    BudgetLine,
    CommonService,
    Contract,
    CostSharingKey,
    ExchangeRate,
    Expenditure,
    Headcount,
    Occupancy,
    Payment,
    Premises,
    Usage,
)
from commonops.core import access
from commonops.core.forms import ScopedModelForm
from commonops.core.models import Agency
from commonops.core.roles import Perm

SCOPED_FIELDS = {
    "service": CommonService, "services": CommonService, "premises": Premises,
    "agreement": Agreement, "opportunity": Opportunity, "stocktake_entry": StocktakeEntry,
}


class _CommonServicesForm(ScopedModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = access.scope_for(self.user, Perm.MANAGE_COMMON_SERVICES)
        for name, model in SCOPED_FIELDS.items():
            if name in self.fields:
                rows = model.objects.all()
                if not scope.everywhere:
                    rows = rows.filter(country_id__in=scope.country_ids)
                if name == "agreement":
                    rows = rows.filter(kind=AgreementKind.MOU)
                self.fields[name].queryset = rows
        for field in self.fields.values():
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.widget.attrs.setdefault("size", 8)


class CommonServiceForm(_CommonServicesForm):
    class Meta:
        model = CommonService
        fields = ["country", "name", "service_line", "description", "modality",
                  "provider_agencies", "client_agencies", "start_date", "status",
                  "opportunity", "stocktake_entry"]
        widgets = {"start_date": forms.DateInput()}


class AgreementForm(_CommonServicesForm):
    class Meta:
        model = Agreement
        fields = ["country", "kind", "title", "provider", "parties", "services", "starts_on",
                  "ends_on", "cost_sharing_key", "performance_metrics", "signed_file"]
        widgets = {"starts_on": forms.DateInput(), "ends_on": forms.DateInput()}


class ContractForm(_CommonServicesForm):
    class Meta:
        model = Contract
        fields = ["country", "reference", "vendor", "description", "value", "currency",
                  "starts_on", "ends_on", "services", "agreement"]
        widgets = {"starts_on": forms.DateInput(), "ends_on": forms.DateInput()}


class ExchangeRateForm(ScopedModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["currency", "month", "rate"]
        widgets = {"month": forms.DateInput()}


class BudgetLineForm(_CommonServicesForm):
    class Meta:
        model = BudgetLine
        fields = ["service", "year", "line", "amount"]


class CostSharingKeyForm(_CommonServicesForm):
    class Meta:
        model = CostSharingKey
        fields = ["service", "year", "method", "usage_source", "usage_unit", "premises"]


class HeadcountForm(_CommonServicesForm):
    class Meta:
        model = Headcount
        fields = ["country", "agency", "year", "headcount"]


class UsageForm(_CommonServicesForm):
    class Meta:
        model = Usage
        fields = ["service", "agency", "year", "units"]


class ExpenditureForm(_CommonServicesForm):
    class Meta:
        model = Expenditure
        fields = ["service", "spent_on", "budget_line", "description", "amount_local",
                  "currency"]
        widgets = {"spent_on": forms.DateInput()}


class PaymentForm(_CommonServicesForm):
    class Meta:
        model = Payment
        fields = ["country", "agency", "year", "received_on", "amount", "reference"]
        widgets = {"received_on": forms.DateInput()}


class PremisesForm(_CommonServicesForm):
    class Meta:
        model = Premises
        fields = ["country", "name", "address", "area_m2", "desk_capacity", "desks_occupied",
                  "ownership"]


class OccupancyForm(_CommonServicesForm):
    class Meta:
        model = Occupancy
        fields = ["premises", "agency", "area_m2", "desks"]


class PercentagesForm(forms.Form):
    """S1: one percentage per client agency of a fixed key."""

    def __init__(self, *args, key, **kwargs):
        super().__init__(*args, **kwargs)
        current = {s.agency_id: s.percent for s in key.fixed_shares.all()}
        self.agencies = list(key.service.client_agencies.order_by("acronym"))
        for agency in self.agencies:
            self.fields[f"agency_{agency.pk}"] = forms.DecimalField(
                label=agency.acronym, required=False, min_value=Decimal(0),
                max_value=Decimal(100), decimal_places=3, max_digits=6,
                initial=current.get(agency.pk))

    def percentages(self) -> dict[Agency, Decimal]:
        return {agency: self.cleaned_data[f"agency_{agency.pk}"] for agency in self.agencies
                if self.cleaned_data.get(f"agency_{agency.pk}") is not None}


class ImportForm(forms.Form):
    upload = forms.FileField(label=_("CSV or XLSX file"))


class AllocateForm(forms.Form):
    """S1: which service and year to allocate."""

    service = forms.ModelChoiceField(label=_("Service"), queryset=CommonService.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = CommonService.objects.filter(country=country)
