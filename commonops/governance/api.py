"""The governance API: the OMT's objects and its workflow, with the pages' access and actions.

Reads are scoped with `visible_to` (another country's object answers 404, as if it did not
exist); a reference to a row the caller may not see fails validation the same way. Every
write calls one function of `governance.actions`, which checks the caller's rights again,
applies G1–G12 and is recorded in the audit trail with the source `api`. Workflow steps are
explicit endpoints calling the same action as the pages (`POST meetings/{id}/send-agenda/`,
`POST minutes/{id}/finalise/`, …). Errors keep the one shape of `core.api_conventions`; an
edit conflict (409) adds the current state under `error.current` so a client can merge.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from commonops.core import access
from commonops.core.api_base import ScopedModelSerializer, router
from commonops.core.roles import Perm
from commonops.governance import actions, notifications, queries, rules
from commonops.governance.filters import (
    ACTION_STATES,
    ActionFilterSet,
    AgendaItemFilterSet,
    AttendanceFilterSet,
    ChairTermFilterSet,
    EscalationFilterSet,
    MeetingFilterSet,
    MembershipFilterSet,
    MinutesCommentFilterSet,
    MinutesFilterSet,
    MinutesItemFilterSet,
    OmtFilterSet,
    TaskForceFilterSet,
    TaskForceMemberFilterSet,
    UnctDecisionFilterSet,
)
from commonops.governance.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ChairTerm,
    Escalation,
    Meeting,
    MeetingKind,
    Membership,
    Minutes,
    MinutesComment,
    MinutesItem,
    Omt,
    TaskForce,
    TaskForceMember,
    UnctDecision,
)

_STAMPS = ["created_at", "updated_at"]

# --- errors -----------------------------------------------------------------------------------


class Conflict(exceptions.APIException):
    """409: someone else changed the object since the caller read it. `current` is the
    object as it is now, added to the error body by `GovernanceViewSet.handle_exception`."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "edit_conflict"

    def __init__(self, detail, current):
        super().__init__(detail)
        self.current = current


# --- serializers ------------------------------------------------------------------------------


class GovernanceSerializer(ScopedModelSerializer):
    """Related fields accept only rows the caller may see. `fixed_fields` are set on create
    and cannot change afterwards (an OMT's meeting stays that OMT's)."""

    fixed_fields: tuple[str, ...] = ()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            for name in self.fixed_fields:
                if name in attrs and attrs.pop(name) != getattr(self.instance, name):
                    raise serializers.ValidationError(
                        {name: _("This cannot be changed once set.")})
        return attrs


def _same_omt(omt, **related) -> None:
    """References given with an OMT must belong to it (the scoped fields only check that the
    caller may see them, and an administrator sees every country)."""
    errors = {}
    for name, (obj, omt_id) in related.items():
        if obj is not None and omt_id != omt.pk:
            errors[name] = _("This belongs to another OMT.")
    if errors:
        raise serializers.ValidationError(errors)


class OmtSerializer(GovernanceSerializer):
    fixed_fields = ("country",)

    class Meta:
        model = Omt
        fields = ["id", "country", "name", "secretariat", "secretary", "me_focal_point",
                  "comment_period_days", "default_location", *_STAMPS]
        read_only_fields = ["id", *_STAMPS]
        validators = []  # one OMT per country: full_clean in the action says so


class MembershipSerializer(GovernanceSerializer):
    fixed_fields = ("omt",)
    without_alternate = serializers.SerializerMethodField(
        help_text=gettext_lazy("G1: every member must have a designated alternate."))

    class Meta:
        model = Membership
        fields = ["id", "omt", "agency", "member", "alternate", "since", "without_alternate",
                  *_STAMPS]
        read_only_fields = ["id", *_STAMPS]
        validators = []

    def get_without_alternate(self, membership) -> bool:
        return membership.alternate_id is None


