"""API of the commonservices app, registered on the shared router.

CRUD resources mirror the pages (same FilterSets, same actions); allocation, recomputation,
percentages, statements and the annual report are explicit endpoints calling the same
actions and queries as the pages."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from commonops.commonservices import actions, queries, views
from commonops.commonservices.models import (
    Agreement,
    Allocation,
    AllocationShare,
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
from commonops.commonservices.workflows import ALLOCATION_WORKFLOW, KEY_WORKFLOW
from commonops.core import access
from commonops.core.api_base import ScopedModelSerializer, ScopedViewSet, crud_viewset, router
from commonops.core.models import Agency
from commonops.core.workflow import workflow_action

_STAMPS = ["created_at", "updated_at"]


def _serializer(model_, fields, read_only=()):
    meta = type("Meta", (), {"model": model_, "fields": ["id", *fields, *_STAMPS],
                             "read_only_fields": ["id", *read_only, *_STAMPS],
                             "validators": []})
    return type(f"{model_.__name__}Serializer", (ScopedModelSerializer,), {"Meta": meta})


CommonServiceSerializer = _serializer(
    CommonService, ["country", "name", "service_line", "description", "modality",
                    "provider_agencies", "client_agencies", "start_date", "status",
                    "opportunity", "stocktake_entry"])
AgreementSerializer = _serializer(
    Agreement, ["country", "kind", "title", "provider", "parties", "services", "starts_on",
                "ends_on", "cost_sharing_key", "performance_metrics", "signed_file"])
ContractSerializer = _serializer(
    Contract, ["country", "reference", "vendor", "description", "value", "currency",
               "value_usd", "starts_on", "ends_on", "services", "agreement"], ["value_usd"])
ExchangeRateSerializer = _serializer(ExchangeRate, ["currency", "month", "rate"])
BudgetLineSerializer = _serializer(BudgetLine, ["service", "year", "line", "amount",
                                                "country"], ["country"])
CostSharingKeySerializer = _serializer(
    CostSharingKey, ["service", "year", "method", "usage_source", "usage_unit", "premises",
                     "country"], ["country"])
HeadcountSerializer = _serializer(Headcount, ["country", "agency", "year", "headcount"])
UsageSerializer = _serializer(Usage, ["service", "agency", "year", "units", "country"],
                              ["country"])
ExpenditureSerializer = _serializer(
    Expenditure, ["service", "spent_on", "year", "budget_line", "description",
                  "amount_local", "currency", "rate", "amount_usd", "country"],
    ["year", "rate", "amount_usd", "country"])
PaymentSerializer = _serializer(Payment, ["country", "agency", "year", "received_on",
                                          "amount", "reference"])
PremisesSerializer = _serializer(Premises, ["country", "name", "address", "area_m2",
                                            "desk_capacity", "desks_occupied", "ownership"])
OccupancySerializer = _serializer(Occupancy, ["premises", "agency", "area_m2", "desks",
                                              "country"], ["country"])


class AllocationShareSerializer(serializers.ModelSerializer):
    agency_acronym = serializers.CharField(source="agency.acronym", read_only=True)

    class Meta:
        model = AllocationShare
        fields = ["agency", "agency_acronym", "weight", "amount"]


class AllocationSerializer(serializers.ModelSerializer):
    shares = AllocationShareSerializer(many=True, read_only=True)
    inputs_changed = serializers.SerializerMethodField()

    class Meta:
        model = Allocation
        fields = ["id", "country", "service", "year", "method", "total", "inputs",
                  "computed_at", "computed_by", "revision", "shares", "inputs_changed"]
        read_only_fields = fields

    def get_inputs_changed(self, obj) -> bool | None:
        if self.context.get("view") and getattr(self.context["view"], "action", "") == "list":
            return None  # computed on the detail only: it reads the inputs again
        return queries.inputs_changed(obj)


class AllocateSerializer(serializers.Serializer):
    service = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class PercentagesSerializer(serializers.Serializer):
    percentages = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=3),
        help_text="Agency id → percentage; they must add up to 100 (S1).")


CommonServiceViewSet = crud_viewset(views.CommonServicePages, CommonServiceSerializer)
AgreementViewSet = crud_viewset(views.AgreementPages, AgreementSerializer)
ContractViewSet = crud_viewset(views.ContractPages, ContractSerializer)
ExchangeRateViewSet = crud_viewset(views.ExchangeRatePages, ExchangeRateSerializer)
BudgetLineViewSet = crud_viewset(views.BudgetLinePages, BudgetLineSerializer)
HeadcountViewSet = crud_viewset(views.HeadcountPages, HeadcountSerializer)
UsageViewSet = crud_viewset(views.UsagePages, UsageSerializer)
ExpenditureViewSet = crud_viewset(views.ExpenditurePages, ExpenditureSerializer)
PaymentViewSet = crud_viewset(views.PaymentPages, PaymentSerializer)
PremisesViewSet = crud_viewset(views.PremisesPages, PremisesSerializer)
OccupancyViewSet = crud_viewset(views.OccupancyPages, OccupancySerializer)


class CostSharingKeyViewSet(ScopedViewSet):
    pages = views.CostSharingKeyPages
    serializer_class = CostSharingKeySerializer
    step = workflow_action(KEY_WORKFLOW)  # S1: allocate

    @extend_schema(request=PercentagesSerializer, responses=CostSharingKeySerializer,
                   summary="Set a fixed key's percentages (S1: they add up to 100)")
    @action(detail=True, methods=["post"])
    def percentages(self, request, pk=None):
        key = self.get_object()
        body = PercentagesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        agencies = Agency.objects.in_bulk([int(k) for k in body.validated_data["percentages"]
                                           if str(k).isdigit()])
        values = {}
        for agency_id, value in body.validated_data["percentages"].items():
            agency = agencies.get(int(agency_id)) if str(agency_id).isdigit() else None
            if agency is None:
                raise serializers.ValidationError({"percentages": [
                    f"Unknown agency: {agency_id}"]})
            values[agency] = value
        actions.key_set_percentages(key=key, percentages=values, by=request.user)
        return Response(CostSharingKeySerializer(key, context={"request": request}).data)


class AllocationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """S1: allocations are read, made (`allocate`) and recomputed (`recompute`); never
    edited."""

    serializer_class = AllocationSerializer
    filterset_class = views.AllocationPages.filterset

    def get_queryset(self):
        return (Allocation.objects.visible_to(self.request.user)
                .prefetch_related("shares__agency").order_by("pk"))

    @extend_schema(request=AllocateSerializer, responses={201: AllocationSerializer},
                   summary="Allocate a service's budget of a year by its key (S1)")
    @action(detail=False, methods=["post"])
    def allocate(self, request):
        body = AllocateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        service = access.get_visible_or_404(CommonService.objects.all(), request.user,
                                            pk=body.validated_data["service"])
        allocation = actions.allocation_allocate(service=service,
                                                 year=body.validated_data["year"],
                                                 by=request.user)
        return Response(AllocationSerializer(self.get_queryset().get(pk=allocation.pk),
                                             context=self.get_serializer_context()).data,
                        status=201)

    step = workflow_action(ALLOCATION_WORKFLOW)  # S1: recompute


class StatementViewSet(viewsets.ViewSet):
    """S4: an agency's statement for a year in a country: GET
    /api/common-service-statements/?country=&agency=&year="""

    @extend_schema(summary="An agency's statement (S4)", responses=dict)
    def list(self, request):
        country, agency, year = _report_params(request, need_agency=True)
        statement = queries.statement(request.user, country=country, agency=agency, year=year)
        return Response({
            "country": country.pk, "agency": agency.pk, "year": year,
            "lines": [{"service": line.allocation.service_id,
                       "service_name": line.allocation.service.name,
                       "method": line.allocation.method,
                       "budget": str(line.allocation.total), "weight": str(line.weight),
                       "weight_sum": str(line.weight_sum), "amount": str(line.amount)}
                      for line in statement.lines],
            "total_share": str(statement.total_share),
            "total_paid": str(statement.total_paid), "balance": str(statement.balance)})


class AnnualReportViewSet(viewsets.ViewSet):
    """S3/B7: GET /api/common-service-reports/?country=&year="""

    @extend_schema(summary="The annual report on the common-service account", responses=dict)
    def list(self, request):
        country, _agency, year = _report_params(request)
        report = queries.annual_report(request.user, country=country, year=year,
                                       today=country.today())
        return Response({
            "country": country.pk, "year": year,
            # S3: months of the year compared (12 once it is over; the months already over
            # while it runs); budget_to_date is the budget for those months.
            "compared_months": report.period.months,
            "total_budget": str(report.total_budget),
            "total_budget_to_date": str(report.total_budget_to_date),
            "total_actual": str(report.total_actual),
            "services": [{"service": r.service.pk, "name": r.service.name,
                          "budget": str(r.budget), "budget_to_date": str(r.budget_to_date),
                          "actual": str(r.actual),
                          "variance": str(r.variance.variance),
                          "variance_percent": None if r.variance.percent is None
                          else str(r.variance.percent),
                          "flagged": r.variance.flagged,
                          "satisfaction": None if r.satisfaction is None
                          else str(r.satisfaction),
                          "kpis": [{"indicator": k.indicator.pk, "kind": k.indicator.kind,
                                    "status": k.status}
                                   for k in r.kpis]}
                         for r in report.services],
            "agencies": [{"agency": a.agency.pk, "acronym": a.agency.acronym,
                          "allocated": str(a.allocated), "actual": str(a.actual),
                          "paid": str(a.paid), "balance": str(a.balance)}
                         for a in report.agencies]})


def _report_params(request, need_agency=False):
    def number(name):
        value = request.query_params.get(name, "")
        if not value.isdigit():
            raise serializers.ValidationError({name: ["Give a whole number."]})
        return int(value)

    country = access.visible_countries(request.user).filter(pk=number("country")).first()
    if country is None:
        raise Http404
    year = number("year")
    agency = None
    if need_agency:
        agency = Agency.objects.filter(pk=number("agency")).first()
        if agency is None:
            raise Http404
    return country, agency, year


router.register("common-services", CommonServiceViewSet, basename="commonservice")
router.register("common-service-agreements", AgreementViewSet, basename="agreement")
router.register("common-service-contracts", ContractViewSet, basename="contract")
router.register("exchange-rates", ExchangeRateViewSet, basename="exchangerate")
router.register("common-service-budgets", BudgetLineViewSet, basename="budgetline")
router.register("cost-sharing-keys", CostSharingKeyViewSet, basename="costsharingkey")
router.register("headcounts", HeadcountViewSet, basename="headcount")
router.register("common-service-usage", UsageViewSet, basename="usage")
router.register("cost-allocations", AllocationViewSet, basename="allocation")
router.register("common-service-expenditures", ExpenditureViewSet, basename="expenditure")
router.register("common-service-payments", PaymentViewSet, basename="payment")
router.register("premises", PremisesViewSet, basename="premises")
router.register("premises-occupancies", OccupancyViewSet, basename="occupancy")
router.register("common-service-statements", StatementViewSet,
                basename="commonservice-statement")
router.register("common-service-reports", AnnualReportViewSet,
                basename="commonservice-report")
