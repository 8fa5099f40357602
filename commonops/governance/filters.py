"""FilterSets of the governance models: one per model, shared by the list pages and the API
(the API's lists take the same filters as query parameters)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import fields

from commonops.core.filters import SearchFilterSet, _visible_countries
from commonops.core.models import Agency, ServiceLine, User
from commonops.governance import queries
from commonops.governance.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceCapacity,
    AttendanceStatus,
    ChairRole,
    ChairTerm,
    Escalation,
    EscalationStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Membership,
    Minutes,
    MinutesComment,
    MinutesItem,
    MinutesStatus,
    Omt,
    TaskForce,
    TaskForceMember,
    UnctDecision,
    UnctDecisionKind,
)

ACTION_STATES = [
    ("open", _("Open")),
    ("due_soon", _("Due soon")),
    ("overdue", _("Overdue")),
    ("done", _("Done")),
]


# --- choices: only rows the caller may see (another country's id is invalid) -----------------


def _visible(model):
    def choices(request):
        if request is None:
            return model.objects.none()
        return model.objects.visible_to(request.user)

    return choices


def _current_country_id(request):
    country = getattr(request, "country", None)
    return getattr(country, "pk", None)


class _CurrentCountryChoices(fields.ModelChoiceIterator):
    def __init__(self, field):
        super().__init__(field)
        self.queryset = field.listed


class _CurrentCountryChoiceField(fields.ModelChoiceField):
    iterator = _CurrentCountryChoices

    def __init__(self, *args, listed, **kwargs):
        self.listed = listed
        super().__init__(*args, **kwargs)


class CurrentCountryChoiceFilter(django_filters.ModelChoiceFilter):
    """Takes any row of `model` the caller may see (as the API always has; a token-
    authenticated call has no current country), but the page's select lists only those of
    the current country: all countries' would make a select of thousands."""

    field_class = _CurrentCountryChoiceField

    def __init__(self, *args, model, **kwargs):
        super().__init__(*args, queryset=_visible(model), **kwargs)

    @property
    def field(self):
        request = self.get_request()
        self.extra["listed"] = self.get_queryset(request).filter(
            country_id=_current_country_id(request))
        return super().field


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


def _country_filter():
    return django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))


def _omts(request):
    if request is None:
        return Omt.objects.none()
    return Omt.objects.visible_to(request.user).select_related("country")  # for __str__


def _omt_filter(field_name="omt"):
    return django_filters.ModelChoiceFilter(field_name=field_name, queryset=_omts,
                                            label=_("OMT"))


def _agency_filter(field_name="agency", label=None):
    return django_filters.ModelChoiceFilter(field_name=field_name,
                                            queryset=Agency.objects.all(),
                                            label=label or _("Agency"))


def _person_filter(field_name, label):
    return django_filters.ModelChoiceFilter(field_name=field_name, queryset=_visible(User),
                                            label=label)


# --- the OMT, its members and chairs ----------------------------------------------------------


class OmtFilterSet(SearchFilterSet):
    search_fields = ("name", "country__name")
    country = _country_filter()

    class Meta:
        model = Omt
        fields = ["q", "country", "secretariat"]


class MembershipFilterSet(SearchFilterSet):
    search_fields = ("agency__acronym", "agency__name", "member__last_name",
                     "alternate__last_name")
    country = _country_filter()
    without_alternate = django_filters.BooleanFilter(
        field_name="alternate", lookup_expr="isnull", label=_("Without an alternate (G1)"))
    omt = _omt_filter()
    agency = _agency_filter()

    class Meta:
        model = Membership
        fields = ["q", "country", "without_alternate", "omt", "agency"]


class ChairTermFilterSet(django_filters.FilterSet):
    country = _country_filter()
    role = django_filters.ChoiceFilter(choices=ChairRole.choices, label=_("Role"))
    omt = _omt_filter()
    agency = _agency_filter()
    on = django_filters.DateFilter(label=_("Current on"), method="current_on")

    class Meta:
        model = ChairTerm
        fields = ["country", "role", "omt", "agency", "on"]

    def current_on(self, queryset, name, value):
        return queryset.filter(starts_on__lte=value, ends_on__gte=value)


# --- task forces ------------------------------------------------------------------------------


class TaskForceFilterSet(SearchFilterSet):
    search_fields = ("name", "mandate")
    country = _country_filter()
    service_line = django_filters.ChoiceFilter(choices=ServiceLine.choices,
                                               label=_("Service line"))
    omt = _omt_filter()
    coordinating_agency = _agency_filter("coordinating_agency", _("Coordinating agency"))
    active_on = django_filters.DateFilter(label=_("Active on"), method="active")

    class Meta:
        model = TaskForce
        fields = ["q", "country", "service_line", "omt", "coordinating_agency", "active_on"]

    def active(self, queryset, name, value):
        return queryset.filter(starts_on__lte=value, ends_on__gte=value)


class TaskForceMemberFilterSet(django_filters.FilterSet):
    task_force = django_filters.ModelChoiceFilter(queryset=_visible(TaskForce),
                                                  label=_("Task force"))
    person = _person_filter("person", _("Person"))

    class Meta:
        model = TaskForceMember
        fields = ["task_force", "person"]


# --- meetings, agendas, attendance ------------------------------------------------------------