class ChairTermSerializer(GovernanceSerializer):
    fixed_fields = ("omt",)
    ends_on = serializers.DateField(
        required=False, help_text=gettext_lazy("G2: by default the end of the calendar year."))

    class Meta:
        model = ChairTerm
        fields = ["id", "omt", "role", "agency", "person", "starts_on", "ends_on", "decision",
                  *_STAMPS]
        read_only_fields = ["id", *_STAMPS]
        validators = []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        omt = attrs.get("omt") or self.instance.omt
        decision = attrs.get("decision")
        if decision is not None and decision.country_id != omt.country_id:
            raise serializers.ValidationError(
                {"decision": _("The decision must be one of this country team's UNCT.")})
        return attrs


class TaskForceSerializer(GovernanceSerializer):
    fixed_fields = ("omt",)

    class Meta:
        model = TaskForce
        fields = ["id", "omt", "name", "service_line", "coordinating_agency", "chair",
                  "mandate", "starts_on", "ends_on", *_STAMPS]
        read_only_fields = ["id", *_STAMPS]
        validators = []


class TaskForceMemberSerializer(GovernanceSerializer):
    class Meta:
        model = TaskForceMember
        fields = ["id", "task_force", "person", "expertise", *_STAMPS]
        read_only_fields = ["id", *_STAMPS]
        validators = []


class MeetingSerializer(GovernanceSerializer):
    fixed_fields = ("omt",)

    class Meta:
        model = Meeting
        fields = ["id", "omt", "kind", "title", "starts_at", "ends_at", "location", "status",
                  "agenda_sent_at", "agenda_late", *_STAMPS]
        read_only_fields = ["id", "status", "agenda_sent_at", "agenda_late", *_STAMPS]
        validators = []


class AgendaItemSerializer(GovernanceSerializer):
    fixed_fields = ("meeting",)

    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "position", "title", "presenter", "notes", "standard",
                  *_STAMPS]
        read_only_fields = ["id", "position", "standard", *_STAMPS]
        validators = []


class AgendaMoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=[("up", gettext_lazy("Up")),
                                                 ("down", gettext_lazy("Down"))])


class AttendanceSerializer(GovernanceSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "meeting", "capacity", "status", "agency", "person", "guest_name",
                  *_STAMPS]
        # The meeting comes from the URL (meetings/{id}/attendance/); the agency from the
        # person's seat (G5: an agency counts once, by its member or its alternate).
        read_only_fields = ["id", "meeting", "agency", *_STAMPS]
        validators = []


class QuorumSerializer(serializers.Serializer):
    """G5: quorate when more than half of the member agencies attend."""

    member_count = serializers.IntegerField()
    present = serializers.IntegerField(
        help_text=gettext_lazy("Member agencies present, by member or alternate, once each."))
    required = serializers.IntegerField()
    quorate = serializers.BooleanField()


class MinutesItemSerializer(GovernanceSerializer):
    """Changing an item needs the `revision` it was read at: a save from an older revision
    answers 409 with the current text (optimistic locking; nobody's text is lost)."""

    fixed_fields = ("minutes",)
    revision = serializers.IntegerField(
        min_value=1, required=False,
        help_text=gettext_lazy("The revision the text was read at; required to change it."))

    class Meta:
        model = MinutesItem
        fields = ["id", "minutes", "position", "title", "discussion", "decisions",
                  "without_quorum", "revision", *_STAMPS]
        read_only_fields = ["id", "position", "without_quorum", *_STAMPS]
        validators = []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None and "revision" not in attrs:
            raise serializers.ValidationError({"revision": _(
                "Give the revision you read, so that nobody's text is overwritten unseen.")})
        return attrs


class MinutesSerializer(GovernanceSerializer):
    items = MinutesItemSerializer(many=True, read_only=True)

    class Meta:
        model = Minutes
        fields = ["id", "meeting", "version", "corrects", "status", "summary",
                  "circulated_at", "circulated_late", "comments_until", "finalised_at",
                  "finalised_by", "shared_at", "items", *_STAMPS]
        read_only_fields = fields


