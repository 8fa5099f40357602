"""What the service desk asks of the user on the home page."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commonops.core import access
from commonops.core.navigation import Attention, attention_provider
from commonops.core.roles import Perm
from commonops.servicedesk import rules
from commonops.servicedesk.models import Rating, Status, Ticket


@attention_provider
def my_open_tickets(request, country):
    """T2/T3: an agent's open tickets, and how many are past their resolution target."""
    if not access.can(request.user, Perm.WORK_TICKETS, country):
        return []
    now = timezone.now()
    counts = Ticket.objects.filter(country=country, assignee_id=request.user.pk,
                                   status__in=rules.OPEN_STATUSES).order_by().aggregate(
        n=Count("id"), late=Count("id", filter=Q(resolution_due__lt=now)))
    if not counts["n"]:
        return []
    return [Attention(
        title=_("%(n)s open tickets assigned to you") % {"n": counts["n"]},
        detail=_("%(late)s past the resolution target") % {"late": counts["late"]},
        url=reverse("servicedesk:queue") + "?mine=true",
        level="danger" if counts["late"] else "info")]


@attention_provider
def tickets_to_rate(request, country):
    """T5: the requester's resolved tickets still waiting for a rating."""
    tickets = (Ticket.objects.filter(country=country, requester_id=request.user.pk,
                                     status=Status.RESOLVED)
               .exclude(pk__in=Rating.objects.filter(ticket__requester_id=request.user.pk)
                        .values("ticket_id")).order_by("-resolved_at")[:5])
    return [Attention(title=_("Rate the help you got: %(ticket)s") % {"ticket": t},
                      url=reverse("servicedesk:ticket_rate", args=[t.pk]))
            for t in tickets]
