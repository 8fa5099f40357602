"""FilterSets of the Performance area, shared by the list page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from commonops.core.filters import SearchFilterSet, _visible_countries
from commonops.core.models import Agency
from commonops.reports.models import AdminBudget


class AdminBudgetFilterSet(SearchFilterSet):
    search_fields = ("agency__acronym", "agency__name", "source")
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), label=_("Agency"))
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = AdminBudget
        fields = ["q", "country", "agency", "year"]
