"""What work plans ask of the user on the home page (G9): a plan waiting for the UNCT's
approval, and this year's activities past their end date and not done."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonops.core import access
from commonops.core.navigation import Attention, attention_provider
from commonops.core.roles import Perm
from commonops.workplans import rules
from commonops.workplans.models import PlanActivity, WorkPlan


@attention_provider
def work_plans_waiting(request, country):
    items = []
    if access.can(request.user, Perm.WORKPLAN_APPROVE, country):
        for plan in WorkPlan.objects.filter(country=country, status=rules.SUBMITTED):
            items.append(Attention(
                title=_("%(plan)s waits for the UNCT's approval") % {"plan": plan},
                url=plan.get_absolute_url(), level="warning"))
    if access.can(request.user, Perm.WORKPLAN_EDIT, country):
        # one query: the activities of this year's approved plan past their end, not done
        # (red whatever else the rating says)
        overdue = list(PlanActivity.objects.filter(
            plan__country=country, plan__year=country.today().year,
            plan__status=rules.APPROVED, status__in=rules.UNFINISHED,
            ends_on__lt=country.today()).values_list("plan_id", flat=True))
        if overdue:
            items.append(Attention(
                title=ngettext("%(count)s work-plan activity is past its end date and not "
                               "done", "%(count)s work-plan activities are past their end "
                               "date and not done", len(overdue)) % {"count": len(overdue)},
                url=reverse("workplans:workplan_detail", args=[overdue[0]]),
                level="danger"))
    return items
