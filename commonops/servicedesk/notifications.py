"""E-mails of the service desk (T1, T2, T4, T5). Called after the transaction that decided
to send them commits; each reads what it needs by id."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from commonops.core import mail


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def desk_address(country) -> str:
    """The address requesters write to; its subject threads replies into tickets (T1)."""
    return getattr(settings, "SERVICE_DESK_EMAIL", "") or settings.DEFAULT_FROM_EMAIL


def _local(ticket, moment) -> str:
    return moment.astimezone(ticket.country.calendar(holidays=()).tz).strftime("%Y-%m-%d %H:%M")


def _send(messages) -> int:
    # Through the outbox: sent by a background task, retried if the mail server fails.
    return mail.deliver([m for m in messages if m.to])


def _ticket(pk):
    from commonops.servicedesk.models import Ticket

    return Ticket.objects.select_related("requester", "assignee", "team__lead",
                                         "country").get(pk=pk)


def _to_requester(ticket, subject, body):
    recipients = [ticket.requester.email, *ticket.cc.values_list("email", flat=True)]
    return EmailMessage(
        subject=f"[{ticket.number}] {subject}",
        body=body + "\n\n" + _absolute(ticket.get_absolute_url()),
        from_email=desk_address(ticket.country), to=[r for r in recipients if r])


def ticket_opened(pk) -> int:
    ticket = _ticket(pk)
    with translation.override(settings.LANGUAGE_CODE):
        body = _("We received your request “%(subject)s”. Its number is %(number)s; reply to "
                 "this e-mail to add to it.") % {"subject": ticket.subject,
                                                 "number": ticket.number}
        messages = [_to_requester(ticket, ticket.subject, body)]
        if ticket.assignee and ticket.assignee.email:
            messages.append(EmailMessage(
                subject=f"[{ticket.number}] " + _("Assigned to you: %(subject)s") % {
                    "subject": ticket.subject},
                body=_absolute(ticket.get_absolute_url()),
                from_email=desk_address(ticket.country), to=[ticket.assignee.email]))
    return _send(messages)


def ticket_assigned(pk) -> int:
    ticket = _ticket(pk)
    if not (ticket.assignee and ticket.assignee.email):
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        return _send([EmailMessage(
            subject=f"[{ticket.number}] " + _("Assigned to you: %(subject)s") % {
                "subject": ticket.subject},
            body=_absolute(ticket.get_absolute_url()),
            from_email=desk_address(ticket.country), to=[ticket.assignee.email])])


def status_changed(pk, previous) -> int:
    """T4: the requester gets an e-mail at each status change."""
    ticket = _ticket(pk)
    with translation.override(settings.LANGUAGE_CODE):
        body = _("The status of your request is now: %(status)s.") % {
            "status": ticket.get_status_display()}
        if ticket.status == "resolved" and not hasattr(ticket, "rating"):
            # T5: one rating request, sent on resolution
            body += "\n\n" + _("How did we do? Rate it (1 to 5): %(url)s") % {
                "url": _absolute(reverse("servicedesk:ticket_rate", args=[ticket.pk]))}
        return _send([_to_requester(ticket, ticket.subject, body)])


def ticket_replied(event_pk) -> int:
    from commonops.servicedesk.models import TicketEvent

    event = TicketEvent.objects.select_related("ticket").get(pk=event_pk)
    ticket = _ticket(event.ticket_id)
    with translation.override(settings.LANGUAGE_CODE):
        if event.author_id == ticket.requester_id:
            if not (ticket.assignee and ticket.assignee.email):
                return 0
            return _send([EmailMessage(
                subject=f"[{ticket.number}] " + _("New reply: %(subject)s") % {
                    "subject": ticket.subject}, body=event.body + "\n\n" + _absolute(
                    ticket.get_absolute_url()), from_email=desk_address(ticket.country),
                to=[ticket.assignee.email])])
        return _send([_to_requester(ticket, ticket.subject, event.body)])


def low_rating(rating_pk) -> int:
    from commonops.servicedesk.models import Rating

    rating = Rating.objects.select_related("ticket__team__lead").get(pk=rating_pk)
    lead = rating.ticket.team.lead
    if lead is None or not lead.email:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        return _send([EmailMessage(
            subject=f"[{rating.ticket.number}] " + _("Low rating (%(score)s/5)") % {
                "score": rating.score},
            body=rating.comment + "\n\n" + _absolute(rating.ticket.get_absolute_url()),
            from_email=desk_address(rating.ticket.country), to=[lead.email])])


def sla_warning(pk, who: str) -> int:
    ticket = _ticket(pk)
    person = ticket.assignee if who == "assignee" else ticket.team.lead
    if person is None or not person.email:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        return _send([EmailMessage(
            subject=f"[{ticket.number}] " + _("Resolution due soon: %(subject)s") % {
                "subject": ticket.subject},
            body=_("Due %(due)s.") % {"due": _local(ticket, ticket.resolution_due)} + "\n\n"
            + _absolute(ticket.get_absolute_url()),
            from_email=desk_address(ticket.country), to=[person.email])])
