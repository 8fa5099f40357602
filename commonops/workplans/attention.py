"""What work plans ask of the user on the home page (G9): a plan waiting for the UNCT's
approval, and red activities of this year's plan."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonops.core import access
from commonops.core.navigation import Attention, attention_provider
from commonops.core.roles import Perm
from commonops.workplans import queries, rules
from commonops.workplans.models import WorkPlan


@attention_provider
def work_plans_waiting(request, country):
    items = []
    if access.can(request.user, Perm.WORKPLAN_APPROVE, country):
        for plan in WorkPlan.objects.filter(country=country, status=rules.SUBMITTED):
            items.append(Attention(
                title=_("%(plan)s waits for the UNCT's approval") % {"plan": plan},
                url=plan.get_absolute_url(), level="warning"))
    if access.can(request.user, Perm.WORKPLAN_EDIT, country) or access.can(
            request.user, Perm.MEASURE, country):
        red = queries.red_activities(country, today=country.today())
        if red:
            items.append(Attention(
                title=ngettext("%(count)s work-plan activity is red",
                               "%(count)s work-plan activities are red", len(red))
                % {"count": len(red)},
                detail="; ".join(f"{row.activity.title}: {row.reasons[0]}" for row in red[:3]),
                url=red[0].activity.plan.get_absolute_url(), level="danger"))
    return items
