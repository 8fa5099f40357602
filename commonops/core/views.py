"""Organisation pages, the home page, the profile, the country switcher, the audit trail and
the health check."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from rest_framework.authtoken.models import Token

from commonops.core import access, actions, navigation, queries
from commonops.core.filters import (
    AgencyFilterSet,
    AgencyPresenceFilterSet,
    AuditEntryFilterSet,
    CountryFilterSet,
    PersonFilterSet,
    PublicHolidayFilterSet,
    RegionFilterSet,
    RoleAssignmentFilterSet,
)
from commonops.core.forms import (
    AgencyForm,
    AgencyPresenceForm,
    CountryForm,
    PersonForm,
    ProfileForm,
    PublicHolidayForm,
    RegionForm,
    RoleAssignmentForm,
)
from commonops.core.generic import ObjectPages, is_htmx
from commonops.core.history import describe
from commonops.core.models import (
    Agency,
    AgencyPresence,
    Country,
    PublicHoliday,
    Region,
    RoleAssignment,
    User,
    today_in,
)
from commonops.core.navigation import ATTENTION_PROVIDERS
from commonops.core.roles import GLOBAL_ROLES, Perm
from commonops.core.spreadsheets import csv_stream_response
from commonops.core.tokens import token_expires_at

L = gettext_lazy  # for class attributes; gettext (_) for messages at request time


class RegionPages(ObjectPages):
    model = Region
    name = "region"
    segment = "regions"
    filterset = RegionFilterSet
    form = RegionForm
    columns = [("code", L("Code")), ("name", L("Name"))]
    detail_fields = ["code", "name"]
    detail_template = "core/region_detail.html"
    create_action = staticmethod(actions.region_create)
    update_action = staticmethod(actions.region_update)
    delete_action = staticmethod(actions.region_delete)

    @classmethod
    def detail_context(cls, request, obj):
        return {"countries": access.visible_countries(request.user).filter(region=obj)}


class CountryPages(ObjectPages):
    model = Country
    name = "country"
    segment = "countries"
    filterset = CountryFilterSet
    form = CountryForm
    select_related = ("region",)
    columns = [("iso_code", L("ISO")), ("name", L("Name")), ("region", L("Region")),
               ("working_week", L("Working week")), ("time_zone", L("Time zone")),
               ("typology", L("Typology"))]
    detail_fields = ["iso_code", "name", "region", "currency", "time_zone", "working_week",
                     "day_start", "day_end", "un_expenditure", "typology"]
    detail_template = "core/country_detail.html"
    create_action = staticmethod(actions.country_create)

    @classmethod
    def may_create(cls, user):
        return access.scope_for(user, Perm.CHANGE_COUNTRY).everywhere
    update_action = staticmethod(actions.country_update)
    delete_action = staticmethod(actions.country_delete)

    @classmethod
    def detail_context(cls, request, obj):
        today = obj.today()
        return {
            "presences": AgencyPresence.objects.filter(country=obj).select_related("agency"),
            "holidays": PublicHoliday.objects.filter(country=obj, day__year__gte=today.year)
            .order_by("day")[:40],
            "can_change_holidays": access.can(request.user, Perm.CHANGE_COUNTRY, obj),
        }


class PublicHolidayPages(ObjectPages):
    model = PublicHoliday
    name = "publicholiday"
    segment = "public-holidays"
    filterset = PublicHolidayFilterSet
    form = PublicHolidayForm
    select_related = ("country",)
    columns = [("day", L("Day")), ("name", L("Name")), ("country", L("Country"))]
    detail_fields = ["country", "day", "name"]
    object_arg = "public_holiday"
    create_action = staticmethod(actions.public_holiday_create)
    update_action = staticmethod(actions.public_holiday_update)
    delete_action = staticmethod(actions.public_holiday_delete)


class AgencyPages(ObjectPages):
    model = Agency
    name = "agency"
    segment = "agencies"
    filterset = AgencyFilterSet
    form = AgencyForm
    columns = [("acronym", L("Acronym")), ("name", L("Full name"))]
    detail_fields = ["acronym", "name"]
    detail_template = "core/agency_detail.html"
    create_action = staticmethod(actions.agency_create)
    update_action = staticmethod(actions.agency_update)
    delete_action = staticmethod(actions.agency_delete)

    @classmethod
    def detail_context(cls, request, obj):
        return {
            "presences": AgencyPresence.objects.visible_to(request.user)
            .filter(agency=obj).select_related("country"),
        }


class AgencyPresencePages(ObjectPages):
    model = AgencyPresence
    name = "agencypresence"
    segment = "agency-presences"
    filterset = AgencyPresenceFilterSet
    form = AgencyPresenceForm
    select_related = ("country", "agency")
    columns = [("agency", L("Agency")), ("agency.name", L("Full name")),
               ("country", L("Country")), ("presence", L("Presence")),
               ("in_common_premises", L("In common premises"))]
    detail_fields = ["country", "agency", "presence", "in_common_premises"]
    object_arg = "agency_presence"
    create_action = staticmethod(actions.agency_presence_create)
    update_action = staticmethod(actions.agency_presence_update)
    delete_action = staticmethod(actions.agency_presence_delete)


class PersonPages(ObjectPages):
    model = User
    name = "person"
    segment = "people"
    filterset = PersonFilterSet
    form = PersonForm
    select_related = ("agency", "duty_country")
    columns = [("__str__", L("Name")), ("username", L("User name")), ("agency", L("Agency")),
               ("duty_country", L("Duty country")), ("job_title", L("Job title"))]
    detail_fields = ["username", "first_name", "last_name", "email", "agency", "duty_country",
                     "job_title", "languages", "is_active"]
    detail_template = "core/person_detail.html"

    @classmethod
    def queryset(cls, request):
        return super().queryset(request).order_by("last_name", "first_name", "username")

    object_arg = "person"
    create_action = staticmethod(actions.person_create)
    update_action = staticmethod(actions.person_update)
    delete_action = staticmethod(actions.person_delete)

    @classmethod
    def detail_context(cls, request, obj):
        return {
            "roles": RoleAssignment.objects.visible_to(request.user).filter(user=obj)
            .select_related("country", "region"),
            "can_manage_roles": access.can(request.user, Perm.MANAGE_PEOPLE),
            "can_send_reset": obj.is_active and obj.pk != request.user.pk
            and access.can_manage(request.user, obj),
        }


@login_required
@require_POST
def person_password_reset(request, pk):
    """A people manager sends someone Django's password-reset link (never the password)."""
    person = PersonPages.get_object(request, pk)
    if not access.can_manage(request.user, person):
        raise PermissionDenied
    try:
        actions.password_reset_send(person=person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A link to set a new password was sent to %(email)s.")
                         % {"email": person.email})
    return HttpResponseRedirect(person.get_absolute_url())


