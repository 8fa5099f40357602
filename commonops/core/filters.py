"""FilterSets shared by the list pages and the API (one definition per model)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonops.core.models import (
    Agency,
    AgencyPresence,
    AuditAction,
    AuditEntry,
    AuditSource,
    Country,
    Presence,
    PublicHoliday,
    Region,
    RoleAssignment,
    Typology,
    User,
    WorkingWeek,
)
from commonops.core.roles import Role

# --- numbers a filter can compare with --------------------------------------------------------
# Every NumberFilter (declared, or made from Meta.fields) takes a finite number a database
# column can hold, and a year lookup a year the calendar knows: "?year=0", "?year=99999999999"
# and "?amount=1e400" are a clear 400 (an invalid filter), not a database error. Set once
# here, for every FilterSet of every app (they all import this module).
NUMBER_FILTER_LIMIT = 10**15
_YEAR_LOOKUPS = ("year", "year__exact", "year__gt", "year__gte", "year__lt", "year__lte")
_number_filter_init = django_filters.NumberFilter.__init__


def _bounded_number_filter_init(self, *args, **kwargs):
    year = kwargs.get("lookup_expr") in _YEAR_LOOKUPS
    kwargs.setdefault("min_value", 1 if year else -NUMBER_FILTER_LIMIT)
    kwargs.setdefault("max_value", 9999 if year else NUMBER_FILTER_LIMIT)
    _number_filter_init(self, *args, **kwargs)


django_filters.NumberFilter.__init__ = _bounded_number_filter_init


def filter_status(filterset) -> int:
    """The status of a list page: 400 when its filter has invalid values (shown on the
    form), 200 otherwise."""
    return 400 if filterset.is_bound and not filterset.is_valid() else 200


class SearchFilterSet(django_filters.FilterSet):
    """Adds `q`, a free-text search over `search_fields`."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


def _visible_countries(request):
    from commonops.core import access

    if request is None:
        return Country.objects.none()
    return access.visible_countries(request.user)


class RegionFilterSet(SearchFilterSet):
    search_fields = ("code", "name")

    class Meta:
        model = Region
        fields = ["q"]


class CountryFilterSet(SearchFilterSet):
    search_fields = ("iso_code", "name")
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.all(), label=_("Region"))
    typology = django_filters.ChoiceFilter(choices=Typology.choices, label=_("Typology"))
    working_week = django_filters.ChoiceFilter(choices=WorkingWeek.choices,
                                               label=_("Working week"))

    class Meta:
        model = Country
        fields = ["q", "region", "typology", "working_week"]


class PublicHolidayFilterSet(SearchFilterSet):
    search_fields = ("name",)
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    year = django_filters.NumberFilter(field_name="day", lookup_expr="year", label=_("Year"))

    class Meta:
        model = PublicHoliday
        fields = ["q", "country", "year"]


class AgencyFilterSet(SearchFilterSet):
    search_fields = ("acronym", "name")

    class Meta:
        model = Agency
        fields = ["q"]


class AgencyPresenceFilterSet(SearchFilterSet):
    search_fields = ("agency__acronym", "agency__name")
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    presence = django_filters.ChoiceFilter(choices=Presence.choices, label=_("Presence"))

    class Meta:
        model = AgencyPresence
        fields = ["q", "country", "presence", "in_common_premises"]


class PersonFilterSet(SearchFilterSet):
    search_fields = ("username", "first_name", "last_name", "email", "job_title")
    duty_country = django_filters.ModelChoiceFilter(queryset=_visible_countries,
                                                    label=_("Duty country"))
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), label=_("Agency"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"),
                                       method="with_role")

    class Meta:
        model = User
        fields = ["q", "duty_country", "agency", "role", "is_active"]

    def with_role(self, queryset, name, value):
        return queryset.filter(
            pk__in=RoleAssignment.objects.filter(role=value).values("user_id")
        )


class RoleAssignmentFilterSet(SearchFilterSet):
    search_fields = ("user__username", "user__first_name", "user__last_name")
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"))

    class Meta:
        model = RoleAssignment
        fields = ["q", "country", "role", "region", "user"]


class AuditEntryFilterSet(SearchFilterSet):
    search_fields = ("object_repr", "actor_name", "request_path")
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("Action"))
    source = django_filters.ChoiceFilter(choices=AuditSource.choices, label=_("Source"))
    actor = django_filters.CharFilter(field_name="actor_name", lookup_expr="iexact",
                                      label=_("Who (user name)"))
    kind = django_filters.CharFilter(field_name="content_type__model", lookup_expr="iexact",
                                     label=_("Kind of object"))
    object_id = django_filters.CharFilter(label=_("Object id"))
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte",
                                      label=_("From"))
    until = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("To"))

    class Meta:
        model = AuditEntry
        fields = ["q", "country", "action", "source", "actor", "kind", "object_id", "since",
                  "until"]
