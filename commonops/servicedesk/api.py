"""API of the servicedesk app, registered on the shared router. Tickets are raised here and
moved through the steps of servicedesk/workflows.py, calling the same actions as the pages
(POST /api/tickets/{id}/take/, /reply/, /status/, /assign/, /update/, /merge/, /rate/)."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from commonops.core import access
from commonops.core.api_base import ScopedModelSerializer, ScopedViewSet, router
from commonops.core.models import User
from commonops.core.roles import Perm
from commonops.core.workflow import workflow_action
from commonops.servicedesk import actions, filters, queries, views
from commonops.servicedesk.models import (
    Agent,
    Category,
    Priority,
    SlaPolicy,
    Team,
    Ticket,
    TicketEvent,
)
from commonops.servicedesk.workflows import TICKET_WORKFLOW

_STAMPS = ["created_at", "updated_at"]


class TeamSerializer(ScopedModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "country", "name", "lead", "email", *_STAMPS]
        read_only_fields = ["id", *_STAMPS]
        validators = []


class AgentSerializer(ScopedModelSerializer):
    class Meta:
        model = Agent
        fields = ["id", "country", "team", "user", "available", "last_assigned_at", *_STAMPS]
        read_only_fields = ["id", "last_assigned_at", *_STAMPS]
        validators = []


class CategorySerializer(ScopedModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "country", "name", "team", "common_service", *_STAMPS]
        read_only_fields = ["id", *_STAMPS]
        validators = []


class SlaPolicySerializer(ScopedModelSerializer):
    class Meta:
        model = SlaPolicy
        fields = ["id", "country", "priority", "first_response_hours", "resolution_hours",
                  *_STAMPS]
        read_only_fields = ["id", *_STAMPS]
        validators = []


class TeamViewSet(ScopedViewSet):
    pages = views.TeamPages
    serializer_class = TeamSerializer


class AgentViewSet(ScopedViewSet):
    pages = views.AgentPages
    serializer_class = AgentSerializer


class CategoryViewSet(ScopedViewSet):
    pages = views.CategoryPages
    serializer_class = CategorySerializer


class SlaPolicyViewSet(ScopedViewSet):
    pages = views.SlaPolicyPages
    serializer_class = SlaPolicySerializer


class TicketSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ticket
        fields = ["id", "number", "country", "subject", "description", "requester", "agency",
                  "category", "team", "priority", "status", "source", "assignee",
                  "merged_into", "version", "opened_at", "first_response_due",
                  "resolution_due", "first_responded_at", "resolved_at", "closed_at",
                  "first_response_breached_at", "resolution_breached_at",
                  "business_hours_to_resolve", "first_response_met", "resolution_met",
                  "reopen_count"]
        read_only_fields = fields


class TicketRaiseSerializer(serializers.Serializer):
    category = serializers.IntegerField()
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.P3)
    requester = serializers.IntegerField(required=False)


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = TicketEvent
        fields = ["id", "kind", "public", "author", "at", "body", "from_status", "to_status"]


class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    viewsets.GenericViewSet):
    """T1–T5. Lists hold what the caller may see: agents and readers their countries'
    tickets, anyone else the tickets they raised or are copied on."""

    serializer_class = TicketSerializer
    filterset_class = filters.TicketFilterSet

    def get_queryset(self):
        return queries.tickets_visible_to(self.request.user).order_by("resolution_due", "pk")

    def _ticket(self):
        return queries.ticket_or_404(self.request.user, self.kwargs["pk"])

    def _body(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _answer(self, ticket, code=status.HTTP_200_OK):
        ticket = Ticket.objects.get(pk=ticket.pk)
        return Response(TicketSerializer(ticket).data, status=code)

    @extend_schema(request=TicketRaiseSerializer, responses={201: TicketSerializer},
                   summary="Raise a ticket (T1); it is numbered, timed and assigned")
    def create(self, request, *args, **kwargs):
        if not access.can(request.user, Perm.RAISE_TICKETS):
            raise ApiPermissionDenied(_("Your roles do not allow this."))
        data = self._body(TicketRaiseSerializer)
        category = get_object_or_404(Category.objects.visible_to(request.user),
                                     pk=data["category"])
        requester = request.user
        if data.get("requester") and data["requester"] != request.user.pk:
            requester = get_object_or_404(User.objects.visible_to(request.user),
                                          pk=data["requester"])
        ticket = actions.ticket_raise(
            country=category.country, requester=requester, category=category,
            subject=data["subject"], description=data["description"],
            priority=data["priority"], source="api", by=request.user)
        return self._answer(ticket, status.HTTP_201_CREATED)

    # T1–T5: take, reply, status, assign, update, merge, rate (servicedesk/workflows.py)
    step = workflow_action(TICKET_WORKFLOW)

    @extend_schema(responses=EventSerializer(many=True),
                   summary="The timeline (T4), paginated; internal notes only for agents")
    @action(detail=True, methods=["get"], filterset_class=None)
    def events(self, request, pk=None):
        ticket = self._ticket()
        page = self.paginate_queryset(list(queries.timeline(ticket, request.user)))
        return self.get_paginated_response(EventSerializer(page, many=True).data)


class KpiRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    opened = serializers.IntegerField()
    resolved = serializers.IntegerField()
    first_response_compliance = serializers.FloatField(allow_null=True)
    resolution_compliance = serializers.FloatField(allow_null=True)
    median_hours_to_resolve = serializers.FloatField(allow_null=True)
    reopen_rate = serializers.FloatField(allow_null=True)
    satisfaction = serializers.FloatField(allow_null=True)


class KpiReportSerializer(serializers.Serializer):
    country = serializers.IntegerField()
    year = serializers.IntegerField()
    month = serializers.IntegerField(allow_null=True)
    by = serializers.CharField(allow_null=True)
    rows = KpiRowSerializer(many=True)


class KpiViewSet(viewsets.ViewSet):
    """T6: the desk's KPIs for a country, a year and optionally a month."""

    serializer_class = KpiReportSerializer

    @extend_schema(summary="Desk KPIs (T6): ?country=<id>&year=&month=&by=team|agent|"
                           "category|agency", responses=KpiReportSerializer)
    def list(self, request):
        country = getattr(request, "country", None)
        country_id = request.query_params.get("country") or getattr(country, "pk", None)
        if not str(country_id or "").isdigit():
            raise ValidationError({"country": _("Give the country's id.")})
        from commonops.core.models import Country

        country = Country.objects.filter(pk=country_id).first() if country_id else None
        if country is None or not (access.can(request.user, Perm.WORK_TICKETS, country.pk)
                                   or access.can(request.user, Perm.EXPORT, country.pk)):
            raise ApiPermissionDenied(_("Name a country whose desk you may read."))
        year = views._int(request.query_params.get("year"), timezone.now().year, 2000, 2100)
        month = views._int(request.query_params.get("month"), 0, 0, 12) or None
        by = request.query_params.get("by")
        if by is not None and by not in queries.DIMENSIONS:
            raise ValidationError({"by": _("Break down by team, agent, category or agency.")})
        rows = queries.kpis(country=country, year=year, month=month, dimension=by)

        def plain(value):
            return None if value is None else float(value)

        return Response({"country": country.pk, "year": year, "month": month, "by": by,
                         "rows": [{
                             "label": r.label, "opened": r.opened, "resolved": r.resolved,
                             "first_response_compliance": plain(r.first_response_compliance),
                             "resolution_compliance": plain(r.resolution_compliance),
                             "median_hours_to_resolve": r.median_hours,
                             "reopen_rate": plain(r.reopen_rate),
                             "satisfaction": plain(r.satisfaction)} for r in rows]})


router.register("desk-teams", TeamViewSet, basename="deskteam")
router.register("desk-agents", AgentViewSet, basename="deskagent")
router.register("desk-categories", CategoryViewSet, basename="deskcategory")
router.register("sla-policies", SlaPolicyViewSet, basename="slapolicy")
router.register("tickets", TicketViewSet, basename="ticket")
router.register("desk-kpis", KpiViewSet, basename="deskkpi")
