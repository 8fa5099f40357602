"""The compacts and oversight API: offices, compacts, objectives, measures, reviews, the
figures behind the C2 measures and oversight recommendations, with the pages' access,
filters and actions.

Steps are the endpoints of `compacts.workflows`: `POST /api/compacts/{id}/acknowledge/`,
`/endorse/`, `/return/` {"reason"}, `/new-version/`;
`POST /api/oversight-recommendations/{id}/start/`, `/implement/` {"implemented_on",
"evidence"}, `/close/` {"note"}, `/reopen/` {"note"}. Figures: `GET /api/compacts/{id}/scorecard/`,
`GET /api/offices/{id}/comparison/`, `GET /api/offices/{id}/oversight-rates/?year=`.
Errors keep the one shape of `core.api_conventions`.
"""

from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from commonops.compacts import queries, views
from commonops.compacts.models import (
    AppealResponse,
    Compact,
    CompactReview,
    ComplianceFigure,
    DocumentSubmission,
    Objective,
    Office,
    OversightRecommendation,
    PerformanceMeasure,
    SpendingFigure,
    StaffFigure,
)
from commonops.compacts.workflows import COMPACT_WORKFLOW, RECOMMENDATION_WORKFLOW
from commonops.core.api_base import ScopedModelSerializer, ScopedViewSet, router
from commonops.core.workflow import workflow_action
from commonops.results.models import Direction, Unit

_READ_ONLY = ["id", "created_at", "updated_at"]


def _serializer(model_, fields_, read_only=()):
    meta = type("Meta", (), {"model": model_, "fields": ["id", *fields_, "created_at",
                                                        "updated_at"],
                             "read_only_fields": [*_READ_ONLY, *read_only]})
    return type(f"{model_.__name__}Serializer", (ScopedModelSerializer,), {"Meta": meta})


OfficeSerializer = _serializer(Office, ["country", "name", "agency"])
CompactSerializer = _serializer(
    Compact, ["country", "office", "manager", "endorser", "year", "budget_reference",
              "version", "supersedes", "status", "acknowledged_on", "endorsed_on",
              "endorsed_by", "return_reason"],
    ["country", "version", "supersedes", "status", "acknowledged_on", "endorsed_on",
     "endorsed_by", "return_reason"])
ObjectiveSerializer = _serializer(
    Objective, ["compact", "section", "area", "objective", "expected_accomplishment",
                "budget_reference", "position"])
CompactReviewSerializer = _serializer(
    CompactReview, ["compact", "kind", "reviewed_on", "self_evaluation", "challenges",
                    "broader_interests"])
StaffFigureSerializer = _serializer(
    StaffFigure, ["office", "year", "kind", "level", "gender", "nationality", "count"])
ComplianceFigureSerializer = _serializer(
    ComplianceFigure, ["office", "year", "kind", "required", "completed"])
SpendingFigureSerializer = _serializer(
    SpendingFigure, ["office", "year", "month", "planned", "actual"])
DocumentSubmissionSerializer = _serializer(
    DocumentSubmission, ["office", "reference", "slot_date", "submitted_on"])
AppealResponseSerializer = _serializer(
    AppealResponse, ["office", "reference", "received_on", "answered_on"])
OversightRecommendationSerializer = _serializer(
    OversightRecommendation, ["office", "source_body", "report", "text", "risk", "owner",
                              "issued_on", "target_date", "status", "implemented_on",
                              "evidence"], ["status", "implemented_on", "evidence"])
for _s in (StaffFigureSerializer, ComplianceFigureSerializer, SpendingFigureSerializer):
    _s.Meta.validators = []  # the model's constraints answer a second figure, in words


