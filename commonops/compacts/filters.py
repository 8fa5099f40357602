"""FilterSets of the compacts models: one per model, shared by the list pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from commonops.compacts.models import (
    AppealResponse,
    Compact,
    CompactReview,
    CompactStatus,
    ComplianceFigure,
    ComplianceKind,
    DocumentSubmission,
    Objective,
    Office,
    OversightRecommendation,
    PerformanceMeasure,
    RecommendationStatus,
    Risk,
    Section,
    SourceBody,
    SpendingFigure,
    StaffFigure,
    StaffKind,
)
from commonops.core.filters import SearchFilterSet, _visible_countries


class OfficeFilterSet(SearchFilterSet):
    search_fields = ("name",)
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))

    class Meta:
        model = Office
        fields = ["q", "country"]


class CompactFilterSet(SearchFilterSet):
    search_fields = ("office__name", "manager__last_name", "manager__first_name")
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    office = django_filters.NumberFilter(field_name="office", label=_("Office (id)"))
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(choices=CompactStatus.choices, label=_("Status"))

    class Meta:
        model = Compact
        fields = ["q", "country", "office", "year", "status"]


class ObjectiveFilterSet(SearchFilterSet):
    search_fields = ("objective", "expected_accomplishment")
    compact = django_filters.NumberFilter(field_name="compact", label=_("Compact (id)"))
    section = django_filters.ChoiceFilter(choices=Section.choices, label=_("Section"))

    class Meta:
        model = Objective
        fields = ["q", "compact", "section"]


class PerformanceMeasureFilterSet(SearchFilterSet):
    search_fields = ("indicator__name",)
    compact = django_filters.NumberFilter(field_name="objective__compact",
                                          label=_("Compact (id)"))

    class Meta:
        model = PerformanceMeasure
        fields = ["q", "compact"]


class CompactReviewFilterSet(SearchFilterSet):
    search_fields = ("self_evaluation", "challenges")
    compact = django_filters.NumberFilter(field_name="compact", label=_("Compact (id)"))

    class Meta:
        model = CompactReview
        fields = ["q", "compact", "kind"]


class _FigureFilterSet(SearchFilterSet):
    office = django_filters.NumberFilter(field_name="office", label=_("Office (id)"))


class StaffFigureFilterSet(_FigureFilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    kind = django_filters.ChoiceFilter(choices=StaffKind.choices, label=_("What is counted"))

    class Meta:
        model = StaffFigure
        fields = ["office", "year", "kind"]


class ComplianceFigureFilterSet(_FigureFilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    kind = django_filters.ChoiceFilter(choices=ComplianceKind.choices, label=_("What"))

    class Meta:
        model = ComplianceFigure
        fields = ["office", "year", "kind"]


class SpendingFigureFilterSet(_FigureFilterSet):
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = SpendingFigure
        fields = ["office", "year"]


class DocumentSubmissionFilterSet(_FigureFilterSet):
    search_fields = ("reference",)
    year = django_filters.NumberFilter(field_name="slot_date", lookup_expr="year",
                                       label=_("Year"))

    class Meta:
        model = DocumentSubmission
        fields = ["q", "office", "year"]


class AppealResponseFilterSet(_FigureFilterSet):
    search_fields = ("reference",)
    year = django_filters.NumberFilter(field_name="received_on", lookup_expr="year",
                                       label=_("Year"))

    class Meta:
        model = AppealResponse
        fields = ["q", "office", "year"]


class OversightRecommendationFilterSet(SearchFilterSet):
    search_fields = ("report", "text")
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    office = django_filters.NumberFilter(field_name="office", label=_("Office (id)"))
    status = django_filters.ChoiceFilter(choices=RecommendationStatus.choices,
                                         label=_("Status"))
    risk = django_filters.ChoiceFilter(choices=Risk.choices, label=_("Risk"))
    source_body = django_filters.ChoiceFilter(choices=SourceBody.choices,
                                              label=_("Oversight body"))
    target_year = django_filters.NumberFilter(field_name="target_date", lookup_expr="year",
                                              label=_("Target year"))

    class Meta:
        model = OversightRecommendation
        fields = ["q", "country", "office", "status", "risk", "source_body", "target_year"]
