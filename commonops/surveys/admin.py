from django.contrib import admin

from commonops.core.admin import ScopedAdmin, ShownInline
from commonops.surveys.models import Invitation, Question, Survey


class QuestionInline(ShownInline):
    model = Question


@admin.register(Survey)
class SurveyAdmin(ScopedAdmin):
    list_display = ["title", "year", "status", "opens_on", "closes_on", "country"]
    list_filter = ["status", "year", "country"]
    search_fields = ["title"]
    inlines = [QuestionInline]


@admin.register(Invitation)
class InvitationAdmin(ScopedAdmin):
    # Read-only: invitations are sent and used through the survey pages; the token's hash
    # is never shown. Responses and answers are not in the admin at all (Q1: anonymous).
    list_display = ["email", "agency", "survey", "sent_at", "used_at"]
    list_filter = ["survey"]
    search_fields = ["email"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
