"""The API of minutes (G5, G6, G7): versions, items (with optimistic locking), comments and
the actions recorded under an item.

The workflow steps are `POST minutes/{id}/<step>/` (circulate, finalise, share, correct),
one generic action over `MINUTES_WORKFLOW`; the minutes are started with
`POST meetings/{id}/start-minutes/`."""

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from commonops.core.api_base import ScopedModelSerializer, ScopedViewSet, router
from commonops.core.workflow import workflow_action
from commonops.governance import actions
from commonops.governance.api.common import STAMPS, Conflict, described
from commonops.governance.api.tracker import ActionSerializer
from commonops.governance.models import Minutes, MinutesComment, MinutesItem
from commonops.governance.views import minutes as pages
from commonops.governance.workflows import MINUTES_WORKFLOW


class MinutesItemSerializer(ScopedModelSerializer):
    """Changing an item needs the `revision` it was read at: a save from an older revision
    answers 409 with the current text (optimistic locking; nobody's text is lost)."""

    revision = serializers.IntegerField(
        min_value=1, required=False,
        help_text=gettext_lazy("The revision the text was read at; required to change it."))

    class Meta:
        model = MinutesItem
        fields = ["id", "minutes", "position", "title", "discussion", "decisions",
                  "without_quorum", "revision", *STAMPS]
        read_only_fields = ["id", "position", "without_quorum", *STAMPS]
        validators = []


class MinutesSerializer(ScopedModelSerializer):
    items = MinutesItemSerializer(many=True, read_only=True)

    class Meta:
        model = Minutes
        fields = ["id", "meeting", "version", "corrects", "status", "summary",
                  "circulated_at", "circulated_late", "comments_until", "finalised_at",
                  "finalised_by", "shared_at", "items", *STAMPS]
        read_only_fields = fields


class MinutesCommentSerializer(ScopedModelSerializer):
    class Meta:
        model = MinutesComment
        fields = ["id", "item", "author", "text", "reply_to", *STAMPS]
        read_only_fields = ["id", "item", "author", *STAMPS]
        validators = []


class ItemActionSerializer(ActionSerializer):
    """An action recorded under a minutes item: its OMT and meeting come from the item."""

    class Meta(ActionSerializer.Meta):
        read_only_fields = ["id", "omt", "minutes_item", "meeting", "status", "done_on",
                            "done_note", *STAMPS]


class _ReadScoped(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Read only: rows come from the pages' scoped queryset, filtered like the pages."""

    pages = None

    def get_queryset(self):
        return self.pages.queryset(self.request).order_by("pk")

    @property
    def filterset_class(self):
        return self.pages.filterset


class MinutesViewSet(_ReadScoped):
    __doc__ = described("Minutes (G6, G7)", "list and read; circulate, finalise, share and "
                                            "correct (`POST minutes/{id}/<step>/`). Start "
                                            "them with POST meetings/{id}/start-minutes/")
    pages = pages.MinutesPages
    serializer_class = MinutesSerializer
    ordering = ("-meeting__starts_at", "-version", "pk")
    ordering_fields = ["version", "status", "circulated_at"]

    step = workflow_action(MINUTES_WORKFLOW)  # G6: circulate, finalise, share, correct

    def get_queryset(self):
        return super().get_queryset().prefetch_related("items")


@extend_schema_view(
    partial_update=extend_schema(
        description="Change the title, discussion or decisions. `revision` is required: a "
                    "save from an older revision answers 409 with the current item under "
                    "`error.current`.",
        responses={200: MinutesItemSerializer, 409: OpenApiTypes.OBJECT}),
    update=extend_schema(responses={200: MinutesItemSerializer, 409: OpenApiTypes.OBJECT}),
)
class MinutesItemViewSet(ScopedViewSet):
    __doc__ = described("Minutes items (G7)", "list, read, add and change (with the revision "
                                              "read); comment on them; record their actions")
    pages = pages.MinutesItemPages
    serializer_class = MinutesItemSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering = ("minutes", "position", "pk")
    ordering_fields = ["position"]

    def perform_update(self, serializer):
        try:
            super().perform_update(serializer)
        except actions.EditConflict as conflict:
            current = MinutesItemSerializer(conflict.current,
                                            context=self.get_serializer_context()).data
            raise Conflict(str(conflict), current) from conflict

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if isinstance(exc, Conflict) and isinstance(response.data, dict):
            response.data["error"]["current"] = exc.current
        return response

    @extend_schema(request=MinutesCommentSerializer, responses={201: MinutesCommentSerializer},
                   summary="Comment on the item while the minutes are circulated (G6)")
    @action(detail=True, methods=["post"])
    def comments(self, request, pk=None, **kwargs):
        item = self.get_object()
        serializer = MinutesCommentSerializer(data=request.data,
                                              context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        comment = actions.minutes_comment_create(by=request.user, data={
            **serializer.validated_data, "item": item})
        return Response(MinutesCommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ItemActionSerializer, responses={201: ActionSerializer},
                   summary="Record an action under this item (G7: one responsible and a "
                           "deadline)")
    @action(detail=True, methods=["post"], url_path="actions")
    def record_action(self, request, pk=None, **kwargs):
        item = self.get_object()
        serializer = ItemActionSerializer(data=request.data,
                                          context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        recorded = actions.action_create(by=request.user, data={
            **serializer.validated_data, "omt": item.minutes.meeting.omt,
            "minutes_item": item})
        return Response(ActionSerializer(recorded).data, status=status.HTTP_201_CREATED)


class MinutesCommentViewSet(_ReadScoped):
    __doc__ = described("Comments on minutes (G6)", "list and read; comment with "
                                                    "POST minutes-items/{id}/comments/")
    pages = pages.MinutesCommentPages
    serializer_class = MinutesCommentSerializer
    ordering = ("item", "created_at", "pk")
    ordering_fields = ["created_at"]


router.register("minutes", MinutesViewSet, basename="minutes")
router.register("minutes-items", MinutesItemViewSet, basename="minutesitem")
router.register("minutes-comments", MinutesCommentViewSet, basename="minutescomment")
