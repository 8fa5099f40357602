"""Django admin for administrators, with the same access rules and the same actions as the
pages.

Rows are scoped with `core.access`. Every save and delete goes through the model's actions
(those its `ObjectPages` names), so the admin applies the rules the pages apply (B8: the
typology follows the expenditure) and is audited like every other write; a refusal is shown
as a message and nothing changes. A model without such actions is read-only here (tickets,
invitations, allocations: they change through their workflow steps), and so are the rows
shown inline under another.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect

from commonops.core import access
from commonops.core.generic import pages_for
from commonops.core.models import (
    Agency,
    AgencyPresence,
    AuditEntry,
    Country,
    PublicHoliday,
    Region,
    RoleAssignment,
    User,
)


class ScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return access.scope_queryset(super().get_queryset(request), request.user)

    def _action(self, name):
        pages = pages_for(self.model)
        return getattr(pages, f"{name}_action", None) if pages is not None else None

    def has_add_permission(self, request):
        return self._action("create") is not None and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        if self._action("update") is None:
            return False
        if obj is None:
            return super().has_change_permission(request)
        return super().has_change_permission(request, obj) and access.can_manage(
            request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if self._action("delete") is None:
            return False
        if obj is None:
            return super().has_delete_permission(request)
        return super().has_delete_permission(request, obj) and access.can_manage(
            request.user, obj)

    # --- writes go through the actions ----------------------------------------------------

    def save_model(self, request, obj, form, change):
        pages = pages_for(self.model)
        names = form.changed_data if change else list(form.cleaned_data)
        data = {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}
        if change:
            stored = self.model._default_manager.get(pk=obj.pk)
            saved = pages.update(instance=stored, by=request.user, data=data)
        else:
            saved = pages.create(by=request.user, data=data)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # many-to-many values went through the action with the rest of the row
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        pages_for(self.model).delete(instance=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def _refused(self, request, error):
        text = " ".join(error.messages) if isinstance(error, ValidationError) else (
            str(error) or "You may not make this change.")
        self.message_user(request, text, level=messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except (ValidationError, PermissionDenied) as error:
            if request.method != "POST":
                raise
            return self._refused(request, error)

    def delete_view(self, request, *args, **kwargs):
        try:
            return super().delete_view(request, *args, **kwargs)
        except (ValidationError, PermissionDenied) as error:
            if request.method != "POST":
                raise
            return self._refused(request, error)


class ShownInline(admin.TabularInline):
    """Rows shown under another; they are changed on their own admin pages."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["code", "name"]


class HolidayInline(ShownInline):
    model = PublicHoliday


@admin.register(Country)
class CountryAdmin(ScopedAdmin):
    list_display = ["iso_code", "name", "region", "working_week", "time_zone", "typology"]
    list_filter = ["region", "typology", "working_week"]
    search_fields = ["iso_code", "name"]
    readonly_fields = ["typology"]  # B8: it follows the expenditure (country_update)
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


class RoleInline(ShownInline):
    model = RoleAssignment
    fk_name = "user"


@admin.register(User)
class PersonAdmin(UserAdmin, ScopedAdmin):
    """Django's own user admin (passwords, superuser status, which only the admin changes);
    its saves are audited, and roles are given on their own admin page (role_assignment_*)."""

    list_display = ["username", "first_name", "last_name", "agency", "duty_country",
                    "is_active", "is_superuser"]
    list_filter = ["duty_country", "agency", "is_active", "is_superuser"]
    fieldsets = UserAdmin.fieldsets + (
        ("CommonOps", {"fields": ("agency", "duty_country", "job_title", "languages")}),
    )
    inlines = [RoleInline]

    save_model = admin.ModelAdmin.save_model
    save_related = admin.ModelAdmin.save_related
    delete_model = admin.ModelAdmin.delete_model
    delete_queryset = admin.ModelAdmin.delete_queryset


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
