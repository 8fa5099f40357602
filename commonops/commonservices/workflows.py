"""Cost sharing's steps (S1), declared once: allocate a service's budget of a year by its
key, and recompute an allocation from today's inputs (`core.workflow`)."""

from django.utils.translation import gettext_lazy as L

from commonops.commonservices import actions, rules
from commonops.commonservices.models import Allocation, CostSharingKey
from commonops.core.roles import Perm
from commonops.core.workflow import Step, Workflow


def _key_facts(key: CostSharingKey) -> bool:
    """Whether the key's service and year are already allocated."""
    return Allocation.objects.filter(service_id=key.service_id, year=key.year).exists()


KEY_WORKFLOW = Workflow(
    model=CostSharingKey, namespace="commonservices", name="key", segment="keys",
    object_arg="key", select_related=("service",), facts=_key_facts,
    steps=[
        Step("allocate", L("Allocate"), action=actions.key_allocate,
             perm=Perm.ALLOCATE_COSTS, when=rules.may_allocate,
             done=lambda allocation: L("Allocated %(service)s for %(year)s.") % {
                 "service": allocation.service, "year": allocation.year},
             then=lambda key, allocation: allocation.get_absolute_url(),
             api_extra=lambda allocation: {"allocation": allocation.pk}),
    ],
)

ALLOCATION_WORKFLOW = Workflow(
    model=Allocation, namespace="commonservices", name="allocation", segment="allocations",
    object_arg="allocation", select_related=("service",),
    steps=[
        Step("recompute", L("Recompute from today's inputs"),
             action=actions.allocation_recompute, perm=Perm.ALLOCATE_COSTS, secondary=True,
             done=L("Recomputed from today's inputs.")),
    ],
)