class MinutesCommentSerializer(GovernanceSerializer):
    class Meta:
        model = MinutesComment
        fields = ["id", "item", "author", "text", "reply_to", *_STAMPS]
        read_only_fields = ["id", "item", "author", *_STAMPS]
        validators = []


class ActionSerializer(GovernanceSerializer):
    # G7 is the action's rule: a missing owner or deadline is answered by it, with the rule id.
    due_on = serializers.DateField(required=False, allow_null=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = ["id", "omt", "minutes_item", "meeting", "task_force", "title",
                  "owner_person", "owner_agency", "due_on", "status", "state", "done_on",
                  "done_note", *_STAMPS]
        read_only_fields = ["id", "status", "done_on", "done_note", *_STAMPS]
        validators = []

    @extend_schema_field(serializers.ChoiceField(choices=ACTION_STATES))
    def get_state(self, obj):
        state = getattr(obj, "state", None)  # annotated in SQL on lists (queries.with_state)
        if state is None:
            state = rules.action_state(due=obj.due_on, done=obj.status == ActionStatus.DONE,
                                       today=timezone.localdate())
        return state

    def validate(self, attrs):
        attrs = super().validate(attrs)
        omt = attrs.get("omt") or self.context.get("omt")
        minutes_item, meeting, task_force = (attrs.get(name) for name in (
            "minutes_item", "meeting", "task_force"))
        _same_omt(omt,
                  minutes_item=(minutes_item, minutes_item and
                                minutes_item.minutes.meeting.omt_id),
                  meeting=(meeting, meeting and meeting.omt_id),
                  task_force=(task_force, task_force and task_force.omt_id))
        return attrs


class ItemActionSerializer(ActionSerializer):
    """An action recorded under a minutes item: its OMT and meeting come from the item
    (given in the context as `omt`)."""

    class Meta(ActionSerializer.Meta):
        read_only_fields = ["id", "omt", "minutes_item", "meeting", "status", "done_on",
                            "done_note", *_STAMPS]


class ActionCompleteSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True,
                                 help_text=gettext_lazy("How the action was done."))


class UnctDecisionSerializer(GovernanceSerializer):
    class Meta:
        model = UnctDecision
        fields = ["id", "country", "kind", "decided_on", "subject", "text", *_STAMPS]
        read_only_fields = ["id", *_STAMPS]
        validators = []


class EscalationSerializer(GovernanceSerializer):
    decision = UnctDecisionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Escalation
        fields = ["id", "omt", "minutes_item", "subject", "positions", "raised_by", "status",
                  "decision", *_STAMPS]
        read_only_fields = ["id", "raised_by", "status", "decision", *_STAMPS]
        validators = []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        item = attrs.get("minutes_item")
        _same_omt(attrs["omt"], minutes_item=(item, item and item.minutes.meeting.omt_id))
        return attrs


class EscalationDecideSerializer(serializers.Serializer):
    decided_on = serializers.DateField()
    text = serializers.CharField(help_text=gettext_lazy("The UNCT's decision (G11)."))


# --- the viewset base -------------------------------------------------------------------------


