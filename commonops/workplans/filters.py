"""FilterSets of the work-plan models: one per model, shared by the list pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from commonops.core.filters import SearchFilterSet, _visible_countries
from commonops.workplans.models import (
    ActivityStatus,
    BosEvaluation,
    FundingSource,
    PlanActivity,
    PlanStatus,
    ProgressUpdate,
    ServiceVerdict,
    WorkPlan,
)


class WorkPlanFilterSet(SearchFilterSet):
    search_fields = ("title",)
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("Status"))

    class Meta:
        model = WorkPlan
        fields = ["q", "country", "year", "status"]


class PlanActivityFilterSet(SearchFilterSet):
    search_fields = ("name", "bos_activity__name")
    plan = django_filters.NumberFilter(field_name="plan", label=_("Work plan (id)"))
    year = django_filters.NumberFilter(field_name="plan__year", label=_("Year"))
    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices, label=_("Status"))
    funding_source = django_filters.ChoiceFilter(choices=FundingSource.choices,
                                                 label=_("Funding source"))

    class Meta:
        model = PlanActivity
        fields = ["q", "plan", "year", "status", "funding_source"]


class ProgressUpdateFilterSet(SearchFilterSet):
    search_fields = ("note",)
    activity = django_filters.NumberFilter(field_name="activity", label=_("Activity (id)"))
    quarter = django_filters.NumberFilter(label=_("Quarter"))

    class Meta:
        model = ProgressUpdate
        fields = ["q", "activity", "quarter"]


class BosEvaluationFilterSet(SearchFilterSet):
    search_fields = ("summary", "lessons", "recommendations")
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))

    class Meta:
        model = BosEvaluation
        fields = ["q", "country"]


class ServiceVerdictFilterSet(SearchFilterSet):
    search_fields = ("comments",)
    evaluation = django_filters.NumberFilter(field_name="evaluation",
                                             label=_("Evaluation (id)"))

    class Meta:
        model = ServiceVerdict
        fields = ["q", "evaluation"]
