"""The steps of a compact (C1) and of an oversight recommendation (C3), declared once: each
step's action, who may take it and when. Pages, the API and the templates read these
declarations; see `commonops/core/workflow.py`."""

from django.utils.translation import gettext_lazy as L

from commonops.compacts import actions, forms, rules
from commonops.compacts.models import Compact, OversightRecommendation
from commonops.core.roles import Perm
from commonops.core.workflow import Step, Workflow

COMPACT_WORKFLOW = Workflow(
    model=Compact, namespace="compacts", name="compact", segment="compacts",
    object_arg="compact", select_related=("country", "office", "manager"),
    facts=actions.compact_facts,
    steps=[
        Step("acknowledge", L("Acknowledge"), action=actions.compact_acknowledge,
             perm=actions.may_acknowledge_person, when=rules.may_acknowledge,
             done=L("Acknowledged: the endorser can now endorse it.")),
        Step("endorse", L("Endorse"), action=actions.compact_endorse,
             perm=actions.may_endorse_person, when=rules.may_endorse,
             done=L("Endorsed: the compact is signed.")),
        Step("return", L("Return to the manager"), action=actions.compact_return,
             perm=actions.may_endorse_person, when=rules.may_return, form=forms.ReasonForm,
             secondary=True, done=L("Returned to the manager.")),
        Step("new-version", L("Correct with a new version"), action=actions.compact_revise,
             perm=actions.may_draft, when=rules.may_revise, secondary=True,
             then=lambda compact, new: new.get_absolute_url(),
             done=L("A new version is drafted; the signed one stays as it was."),
             api_extra=lambda new: {"new_version": new.pk}),
    ],
)


def _status(recommendation: OversightRecommendation) -> str:
    return recommendation.status


RECOMMENDATION_WORKFLOW = Workflow(
    model=OversightRecommendation, namespace="compacts", name="oversightrecommendation",
    segment="recommendations", object_arg="oversight_recommendation",
    select_related=("country", "office"), facts=_status,
    steps=[
        Step("start", L("Start implementing"), action=actions.recommendation_start,
             perm=Perm.OVERSIGHT_MANAGE, when=rules.may_start, done=L("In progress.")),
        Step("implement", L("Record implementation"), action=actions.recommendation_implement,
             perm=Perm.OVERSIGHT_MANAGE, when=rules.may_implement,
             form=forms.ImplementForm, done=L("Implementation recorded.")),
        Step("close", L("Close"), action=actions.recommendation_close,
             perm=Perm.OVERSIGHT_MANAGE, when=rules.may_close, form=forms.NoteForm,
             secondary=True, done=L("Closed.")),
        Step("reopen", L("Reopen"), action=actions.recommendation_reopen,
             perm=Perm.OVERSIGHT_MANAGE, when=rules.may_reopen, form=forms.NoteForm,
             secondary=True, done=L("Reopened.")),
    ],
)