class RoleAssignmentPages(ObjectPages):
    model = RoleAssignment
    name = "roleassignment"
    segment = "roles"
    filterset = RoleAssignmentFilterSet
    form = RoleAssignmentForm
    select_related = ("user", "user__agency", "country", "region")
    columns = [("user", L("Person")), ("user.agency", L("Agency")), ("role", L("Role")),
               ("scope_label", L("Where"))]
    detail_fields = ["user", "role", "country", "region"]

    object_arg = "role_assignment"
    create_action = staticmethod(actions.role_assignment_create)
    update_action = staticmethod(actions.role_assignment_update)
    delete_action = staticmethod(actions.role_assignment_delete)


ORGANISATION_PAGES = [RegionPages, CountryPages, PublicHolidayPages, AgencyPages,
                      AgencyPresencePages, PersonPages, RoleAssignmentPages]


@login_required
def area_page(request, key):
    """An area's own page: the links of the area the person may follow."""
    area = navigation.area(key)
    links = area.links_for(request.user) if area is not None else []
    if not links:
        raise Http404
    return render(request, "core/area.html", {"area": area, "links": links})


@login_required
def home(request):
    landing = queries.landing_url(request)
    if landing is not None:
        return HttpResponseRedirect(landing)
    country = request.country
    attention = []
    if country is not None:
        for provider in ATTENTION_PROVIDERS:
            attention.extend(provider(request, country))
    today = today_in(country)
    context = {
        "attention": attention,
        "upcoming_holidays": queries.upcoming_holidays(country, today=today)
        if country is not None else [],
        "my_roles": RoleAssignment.objects.filter(user=request.user)
        .select_related("country", "region"),
        "recent_changes": queries.audit_entries_visible_to(request.user).filter(
            country=country)[:8] if country is not None and access.can(
                request.user, Perm.VIEW_AUDIT, country) else [],
    }
    return render(request, "core/home.html", context)


