"""Pages of client-satisfaction surveys (Q1, S6).

Surveys and questions use the generic `ObjectPages`; opening, inviting, closing and the
results are workflow pages; answering is the one page reached without logging in, through
a single-use link.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from commonops.core import access
from commonops.core.generic import DeleteView, ObjectPages, add_validation_errors
from commonops.core.roles import Perm
from commonops.surveys import actions, filters, forms, queries
from commonops.surveys.models import Question, Survey


class _RefusingDeleteView(DeleteView):
    """Delete, or say why not: a survey that was opened, or a question of one, is kept."""

    def post(self, request, pk):
        try:
            return super().post(request, pk)
        except ValidationError as error:
            obj = self.pages.get_object(request, pk)
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(obj.get_absolute_url())


class _SurveysPages(ObjectPages):
    object_arg = "instance"
    namespace = "surveys"

    @classmethod
    def urls(cls):
        from django.urls import path

        return [path(f"{cls.segment}/<int:pk>/delete/", _RefusingDeleteView.as_view(pages=cls),
                     name=f"{cls.name}_delete")
                if url.name.endswith("_delete") else url for url in super().urls()]


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

    @staticmethod
    def create_action(*, by, data):
        return actions.survey_create(by=by, **data)

    @staticmethod
    def update_action(*, instance, by, data):
        return actions.survey_update(survey=instance, by=by, **data)

    @staticmethod
    def delete_action(*, instance, by):
        return actions.survey_delete(survey=instance, by=by)

    @classmethod
    def detail_context(cls, request, obj):
        can_manage = access.can(request.user, Perm.MANAGE_SURVEYS, obj.country_id)
        counts = queries.invitation_counts(obj)
        return {
            "questions": list(obj.questions.select_related("service")),
            "counts": counts,
            "can_manage": can_manage,
            "open_form": forms.OpenForm(country_id=obj.country_id)
            if can_manage and obj.is_draft else None,
            "invite_form": forms.InviteForm(country_id=obj.country_id)
            if can_manage and obj.is_open else None,
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

    @staticmethod
    def create_action(*, by, data):
        survey = data.pop("survey")
        return actions.question_add(survey=survey, by=by, **data)

    @staticmethod
    def update_action(*, instance, by, data):
        if data.get("position") is None:
            data.pop("position", None)
        return actions.question_update(question=instance, by=by, **data)

    @staticmethod
    def delete_action(*, instance, by):
        return actions.question_delete(question=instance, by=by)

    @classmethod
    def form_data(cls, form):
        data = super().form_data(form)
        if data.get("position") is None:
            data.pop("position", None)
        return data


# --- the workflow ----------------------------------------------------------------------------


def _managed_survey(request, pk) -> Survey:
    survey = access.get_visible_or_404(Survey.objects.select_related("country"), request.user,
                                       pk=pk)
    access.require(request.user, Perm.MANAGE_SURVEYS, survey.country_id)
    return survey


def _detail_with_errors(request, survey, **forms_):
    context = {
        **SurveyPages.detail_context(request, survey),
        "object": survey,
        "fields": [],
        "pages": SurveyPages,
        "verbose_name_plural": _("Surveys"),
        "list_url": survey.get_absolute_url(),
        "can_change": access.can_manage(request.user, survey),
        **forms_,
    }
    from commonops.core import audit

    context["history"] = audit.history_for(survey)
    return render(request, "surveys/survey_detail.html", context, status=400)


def _refused(request, survey, error: ValidationError):
    messages.error(request, " ".join(error.messages))
    return HttpResponseRedirect(survey.get_absolute_url())


@login_required
@require_POST
def survey_open(request, pk):
    survey = _managed_survey(request, pk)
    form = forms.OpenForm(request.POST, country_id=survey.country_id)
    if not form.is_valid():
        return _detail_with_errors(request, survey, open_form=form)
    try:
        actions.survey_open(survey=survey, services=form.cleaned_data["services"],
                            by=request.user)
    except ValidationError as error:
        add_validation_errors(form, error)
        return _detail_with_errors(request, survey, open_form=form)
    messages.success(request, _("The survey is open. Invite the respondents now."))
    return HttpResponseRedirect(survey.get_absolute_url())


@login_required
@require_POST
def survey_invite(request, pk):
    survey = _managed_survey(request, pk)
    form = forms.InviteForm(request.POST, country_id=survey.country_id)
    if not form.is_valid():
        return _detail_with_errors(request, survey, invite_form=form)
    try:
        invited = actions.survey_invite(survey=survey, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        add_validation_errors(form, error)
        return _detail_with_errors(request, survey, invite_form=form)
    messages.success(request, ngettext("%(count)d invitation sent.",
                                       "%(count)d invitations sent.", len(invited))
                     % {"count": len(invited)})
    return HttpResponseRedirect(survey.get_absolute_url() + "#invitations")


@login_required
@require_POST
def survey_close(request, pk):
    survey = _managed_survey(request, pk)
    try:
        rates = actions.survey_close(survey=survey, by=request.user)
    except ValidationError as error:
        return _refused(request, survey, error)
    except PermissionDenied:
        messages.error(request, _("Closing records the services' satisfaction KPIs: it needs "
                                  "the right to manage indicators and record measurements."))
        return HttpResponseRedirect(survey.get_absolute_url())
    recorded = sum(1 for rate in rates.values() if rate is not None)
    messages.success(request, ngettext(
        "The survey is closed; %(count)d service's satisfaction was recorded as its KPI.",
        "The survey is closed; %(count)d services' satisfaction was recorded as their KPIs.",
        recorded) % {"count": recorded})
    return HttpResponseRedirect(survey.get_absolute_url())


@login_required
@require_POST
def question_move(request, pk):
    question = access.get_visible_or_404(Question.objects.select_related("survey"),
                                         request.user, pk=pk)
    access.require(request.user, Perm.MANAGE_SURVEYS, question.country_id)
    try:
        actions.question_move(question=question, up=request.POST.get("direction") != "down",
                              by=request.user)
    except ValidationError as error:
        return _refused(request, question.survey, error)
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
