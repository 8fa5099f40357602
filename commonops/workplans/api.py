"""The work-plan API: work plans, activities, progress reports, BOS evaluations and their
verdicts, with the pages' access, filters and actions.

Steps are the endpoints of `workplans.workflows`: `POST /api/work-plans/{id}/submit/`,
`/approve/`, `/return/` {"reason"}, `/carry-over/`; `POST /api/bos-evaluations/{id}/hand-over/`
{"next_bos"}. An activity's indicators: `POST /api/work-plan-activities/{id}/indicators/`
(name, unit, direction, target, …); its rating: `GET …/{id}/rating/`. The annual report:
`GET /api/omt-annual-report/?country=&year=`. Errors keep the one shape of
`core.api_conventions`.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from commonops.core import access
from commonops.core.api_base import ScopedModelSerializer, ScopedViewSet, router
from commonops.core.models import Country
from commonops.core.roles import Perm
from commonops.core.workflow import workflow_action
from commonops.workplans import actions, queries, reports, views
from commonops.workplans.models import (
    BosEvaluation,
    PlanActivity,
    ProgressUpdate,
    ServiceVerdict,
    WorkPlan,
)
from commonops.workplans.workflows import EVALUATION_WORKFLOW, WORK_PLAN_WORKFLOW

_READ_ONLY = ["id", "created_at", "updated_at"]


class WorkPlanSerializer(ScopedModelSerializer):
    class Meta:
        model = WorkPlan
        fields = ["id", "country", "omt", "year", "title", "bos", "outcomes", "retreat_on",
                  "status", "submitted_on", "approved_on", "return_reason", "created_at",
                  "updated_at"]
        read_only_fields = _READ_ONLY + ["country", "status", "submitted_on", "approved_on",
                                         "return_reason"]


class PlanActivitySerializer(ScopedModelSerializer):
    title = serializers.CharField(read_only=True)

    class Meta:
        model = PlanActivity
        fields = ["id", "plan", "title", "bos_activity", "name", "outcome", "owner_agency",
                  "owner_task_force", "starts_on", "ends_on", "budget", "funding_source",
                  "status", "progress", "spent", "carried_from", "created_at", "updated_at"]
        read_only_fields = _READ_ONLY + ["status", "progress", "spent", "carried_from"]


class ProgressUpdateSerializer(ScopedModelSerializer):
    class Meta:
        model = ProgressUpdate
        fields = ["id", "activity", "quarter", "status", "progress", "spent", "note",
                  "reported_on", "created_at", "updated_at"]
        read_only_fields = _READ_ONLY + ["reported_on"]
        validators = []  # the action reports a second report for a quarter


class BosEvaluationSerializer(ScopedModelSerializer):
    class Meta:
        model = BosEvaluation
        fields = ["id", "bos", "evaluated_on", "summary", "lessons", "recommendations",
                  "status", "next_bos", "handed_over_on", "created_at", "updated_at"]
        read_only_fields = _READ_ONLY + ["status", "next_bos", "handed_over_on"]


class ServiceVerdictSerializer(ScopedModelSerializer):
    class Meta:
        model = ServiceVerdict
        fields = ["id", "evaluation", "opportunity", "stocktake_entry", "action", "comments",
                  "created_at", "updated_at"]
        read_only_fields = _READ_ONLY


class IndicatorInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    unit = serializers.CharField()
    direction = serializers.CharField()
    target = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True,
                                      required=False, default=None)
    baseline = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True,
                                        required=False, default=None)
    min_cases = serializers.IntegerField(min_value=1, allow_null=True, required=False,
                                         default=None)
    means_of_verification = serializers.CharField(required=False, default="",
                                                  allow_blank=True)


class WorkPlanViewSet(ScopedViewSet):
    """Work plans (G9): list, read, create, change, delete; steps submit, approve, return,
    carry-over."""

    pages = views.WorkPlanPages
    serializer_class = WorkPlanSerializer
    step = workflow_action(WORK_PLAN_WORKFLOW)


class PlanActivityViewSet(ScopedViewSet):
    """Work-plan activities; `indicators` adds one with its target, `rating` says its
    colour and why."""

    pages = views.PlanActivityPages
    serializer_class = PlanActivitySerializer

    @extend_schema(request=IndicatorInput)
    @action(detail=True, methods=["post"])
    def indicators(self, request, pk=None):
        activity = self.get_object()
        if not access.can(request.user, Perm.WORKPLAN_EDIT, activity.country_id):
            raise PermissionDenied()
        data = IndicatorInput(data=request.data)
        data.is_valid(raise_exception=True)
        indicator = actions.activity_indicator_add(plan_activity=activity, by=request.user,
                                                   **data.validated_data)
        return Response({"indicator": indicator.pk}, status=201)

    @action(detail=True, methods=["get"])
    def rating(self, request, pk=None):
        activity = self.get_object()
        row = queries.activity_rows(activity.plan, [activity],
                                    today=activity.country.today())[0]
        return Response({"colour": row.colour, "label": row.colour_label,
                         "reasons": row.reasons, "expected_progress": row.expected,
                         "indicators": [{"indicator": s.indicator.pk, "status": s.status,
                                         "target": s.target, "actual": s.actual}
                                        for s in row.summaries]})


class ProgressUpdateViewSet(ScopedViewSet):
    """Quarterly progress reports; each sets the activity's status, progress and spending."""

    pages = views.ProgressUpdatePages
    serializer_class = ProgressUpdateSerializer


