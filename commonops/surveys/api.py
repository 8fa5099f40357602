"""API of surveys: surveys and questions (CRUD with the pages' rules), invitations (read
only, never the tokens), the workflow steps and the results (Q1).

The steps of surveys/workflows.py: `POST /api/surveys/{id}/open/` {"services": [ids]},
`POST …/invite/` {"include_client_staff", "extra_emails", "extra_agency"}, `POST …/close/`;
then `GET …/results/`,
`POST /api/survey-questions/{id}/move/` {"direction": "up" | "down"}.
"""

from dataclasses import asdict

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from commonops.core import access
from commonops.core.api_base import ScopedModelSerializer, ScopedViewSet, router
from commonops.core.roles import Perm
from commonops.core.workflow import workflow_action
from commonops.surveys import actions, queries, views
from commonops.surveys.filters import InvitationFilterSet
from commonops.surveys.models import Invitation, Question, Survey
from commonops.surveys.workflows import SURVEY_WORKFLOW

_STAMPS = ["created_at", "updated_at"]


class SurveySerializer(ScopedModelSerializer):
    class Meta:
        model = Survey
        fields = ["id", "country", "title", "year", "status", "opens_on", "closes_on", "intro",
                  "closed_at", *_STAMPS]
        read_only_fields = ["id", "status", "closed_at", *_STAMPS]

    def validate_country(self, country):
        if self.instance is not None and country != self.instance.country:
            raise serializers.ValidationError(_("A survey stays in its country."))
        return country


class QuestionSerializer(ScopedModelSerializer):
    position = serializers.IntegerField(min_value=1, required=False)

    class Meta:
        model = Question
        fields = ["id", "survey", "position", "service", "kind", "text", *_STAMPS]
        read_only_fields = ["id", *_STAMPS]

    def validate_survey(self, survey):
        if self.instance is not None and survey != self.instance.survey:
            raise serializers.ValidationError(_("A question stays in its survey."))
        return survey


class InvitationSerializer(ScopedModelSerializer):
    class Meta:
        model = Invitation
        fields = ["id", "survey", "email", "agency", "sent_at", "used_at", *_STAMPS]
        read_only_fields = fields


class MoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["up", "down"])


def _managed(request, survey) -> None:
    if not access.can(request.user, Perm.MANAGE_SURVEYS, survey.country_id):
        raise PermissionDenied()


class SurveyViewSet(ScopedViewSet):
    """Client-satisfaction surveys (Q1); workflow: open, invite, close; results."""

    pages = views.SurveyPages
    serializer_class = SurveySerializer

    step = workflow_action(SURVEY_WORKFLOW)  # Q1: open, invite, close

    @extend_schema(summary="Satisfaction per question, agency and overall (Q1)",
                   responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        survey = self.get_object()
        if not (survey.is_closed
                or access.can(request.user, Perm.MANAGE_SURVEYS, survey.country_id)):
            raise PermissionDenied(_("The results are shown once the survey is closed."))
        results = queries.survey_results(survey, other_label=_("Other agencies"),
                                         overall_label=_("All respondents"))
        body = asdict(results)
        body["agencies"] = body.pop("agencies") + (
            [body["other_agencies"]] if body["other_agencies"] else [])
        body.pop("other_agencies")
        body["comments"] = [{"question": q, "texts": t} for q, t in results.comments]
        return Response(body)


class QuestionViewSet(ScopedViewSet):
    """Questions of draft surveys."""

    pages = views.QuestionPages
    serializer_class = QuestionSerializer

    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        question = self.get_object()
        _managed(request, question)
        data = MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.question_move(question=question, up=data.validated_data["direction"] == "up",
                              by=request.user)
        question.refresh_from_db()
        return Response(QuestionSerializer(question,
                                           context=self.get_serializer_context()).data)


class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """Who was invited and who has answered (never what, and never the link's token)."""

    serializer_class = InvitationSerializer
    filterset_class = InvitationFilterSet

    def get_queryset(self):
        return Invitation.objects.visible_to(self.request.user).order_by("pk")


router.register("surveys", SurveyViewSet, basename="survey")
router.register("survey-questions", QuestionViewSet, basename="question")
router.register("survey-invitations", InvitationViewSet, basename="invitation")
