"""D2: a request for a document is granted or refused by the document's owner, once.

Pages (`REQUEST_WORKFLOW.urls()`), the API (`workflow_action(REQUEST_WORKFLOW)`) and the
templates (`{% step_buttons request %}`) read this declaration."""

from django.utils.translation import gettext_lazy

from commonops.core.workflow import Step, Workflow
from commonops.documents import actions, forms, rules
from commonops.documents.models import DocumentRequest

REQUEST_WORKFLOW = Workflow(
    model=DocumentRequest, namespace="documents", name="request", segment="requests",
    object_arg="request", select_related=("document", "agency", "country"),
    facts=lambda request: request.status,
    steps=[
        Step("grant", gettext_lazy("Grant"), action=actions.request_grant, perm=actions.may_decide,
             when=rules.may_decide, form=forms.DecisionForm, inline=True,
             done=gettext_lazy("Granted: the requesting agency may now read the document.")),
        Step("refuse", gettext_lazy("Refuse"), action=actions.request_refuse,
             perm=actions.may_decide,
             when=rules.may_decide, form=forms.RefusalForm, inline=True, secondary=True,
             done=gettext_lazy("Refused: the requester has your answer.")),
    ],
)