class MeetingFilterSet(SearchFilterSet):
    search_fields = ("title", "location")
    country = _country_filter()
    year = django_filters.NumberFilter(field_name="starts_at", lookup_expr="year",
                                       label=_("Year"))
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label=_("Status"))
    omt = _omt_filter()
    since = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte",
                                      label=_("From"))
    until = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte",
                                      label=_("To"))

    class Meta:
        model = Meeting
        fields = ["q", "country", "year", "kind", "status", "omt", "agenda_late", "since",
                  "until"]


class AgendaItemFilterSet(django_filters.FilterSet):
    meeting = django_filters.ModelChoiceFilter(queryset=_visible(Meeting), label=_("Meeting"))

    class Meta:
        model = AgendaItem
        fields = ["meeting", "standard"]


class AttendanceFilterSet(django_filters.FilterSet):
    meeting = django_filters.ModelChoiceFilter(queryset=_visible(Meeting), label=_("Meeting"))
    capacity = django_filters.ChoiceFilter(choices=AttendanceCapacity.choices, label=_("As"))
    status = django_filters.ChoiceFilter(choices=AttendanceStatus.choices, label=_("Status"))
    agency = _agency_filter()
    person = _person_filter("person", _("Person"))

    class Meta:
        model = Attendance
        fields = ["meeting", "capacity", "status", "agency", "person"]


# --- minutes ----------------------------------------------------------------------------------


class MinutesFilterSet(django_filters.FilterSet):
    meeting = django_filters.ModelChoiceFilter(queryset=_visible(Meeting), label=_("Meeting"))
    omt = _omt_filter("meeting__omt")
    country = _country_filter()
    status = django_filters.ChoiceFilter(choices=MinutesStatus.choices, label=_("Status"))

    class Meta:
        model = Minutes
        fields = ["meeting", "omt", "country", "status", "circulated_late"]


class MinutesItemFilterSet(SearchFilterSet):
    search_fields = ("title", "discussion", "decisions")
    minutes = django_filters.ModelChoiceFilter(queryset=_visible(Minutes), label=_("Minutes"))

    class Meta:
        model = MinutesItem
        fields = ["q", "minutes", "without_quorum"]


class MinutesCommentFilterSet(django_filters.FilterSet):
    item = django_filters.ModelChoiceFilter(queryset=_visible(MinutesItem),
                                            label=_("Minutes item"))
    minutes = django_filters.ModelChoiceFilter(field_name="item__minutes",
                                               queryset=_visible(Minutes), label=_("Minutes"))
    author = _person_filter("author", _("Author"))

    class Meta:
        model = MinutesComment
        fields = ["item", "minutes", "author"]


# --- actions, escalations, UNCT decisions -----------------------------------------------------


class ActionFilterSet(SearchFilterSet):
    """The action tracker. `state` filters on the `state` annotation of
    queries.with_state, which the list's queryset carries."""

    search_fields = ("title", "done_note")
    country = _country_filter()
    state = django_filters.ChoiceFilter(choices=ACTION_STATES, label=_("State"),
                                        method="in_state")
    owner_person = django_filters.ModelChoiceFilter(queryset=_owners,
                                                    label=_("Responsible person"))
    owner_agency = django_filters.ModelChoiceFilter(queryset=_owner_agencies,
                                                    label=_("Responsible agency"))
    meeting = CurrentCountryChoiceFilter(model=Meeting, label=_("Meeting"))
    task_force = CurrentCountryChoiceFilter(model=TaskForce, label=_("Task force"))
    mine = django_filters.BooleanFilter(label=_("Mine only"), method="only_mine",
                                        widget=forms.CheckboxInput())
    omt = _omt_filter()
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, label=_("Status"))
    due_after = django_filters.DateFilter(field_name="due_on", lookup_expr="gte",
                                          label=_("Deadline from"))
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte",
                                           label=_("Deadline to"))

    class Meta:
        model = Action
        fields = ["q", "country", "state", "owner_person", "owner_agency", "meeting",
                  "task_force", "mine", "omt", "status", "due_after", "due_before"]

    def _today(self):
        return queries.today_in(getattr(self.request, "country", None))

    def in_state(self, queryset, name, value):
        if "state" not in queryset.query.annotations:
            queryset = queries.with_state(queryset, today=self._today())
        return queryset.filter(state=value)

    def only_mine(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        mine = queries.actions_of(self.request.user, today=self._today())
        return queryset.filter(pk__in=mine.values("pk"))


class EscalationFilterSet(SearchFilterSet):
    search_fields = ("subject", "positions")
    country = _country_filter()
    status = django_filters.ChoiceFilter(choices=EscalationStatus.choices, label=_("Status"))
    omt = _omt_filter()

    class Meta:
        model = Escalation
        fields = ["q", "country", "status", "omt"]


class UnctDecisionFilterSet(SearchFilterSet):
    search_fields = ("subject", "text")
    country = _country_filter()
    kind = django_filters.ChoiceFilter(choices=UnctDecisionKind.choices, label=_("Kind"))
    year = django_filters.NumberFilter(field_name="decided_on", lookup_expr="year",
                                       label=_("Year"))

    class Meta:
        model = UnctDecision
        fields = ["q", "country", "kind", "year"]
