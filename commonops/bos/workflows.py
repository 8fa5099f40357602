"""The BOS workflow (B1), declared once: each step's action, who may take it and when.

Pages (`BOS_WORKFLOW.urls()`), the API (`workflow_action(BOS_WORKFLOW)`) and the templates
(`{% step_buttons bos %}`) all read this declaration; see `commonops/core/workflow.py`.
"""

from django.utils.translation import gettext_lazy as L

from commonops.bos import actions, forms, rules
from commonops.bos.models import Bos
from commonops.core.roles import Perm
from commonops.core.workflow import Step, Workflow

BOS_WORKFLOW = Workflow(
    model=Bos, namespace="bos", name="bos", segment="strategies", object_arg="bos",
    select_related=("country",), facts=lambda bos: bos.status,
    steps=[
        Step("submit", L("Submit for quality assurance"), action=actions.bos_submit,
             perm=Perm.BOS_EDIT, when=rules.may_submit,
             done=L("Submitted for quality assurance.")),
        Step("clear", L("Clear"), action=actions.bos_clear, perm=Perm.BOS_QUALITY_ASSURE,
             when=rules.may_clear, done=L("Cleared in quality assurance.")),
        Step("endorse", L("Record UNCT endorsement"), action=actions.bos_endorse,
             perm=Perm.BOS_ENDORSE, when=rules.may_endorse,
             done=L("Endorsement by the UNCT recorded.")),
        Step("sign-off", L("Sign off"), action=actions.bos_sign_off,
             perm=actions.may_sign_off, when=rules.may_sign_off, done=L("Signed off.")),
        Step("return", L("Return to draft"), action=actions.bos_return,
             perm=actions.may_return, when=rules.may_return, form=forms.ReturnForm,
             secondary=True, done=L("Returned to draft.")),
    ],
)