class BosEvaluationViewSet(ScopedViewSet):
    """End-of-cycle BOS evaluations; `cycle` gives the results over the cycle; step
    hand-over."""

    pages = views.BosEvaluationPages
    serializer_class = BosEvaluationSerializer
    step = workflow_action(EVALUATION_WORKFLOW)

    @action(detail=True, methods=["get"])
    def cycle(self, request, pk=None):
        results = queries.cycle_results(self.get_object().bos)
        return Response({
            "years": results.years,
            "met_by_year": [{"year": y, "met": m, "counted": c}
                            for y, m, c in results.met_by_year],
            "realised_by_year": [{"year": y, "realised": r, "funds_spent": s}
                                 for y, r, s in results.realised_by_year],
            "kpis": [{"indicator": k.indicator.pk, "service": k.opportunity.name,
                      "statuses": [s.status for s in k.by_year]} for k in results.kpis],
        })


class ServiceVerdictViewSet(ScopedViewSet):
    """The evaluation's verdict on each common service."""

    pages = views.ServiceVerdictPages
    serializer_class = ServiceVerdictSerializer


class AnnualReportViewSet(viewsets.ViewSet):
    """The OMT annual activity report of a country and year (G9)."""

    @extend_schema(parameters=[OpenApiParameter("country", int), OpenApiParameter("year", int)],
                   responses={200: OpenApiTypes.OBJECT})
    def list(self, request):
        try:
            year = int(request.query_params.get("year", ""))
            country_id = int(request.query_params.get("country", ""))
        except ValueError:
            raise serializers.ValidationError(
                {"year": ["Give the country (id) and the year."]}) from None
        country = access.get_visible_or_404(Country.objects.all(), request.user,
                                            pk=country_id)
        report = reports.annual_report(country, year=year, today=country.today())
        g = report.governance
        met, counted = report.indicators_met
        bos_met, bos_counted = report.bos_met
        return Response({
            "country": country.pk, "year": year,
            "governance": None if g is None else {
                "meetings_held": len(g.meetings), "agendas_on_time": g.agendas_on_time,
                "agendas_late": g.agendas_late, "minutes_on_time": g.minutes_on_time,
                "minutes_late": g.minutes_late, "decisions": len(g.decisions),
                "actions_raised": g.actions_raised, "actions_closed": g.actions_closed},
            "work_plan": None if report.plan is None else {
                "id": report.plan.pk, "activities": len(report.overview.rows),
                "done": report.activities_done, "indicators_met": met,
                "indicators_counted": counted, "budget": report.budget,
                "spent": report.spent,
                "colours": report.overview.colours},
            "bos": None if report.bos is None else {
                "id": report.bos.pk, "kpis_met": bos_met, "kpis_counted": bos_counted,
                "realised_cost_avoidance": report.realised,
                "funds_spent": report.funds_spent},
        })


router.register("work-plans", WorkPlanViewSet, basename="workplan")
router.register("work-plan-activities", PlanActivityViewSet, basename="planactivity")
router.register("progress-reports", ProgressUpdateViewSet, basename="progressupdate")
router.register("bos-evaluations", BosEvaluationViewSet, basename="bosevaluation")
router.register("service-verdicts", ServiceVerdictViewSet, basename="serviceverdict")
router.register("omt-annual-report", AnnualReportViewSet, basename="omt-annual-report")
