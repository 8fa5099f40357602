"""The API of meetings (G3), their agenda (G4, G8, G9), attendance and quorum (G5).

The meeting's workflow steps are `POST meetings/{id}/<step>/` (send-agenda, cancel,
start-minutes), one generic action over `MEETING_WORKFLOW`."""

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import renderers, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from commonops.core.api_base import ScopedModelSerializer, ScopedViewSet, router
from commonops.core.workflow import workflow_action
from commonops.governance import actions, notifications, queries
from commonops.governance.api.common import STAMPS, described
from commonops.governance.models import AgendaItem, Attendance, Meeting
from commonops.governance.views import meetings as pages
from commonops.governance.workflows import MEETING_WORKFLOW


class MeetingSerializer(ScopedModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "omt", "kind", "title", "starts_at", "ends_at", "location", "status",
                  "agenda_sent_at", "agenda_late", *STAMPS]
        read_only_fields = ["id", "status", "agenda_sent_at", "agenda_late", *STAMPS]
        validators = []


class AgendaItemSerializer(ScopedModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "position", "title", "presenter", "notes", "standard",
                  *STAMPS]
        read_only_fields = ["id", "position", "standard", *STAMPS]
        validators = []


class AgendaMoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=[("up", gettext_lazy("Up")),
                                                 ("down", gettext_lazy("Down"))])


class AttendanceSerializer(ScopedModelSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "meeting", "capacity", "status", "agency", "person", "guest_name",
                  *STAMPS]
        # The meeting comes from the URL (meetings/{id}/attendance/); the agency from the
        # person's seat (G5: an agency counts once, by its member or its alternate).
        read_only_fields = ["id", "meeting", "agency", *STAMPS]
        validators = []


class QuorumSerializer(serializers.Serializer):
    """G5: quorate when more than half of the member agencies attend."""

    member_count = serializers.IntegerField()
    present = serializers.IntegerField(
        help_text=gettext_lazy("Member agencies present, by member or alternate, once each."))
    required = serializers.IntegerField()
    quorate = serializers.BooleanField()


class CalendarRenderer(renderers.BaseRenderer):
    """Lets `invitation.ics` ask for iCalendar. The file itself is answered as it is
    (`notifications.invitation_response`, the pages' too); an error keeps the one JSON
    error shape."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return renderers.JSONRenderer().render(data)


class MeetingViewSet(ScopedViewSet):
    __doc__ = described(
        "OMT meetings (G3, G4, G5, G8, G9)",
        "list, read, schedule (with the standard agenda) and change; send the agenda, "
        "cancel, start the minutes (`POST meetings/{id}/<step>/`); record attendance, see "
        "the quorum, download the invitation")
    pages = pages.MeetingPages
    serializer_class = MeetingSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering = ("-starts_at", "pk")
    ordering_fields = ["starts_at", "title", "status"]

    step = workflow_action(MEETING_WORKFLOW)  # G4, G6: send-agenda, cancel, start-minutes

    @extend_schema(request=AttendanceSerializer, responses={201: AttendanceSerializer},
                   summary="Record who attended (G5)",
                   description="Members and alternates attend for their agency (anyone else "
                               "is refused in that capacity); guests are named.")
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None, **kwargs):
        meeting = self.get_object()
        serializer = AttendanceSerializer(data=request.data,
                                          context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        recorded = actions.attendance_create(by=request.user, data={
            **serializer.validated_data, "meeting": meeting})
        return Response(AttendanceSerializer(recorded).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=QuorumSerializer, summary="The quorum so far (G5)")
    @action(detail=True, methods=["get"])
    def quorum(self, request, pk=None, **kwargs):
        return Response(QuorumSerializer(queries.quorum(self.get_object())).data)

    @extend_schema(responses={(200, "text/calendar"): OpenApiTypes.BINARY},
                   summary="The meeting's iCalendar invitation",
                   description="Also at `meetings/{id}/invitation.ics`.")
    @action(detail=True, methods=["get"], renderer_classes=[CalendarRenderer])
    def invitation(self, request, pk=None, **kwargs):
        return notifications.invitation_response(self.get_object())


class AgendaItemViewSet(ScopedViewSet):
    __doc__ = described("Agenda items (G8)", "list, read, add, change, move and delete, "
                                             "while the meeting is not held or cancelled")
    pages = pages.AgendaItemPages
    serializer_class = AgendaItemSerializer
    ordering = ("meeting", "position", "pk")
    ordering_fields = ["position"]

    @extend_schema(request=AgendaMoveSerializer, responses=AgendaItemSerializer,
                   summary="Move the item one place up or down")
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None, **kwargs):
        item = self.get_object()
        data = AgendaMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.agenda_item_move(agenda_item=item, by=request.user,
                                 up=data.validated_data["direction"] == "up")
        item.refresh_from_db(fields=["position"])
        return Response(self.get_serializer(item).data)


class AttendanceViewSet(ScopedViewSet):
    __doc__ = described("Attendance (G5)", "list, read and remove; record it with "
                                           "POST meetings/{id}/attendance/")
    pages = pages.AttendancePages
    serializer_class = AttendanceSerializer
    http_method_names = ["get", "delete", "head", "options"]
    ordering = ("meeting", "capacity", "agency__acronym", "pk")
    ordering_fields = ["capacity", "status"]


router.register("meetings", MeetingViewSet, basename="meeting")
router.register("agenda-items", AgendaItemViewSet, basename="agendaitem")
router.register("attendance", AttendanceViewSet, basename="attendance")