class PerformanceMeasureSerializer(ScopedModelSerializer):
    """A measure: its indicator's name, unit and direction and its target for the year."""

    name = serializers.CharField(max_length=200)
    unit = serializers.ChoiceField(choices=Unit.choices)
    direction = serializers.ChoiceField(choices=Direction.choices)
    target = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True,
                                      required=False)
    min_cases = serializers.IntegerField(min_value=1, allow_null=True, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    # empty for a measure of the compact's own, not computed from the figures
    standard = serializers.ChoiceField(
        choices=PerformanceMeasure._meta.get_field("standard").choices, allow_blank=True,
        read_only=True)

    class Meta:
        model = PerformanceMeasure
        fields = ["id", "objective", "statement", "indicator", "standard", "name", "unit",
                  "direction", "target", "min_cases", "description", "created_at",
                  "updated_at"]
        read_only_fields = [*_READ_ONLY, "indicator", "standard"]

    def to_representation(self, instance):
        data = {
            "id": instance.pk, "objective": instance.objective_id,
            "statement": instance.statement,
            "indicator": instance.indicator_id, "standard": instance.standard,
            "created_at": instance.created_at, "updated_at": instance.updated_at}
        indicator = instance.indicator
        if indicator is not None:
            target = indicator.targets.filter(year=instance.objective.compact.year, month=0,
                                              agency__isnull=True).first()
            data.update(name=indicator.name, unit=indicator.unit,
                        direction=indicator.direction, description=indicator.description,
                        target=None if target is None else str(target.value),
                        min_cases=None if target is None else target.min_cases)
        return data


class _Summary(serializers.Serializer):
    def to_representation(self, row):
        s = row.summary
        return {"measure": row.measure.pk, "indicator": s.indicator.pk,
                "name": s.indicator.name, "standard": row.measure.standard,
                "target": None if s.target is None else str(s.target),
                "actual": None if s.actual is None else str(s.actual),
                "min_cases": row.min_cases, "cases": row.cases, "status": s.status,
                "status_label": s.status_label}


class OfficeViewSet(ScopedViewSet):
    """Offices; `comparison` puts their compacts side by side, `oversight-rates` gives
    the two rates of C3 for a year."""

    pages = views.OfficePages
    serializer_class = OfficeSerializer

    @action(detail=True, methods=["get"])
    def comparison(self, request, pk=None):
        data = queries.comparison(self.get_object(), user=request.user)
        return Response({
            "compacts": [{"id": c.pk, "year": c.year, "manager": c.manager_id,
                          "version": c.version} for c in data.compacts],
            "measures": [{"name": name, "by_compact": [
                None if row is None else _Summary(row).data for row in rows]}
                for name, rows in data.lines],
            "met": [{"compact": c["compact"].pk, "met": c["met"], "counted": c["counted"],
                     "share": None if c["share"] is None else str(c["share"])}
                    for c in data.cards]})

    @action(detail=True, methods=["get"], url_path="oversight-rates")
    def oversight_rates(self, request, pk=None):
        office = self.get_object()
        today = office.country.today()
        try:
            year = int(request.query_params.get("year", today.year))
        except ValueError:
            raise serializers.ValidationError({"year": ["A year is a whole number."]}) \
                from None
        rates = queries.oversight_rates(office, year=year, today=today)
        return Response({"year": year, **{k: (str(v) if v is not None and not isinstance(
            v, int) else v) for k, v in rates.__dict__.items()}})


class CompactViewSet(ScopedViewSet):
    """Compacts (C1); steps acknowledge, endorse, return, new-version; `scorecard`."""

    pages = views.CompactPages
    serializer_class = CompactSerializer
    step = workflow_action(COMPACT_WORKFLOW)

    @action(detail=True, methods=["get"])
    def scorecard(self, request, pk=None):
        card = queries.scorecard(self.get_object())
        return Response({"counts": card.counts,
                         "met_share": None if card.met_share is None else str(card.met_share),
                         "measures": [_Summary(row).data for row in card.rows]})


class OversightRecommendationViewSet(ScopedViewSet):
    """Oversight recommendations (C3); steps start, implement, close, reopen; `history`."""

    pages = views.OversightRecommendationPages
    serializer_class = OversightRecommendationSerializer
    step = workflow_action(RECOMMENDATION_WORKFLOW)

    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        return Response([{"status": e.status, "on": e.on, "note": e.note,
                          "evidence": e.evidence, "by": e.by_id}
                         for e in self.get_object().events.all()])


def _crud(pages, serializer, doc):
    return type(f"{pages.model.__name__}ViewSet", (ScopedViewSet,),
                {"pages": pages, "serializer_class": serializer, "__doc__": doc})


router.register("offices", OfficeViewSet, basename="office")
router.register("compacts", CompactViewSet, basename="compact")
router.register("compact-objectives", _crud(views.ObjectivePages, ObjectiveSerializer,
                                            "Objectives of compacts (C1)."),
                basename="objective")
router.register("performance-measures",
                _crud(views.PerformanceMeasurePages, PerformanceMeasureSerializer,
                      "Performance measures, each a results indicator with its target "
                      "(C1, C2)."), basename="performancemeasure")
router.register("compact-reviews", _crud(views.CompactReviewPages, CompactReviewSerializer,
                                         "Mid-year and end-of-year reviews (C1)."),
                basename="compactreview")
router.register("staff-figures", _crud(views.StaffFigurePages, StaffFigureSerializer,
                                       "Posts, vacancies, selections, staff, recruitments "
                                       "(C2)."), basename="stafffigure")
router.register("compliance-figures",
                _crud(views.ComplianceFigurePages, ComplianceFigureSerializer,
                      "Appraisals, disclosures, integrity training (C2)."),
                basename="compliancefigure")
router.register("spending-figures", _crud(views.SpendingFigurePages, SpendingFigureSerializer,
                                          "Non-post spending by month (C2)."),
                basename="spendingfigure")
router.register("document-submissions",
                _crud(views.DocumentSubmissionPages, DocumentSubmissionSerializer,
                      "Documents by slot date (C2)."), basename="documentsubmission")
router.register("appeals", _crud(views.AppealResponsePages, AppealResponseSerializer,
                                 "Staff appeals and days to answer (C2)."),
                basename="appealresponse")
router.register("oversight-recommendations", OversightRecommendationViewSet,
                basename="oversightrecommendation")