class CalendarRenderer(renderers.BaseRenderer):
    """iCalendar (`.ics`). An error keeps the one JSON error shape."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return renderers.JSONRenderer().render(data)


class GovernanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """One governance model over the API, with the page rules; a resource adds the writes
    that make sense for it (`Create`, `Update`, `Delete`) and its workflow steps.

    Reads: `Model.objects.visible_to(user)`, so another country's object answers 404.
    Writes: each resource implements `perform_create/update/destroy` with one function of
    `governance.actions`, which checks the permission again and validates. A visible object
    the caller may not change answers 403 before its data is even validated.
    """

    model = None
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    ordering = ("pk",)

    def get_queryset(self):
        return (self.model.objects.visible_to(self.request.user)
                .select_related(*self.select_related)
                .prefetch_related(*self.prefetch_related))

    def get_object(self):
        obj = super().get_object()
        if self.action in ("update", "partial_update", "destroy") and not access.can_manage(
                self.request.user, obj):
            raise exceptions.PermissionDenied(_("Your roles do not allow this."))
        return obj

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if isinstance(exc, Conflict) and isinstance(response.data, dict):
            response.data["error"]["current"] = exc.current
        return response

    def _answer(self, obj, serializer_class=None, status_code=status.HTTP_200_OK):
        serializer_class = serializer_class or self.get_serializer_class()
        return Response(serializer_class(obj, context=self.get_serializer_context()).data,
                        status=status_code)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data,
                                      context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class Create(mixins.CreateModelMixin):
    # Needed somewhere to create: checked before validation; the action checks the country.
    create_permission = Perm.GOVERN

    def create(self, request, *args, **kwargs):
        if not access.can(request.user, self.create_permission):
            raise exceptions.PermissionDenied(_("Your roles do not allow this."))
        return super().create(request, *args, **kwargs)


Update = mixins.UpdateModelMixin
Delete = mixins.DestroyModelMixin


def _docs(plural: str, writes: str):
    return f"{plural}, within the caller's scope: {writes}."


# --- the OMT, its members and chairs ----------------------------------------------------------


class OmtViewSet(Create, Update, GovernanceViewSet):
    __doc__ = _docs("OMTs (one per country team)", "list, read, create and change")
    model = Omt
    serializer_class = OmtSerializer
    filterset_class = OmtFilterSet
    ordering = ("country__name", "pk")
    ordering_fields = ["name", "created_at"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = actions.omt_create(country=data.pop("country"),
                                                 by=self.request.user, data=data)

    def perform_update(self, serializer):
        serializer.instance = actions.omt_update(omt=serializer.instance, by=self.request.user,
                                                 data=dict(serializer.validated_data))


class MembershipViewSet(Create, Update, Delete, GovernanceViewSet):
    __doc__ = _docs("OMT memberships (G1)", "list, read, add, change and end")
    model = Membership
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
    select_related = ("omt",)
    ordering = ("omt", "agency__acronym", "pk")
    ordering_fields = ["since", "created_at"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = actions.membership_save(omt=data.pop("omt"),
                                                      by=self.request.user, data=data)

    def perform_update(self, serializer):
        membership = serializer.instance
        serializer.instance = actions.membership_save(
            omt=membership.omt, membership=membership, by=self.request.user,
            data=dict(serializer.validated_data))

    def perform_destroy(self, instance):
        actions.membership_end(membership=instance, by=self.request.user)


class ChairTermViewSet(Create, Update, GovernanceViewSet):
    __doc__ = _docs("Chair terms (G2; never deleted: they are the history)",
                    "list, read, record and change")
    model = ChairTerm
    serializer_class = ChairTermSerializer
    filterset_class = ChairTermFilterSet
    select_related = ("omt", "agency")
    ordering = ("-starts_on", "role", "pk")
    ordering_fields = ["starts_on", "ends_on", "role"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = actions.chair_term_record(
            omt=data["omt"], by=self.request.user, role=data["role"], agency=data["agency"],
            person=data["person"], starts_on=data["starts_on"], ends_on=data.get("ends_on"),
            decision=data.get("decision"))

    def perform_update(self, serializer):
        term, data = serializer.instance, serializer.validated_data
        serializer.instance = actions.chair_term_record(
            omt=term.omt, by=self.request.user, term=term,
            role=data.get("role", term.role), agency=data.get("agency", term.agency),
            person=data.get("person", term.person),
            starts_on=data.get("starts_on", term.starts_on),
            ends_on=data.get("ends_on", term.ends_on),
            decision=data.get("decision", term.decision))


# --- task forces ------------------------------------------------------------------------------


class TaskForceViewSet(Create, Update, GovernanceViewSet):
    __doc__ = _docs("Task forces and working groups (G10)", "list, read, create and change")
    model = TaskForce
    serializer_class = TaskForceSerializer
    filterset_class = TaskForceFilterSet
    select_related = ("omt",)
    ordering = ("name", "pk")
    ordering_fields = ["name", "starts_on", "ends_on"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = actions.task_force_save(omt=data.pop("omt"),
                                                      by=self.request.user, data=data)

    def perform_update(self, serializer):
        task_force = serializer.instance
        serializer.instance = actions.task_force_save(
            omt=task_force.omt, task_force=task_force, by=self.request.user,
            data=dict(serializer.validated_data))


class TaskForceMemberViewSet(Create, Delete, GovernanceViewSet):
    __doc__ = _docs("Task-force members (G10)", "list, read, add and remove")
    model = TaskForceMember
    serializer_class = TaskForceMemberSerializer
    filterset_class = TaskForceMemberFilterSet
    ordering = ("task_force", "person__last_name", "pk")
    ordering_fields = ["created_at"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = actions.task_force_member_add(
            task_force=data["task_force"], by=self.request.user, person=data["person"],
            expertise=data.get("expertise", ""))

    def perform_destroy(self, instance):
        actions.task_force_member_remove(member=instance, by=self.request.user)


# --- meetings, agendas, attendance ------------------------------------------------------------


class MeetingViewSet(Create, Update, GovernanceViewSet):
    __doc__ = _docs(
        "OMT meetings (G3, G4, G5, G8, G9)",
        "list, read, schedule (with the standard agenda) and change; send the agenda, "
        "cancel, record attendance, see the quorum, start the minutes")
    model = Meeting
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    select_related = ("omt",)
    ordering = ("-starts_at", "pk")
    ordering_fields = ["starts_at", "title", "status"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = actions.meeting_schedule(
            omt=data["omt"], by=self.request.user, title=data["title"],
            starts_at=data["starts_at"], ends_at=data["ends_at"],
            kind=data.get("kind", MeetingKind.REGULAR), location=data.get("location", ""))

    def perform_update(self, serializer):
        serializer.instance = actions.meeting_update(meeting=serializer.instance,
                                                     by=self.request.user,
                                                     data=dict(serializer.validated_data))

    @extend_schema(request=None, responses=MeetingSerializer,
                   summary="Send the agenda to every member and alternate (G4)",
                   description="E-mails the agenda with an iCalendar invitation. A late "
                               "agenda is sent and recorded as late; sending twice is refused.")
    @action(detail=True, methods=["post"], url_path="send-agenda")
    def send_agenda(self, request, pk=None, **kwargs):
        meeting = actions.agenda_send(meeting=self.get_object(), by=request.user)
        return self._answer(meeting)

    @extend_schema(request=None, responses=MeetingSerializer, summary="Cancel the meeting")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None, **kwargs):
        return self._answer(actions.meeting_cancel(meeting=self.get_object(), by=request.user))

    @extend_schema(request=AttendanceSerializer, responses={201: AttendanceSerializer},
                   summary="Record who attended (G5)",
                   description="Members and alternates attend for their agency (anyone else "
                               "is refused in that capacity); guests are named.")
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None, **kwargs):
        meeting = self.get_object()
        data = self._input(AttendanceSerializer)
        attendance = actions.attendance_record(
            meeting=meeting, by=request.user, capacity=data["capacity"],
            status=data.get("status", AttendanceStatus.PRESENT), person=data.get("person"),
            guest_name=data.get("guest_name", ""))
        return self._answer(attendance, AttendanceSerializer, status.HTTP_201_CREATED)

    @extend_schema(responses=QuorumSerializer, summary="The quorum so far (G5)")
    @action(detail=True, methods=["get"])
    def quorum(self, request, pk=None, **kwargs):
        return Response(QuorumSerializer(queries.quorum(self.get_object())).data)

    @extend_schema(request=None, responses={201: MinutesSerializer},
                   summary="Start the draft minutes, one item per agenda item (G7)")
    @action(detail=True, methods=["post"], url_path="start-minutes")
    def start_minutes(self, request, pk=None, **kwargs):
        minutes = actions.minutes_start(meeting=self.get_object(), by=request.user)
        return self._answer(minutes, MinutesSerializer, status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "text/calendar"): OpenApiTypes.BINARY},
                   summary="The meeting's iCalendar invitation",
                   description="Also at `meetings/{id}/invitation.ics`.")
    @action(detail=True, methods=["get"], renderer_classes=[CalendarRenderer])
    def invitation(self, request, pk=None, **kwargs):
        meeting = self.get_object()
        ics = notifications.meeting_ics(meeting, actions.member_recipients(meeting.omt))
        response = Response(ics, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
        return response


class AgendaItemViewSet(Create, Update, Delete, GovernanceViewSet):
    __doc__ = _docs("Agenda items (G8)", "list, read, add, change, move and delete, while "
                                         "the meeting is not held or cancelled")
    model = AgendaItem
    serializer_class = AgendaItemSerializer
    filterset_class = AgendaItemFilterSet
    select_related = ("meeting",)
    ordering = ("meeting", "position", "pk")
    ordering_fields = ["position"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = actions.agenda_item_save(meeting=data.pop("meeting"),
                                                       by=self.request.user, data=data)

    def perform_update(self, serializer):
        item = serializer.instance
        serializer.instance = actions.agenda_item_save(meeting=item.meeting, item=item,
                                                       by=self.request.user,
                                                       data=dict(serializer.validated_data))

    def perform_destroy(self, instance):
        actions.agenda_item_delete(item=instance, by=self.request.user)

    @extend_schema(request=AgendaMoveSerializer, responses=AgendaItemSerializer,
                   summary="Move the item one place up or down")
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None, **kwargs):
        item = self.get_object()
        data = self._input(AgendaMoveSerializer)
        actions.agenda_item_move(item=item, by=request.user, up=data["direction"] == "up")
        item.refresh_from_db(fields=["position"])
        return self._answer(item)


class AttendanceViewSet(Delete, GovernanceViewSet):
    __doc__ = _docs("Attendance (G5)", "list, read and remove; record it with "
                                       "POST meetings/{id}/attendance/")
    model = Attendance
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilterSet
    ordering = ("meeting", "capacity", "agency__acronym", "pk")
    ordering_fields = ["capacity", "status"]

    def perform_destroy(self, instance):
        actions.attendance_remove(attendance=instance, by=self.request.user)


# --- minutes ----------------------------------------------------------------------------------


class MinutesViewSet(GovernanceViewSet):
    __doc__ = _docs("Minutes (G6, G7)", "list and read; circulate, finalise, share and "
                                        "correct. Start them with POST meetings/{id}/"
                                        "start-minutes/")
    model = Minutes
    serializer_class = MinutesSerializer
    filterset_class = MinutesFilterSet
    prefetch_related = ("items",)
    ordering = ("-meeting__starts_at", "-version", "pk")
    ordering_fields = ["version", "status", "circulated_at"]

    @extend_schema(request=None, responses=MinutesSerializer,
                   summary="Circulate the draft to the members for comments (G6)",
                   description="Opens the comment period; circulation later than seven days "
                               "after the meeting is recorded as late.")
    @action(detail=True, methods=["post"])
    def circulate(self, request, pk=None, **kwargs):
        return self._answer(actions.minutes_circulate(minutes=self.get_object(),
                                                      by=request.user))

    @extend_schema(request=None, responses=MinutesSerializer,
                   summary="Finalise the minutes; from then on they are read-only (G6)")
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None, **kwargs):
        return self._answer(actions.minutes_finalise(minutes=self.get_object(),
                                                     by=request.user))

    @extend_schema(request=None, responses=MinutesSerializer,
                   summary="Share the finalised minutes with the UNCT (G6)")
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None, **kwargs):
        return self._answer(actions.minutes_share(minutes=self.get_object(), by=request.user))

    @extend_schema(request=None, responses={201: MinutesSerializer},
                   summary="Correct finalised minutes: a new version (G6)")
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None, **kwargs):
        new = actions.minutes_correct(minutes=self.get_object(), by=request.user)
        return self._answer(Minutes.objects.prefetch_related("items").get(pk=new.pk),
                            status_code=status.HTTP_201_CREATED)


@extend_schema_view(
    partial_update=extend_schema(
        description="Change the title, discussion or decisions. `revision` is required: a "
                    "save from an older revision answers 409 with the current item under "
                    "`error.current`.",
        responses={200: MinutesItemSerializer, 409: OpenApiTypes.OBJECT}),
    update=extend_schema(responses={200: MinutesItemSerializer, 409: OpenApiTypes.OBJECT}),
)
class MinutesItemViewSet(Create, Update, GovernanceViewSet):
    __doc__ = _docs("Minutes items (G7)", "list, read, add and change (with the revision "
                                          "read); comment on them; record their actions")
    model = MinutesItem
    serializer_class = MinutesItemSerializer
    filterset_class = MinutesItemFilterSet
    select_related = ("minutes__meeting",)
    ordering = ("minutes", "position", "pk")
    ordering_fields = ["position"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        with transaction.atomic():
            item = actions.minutes_item_add(minutes=data["minutes"], by=self.request.user,
                                            title=data["title"])
            text = {name: data[name] for name in ("discussion", "decisions") if name in data}
            if text:
                item = self._save(item, text, item.revision)
        serializer.instance = item

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        revision = data.pop("revision")
        serializer.instance = self._save(serializer.instance, data, revision)

    def _save(self, item, data, revision):
        try:
            return actions.minutes_item_save(
                item=item, by=self.request.user, data=data, revision=revision)
        except actions.EditConflict as conflict:
            current = MinutesItemSerializer(conflict.current,
                                            context=self.get_serializer_context()).data
            raise Conflict(str(conflict), current) from conflict

    @extend_schema(request=MinutesCommentSerializer, responses={201: MinutesCommentSerializer},
                   summary="Comment on the item while the minutes are circulated (G6)")
    @action(detail=True, methods=["post"])
    def comments(self, request, pk=None, **kwargs):
        item = self.get_object()
        data = self._input(MinutesCommentSerializer)
        comment = actions.minutes_comment(item=item, by=request.user, text=data["text"],
                                          reply_to=data.get("reply_to"))
        return self._answer(comment, MinutesCommentSerializer, status.HTTP_201_CREATED)

    @extend_schema(request=ItemActionSerializer, responses={201: ActionSerializer},
                   summary="Record an action under this item (G7: one responsible and a "
                           "deadline)")
    @action(detail=True, methods=["post"], url_path="actions")
    def record_action(self, request, pk=None, **kwargs):
        item = self.get_object()
        omt = item.minutes.meeting.omt
        serializer = ItemActionSerializer(data=request.data, context={
            **self.get_serializer_context(), "omt": omt})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        recorded = actions.action_create(
            omt=omt, by=request.user, minutes_item=item,
            title=data["title"], due_on=data.get("due_on"),
            owner_person=data.get("owner_person"), owner_agency=data.get("owner_agency"),
            task_force=data.get("task_force"))
        return self._answer(recorded, ActionSerializer, status.HTTP_201_CREATED)


class MinutesCommentViewSet(GovernanceViewSet):
    __doc__ = _docs("Comments on minutes (G6)", "list and read; comment with "
                                                "POST minutes-items/{id}/comments/")
    model = MinutesComment
    serializer_class = MinutesCommentSerializer
    filterset_class = MinutesCommentFilterSet
    ordering = ("item", "created_at", "pk")
    ordering_fields = ["created_at"]


# --- actions, escalations, UNCT decisions -----------------------------------------------------


class ActionViewSet(Create, GovernanceViewSet):
    __doc__ = _docs("The action tracker (G7), with each action's state (open, due_soon, "
                    "overdue, done)", "list, read and record; complete with a note")
    model = Action
    serializer_class = ActionSerializer
    filterset_class = ActionFilterSet
    ordering = ("status", "due_on", "pk")
    ordering_fields = ["due_on", "status", "state", "created_at"]

    def get_queryset(self):
        return queries.with_state(super().get_queryset(), today=timezone.localdate())

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = actions.action_create(
            omt=data["omt"], by=self.request.user, title=data["title"],
            due_on=data.get("due_on"), owner_person=data.get("owner_person"),
            owner_agency=data.get("owner_agency"), minutes_item=data.get("minutes_item"),
            meeting=data.get("meeting"), task_force=data.get("task_force"))

    @extend_schema(request=ActionCompleteSerializer, responses=ActionSerializer,
                   summary="Close the action with a note on how it was done",
                   description="The person responsible, a member for the responsible "
                               "agency, or the OMT's chair or secretary.")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None, **kwargs):
        action_ = self.get_object()
        data = self._input(ActionCompleteSerializer)
        done = actions.action_complete(action=action_, by=request.user, note=data["note"])
        return self._answer(self.get_queryset().get(pk=done.pk))  # its state, read again


class EscalationViewSet(Create, GovernanceViewSet):
    __doc__ = _docs("Escalations to the UNCT (G11)", "list, read and raise; the UNCT decides")
    model = Escalation
    serializer_class = EscalationSerializer
    filterset_class = EscalationFilterSet
    select_related = ("decision",)
    ordering = ("status", "-created_at", "pk")
    ordering_fields = ["status", "created_at"]
    create_permission = Perm.COMMENT_MINUTES

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = actions.escalation_raise(
            omt=data["omt"], by=self.request.user, subject=data["subject"],
            positions=data["positions"], minutes_item=data.get("minutes_item"))

    @extend_schema(request=EscalationDecideSerializer, responses=EscalationSerializer,
                   summary="Record the UNCT's decision (G11)",
                   description="Only the UNCT (the RC and the heads of agency) decides.")
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None, **kwargs):
        escalation = self.get_object()
        data = self._input(EscalationDecideSerializer)
        decided = actions.escalation_decide(escalation=escalation, by=request.user,
                                            decided_on=data["decided_on"], text=data["text"])
        return self._answer(decided)


class UnctDecisionViewSet(Create, GovernanceViewSet):
    __doc__ = _docs("UNCT decisions on OMT matters (G2, G11)", "list, read and record")
    model = UnctDecision
    serializer_class = UnctDecisionSerializer
    filterset_class = UnctDecisionFilterSet
    ordering = ("-decided_on", "pk")
    ordering_fields = ["decided_on", "kind"]
    create_permission = Perm.UNCT_DECIDE

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = actions.unct_decision_record(
            country=data["country"], by=self.request.user, kind=data["kind"],
            decided_on=data["decided_on"], subject=data["subject"], text=data["text"])


router.register("omts", OmtViewSet, basename="omt")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("chair-terms", ChairTermViewSet, basename="chairterm")
router.register("task-forces", TaskForceViewSet, basename="taskforce")
router.register("task-force-members", TaskForceMemberViewSet, basename="taskforcemember")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("agenda-items", AgendaItemViewSet, basename="agendaitem")
router.register("attendance", AttendanceViewSet, basename="attendance")
router.register("minutes", MinutesViewSet, basename="minutes")
router.register("minutes-items", MinutesItemViewSet, basename="minutesitem")
router.register("minutes-comments", MinutesCommentViewSet, basename="minutescomment")
router.register("actions", ActionViewSet, basename="action")
router.register("escalations", EscalationViewSet, basename="escalation")
router.register("unct-decisions", UnctDecisionViewSet, basename="unctdecision")
