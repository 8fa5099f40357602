"""FilterSets of the results engine, shared by the list pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from commonops.core.filters import SearchFilterSet, _visible_countries
from commonops.core.models import Agency
from commonops.results.models import (
    Direction,
    Frequency,
    Indicator,
    IndicatorKind,
    Measurement,
    Target,
    Unit,
)


def _visible_indicators(request):
    if request is None:
        return Indicator.objects.none()
    return Indicator.objects.visible_to(request.user)


class IndicatorFilterSet(SearchFilterSet):
    search_fields = ("name", "code", "description", "means_of_verification")
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    kind = django_filters.ChoiceFilter(choices=IndicatorKind.choices, label=_("Kind"))
    unit = django_filters.ChoiceFilter(choices=Unit.choices, label=_("Unit"))
    direction = django_filters.ChoiceFilter(choices=Direction.choices, label=_("Direction"))
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices, label=_("Frequency"))

    class Meta:
        model = Indicator
        fields = ["q", "country", "kind", "unit", "direction", "frequency"]


class _PeriodFilterSet(django_filters.FilterSet):
    indicator = django_filters.ModelChoiceFilter(queryset=_visible_indicators,
                                                 label=_("Indicator"))
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    year = django_filters.NumberFilter(label=_("Year"))
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), label=_("Agency"))


class TargetFilterSet(_PeriodFilterSet):
    class Meta:
        model = Target
        fields = ["indicator", "country", "year", "agency"]


class MeasurementFilterSet(_PeriodFilterSet):
    class Meta:
        model = Measurement
        fields = ["indicator", "country", "year", "agency"]
