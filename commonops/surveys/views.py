"""Pages of client-satisfaction surveys (Q1, S6).

Surveys and questions use the generic `ObjectPages`; opening, inviting and closing are the
steps of surveys/workflows.py; the results have a page of their own; answering is the one
page reached without logging in, through a single-use link.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from commonops.core import access
from commonops.core.generic import ObjectPages, add_validation_errors
from commonops.core.roles import Perm
from commonops.surveys import actions, filters, forms, queries
from commonops.surveys.models import Question, Survey


class _SurveysPages(ObjectPages):
    namespace = "surveys"


class SurveyPages(_SurveysPages):
    """Q1: the client-satisfaction surveys of a country team."""

    model = Survey
    name = "survey"
    segment = "surveys"
    filterset = filters.SurveyFilterSet
    form = forms.SurveyForm
    select_related = ("country",)
    columns = [("title", L("Survey")), ("year", L("Year")), ("status", L("Status")),
               ("opens_on", L("Opens")), ("closes_on", L("Closes")), ("country", L("Country"))]
    detail_fields = ["country", "title", "year", "status", "opens_on", "closes_on", "intro"]
    detail_template = "surveys/survey_detail.html"

    create_action = staticmethod(actions.survey_create)
    update_action = staticmethod(actions.survey_update)
    delete_action = staticmethod(actions.survey_delete)

    @classmethod
    def detail_context(cls, request, obj):
        can_manage = access.can(request.user, Perm.MANAGE_SURVEYS, obj.country_id)
        return {
            "questions": list(obj.questions.select_related("service")),
            "counts": queries.invitation_counts(obj),
            "can_manage": can_manage,
            "may_see_results": obj.is_closed or can_manage,
        }


class QuestionPages(_SurveysPages):
    """The questions of a draft survey: a 1–5 rating of a service, or a general question."""

    model = Question
    name = "question"
    segment = "questions"
    filterset = filters.QuestionFilterSet
    form = forms.QuestionForm
    select_related = ("survey", "service", "country")
    columns = [("text", L("Question")), ("survey", L("Survey")), ("position", L("Position")),
               ("service", L("Common service")), ("kind", L("Kind")),
               ("country", L("Country"))]
    detail_fields = ["survey", "position", "service", "kind", "text"]

    create_action = staticmethod(actions.question_create)
    update_action = staticmethod(actions.question_update)
    delete_action = staticmethod(actions.question_delete)


# --- ordering the questions; the survey's workflow (Q1) is in surveys/workflows.py ----------


@login_required
@require_POST
def question_move(request, pk):
    question = access.get_visible_or_404(Question.objects.select_related("survey"),
                                         request.user, pk=pk)
    access.require(request.user, Perm.MANAGE_SURVEYS, question.country_id)
    try:
        actions.question_move(question=question, up=request.POST.get("direction") != "down",
                              by=request.user)
    except ValidationError as error:  # the survey was opened meanwhile
        messages.error(request, " ".join(error.messages))
    return HttpResponseRedirect(question.survey.get_absolute_url() + "#questions")


@login_required
def survey_results(request, pk):
    survey = access.get_visible_or_404(Survey.objects.select_related("country"), request.user,
                                       pk=pk)
    can_manage = access.can(request.user, Perm.MANAGE_SURVEYS, survey.country_id)
    if not (survey.is_closed or can_manage):
        raise PermissionDenied(_("The results are shown once the survey is closed."))
    results = queries.survey_results(survey, other_label=_("Other agencies"),
                                     overall_label=_("All respondents"))
    return render(request, "surveys/survey_results.html", {
        "survey": survey, "results": results})


# --- answering: no login, a single-use link ---------------------------------------------------


@never_cache
def answer(request, token):
    try:
        invitation = actions.invitation_for(token)
    except actions.InvitationUnusable as unusable:
        return render(request, "surveys/answer_unavailable.html",
                      {"message": unusable.message}, status=410)
    survey = invitation.survey
    questions = survey.questions.all()
    form = forms.AnswerForm(request.POST if request.method == "POST" else None,
                            questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            actions.survey_answer(token=token, answers=form.answers())
        except actions.InvitationUnusable as unusable:
            return render(request, "surveys/answer_unavailable.html",
                          {"message": unusable.message}, status=410)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return render(request, "surveys/answer_done.html", {"survey": survey})
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/answer.html", {"survey": survey, "form": form},
                  status=status)
