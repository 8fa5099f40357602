"""The SLA task (T2): breaches recorded as they happen, warnings before them."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from commonops.servicedesk import notifications, rules
from commonops.servicedesk.actions.common import _now
from commonops.servicedesk.models import (
    EventKind,
    Status,
    Ticket,
    TicketEvent,
)

# --- T2 SLA task -----------------------------------------------------------------------------


def sla_check(*, now: datetime | None = None) -> dict[str, int]:
    """T2: record breaches as they happen and warn before them. Safe on several workers:
    each breach or warning is claimed with a conditional UPDATE (… WHERE breached_at IS
    NULL), so exactly one worker records it and sends its e-mail."""
    now = _now(now)
    counts = {"first_response": 0, "resolution": 0, "warnings": 0}
    open_ = Q(status__in=rules.OPEN_STATUSES) & ~Q(status=Status.WAITING)
    candidates = Ticket.objects.filter(
        open_, first_response_breached_at__isnull=True, first_responded_at__isnull=True,
        first_response_due__lt=now).values_list("pk", flat=True)
    for pk in list(candidates[:5000]):
        if Ticket.objects.filter(pk=pk, first_response_breached_at__isnull=True).update(
                first_response_breached_at=now, first_response_met=False):
            counts["first_response"] += 1
    candidates = Ticket.objects.filter(
        open_, resolution_breached_at__isnull=True, resolved_at__isnull=True,
        resolution_due__lt=now).values_list("pk", flat=True)
    for pk in list(candidates[:5000]):
        if Ticket.objects.filter(pk=pk, resolution_breached_at__isnull=True).update(
                resolution_breached_at=now):
            counts["resolution"] += 1
            TicketEvent.objects.create(
                ticket_id=pk, country_id=Ticket.objects.values_list(
                    "country_id", flat=True).get(pk=pk),
                kind=EventKind.SLA, public=False, at=now,
                body=_("The resolution target was missed."))
    # warnings: before the resolution target, once to the assignee and once to the lead
    soon = Ticket.objects.filter(open_, resolved_at__isnull=True,
                                 resolution_breached_at__isnull=True,
                                 resolution_due__gte=now,
                                 resolution_due__lte=now + timedelta(days=14))
    for ticket in soon.filter(Q(warned_assignee_at__isnull=True)
                              | Q(warned_lead_at__isnull=True)).iterator():
        total = (ticket.resolution_due - ticket.opened_at).total_seconds()
        if total <= 0 or (now - ticket.opened_at).total_seconds() < total * \
                rules.WARNING_SHARE:
            continue
        for field, who in (("warned_assignee_at", "assignee"), ("warned_lead_at", "lead")):
            if Ticket.objects.filter(pk=ticket.pk, **{f"{field}__isnull": True}).update(
                    **{field: now}):
                counts["warnings"] += 1
                transaction.on_commit(
                    lambda pk=ticket.pk, who=who: notifications.sla_warning(pk, who))
    return counts
