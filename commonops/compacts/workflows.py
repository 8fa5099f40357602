"""The steps of a compact (C1) and of an oversight recommendation (C3), declared once: each
step's action, who may take it and when. Pages, the API and the templates read these
declarations; see `commonops/core/workflow.py`."""

from django.utils.translation import gettext_lazy as _

from commonops.compacts import actions, forms, rules
from commonops.compacts.models import Compact, OversightRecommendation
from commonops.core.roles import Perm
from commonops.core.workflow import Step, Workflow

COMPACT_WORKFLOW = Workflow(
    model=Compact, namespace="compacts", name="compact", segment="compacts",
    object_arg="compact", select_related=("country", "office", "manager"),
    facts=actions.compact_facts,
    steps=[
        Step("acknowledge", _("Acknowledge"), action=actions.compact_acknowledge,
             perm=actions.may_acknowledge_person, when=rules.may_acknowledge,
             done=_("Acknowledged: the endorser can now endorse it.")),
        Step("endorse", _("Endorse"), action=actions.compact_endorse,
             perm=actions.may_endorse_person, when=rules.may_endorse,
             done=_("Endorsed: the compact is signed.")),
        Step("return", _("Return to the manager"), action=actions.compact_return,
             perm=actions.may_endorse_person, when=rules.may_return, form=forms.ReasonForm,
             secondary=True, done=_("Returned to the manager.")),
        Step("new-version", _("Correct with a new version"), action=actions.compact_revise,
             perm=actions.may_draft, when=rules.may_revise, secondary=True,
             then=lambda compact, new: new.get_absolute_url(),
             done=_("A new version is drafted; the signed one stays as it was."),
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
        Step("start", _("Start implementing"), action=actions.recommendation_start,
             perm=Perm.OVERSIGHT_MANAGE, when=rules.may_start, done=_("In progress.")),
        Step("implement", _("Record implementation"), action=actions.recommendation_implement,
             perm=Perm.OVERSIGHT_MANAGE, when=rules.may_implement,
             form=forms.ImplementForm, done=_("Implementation recorded.")),
        Step("close", _("Close"), action=actions.recommendation_close,
             perm=Perm.OVERSIGHT_MANAGE, when=rules.may_close, form=forms.NoteForm,
             secondary=True, done=_("Closed.")),
        Step("reopen", _("Reopen"), action=actions.recommendation_reopen,
             perm=Perm.OVERSIGHT_MANAGE, when=rules.may_reopen, form=forms.NoteForm,
             secondary=True, done=_("Reopened.")),
    ],
)
