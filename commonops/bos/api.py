"""The BOS API: every object of the BOS, with the pages' access, filters and actions.

Reads are scoped with `visible_to` (another country's BOS answers 404); every write calls
one function of `bos.actions`, which checks the caller's rights again and applies B1–B7.
Workflow steps are the endpoints of `bos.workflows` (`POST /api/bos/{id}/submit/`,
`/clear/`, `/return/` {"reason"}, `/endorse/`, `/sign-off/`); other moves are explicit
endpoints (`POST /api/opportunities/{id}/select/`,
`/move-to-stocktake/`, `/kpis/`). CBA figures come from `cba.cba_summary`
(`GET /api/opportunities/{id}/cba/`, `GET /api/bos/{id}/cba/`), the annual report from
`bos.queries.annual_report` (`GET /api/bos/{id}/report/?year=`). Errors keep the one shape
of `core.api_conventions`.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from commonops.bos import actions, queries, views
from commonops.bos.models import (
    Activity,
    AnnualResult,
    Bos,
    CbaEntry,
    GradeRate,
    Opportunity,
    Outcome,
    StocktakeEntry,
)
from commonops.bos.workflows import BOS_WORKFLOW
from commonops.core.api_base import ScopedModelSerializer, ScopedViewSet, crud_viewset, router
from commonops.core.workflow import workflow_action
from commonops.results.models import Direction, Unit

_READ_ONLY = ["id", "created_at", "updated_at"]


class _ReportServiceSerializer(serializers.Serializer):
    opportunity = serializers.IntegerField()
    name = serializers.CharField()
    horizon_year = serializers.IntegerField(allow_null=True)
    counted = serializers.BooleanField()
    estimated = serializers.DecimalField(max_digits=16, decimal_places=2)
    realised = serializers.DecimalField(max_digits=16, decimal_places=2)
    funds_spent = serializers.DecimalField(max_digits=16, decimal_places=2)
    due_for_stocktake = serializers.BooleanField()
    moved = serializers.BooleanField()


class _ReportAgencySerializer(serializers.Serializer):
    agency = serializers.CharField()
    estimated = serializers.DecimalField(max_digits=16, decimal_places=2)
    realised = serializers.DecimalField(max_digits=16, decimal_places=2)
    funds_spent = serializers.DecimalField(max_digits=16, decimal_places=2)


class _ReportKpiSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    name = serializers.CharField()
    target = serializers.CharField(allow_null=True)
    actual = serializers.CharField(allow_null=True)
    status = serializers.CharField()


class BosReportSerializer(serializers.Serializer):
    """B7: the annual report of a BOS (amounts as decimal strings, USD)."""

    year = serializers.IntegerField()
    totals = serializers.DictField(child=serializers.CharField())
    services = _ReportServiceSerializer(many=True)
    agencies = _ReportAgencySerializer(many=True)
    kpis = _ReportKpiSerializer(many=True)


class BosSerializer(ScopedModelSerializer):
    class Meta:
        model = Bos
        fields = ["id", "country", "title", "start_year", "end_year", "status", "kickoff_on",
                  "scope", "service_lines", "participating_agencies", "discount_rate",
                  "submitted_on", "qa_due_on", "cleared_on", "endorsed_on", "signed_off_on",
                  "return_reason", "version", "created_at", "updated_at"]
        read_only_fields = _READ_ONLY + ["status", "submitted_on", "qa_due_on", "cleared_on",
                                         "endorsed_on", "signed_off_on", "return_reason",
                                         "version"]


class StocktakeEntrySerializer(ScopedModelSerializer):
    class Meta:
        model = StocktakeEntry
        fields = ["id", "bos", "name", "service_line", "modality", "managing_agencies",
                  "participating_agencies", "implemented_since", "action", "comments",
                  "from_opportunity", "created_at", "updated_at"]
        read_only_fields = _READ_ONLY + ["from_opportunity"]


class OpportunitySerializer(ScopedModelSerializer):
    class Meta:
        model = Opportunity
        fields = ["id", "bos", "name", "description", "service_line", "managing_agencies",
                  "participating_agencies", "approach", "data_sources", "selected",
                  "implementation_start", "created_at", "updated_at"]
        read_only_fields = _READ_ONLY + ["selected"]


class CbaEntrySerializer(ScopedModelSerializer):
    class Meta:
        model = CbaEntry
        fields = ["id", "opportunity", "year", "side", "kind", "nature", "description",
                  "amount", "hours", "grade", "hourly_rate", "old_unit_price",
                  "new_unit_price", "volume", "created_at", "updated_at"]
        read_only_fields = _READ_ONLY + ["hourly_rate"]
        extra_kwargs = {"amount": {"required": False}}


class OutcomeSerializer(ScopedModelSerializer):
    class Meta:
        model = Outcome
        fields = ["id", "bos", "service_line", "statement", "created_at", "updated_at"]
        read_only_fields = _READ_ONLY


class ActivitySerializer(ScopedModelSerializer):
    funding_gap = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "outcome", "opportunity", "name", "owner", "starts_on", "ends_on",
                  "budget", "funded", "funding_gap", "created_at", "updated_at"]
        read_only_fields = _READ_ONLY


class GradeRateSerializer(ScopedModelSerializer):
    class Meta:
        model = GradeRate
        fields = ["id", "country", "year", "grade", "hourly_rate", "created_at", "updated_at"]
        read_only_fields = _READ_ONLY


class AnnualResultSerializer(ScopedModelSerializer):
    class Meta:
        model = AnnualResult
        fields = ["id", "opportunity", "agency", "year", "realised_cost_avoidance",
                  "funds_spent", "feedback", "created_at", "updated_at"]
        read_only_fields = _READ_ONLY


class CbaYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    cost = serializers.DecimalField(max_digits=16, decimal_places=2)
    benefit = serializers.DecimalField(max_digits=16, decimal_places=2)
    net = serializers.DecimalField(max_digits=16, decimal_places=2)
    cumulative = serializers.DecimalField(max_digits=16, decimal_places=2)


class CbaSummarySerializer(serializers.Serializer):
    """B4: `cba.cba_summary` of a CBA."""

    total_cost = serializers.DecimalField(max_digits=16, decimal_places=2)
    total_benefit = serializers.DecimalField(max_digits=16, decimal_places=2)
    net_benefit = serializers.DecimalField(max_digits=16, decimal_places=2)
    benefit_cost_ratio = serializers.DecimalField(max_digits=16, decimal_places=2,
                                                  allow_null=True)
    payback_year = serializers.IntegerField(allow_null=True)
    npv = serializers.DecimalField(max_digits=16, decimal_places=2)
    years = CbaYearSerializer(many=True)


class SelectSerializer(serializers.Serializer):
    selected = serializers.BooleanField()


class KpiSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=["cost_avoidance", "quality", "other"])
    unit = serializers.ChoiceField(choices=Unit.choices)
    direction = serializers.ChoiceField(choices=Direction.choices, default="increase")
    baseline = serializers.DecimalField(max_digits=16, decimal_places=2, required=False,
                                        allow_null=True)
    means_of_verification = serializers.CharField(required=False, allow_blank=True,
                                                  default="")
    targets = serializers.DictField(child=serializers.DecimalField(
        max_digits=16, decimal_places=2), help_text="Year → target, e.g. {\"2023\": 50000}")


def _input(request, serializer_class):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class BosViewSet(ScopedViewSet):
    """BOS (B1): list, read, create, change the kick-off, delete a draft; workflow steps."""

    pages = views.BosPages
    serializer_class = BosSerializer

    step = workflow_action(BOS_WORKFLOW)  # B1: submit, clear, endorse, sign-off, return

    @extend_schema(responses=CbaSummarySerializer,
                   summary="CBA of the services selected into the plan (B4)")
    @action(detail=True, methods=["get"])
    def cba(self, request, pk=None):
        bos = self.get_object()
        rows = queries.opportunities_with_summaries(bos, selected_only=True)
        return Response(CbaSummarySerializer(
            queries.bos_totals(rows, discount_rate=bos.discount_rate)).data)

    @extend_schema(summary="Annual report of a year (B7)", responses=BosReportSerializer,
                   parameters=[OpenApiParameter("year", int, description="The year reported")])
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        bos = self.get_object()
        year = views.year_param(request, bos)
        data = queries.annual_report(bos, year=year, current_year=views.this_year(bos))
        return Response({
            "year": year,
            "totals": {k: str(v) for k, v in data.totals.items()},
            "services": [{"opportunity": s.opportunity.pk, "name": s.opportunity.name,
                          "horizon_year": s.horizon_year, "counted": s.counted,
                          "estimated": str(s.estimated), "realised": str(s.realised),
                          "funds_spent": str(s.funds_spent),
                          "due_for_stocktake": s.due_for_stocktake, "moved": s.moved}
                         for s in data.services],
            "agencies": [{"agency": r["agency"].acronym, "estimated": str(r["estimated"]),
                          "realised": str(r["realised"]), "funds_spent": str(r["funds"])}
                         for r in data.agencies],
            "kpis": [{"indicator": k.indicator.pk, "name": k.indicator.name,
                      "target": None if k.target is None else str(k.target),
                      "actual": None if k.actual is None else str(k.actual),
                      "status": k.status} for k in data.kpis],
        })


class OpportunityViewSet(ScopedViewSet):
    """Opportunities (B4): list, read, create, change, delete; selection, KPIs, the move to
    the stock-take (B7) and the CBA summary."""

    pages = views.OpportunityPages
    serializer_class = OpportunitySerializer

    @extend_schema(request=SelectSerializer, responses=OpportunitySerializer,
                   summary="Select into the plan, or take out (B4)")
    @action(detail=True, methods=["post"])
    def select(self, request, pk=None):
        data = _input(request, SelectSerializer)
        opportunity = actions.opportunity_select(opportunity=self.get_object(),
                                                 selected=data["selected"], by=request.user)
        return Response(OpportunitySerializer(opportunity, context={"request": request}).data)

    @extend_schema(request=None, responses={201: StocktakeEntrySerializer},
                   summary="Move to the stock-take after four years (B7)")
    @action(detail=True, methods=["post"], url_path="move-to-stocktake")
    def move_to_stocktake(self, request, pk=None):
        entry = actions.opportunity_move_to_stocktake(opportunity=self.get_object(),
                                                      by=request.user)
        return Response(StocktakeEntrySerializer(entry, context={"request": request}).data,
                        status=201)

    @extend_schema(request=KpiSerializer, responses={201: None},
                   summary="Add a KPI with yearly targets (B5)")
    @action(detail=True, methods=["post"])
    def kpis(self, request, pk=None):
        data = dict(_input(request, KpiSerializer))
        targets = {}
        for year, value in data.pop("targets").items():
            try:
                targets[int(year)] = value
            except ValueError:
                raise serializers.ValidationError({"targets": ["Years are numbers."]}) \
                    from None
        indicator = actions.kpi_add(opportunity=self.get_object(), by=request.user,
                                    targets=targets, **data)
        return Response({"id": indicator.pk, "name": indicator.name}, status=201)

    @extend_schema(responses=CbaSummarySerializer, summary="The CBA summary (B4)")
    @action(detail=True, methods=["get"])
    def cba(self, request, pk=None):
        return Response(CbaSummarySerializer(
            queries.opportunity_summary(self.get_object())).data)


StocktakeEntryViewSet = crud_viewset(views.StocktakeEntryPages, StocktakeEntrySerializer)
CbaEntryViewSet = crud_viewset(views.CbaEntryPages, CbaEntrySerializer)
OutcomeViewSet = crud_viewset(views.OutcomePages, OutcomeSerializer)
ActivityViewSet = crud_viewset(views.ActivityPages, ActivitySerializer)
GradeRateViewSet = crud_viewset(views.GradeRatePages, GradeRateSerializer)
AnnualResultViewSet = crud_viewset(views.AnnualResultPages, AnnualResultSerializer)

router.register("bos", BosViewSet, basename="bos")
router.register("stocktake-entries", StocktakeEntryViewSet, basename="stocktakeentry")
router.register("opportunities", OpportunityViewSet, basename="opportunity")
router.register("cba-lines", CbaEntryViewSet, basename="cbaentry")
router.register("bos-outcomes", OutcomeViewSet, basename="bosoutcome")
router.register("bos-activities", ActivityViewSet, basename="bosactivity")
router.register("grade-rates", GradeRateViewSet, basename="graderate")
router.register("annual-results", AnnualResultViewSet, basename="annualresult")
