"""FilterSets of the BOS models: one per model, shared by the list pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from commonops.bos.models import (
    BOS_LINE_CHOICES,
    Activity,
    AnnualResult,
    Bos,
    BosStatus,
    CbaEntry,
    Grade,
    GradeRate,
    Kind,
    Opportunity,
    Outcome,
    Side,
    StocktakeAction,
    StocktakeEntry,
)
from commonops.core.filters import SearchFilterSet, _visible_countries


class BosFilterSet(SearchFilterSet):
    search_fields = ("title",)
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    status = django_filters.ChoiceFilter(choices=BosStatus.choices, label=_("Status"))

    class Meta:
        model = Bos
        fields = ["q", "country", "status"]


class _InBos(SearchFilterSet):
    bos = django_filters.NumberFilter(field_name="bos", label=_("BOS (id)"))
    service_line = django_filters.ChoiceFilter(choices=BOS_LINE_CHOICES,
                                               label=_("Service line"))


class StocktakeEntryFilterSet(_InBos):
    search_fields = ("name", "comments")
    action = django_filters.ChoiceFilter(choices=StocktakeAction.choices, label=_("Action"))

    class Meta:
        model = StocktakeEntry
        fields = ["q", "bos", "service_line", "action"]


class OpportunityFilterSet(_InBos):
    search_fields = ("name", "description")
    selected = django_filters.BooleanFilter(label=_("Selected for the plan"))

    class Meta:
        model = Opportunity
        fields = ["q", "bos", "service_line", "selected"]


class CbaEntryFilterSet(SearchFilterSet):
    search_fields = ("description",)
    opportunity = django_filters.NumberFilter(field_name="opportunity",
                                              label=_("Opportunity (id)"))
    bos = django_filters.NumberFilter(field_name="opportunity__bos", label=_("BOS (id)"))
    side = django_filters.ChoiceFilter(choices=Side.choices, label=_("Side"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Kind"))

    class Meta:
        model = CbaEntry
        fields = ["q", "opportunity", "bos", "side", "kind"]


class OutcomeFilterSet(_InBos):
    search_fields = ("statement",)

    class Meta:
        model = Outcome
        fields = ["q", "bos", "service_line"]


class ActivityFilterSet(SearchFilterSet):
    search_fields = ("name",)
    bos = django_filters.NumberFilter(field_name="outcome__bos", label=_("BOS (id)"))
    outcome = django_filters.NumberFilter(field_name="outcome", label=_("Outcome (id)"))

    class Meta:
        model = Activity
        fields = ["q", "bos", "outcome"]


class GradeRateFilterSet(SearchFilterSet):
    search_fields = ("grade",)
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    year = django_filters.NumberFilter(label=_("Year"))
    grade = django_filters.ChoiceFilter(choices=Grade.choices, label=_("Grade"))

    class Meta:
        model = GradeRate
        fields = ["q", "country", "year", "grade"]


class AnnualResultFilterSet(SearchFilterSet):
    search_fields = ("feedback",)
    bos = django_filters.NumberFilter(field_name="opportunity__bos", label=_("BOS (id)"))
    opportunity = django_filters.NumberFilter(field_name="opportunity",
                                              label=_("Service (id)"))
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = AnnualResult
        fields = ["q", "bos", "opportunity", "year"]
