"""API of the results engine: the same objects, filters, access and actions as the pages.

`GET /api/indicators/{id}/summary/?year=&month=` gives the status of an indicator (B6).
"""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from commonops.core.api_base import ScopedModelSerializer, ScopedViewSet, router
from commonops.results import queries, rules, views
from commonops.results.models import Indicator, Measurement, Target

_STAMPS = ["created_at", "updated_at"]


class IndicatorSerializer(ScopedModelSerializer):
    subject_type = serializers.SlugRelatedField(slug_field="model", read_only=True,
                                                allow_null=True)

    class Meta:
        model = Indicator
        fields = ["id", "country", "name", "code", "description", "unit", "direction", "kind",
                  "frequency", "baseline", "baseline_year", "by_agency",
                  "means_of_verification", "subject_type", "subject_id", *_STAMPS]
        read_only_fields = ["id", "subject_type", "subject_id", *_STAMPS]

    def validate_country(self, country):
        if self.instance is not None and country != self.instance.country:
            raise serializers.ValidationError(_("An indicator stays in its country."))
        return country


class _PeriodSerializer(ScopedModelSerializer):
    month = serializers.IntegerField(min_value=0, max_value=12, default=rules.WHOLE_YEAR)

    def validate_indicator(self, indicator):
        if self.instance is not None and indicator != self.instance.indicator:
            raise serializers.ValidationError(_("A value stays with its indicator."))
        return indicator


class TargetSerializer(_PeriodSerializer):
    class Meta:
        model = Target
        fields = ["id", "indicator", "country", "year", "month", "agency", "value",
                  "condition", "min_cases", *_STAMPS]
        read_only_fields = ["id", "country", *_STAMPS]
        validators = []  # the action reports a second target for a period


class MeasurementSerializer(_PeriodSerializer):
    class Meta:
        model = Measurement
        fields = ["id", "indicator", "country", "year", "month", "agency", "value",
                  "means_of_verification", "note", "condition_met", "cases", *_STAMPS]
        read_only_fields = ["id", "country", *_STAMPS]
        validators = []


class SummarySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    target = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    actual = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    status = serializers.CharField()
    status_label = serializers.CharField()
    progress = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)


class PeriodQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=0, max_value=12, default=rules.WHOLE_YEAR)


class IndicatorViewSet(ScopedViewSet):
    """Indicators and KPIs (B5): list, read, create, change, delete; `summary` gives the
    status of a period (B6)."""

    pages = views.IndicatorPages
    serializer_class = IndicatorSerializer

    @action(detail=True, methods=["get"])
    def summary(self, request, pk=None):
        indicator = self.get_object()
        period = PeriodQuery(data=request.query_params)
        period.is_valid(raise_exception=True)
        summary = queries.indicator_summaries([indicator], **period.validated_data)[0]
        return Response(SummarySerializer({**period.validated_data,
                                           **summary.__dict__}).data)


class TargetViewSet(ScopedViewSet):
    """Targets per period (B5); a second target for a period is refused."""

    pages = views.TargetPages
    serializer_class = TargetSerializer


class MeasurementViewSet(ScopedViewSet):
    """Actuals per period with their means of verification (B5)."""

    pages = views.MeasurementPages
    serializer_class = MeasurementSerializer


router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("targets", TargetViewSet, basename="target")
router.register("measurements", MeasurementViewSet, basename="measurement")
