"""The survey workflow (Q1), declared once: open, invite, close. Pages, the API and the
survey page's forms all read it (`core.workflow`)."""

from django.utils.translation import gettext_lazy as L
from django.utils.translation import ngettext

from commonops.core.roles import Perm
from commonops.core.workflow import Step, Workflow
from commonops.surveys import actions, forms, rules
from commonops.surveys.models import Survey


def _country(survey, user):
    return {"country_id": survey.country_id}


def _invited(invitations) -> str:
    return ngettext("%(count)d invitation sent.", "%(count)d invitations sent.",
                    len(invitations)) % {"count": len(invitations)}


def _recorded(rates) -> str:
    recorded = sum(1 for rate in rates.values() if rate is not None)
    return ngettext(
        "The survey is closed; %(count)d service's satisfaction was recorded as its KPI.",
        "The survey is closed; %(count)d services' satisfaction was recorded as their KPIs.",
        recorded) % {"count": recorded}


SURVEY_WORKFLOW = Workflow(
    model=Survey, namespace="surveys", name="survey", segment="surveys", object_arg="survey",
    select_related=("country",), facts=lambda survey: survey.status,
    steps=[
        Step("open", L("Open"), action=actions.survey_open, perm=Perm.MANAGE_SURVEYS,
             when=rules.may_open, form=forms.OpenForm, form_kwargs=_country, inline=True,
             done=L("The survey is open. Invite the respondents now.")),
        Step("invite", L("Send invitations"), action=actions.survey_invite,
             perm=Perm.MANAGE_SURVEYS, when=rules.may_invite, form=forms.InviteForm,
             form_kwargs=_country, inline=True, done=_invited,
             then=lambda survey, invited: survey.get_absolute_url() + "#invitations",
             api_extra=lambda invited: {"invited": len(invited)}),
        Step("close", L("Close the survey and record the satisfaction KPIs"),
             action=actions.survey_close, perm=Perm.MANAGE_SURVEYS, when=rules.may_close,
             done=_recorded,
             api_extra=lambda rates: {"satisfaction": {str(k): v for k, v in rates.items()}}),
    ],
)
