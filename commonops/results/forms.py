"""Forms of the results pages. They validate input; results/actions.py changes state."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commonops.core import access
from commonops.core.forms import ScopedModelForm
from commonops.core.models import Agency
from commonops.results.models import Indicator, Measurement, Target

MONTHS = [(0, _("Whole year")), *[(m, f"{m:02}") for m in range(1, 13)]]


class IndicatorForm(ScopedModelForm):
    """An indicator's definition. What it measures is set by the app that creates it."""

    class Meta:
        model = Indicator
        fields = ["country", "name", "code", "description", "unit", "direction", "kind",
                  "frequency", "baseline", "baseline_year", "by_agency",
                  "means_of_verification"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # An indicator stays in its country (its targets and actuals belong there).
            self.fields["country"].disabled = True


class _PeriodForm(ScopedModelForm):
    """A value for a period: a year, a month (0 = whole year) and optionally an agency."""

    country_fields = ()
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTHS, coerce=int, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = access.scope_for(self.user, self._meta.model.manage_permission)
        indicators = Indicator.objects.select_related("country")
        if not scope.everywhere:
            indicators = indicators.filter(country_id__in=scope.country_ids)
        self.fields["indicator"].queryset = indicators
        self.fields["agency"].queryset = Agency.objects.order_by("acronym")
        self.fields["agency"].empty_label = _("Total of all agencies")
        if self.instance.pk:
            self.fields["indicator"].disabled = True


class TargetForm(_PeriodForm):
    class Meta:
        model = Target
        fields = ["indicator", "year", "month", "agency", "value", "condition", "min_cases"]


class MeasurementForm(_PeriodForm):
    class Meta:
        model = Measurement
        fields = ["indicator", "year", "month", "agency", "value", "means_of_verification",
                  "note", "condition_met", "cases"]
