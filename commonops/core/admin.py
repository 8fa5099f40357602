"""Django admin for global administrators, with the same access rules and the same actions
as the pages.

Only global administrators reach it: superusers and staff accounts holding the administrator
role everywhere; a country-scoped staff account is sent to the log-in page like anyone else.
Rows are scoped with `core.access`. Every save and delete goes through the model's actions
(those its `ObjectPages` names), so the admin applies the rules the pages apply (B8: the
typology follows the expenditure) and is audited like every other write; a refusal is shown
as a message and nothing changes. A model without such actions is read-only here (tickets,
invitations, allocations: they change through their workflow steps), and so are the rows
shown inline under another. A person is changed only by someone holding every right they
hold, roles are given and taken only within `may_grant`, only a superuser makes or changes
a superuser, and nobody sets another person's password (the admin sends the reset link).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from commonops.core import access, actions, queries
from commonops.core.generic import pages_for
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
from commonops.core.roles import Perm


def is_global_administrator(user) -> bool:
    """Who may use the admin at all: active staff who are superusers or administrators
    everywhere (the administrator role held globally)."""
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or access.scope_for(user, Perm.MANAGE_REFERENCE).everywhere


def _admin_site_has_permission(request):
    return is_global_administrator(request.user)


# AdminSite.has_permission, replaced on the default site (an instance attribute wins).
admin.site.has_permission = _admin_site_has_permission


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
    inlines = [HolidayInline]
    readonly_fields = ["typology"]  # B8: it follows the expenditure (country_update)


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


class RoleAssignmentAdminForm(forms.ModelForm):
    """A role is given, changed or taken away only within `may_grant` (as on the pages)."""

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "country", "region"]

    def clean(self):
        cleaned = super().clean()
        by = self.request_user
        try:
            if self.instance.pk:
                actions.check_grant(by, self.instance.role, self.instance.country,
                                    self.instance.region)
            if cleaned.get("role"):
                actions.check_grant(by, cleaned["role"], cleaned.get("country"),
                                    cleaned.get("region"))
            if self.cleaned_data.get("DELETE") and self.instance.pk:
                actions.check_grant(by, self.instance.role, self.instance.country,
                                    self.instance.region)
        except PermissionDenied as denied:
            raise ValidationError(str(denied)) from None
        return cleaned


class RoleInline(ShownInline):
    """Roles are given on their own admin page, within `may_grant` (as on the pages)."""

    model = RoleAssignment
    fk_name = "user"


class PersonAdminCreationForm(forms.ModelForm):
    """A new account without a password: its owner sets one through the reset link."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def save(self, commit=True):
        person = super().save(commit=False)
        person.set_unusable_password()
        if commit:
            person.save()
        return person


@admin.register(User)
class PersonAdmin(UserAdmin, ScopedAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "duty_country",
                    "is_active", "is_superuser"]
    list_filter = ["duty_country", "agency", "is_active", "is_superuser"]
    fieldsets = UserAdmin.fieldsets + (
        ("CommonOps", {"fields": ("agency", "duty_country", "job_title", "languages")}),
    )
    add_form = PersonAdminCreationForm
    add_fieldsets = ((None, {"fields": ("username", "first_name", "last_name", "email")}),)
    inlines = [RoleInline]
    actions = ["send_password_reset"]

    # Django's own user admin saves (passwords and superuser status, which only the admin
    # changes); its saves are audited, and roles are given on their own admin page.
    save_model = admin.ModelAdmin.save_model
    save_related = admin.ModelAdmin.save_related
    delete_model = admin.ModelAdmin.delete_model
    delete_queryset = admin.ModelAdmin.delete_queryset

    # Only a superuser hands out what only the admin can: superuser and staff status, and
    # Django's own groups and model permissions.
    _SUPERUSER_ONLY = ("is_superuser", "is_staff", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [f for f in self._SUPERUSER_ONLY if f not in fields]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and not access.holds_every_right_of(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not access.holds_every_right_of(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        """Nobody sets another person's password, here either: send the reset link."""
        person = self.get_object(request, id)
        if person is None or person.pk != request.user.pk:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.action(description="Send a link to set the password")
    def send_password_reset(self, request, queryset):
        sent = 0
        for person in queryset:
            try:
                actions.password_reset_send(person=person, by=request.user)
            except (PermissionDenied, ValidationError) as error:
                reason = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{person}: {reason}", messages.WARNING)
            else:
                sent += 1
        self.message_user(request, _("Sent %(count)d links.") % {"count": sent})


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdmin):
    list_display = ["user", "role", "country", "region"]
    list_filter = ["role", "country", "region"]
    form = RoleAssignmentAdminForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type("RoleAssignmentForm", (form,), {"request_user": request.user})

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or actions.may_grant_role(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or actions.may_grant_role(request.user, obj))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is written by the audit mechanism, never by hand."""

    list_display = ["at", "actor_name", "action", "content_type", "object_repr", "source"]
    list_filter = ["action", "source", "content_type"]
    search_fields = ["object_repr", "actor_name", "request_path"]

    def get_queryset(self, request):
        # the same rows as the audit page: the countries where the person may search the trail
        return queries.audit_entries_visible_to(request.user)

    def has_view_permission(self, request, obj=None):
        return access.can(request.user, Perm.VIEW_AUDIT) and super().has_view_permission(
            request, obj)

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
