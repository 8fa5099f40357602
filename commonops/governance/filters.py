"""FilterSets of the governance list pages (shared with the API)."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonops.core.filters import SearchFilterSet, _visible_countries
from commonops.core.models import Agency, User
from commonops.governance import queries
from commonops.governance.models import (
    Action,
    ChairRole,
    ChairTerm,
    Escalation,
    EscalationStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Membership,
    ServiceLine,
    TaskForce,
    UnctDecision,
    UnctDecisionKind,
)

ACTION_STATES = [
    ("open", _("Open")),
    ("due_soon", _("Due soon")),
    ("overdue", _("Overdue")),
    ("done", _("Done")),
]


def _current_country_id(request):
    country = getattr(request, "country", None)
    return getattr(country, "pk", None)


def _meetings(request):
    # Only the current country's meetings: all countries' would make a select of thousands.
    if request is None:
        return Meeting.objects.none()
    return Meeting.objects.visible_to(request.user).filter(
        country_id=_current_country_id(request))


def _task_forces(request):
    if request is None:
        return TaskForce.objects.none()
    return TaskForce.objects.visible_to(request.user).filter(
        country_id=_current_country_id(request))


def _owners(request):
    if request is None:
        return User.objects.none()
    return User.objects.filter(pk__in=Action.objects.visible_to(request.user)
                               .values("owner_person_id")).order_by("last_name", "first_name")


def _owner_agencies(request):
    if request is None:
        return Agency.objects.none()
    return Agency.objects.filter(pk__in=Action.objects.visible_to(request.user)
                                 .values("owner_agency_id"))


class MembershipFilterSet(SearchFilterSet):
    search_fields = ("agency__acronym", "agency__name", "member__last_name",
                     "alternate__last_name")
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    without_alternate = django_filters.BooleanFilter(
        field_name="alternate", lookup_expr="isnull", label=_("Without an alternate (G1)"))

    class Meta:
        model = Membership
        fields = ["q", "country", "without_alternate"]


class ChairTermFilterSet(django_filters.FilterSet):
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    role = django_filters.ChoiceFilter(choices=ChairRole.choices, label=_("Role"))

    class Meta:
        model = ChairTerm
        fields = ["country", "role"]


class TaskForceFilterSet(SearchFilterSet):
    search_fields = ("name", "mandate")
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    service_line = django_filters.ChoiceFilter(choices=ServiceLine.choices,
                                               label=_("Service line"))

    class Meta:
        model = TaskForce
        fields = ["q", "country", "service_line"]


class MeetingFilterSet(SearchFilterSet):
    search_fields = ("title", "location")
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    year = django_filters.NumberFilter(field_name="starts_at", lookup_expr="year",
                                       label=_("Year"))
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label=_("Status"))

    class Meta:
        model = Meeting
        fields = ["q", "country", "year", "kind", "status"]


class ActionFilterSet(SearchFilterSet):
    """The action tracker. `state` filters on the `state` annotation of
    queries.with_state, which the list's queryset carries."""

    search_fields = ("title", "done_note")
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    state = django_filters.ChoiceFilter(choices=ACTION_STATES, label=_("State"),
                                        method="in_state")
    owner_person = django_filters.ModelChoiceFilter(queryset=_owners,
                                                    label=_("Responsible person"))
    owner_agency = django_filters.ModelChoiceFilter(queryset=_owner_agencies,
                                                    label=_("Responsible agency"))
    meeting = django_filters.ModelChoiceFilter(queryset=_meetings, label=_("Meeting"))
    task_force = django_filters.ModelChoiceFilter(queryset=_task_forces, label=_("Task force"))
    mine = django_filters.BooleanFilter(label=_("Mine only"), method="only_mine",
                                        widget=forms.CheckboxInput())

    class Meta:
        model = Action
        fields = ["q", "country", "state", "owner_person", "owner_agency", "meeting",
                  "task_force", "mine"]

    def in_state(self, queryset, name, value):
        if "state" not in queryset.query.annotations:
            queryset = queries.with_state(queryset, today=timezone.localdate())
        return queryset.filter(state=value)

    def only_mine(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        mine = queries.actions_of(self.request.user, today=timezone.localdate())
        return queryset.filter(pk__in=mine.values("pk"))


class EscalationFilterSet(SearchFilterSet):
    search_fields = ("subject", "positions")
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    status = django_filters.ChoiceFilter(choices=EscalationStatus.choices, label=_("Status"))

    class Meta:
        model = Escalation
        fields = ["q", "country", "status"]


class UnctDecisionFilterSet(SearchFilterSet):
    search_fields = ("subject", "text")
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    kind = django_filters.ChoiceFilter(choices=UnctDecisionKind.choices, label=_("Kind"))
    year = django_filters.NumberFilter(field_name="decided_on", lookup_expr="year",
                                       label=_("Year"))

    class Meta:
        model = UnctDecision
        fields = ["q", "country", "kind", "year"]
