"""Django admin of work plans for administrators, scoped like the pages."""

from django.contrib import admin

from commonops.core.admin import ScopedAdmin
from commonops.workplans.models import (
    BosEvaluation,
    PlanActivity,
    ProgressUpdate,
    ServiceVerdict,
    WorkPlan,
)


@admin.register(WorkPlan)
class WorkPlanAdmin(ScopedAdmin):
    list_display = ["title", "year", "status", "country"]
    list_filter = ["status", "country"]
    readonly_fields = ["status", "submitted_on", "approved_on", "return_reason"]


@admin.register(PlanActivity)
class PlanActivityAdmin(ScopedAdmin):
    list_display = ["__str__", "plan", "status", "progress", "budget", "spent"]
    list_filter = ["status", "country"]
    readonly_fields = ["status", "progress", "spent", "carried_from"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ScopedAdmin):
    list_display = ["activity", "quarter", "status", "progress", "reported_on"]
    list_filter = ["quarter", "country"]


@admin.register(BosEvaluation)
class BosEvaluationAdmin(ScopedAdmin):
    list_display = ["__str__", "status", "next_bos", "handed_over_on"]
    readonly_fields = ["status", "next_bos", "handed_over_on"]


@admin.register(ServiceVerdict)
class ServiceVerdictAdmin(ScopedAdmin):
    list_display = ["__str__", "evaluation", "action"]
