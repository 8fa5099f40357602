"""Django admin of the BOS app for administrators, scoped like the pages."""

from django.contrib import admin

from commonops.bos.models import (
    Activity,
    AnnualResult,
    Bos,
    CbaEntry,
    GradeRate,
    Opportunity,
    Outcome,
    StocktakeEntry,
)
from commonops.core.admin import ScopedAdmin, ShownInline


@admin.register(Bos)
class BosAdmin(ScopedAdmin):
    list_display = ["__str__", "status", "submitted_on", "signed_off_on"]
    list_filter = ["status", "country"]
    readonly_fields = ["status", "submitted_on", "qa_due_on", "cleared_on", "endorsed_on",
                       "signed_off_on", "return_reason", "version"]


@admin.register(StocktakeEntry)
class StocktakeEntryAdmin(ScopedAdmin):
    list_display = ["name", "bos", "service_line", "action"]
    list_filter = ["service_line", "action", "country"]
    search_fields = ["name"]


class CbaEntryInline(ShownInline):
    model = CbaEntry
    fields = ["year", "side", "kind", "nature", "description", "amount"]


@admin.register(Opportunity)
class OpportunityAdmin(ScopedAdmin):
    list_display = ["name", "bos", "service_line", "selected", "implementation_start"]
    list_filter = ["service_line", "selected", "country"]
    search_fields = ["name"]
    inlines = [CbaEntryInline]


@admin.register(CbaEntry)
class CbaEntryAdmin(ScopedAdmin):
    list_display = ["opportunity", "year", "side", "kind", "nature", "amount"]
    list_filter = ["side", "kind", "country"]
    raw_id_fields = ["opportunity"]
    readonly_fields = ["hourly_rate"]  # B4: from the grade rate table


@admin.register(GradeRate)
class GradeRateAdmin(ScopedAdmin):
    list_display = ["country", "year", "grade", "hourly_rate"]
    list_filter = ["country", "year"]


@admin.register(Outcome)
class OutcomeAdmin(ScopedAdmin):
    list_display = ["__str__", "bos", "service_line"]


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    list_display = ["name", "outcome", "owner", "starts_on", "ends_on", "budget", "funded"]


@admin.register(AnnualResult)
class AnnualResultAdmin(ScopedAdmin):
    list_display = ["opportunity", "agency", "year", "realised_cost_avoidance", "funds_spent"]
    list_filter = ["year", "country"]
