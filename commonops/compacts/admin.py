"""Django admin of compacts and oversight for administrators, scoped like the pages."""

from django.contrib import admin

from commonops.compacts.models import (
    AppealResponse,
    Compact,
    CompactReview,
    ComplianceFigure,
    DocumentSubmission,
    Objective,
    Office,
    OversightRecommendation,
    PerformanceMeasure,
    SpendingFigure,
    StaffFigure,
)
from commonops.core.admin import ScopedAdmin


@admin.register(Compact)
class CompactAdmin(ScopedAdmin):
    list_display = ["__str__", "year", "status", "acknowledged_on", "endorsed_on"]
    list_filter = ["status", "year", "country"]
    readonly_fields = ["status", "version", "supersedes", "acknowledged_on", "endorsed_on",
                       "endorsed_by", "return_reason"]


@admin.register(OversightRecommendation)
class OversightRecommendationAdmin(ScopedAdmin):
    list_display = ["report", "office", "risk", "target_date", "status", "implemented_on"]
    list_filter = ["status", "risk", "source_body", "country"]
    readonly_fields = ["status", "implemented_on", "evidence"]


for model in (Office, Objective, PerformanceMeasure, CompactReview, StaffFigure,
              ComplianceFigure, SpendingFigure, DocumentSubmission, AppealResponse):
    admin.site.register(model, ScopedAdmin)
