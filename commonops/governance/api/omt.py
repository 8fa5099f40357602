"""The API of the OMT, its members (G1), chair terms (G2), task forces (G10) and the UNCT's
decisions (G2, G11)."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from commonops.core.api_base import ScopedModelSerializer, ScopedViewSet, router
from commonops.governance.api.common import STAMPS, described
from commonops.governance.models import (
    ChairTerm,
    Membership,
    Omt,
    TaskForce,
    TaskForceMember,
    UnctDecision,
)
from commonops.governance.views import omt as pages

# validators = []: the model's constraints are checked by the action's full_clean, which
# says so in the words of their violation_error_message.


class OmtSerializer(ScopedModelSerializer):
    class Meta:
        model = Omt
        fields = ["id", "country", "name", "secretariat", "secretary", "me_focal_point",
                  "comment_period_days", "default_location", *STAMPS]
        read_only_fields = ["id", *STAMPS]
        validators = []


class MembershipSerializer(ScopedModelSerializer):
    without_alternate = serializers.SerializerMethodField(
        help_text=gettext_lazy("G1: every member must have a designated alternate."))

    class Meta:
        model = Membership
        fields = ["id", "omt", "agency", "member", "alternate", "since", "without_alternate",
                  *STAMPS]
        read_only_fields = ["id", *STAMPS]
        validators = []

    def get_without_alternate(self, membership) -> bool:
        return membership.alternate_id is None


class ChairTermSerializer(ScopedModelSerializer):
    ends_on = serializers.DateField(
        required=False, help_text=gettext_lazy("G2: by default the end of the calendar year."))

    class Meta:
        model = ChairTerm
        fields = ["id", "omt", "role", "agency", "person", "starts_on", "ends_on", "decision",
                  *STAMPS]
        read_only_fields = ["id", *STAMPS]
        validators = []


class TaskForceSerializer(ScopedModelSerializer):
    class Meta:
        model = TaskForce
        fields = ["id", "omt", "name", "service_line", "coordinating_agency", "chair",
                  "mandate", "starts_on", "ends_on", *STAMPS]
        read_only_fields = ["id", *STAMPS]
        validators = []


class TaskForceMemberSerializer(ScopedModelSerializer):
    class Meta:
        model = TaskForceMember
        fields = ["id", "task_force", "person", "expertise", *STAMPS]
        read_only_fields = ["id", *STAMPS]
        validators = []


class UnctDecisionSerializer(ScopedModelSerializer):
    class Meta:
        model = UnctDecision
        fields = ["id", "country", "kind", "decided_on", "subject", "text", *STAMPS]
        read_only_fields = ["id", *STAMPS]
        validators = []


class OmtViewSet(ScopedViewSet):
    __doc__ = described("OMTs (one per country team)", "list, read, create and change")
    pages = pages.OmtPages
    serializer_class = OmtSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering = ("country__name", "pk")
    ordering_fields = ["name", "created_at"]


class MembershipViewSet(ScopedViewSet):
    __doc__ = described("OMT memberships (G1)", "list, read, add, change and end")
    pages = pages.MembershipPages
    serializer_class = MembershipSerializer
    ordering = ("omt", "agency__acronym", "pk")
    ordering_fields = ["since", "created_at"]


class ChairTermViewSet(ScopedViewSet):
    __doc__ = described("Chair terms (G2; never deleted: they are the history)",
                        "list, read, record and change")
    pages = pages.ChairTermPages
    serializer_class = ChairTermSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering = ("-starts_on", "role", "pk")
    ordering_fields = ["starts_on", "ends_on", "role"]


class TaskForceViewSet(ScopedViewSet):
    __doc__ = described("Task forces and working groups (G10)",
                        "list, read, create and change")
    pages = pages.TaskForcePages
    serializer_class = TaskForceSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering = ("name", "pk")
    ordering_fields = ["name", "starts_on", "ends_on"]


class TaskForceMemberViewSet(ScopedViewSet):
    __doc__ = described("Task-force members (G10)", "list, read, add and remove")
    pages = pages.TaskForceMemberPages
    serializer_class = TaskForceMemberSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]
    ordering = ("task_force", "person__last_name", "pk")
    ordering_fields = ["created_at"]


class UnctDecisionViewSet(ScopedViewSet):
    __doc__ = described("UNCT decisions on OMT matters (G2, G11)", "list, read and record")
    pages = pages.UnctDecisionPages
    serializer_class = UnctDecisionSerializer
    http_method_names = ["get", "post", "head", "options"]
    ordering = ("-decided_on", "pk")
    ordering_fields = ["decided_on", "kind"]


router.register("omts", OmtViewSet, basename="omt")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("chair-terms", ChairTermViewSet, basename="chairterm")
router.register("task-forces", TaskForceViewSet, basename="taskforce")
router.register("task-force-members", TaskForceMemberViewSet, basename="taskforcemember")
router.register("unct-decisions", UnctDecisionViewSet, basename="unctdecision")
