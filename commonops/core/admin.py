"""Django admin for administrators, with the same access rules as the pages.

Rows are scoped with `core.access`; saves and deletes go through the audit trail like every
other write (the signals in `core.audit` see them, with the admin request attached).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from commonops.core import access
from commonops.core.models import (
    Agency,
    AgencyPresence,
    AuditEntry,
    Country,
    OutboundEmail,
    PublicHoliday,
    Region,
    RoleAssignment,
    User,
)


class ScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return access.scope_queryset(super().get_queryset(request), request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return super().has_change_permission(request, obj) and access.can_manage(
            request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return super().has_delete_permission(request, obj) and access.can_manage(
            request.user, obj)


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["code", "name"]


class HolidayInline(admin.TabularInline):
    model = PublicHoliday
    extra = 0


@admin.register(Country)
class CountryAdmin(ScopedAdmin):
    list_display = ["iso_code", "name", "region", "working_week", "time_zone", "typology"]
    list_filter = ["region", "typology", "working_week"]
    search_fields = ["iso_code", "name"]
    inlines = [HolidayInline]


@admin.register(PublicHoliday)
class PublicHolidayAdmin(ScopedAdmin):
    list_display = ["day", "name", "country"]
    list_filter = ["country"]
    date_hierarchy = "day"


@admin.register(Agency)
class AgencyAdmin(ScopedAdmin):
    list_display = ["acronym", "name"]
    search_fields = ["acronym", "name"]


@admin.register(AgencyPresence)
class AgencyPresenceAdmin(ScopedAdmin):
    list_display = ["agency", "country", "presence", "in_common_premises"]
    list_filter = ["country", "presence"]


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0


@admin.register(User)
class PersonAdmin(UserAdmin, ScopedAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "duty_country",
                    "is_active", "is_superuser"]
    list_filter = ["duty_country", "agency", "is_active", "is_superuser"]
    fieldsets = UserAdmin.fieldsets + (
        ("CommonOps", {"fields": ("agency", "duty_country", "job_title", "languages")}),
    )
    inlines = [RoleInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdmin):
    list_display = ["user", "role", "country", "region"]
    list_filter = ["role", "country", "region"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is written by the audit mechanism, never by hand."""

    list_display = ["at", "actor_name", "action", "content_type", "object_repr", "source"]
    list_filter = ["action", "source", "content_type"]
    search_fields = ["object_repr", "actor_name", "request_path"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """The outbox (core.mail): what was sent, what waits for another attempt, what failed and
    why. Read-only, and for superusers only: e-mails of every country are here."""

    list_display = ["created_at", "subject", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status"]
    search_fields = ["subject", "to"]
    readonly_fields = [field.name for field in OutboundEmail._meta.fields]
    exclude = ["attachments"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
