"""What every change to a ticket shares: the SLA targets, numbers, timeline events,
attachments, and who may work a ticket."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from commonops.core import access
from commonops.core.roles import Perm
from commonops.servicedesk import rules
from commonops.servicedesk.models import (
    Attachment,
    SlaPolicy,
    Ticket,
    TicketCounter,
    TicketEvent,
)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def sla_hours(country, priority: str) -> tuple[Decimal, Decimal]:
    """T2: (first response, resolution) targets of a priority, in business hours."""
    policy = SlaPolicy.objects.filter(country=country, priority=priority).first()
    if policy is not None:
        return policy.first_response_hours, policy.resolution_hours
    first, resolution = rules.DEFAULT_SLA_HOURS[priority]
    return Decimal(first), Decimal(resolution)


def _allocate_number(country, year: int) -> str:
    """T1: the next number of the country and year. The counter row is locked (select for
    update) so two tickets raised at the same moment never share a number."""
    try:
        with transaction.atomic():
            TicketCounter.objects.get_or_create(country=country, year=year)
    except IntegrityError:  # created by a concurrent request between our read and insert
        pass
    counter = TicketCounter.objects.select_for_update().get(country=country, year=year)
    counter.last = F("last") + 1
    counter.save(update_fields=["last"])
    counter.refresh_from_db(fields=["last"])
    return rules.ticket_number(country.iso_code, year, counter.last)


def _event(ticket, *, kind, by, at, body="", public=True, from_status="", to_status=""):
    return TicketEvent.objects.create(
        ticket=ticket, country_id=ticket.country_id, kind=kind, author=by, at=at, body=body,
        public=public, from_status=from_status, to_status=to_status)


def _attach(ticket, files, *, event=None, public=True):
    for upload in files or ():
        problem = rules.attachment_problem(upload.name, upload.size)
        if problem == "type":
            raise ValidationError({"files": _(
                "%(name)s: this type of file is not accepted. Send PDF, images, text or "
                "office documents.") % {"name": upload.name}})
        if problem == "size":
            raise ValidationError({"files": _(
                "%(name)s is larger than %(limit)s MB.") % {
                    "name": upload.name, "limit": rules.MAX_ATTACHMENT_BYTES // (1024 * 1024)}})
        if problem == "empty":
            raise ValidationError({"files": _("%(name)s is empty.") % {"name": upload.name}})
        Attachment.objects.create(ticket=ticket, country_id=ticket.country_id, event=event,
                                  file=upload, name=upload.name[:200], size=upload.size,
                                  public=public)


def _check_attachments(files):
    """Validate every file before anything is written (nothing changes on bad input)."""
    for upload in files or ():
        if rules.attachment_problem(upload.name, upload.size):
            _attach(Ticket(), [upload])  # raises the message


def may_work(user, ticket) -> bool:
    """T3: the country's service-desk agents work its tickets."""
    return access.can(user, Perm.WORK_TICKETS, ticket.country_id)


def _is_agent(user, ticket) -> bool:
    return may_work(user, ticket)


def _require_agent(user, ticket) -> None:
    access.require(user, Perm.WORK_TICKETS, ticket.country_id,
                   _("Only service-desk agents may do this."))


def _is_requester(user, ticket) -> bool:
    return user.pk == ticket.requester_id or ticket.cc.filter(pk=user.pk).exists()


def may_reply(user, ticket) -> bool:
    """T1: agents, the requester and the people copied write on a ticket."""
    return may_work(user, ticket) or _is_requester(user, ticket)


def may_change_status(user, ticket) -> bool:
    """T1/T4: agents move a ticket; the requester closes or reopens a resolved one."""
    return may_work(user, ticket) or (
        user.pk == ticket.requester_id and rules.requester_may_change_status(ticket.status))


def may_rate(user, ticket) -> bool:
    """T5: only the requester rates."""
    return user.pk == ticket.requester_id
