"""The API of the action tracker (G7) and of escalations to the UNCT (G11).

Closing an action is `POST actions/{id}/complete/` and the UNCT's decision
`POST escalations/{id}/decide/`, each the generic action over its workflow."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commonops.core.api_base import ScopedModelSerializer, ScopedViewSet, router
from commonops.core.workflow import workflow_action
from commonops.governance.api.common import STAMPS, described
from commonops.governance.api.omt import UnctDecisionSerializer
from commonops.governance.filters import ACTION_STATES
from commonops.governance.models import Action, Escalation
from commonops.governance.templatetags.governance import state_of
from commonops.governance.views import tracker as pages
from commonops.governance.workflows import ACTION_WORKFLOW, ESCALATION_WORKFLOW


class ActionSerializer(ScopedModelSerializer):
    # G7 is the action's rule: a missing owner or deadline is answered by it, with the rule id.
    due_on = serializers.DateField(required=False, allow_null=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = ["id", "omt", "minutes_item", "meeting", "task_force", "title",
                  "owner_person", "owner_agency", "due_on", "status", "state", "done_on",
                  "done_note", *STAMPS]
        read_only_fields = ["id", "status", "done_on", "done_note", *STAMPS]
        validators = []

    @extend_schema_field(serializers.ChoiceField(choices=ACTION_STATES))
    def get_state(self, obj):
        return state_of(obj)  # annotated in SQL on lists (queries.with_state)


class EscalationSerializer(ScopedModelSerializer):
    decision = UnctDecisionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Escalation
        fields = ["id", "omt", "minutes_item", "subject", "positions", "raised_by", "status",
                  "decision", *STAMPS]
        read_only_fields = ["id", "raised_by", "status", "decision", *STAMPS]
        validators = []


class ActionViewSet(ScopedViewSet):
    __doc__ = described("The action tracker (G7), with each action's state (open, due_soon, "
                        "overdue, done)", "list, read, record and change; complete with a "
                        "note (`POST actions/{id}/complete/`: the person responsible, a "
                        "member for the responsible agency, or the OMT's chair or secretary)")
    pages = pages.ActionPages
    serializer_class = ActionSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering = ("status", "due_on", "pk")
    ordering_fields = ["due_on", "status", "state", "created_at"]

    step = workflow_action(ACTION_WORKFLOW)  # G7: complete


class EscalationViewSet(ScopedViewSet):
    __doc__ = described("Escalations to the UNCT (G11)",
                        "list, read and raise; the UNCT decides "
                        "(`POST escalations/{id}/decide/`)")
    pages = pages.EscalationPages
    serializer_class = EscalationSerializer
    http_method_names = ["get", "post", "head", "options"]
    ordering = ("status", "-created_at", "pk")
    ordering_fields = ["status", "created_at"]

    step = workflow_action(ESCALATION_WORKFLOW)  # G11: decide


router.register("actions", ActionViewSet, basename="action")
router.register("escalations", EscalationViewSet, basename="escalation")
