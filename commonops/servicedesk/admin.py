"""Admin of the service desk, with the same access rules as the pages."""

from django.contrib import admin

from commonops.core.admin import ScopedAdmin
from commonops.servicedesk.models import (
    Agent,
    Category,
    InboundMail,
    Rating,
    SlaPolicy,
    Team,
    Ticket,
)


@admin.register(Team)
class TeamAdmin(ScopedAdmin):
    list_display = ["name", "lead", "country"]
    list_filter = ["country"]


@admin.register(Agent)
class AgentAdmin(ScopedAdmin):
    list_display = ["user", "team", "available", "country"]
    list_filter = ["country", "team", "available"]
    raw_id_fields = ["user"]


@admin.register(Category)
class CategoryAdmin(ScopedAdmin):
    list_display = ["name", "team", "common_service", "country"]
    list_filter = ["country"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(ScopedAdmin):
    list_display = ["priority", "first_response_hours", "resolution_hours", "country"]
    list_filter = ["country"]


@admin.register(Ticket)
class TicketAdmin(ScopedAdmin):
    """Read-mostly: tickets change through the desk's pages, which keep the SLA clock."""

    list_display = ["number", "subject", "status", "priority", "assignee", "opened_at"]
    list_filter = ["country", "status", "priority"]
    search_fields = ["number", "subject"]
    raw_id_fields = ["requester", "assignee", "merged_into", "cc"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False


@admin.register(Rating)
class RatingAdmin(ScopedAdmin):
    list_display = ["ticket", "score", "rated_at"]
    raw_id_fields = ["ticket"]


@admin.register(InboundMail)
class InboundMailAdmin(ScopedAdmin):
    list_display = ["sender", "subject", "status", "received_at", "country"]
    list_filter = ["country", "status"]
