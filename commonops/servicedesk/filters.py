"""FilterSets of the service desk, shared by the list pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from commonops.core.filters import SearchFilterSet, _visible_countries
from commonops.servicedesk.models import Agent, Category, Priority, SlaPolicy, Status, Team, Ticket


def _teams(request):
    if request is None:
        return Team.objects.none()
    return Team.objects.visible_to(request.user)


class TeamFilterSet(SearchFilterSet):
    search_fields = ("name",)
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))

    class Meta:
        model = Team
        fields = ["q", "country"]


class AgentFilterSet(SearchFilterSet):
    search_fields = ("user__username", "user__first_name", "user__last_name")
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    team = django_filters.ModelChoiceFilter(queryset=_teams, label=_("Team"))

    class Meta:
        model = Agent
        fields = ["q", "country", "team", "available"]


class CategoryFilterSet(SearchFilterSet):
    search_fields = ("name",)
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    team = django_filters.ModelChoiceFilter(queryset=_teams, label=_("Team"))

    class Meta:
        model = Category
        fields = ["q", "country", "team"]


class SlaPolicyFilterSet(django_filters.FilterSet):
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    priority = django_filters.ChoiceFilter(choices=Priority.choices, label=_("Priority"))

    class Meta:
        model = SlaPolicy
        fields = ["country", "priority"]


class TicketFilterSet(SearchFilterSet):
    """The queue's filters (T3); `mine` keeps the tickets assigned to the caller."""

    search_fields = ("number", "subject")
    team = django_filters.ModelChoiceFilter(queryset=_teams, label=_("Team"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"))
    priority = django_filters.ChoiceFilter(choices=Priority.choices, label=_("Priority"))
    mine = django_filters.BooleanFilter(label=_("Assigned to me"), method="assigned_to_me")
    my_teams = django_filters.BooleanFilter(label=_("My teams"), method="in_my_teams")
    unassigned = django_filters.BooleanFilter(label=_("Unassigned"), field_name="assignee",
                                              lookup_expr="isnull")

    class Meta:
        model = Ticket
        fields = ["q", "team", "status", "priority", "mine", "my_teams", "unassigned"]

    def assigned_to_me(self, queryset, name, value):
        if value and self.request is not None:
            return queryset.filter(assignee_id=self.request.user.pk)
        return queryset

    def in_my_teams(self, queryset, name, value):
        if value and self.request is not None:
            # One agent row per team and person, so the join repeats no ticket.
            return queryset.filter(team__agents__user_id=self.request.user.pk)
        return queryset
