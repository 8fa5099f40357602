"""FilterSets of the common-services models, shared by the list pages and the API."""

from datetime import timedelta

import django_filters
from django.utils.translation import gettext_lazy as _

from commonops.commonservices.models import (
    Agreement,
    AgreementKind,
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
    ServiceStatus,
    Usage,
)
from commonops.core.filters import SearchFilterSet, _visible_countries
from commonops.core.models import Agency, Modality, ServiceLine, today_in

EXPIRY_CHOICES = [("30", _("Ends within 30 days")), ("90", _("Ends within 90 days")),
                  ("expired", _("Ended"))]


def _visible(model):
    def choices(request):
        if request is None:
            return model.objects.none()
        return model.objects.visible_to(request.user)

    return choices


def _country():
    return django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))


def _service():
    return django_filters.ModelChoiceFilter(queryset=_visible(CommonService),
                                            label=_("Service"))


def _agency(name="agency", label=None):
    label = label if label is not None else _("Agency")
    return django_filters.ModelChoiceFilter(field_name=name, queryset=Agency.objects.all(),
                                            label=label)


def _year():
    return django_filters.NumberFilter(label=_("Year"))


class _ExpiryFilterSet(SearchFilterSet):
    """S2: expiry warnings 90 and 30 days ahead, as a list filter."""

    expiry = django_filters.ChoiceFilter(choices=EXPIRY_CHOICES, label=_("Expiry"),
                                         method="filter_expiry")

    def filter_expiry(self, queryset, name, value):
        today = today_in(getattr(self.request, "country", None))
        if value == "expired":
            return queryset.filter(ends_on__lt=today)
        return queryset.filter(ends_on__gte=today,
                               ends_on__lte=today + timedelta(days=int(value)))


class CommonServiceFilterSet(SearchFilterSet):
    search_fields = ("name", "description")
    country = _country()
    service_line = django_filters.ChoiceFilter(choices=ServiceLine.choices,
                                               label=_("Service line"))
    modality = django_filters.ChoiceFilter(choices=Modality.choices, label=_("Modality"))
    status = django_filters.ChoiceFilter(choices=ServiceStatus.choices, label=_("Status"))
    client = _agency("client_agencies", _("Client agency"))

    class Meta:
        model = CommonService
        fields = ["q", "country", "service_line", "modality", "status", "client"]


class AgreementFilterSet(_ExpiryFilterSet):
    search_fields = ("title", "performance_metrics")
    country = _country()
    kind = django_filters.ChoiceFilter(choices=AgreementKind.choices, label=_("Kind"))
    provider = _agency("provider", _("Provider"))

    class Meta:
        model = Agreement
        fields = ["q", "country", "kind", "provider", "expiry"]


class ContractFilterSet(_ExpiryFilterSet):
    search_fields = ("reference", "vendor", "description")
    country = _country()
    uncovered = django_filters.BooleanFilter(label=_("Needs an MOU and has none"),
                                             method="filter_uncovered")

    class Meta:
        model = Contract
        fields = ["q", "country", "uncovered", "expiry"]

    def filter_uncovered(self, queryset, name, value):
        from commonops.commonservices.actions import mou_threshold_usd

        rule = {"value_usd__gte": mou_threshold_usd(), "agreement__isnull": True}
        return queryset.filter(**rule) if value else queryset.exclude(**rule)


class ExchangeRateFilterSet(SearchFilterSet):
    search_fields = ("currency",)
    currency = django_filters.CharFilter(label=_("Currency"), lookup_expr="iexact")

    class Meta:
        model = ExchangeRate
        fields = ["q", "currency"]


class BudgetLineFilterSet(SearchFilterSet):
    search_fields = ("line", "service__name")
    country = _country()
    service = _service()
    year = _year()

    class Meta:
        model = BudgetLine
        fields = ["q", "country", "service", "year"]


class CostSharingKeyFilterSet(SearchFilterSet):
    search_fields = ("service__name",)
    country = _country()
    service = _service()
    year = _year()
    method = django_filters.ChoiceFilter(choices=KeyMethod.choices, label=_("Method"))

    class Meta:
        model = CostSharingKey
        fields = ["q", "country", "service", "year", "method"]


class HeadcountFilterSet(SearchFilterSet):
    search_fields = ("agency__acronym",)
    country = _country()
    agency = _agency()
    year = _year()

    class Meta:
        model = Headcount
        fields = ["q", "country", "agency", "year"]


class UsageFilterSet(SearchFilterSet):
    search_fields = ("service__name", "agency__acronym")
    country = _country()
    service = _service()
    agency = _agency()
    year = _year()

    class Meta:
        model = Usage
        fields = ["q", "country", "service", "agency", "year"]


class AllocationFilterSet(SearchFilterSet):
    search_fields = ("service__name",)
    country = _country()
    service = _service()
    year = _year()

    class Meta:
        model = Allocation
        fields = ["q", "country", "service", "year"]


class ExpenditureFilterSet(SearchFilterSet):
    search_fields = ("service__name", "budget_line", "description")
    country = _country()
    service = _service()
    year = _year()
    currency = django_filters.CharFilter(label=_("Currency"), lookup_expr="iexact")

    class Meta:
        model = Expenditure
        fields = ["q", "country", "service", "year", "currency"]


class PaymentFilterSet(SearchFilterSet):
    search_fields = ("reference", "agency__acronym")
    country = _country()
    agency = _agency()
    year = _year()

    class Meta:
        model = Payment
        fields = ["q", "country", "agency", "year"]


class PremisesFilterSet(SearchFilterSet):
    search_fields = ("name", "address")
    country = _country()

    class Meta:
        model = Premises
        fields = ["q", "country", "ownership"]


class OccupancyFilterSet(SearchFilterSet):
    search_fields = ("premises__name", "agency__acronym")
    country = _country()
    premises = django_filters.ModelChoiceFilter(queryset=_visible(Premises),
                                                label=_("Premises"))
    agency = _agency()

    class Meta:
        model = Occupancy
        fields = ["q", "country", "premises", "agency"]
