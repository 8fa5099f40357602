from django.contrib import admin

from commonops.core.admin import ScopedAdmin
from commonops.results.models import Indicator, Measurement, Target


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdmin):
    list_display = ["__str__", "kind", "unit", "direction", "frequency", "country"]
    list_filter = ["kind", "unit", "country"]
    search_fields = ["name", "code"]


@admin.register(Target)
class TargetAdmin(ScopedAdmin):
    list_display = ["indicator", "year", "month", "agency", "value", "country"]
    list_filter = ["year", "country"]
    raw_id_fields = ["indicator"]


@admin.register(Measurement)
class MeasurementAdmin(ScopedAdmin):
    list_display = ["indicator", "year", "month", "agency", "value", "country"]
    list_filter = ["year", "country"]
    raw_id_fields = ["indicator"]