@login_required
@require_POST
def switch_country(request):
    """The country switcher: only a country the user may see can be chosen."""
    country = access.get_visible_or_404(Country.objects.all(), request.user,
                                        pk=request.POST.get("country") or 0)
    request.session[queries.SESSION_COUNTRY_KEY] = country.pk
    messages.info(request, _("You are now working in %(country)s.") % {"country": country})
    target = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("home")
    return HttpResponseRedirect(target)


@login_required
def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
        if form.is_valid():
            actions.profile_update(user=user, data=form.cleaned_data)
            messages.success(request, _("Your profile is saved."))
            return HttpResponseRedirect(reverse("profile"))
    else:
        form = ProfileForm(instance=user)
    token = Token.objects.filter(user=user).first()
    roles = list(RoleAssignment.objects.filter(user=user).select_related("country", "region"))
    context = {
        "form": form,
        "token": token,
        "token_expires": token_expires_at(token) if token else None,
        "roles": roles,
        "may_use_second_factor": user.is_superuser or any(
            r.role in GLOBAL_ROLES for r in roles),
    }
    return render(request, "core/profile.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def token_create(request):
    """Make (or replace) the user's API token; the old one stops working at once."""
    actions.api_token_renew(user=request.user)
    messages.success(request, _("Your new API token is shown below. Keep it secret."))
    return HttpResponseRedirect(reverse("profile"))


@login_required
@require_POST
def token_delete(request):
    actions.api_token_revoke(user=request.user)
    messages.success(request, _("Your API token is revoked."))
    return HttpResponseRedirect(reverse("profile"))


@login_required
def audit_list(request):
    """Search the audit trail (auditors everywhere; RCs and administrators in their scope)."""
    if not access.can(request.user, Perm.VIEW_AUDIT):
        raise PermissionDenied
    entries = queries.audit_entries_visible_to(request.user)
    filterset = AuditEntryFilterSet(request.GET or None, queryset=entries, request=request)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else (
        entries if not filterset.is_bound else entries.none())
    if request.GET.get("export") == "csv":
        return _audit_csv(rows)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    page.object_list = describe(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filterset": filterset, "page": page, "query": query.urlencode()}
    template = "core/_audit_table.html" if is_htmx(request) else "core/audit_list.html"
    return render(request, template, context)


AUDIT_CSV_COLUMNS = ["id", "at", "actor", "action", "model", "object_id", "object",
                     "country_id", "changes", "source", "method", "path", "request_id",
                     "address"]


def _audit_csv(rows):
    """The trail as recorded, for auditors: field names, ids and values as stored, streamed
    (the trail is long) through `core.spreadsheets`."""
    return csv_stream_response("audit-trail", AUDIT_CSV_COLUMNS, (
        [e.pk, e.at.isoformat(), e.actor_name, e.action, e.content_type.model, e.object_id,
         e.object_repr, e.country_id or "",
         json.dumps(e.changes, ensure_ascii=False, sort_keys=True), e.source,
         e.request_method, e.request_path, e.request_id, e.remote_addr or ""]
        for e in rows.select_related("content_type").iterator(chunk_size=1000)))


@never_cache
@require_GET
def healthz(request):
    """Liveness and database reachability, without login: 200 or 503, JSON either way."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means "not ready"
        return JsonResponse({"status": "error", "database": "unreachable",
                             "detail": error.__class__.__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "reachable"})
