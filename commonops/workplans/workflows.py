"""The steps of a work plan (G9) and of a BOS evaluation, declared once: each step's action,
who may take it and when. Pages, the API and the templates read these declarations; see
`commonops/core/workflow.py`."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from commonops.core.roles import Perm
from commonops.core.workflow import Step, Workflow
from commonops.workplans import actions, forms, rules
from commonops.workplans.models import BosEvaluation, WorkPlan


def _carried(result) -> str:
    return ngettext("%(count)s activity carried over.", "%(count)s activities carried over.",
                    len(result)) % {"count": len(result)}


WORK_PLAN_WORKFLOW = Workflow(
    model=WorkPlan, namespace="workplans", name="workplan", segment="plans",
    object_arg="work_plan", select_related=("country",), facts=actions.plan_facts,
    steps=[
        Step("submit", _("Submit to the UNCT"), action=actions.work_plan_submit,
             perm=Perm.WORKPLAN_EDIT, when=rules.may_submit,
             done=_("Submitted to the UNCT for approval.")),
        Step("approve", _("Approve for the UNCT"), action=actions.work_plan_approve,
             perm=Perm.WORKPLAN_APPROVE, when=rules.may_approve,
             done=_("Approved: progress can now be reported.")),
        Step("return", _("Return to the OMT"), action=actions.work_plan_return,
             perm=Perm.WORKPLAN_APPROVE, when=rules.may_return, form=forms.ReturnForm,
             secondary=True, done=_("Returned to the OMT.")),
        Step("carry-over", _("Carry over last year's unfinished activities"),
             action=actions.work_plan_carry_over, perm=Perm.WORKPLAN_EDIT,
             when=rules.may_carry_over, secondary=True, done=_carried,
             api_extra=lambda result: {"carried": [a.pk for a in result]}),
    ],
)


def _evaluation_facts(evaluation: BosEvaluation) -> str:
    return evaluation.status


EVALUATION_WORKFLOW = Workflow(
    model=BosEvaluation, namespace="workplans", name="bosevaluation", segment="evaluations",
    object_arg="bos_evaluation", select_related=("country", "bos"),
    facts=_evaluation_facts,
    steps=[
        Step("hand-over", _("Hand over to the next BOS"),
             action=actions.bos_evaluation_hand_over, perm=Perm.WORKPLAN_EDIT,
             when=rules.may_hand_over, form=forms.HandOverForm,
             form_kwargs=lambda evaluation: {"evaluation": evaluation},
             intro=_("Each common service goes into the next BOS's stock-take with the "
                     "recommended action and the reasons."),
             then=lambda evaluation, entries: entries[0].bos.get_absolute_url()
             if entries else evaluation.get_absolute_url(),
             done=lambda entries: ngettext(
                 "%(count)s service handed over to the stock-take.",
                 "%(count)s services handed over to the stock-take.",
                 len(entries)) % {"count": len(entries)},
             api_extra=lambda entries: {"stocktake_entries": [e.pk for e in entries]}),
    ],
)
