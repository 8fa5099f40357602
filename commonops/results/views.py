"""Pages of the results engine: indicators with their targets, actuals and status (B5, B6).

Indicators, targets and measurements use the generic `ObjectPages`; the indicator page shows
every period with target, actual and status, and a chart of target against actual.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L

from commonops.core import access
from commonops.core.charts import Series, line_chart
from commonops.core.generic import ObjectPages
from commonops.core.roles import Perm
from commonops.results import actions, filters, forms, queries
from commonops.results.models import Indicator, Measurement, Target


class IndicatorPages(ObjectPages):
    """B5: KPIs and indicators, whatever they measure."""

    model = Indicator
    namespace = "results"
    name = "indicator"
    segment = "indicators"
    filterset = filters.IndicatorFilterSet
    form = forms.IndicatorForm
    select_related = ("country", "subject_type")
    columns = [("__str__", L("Indicator")), ("kind", L("Kind")), ("unit", L("Unit")),
               ("direction", L("Direction")), ("baseline", L("Baseline")),
               ("frequency", L("Frequency")), ("country", L("Country"))]
    detail_fields = ["country", "code", "name", "description", "kind", "unit", "direction",
                     "frequency", "baseline", "baseline_year", "by_agency",
                     "means_of_verification"]
    detail_template = "results/indicator_detail.html"

    create_action = staticmethod(actions.indicator_create)
    update_action = staticmethod(actions.indicator_update)
    delete_action = staticmethod(actions.indicator_delete)

    @classmethod
    def detail_context(cls, request, obj):
        rows = queries.period_rows(obj)
        totals = [row for row in rows if row.agency is None]
        chart = None
        if totals:
            unit = obj.get_unit_display()
            chart = line_chart(
                title=_("%(indicator)s: target and actual by period") % {
                    "indicator": obj.name},
                labels=[row.label for row in totals],
                series=[Series(_("Target"), [row.summary.target for row in totals]),
                        Series(_("Actual"), [row.summary.actual for row in totals])],
                unit=unit)
        return {
            "rows": rows,
            "chart": chart,
            "subject": obj.subject if obj.subject_type_id else None,
            "can_set_targets": access.can(request.user, Perm.MANAGE_INDICATORS,
                                          obj.country_id),
            "can_measure": access.can(request.user, Perm.MEASURE, obj.country_id),
        }


class _PeriodPages(ObjectPages):
    namespace = "results"
    select_related = ("indicator", "indicator__country", "agency", "country")

    @classmethod
    def queryset(cls, request):
        # Newest entries first: what was just entered is what one checks.
        return super().queryset(request).order_by("-pk")


class TargetPages(_PeriodPages):
    """B5: yearly (or monthly) targets, optionally per agency and under a condition."""

    model = Target
    name = "target"
    segment = "targets"
    filterset = filters.TargetFilterSet
    form = forms.TargetForm
    columns = [("indicator", L("Indicator")), ("period_label", L("Period")),
               ("agency", L("Agency")), ("value", L("Target")),
               ("condition", L("Applies only when")), ("country", L("Country"))]
    detail_fields = ["indicator", "year", "month", "agency", "value", "condition",
                     "min_cases"]

    create_action = staticmethod(actions.target_create)
    update_action = staticmethod(actions.target_update)
    delete_action = staticmethod(actions.target_delete)


class MeasurementPages(_PeriodPages):
    """B5: actuals with their means of verification."""

    model = Measurement
    name = "measurement"
    segment = "measurements"
    filterset = filters.MeasurementFilterSet
    form = forms.MeasurementForm
    columns = [("indicator", L("Indicator")), ("period_label", L("Period")),
               ("agency", L("Agency")), ("value", L("Actual")),
               ("means_of_verification", L("Means of verification")),
               ("country", L("Country"))]
    detail_fields = ["indicator", "year", "month", "agency", "value", "means_of_verification",
                     "note", "condition_met", "cases"]

    create_action = staticmethod(actions.measurement_create)
    update_action = staticmethod(actions.measurement_update)
    delete_action = staticmethod(actions.measurement_delete)
