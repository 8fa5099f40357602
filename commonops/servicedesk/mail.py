"""T1: tickets by e-mail. A message to the desk's address opens a ticket for a known
sender; a reply whose subject carries a ticket number threads into that ticket; a message
from an unknown sender waits in the review queue instead of being lost."""

import email
import email.policy
from email.utils import parseaddr, parsedate_to_datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from commonops.core import access
from commonops.core.audit import audited_action
from commonops.core.models import User
from commonops.core.roles import Perm
from commonops.servicedesk import actions, rules
from commonops.servicedesk.models import Category, InboundMail, MailStatus, Source, Ticket


def _parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def _body(message) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content().strip() if part is not None else ""


def _files(message):
    files = []
    for part in message.iter_attachments():
        name = part.get_filename()
        if not name:
            continue
        payload = part.get_payload(decode=True) or b""
        files.append(SimpleUploadedFile(name, payload,
                                        content_type=part.get_content_type()))
    return files


def _received_at(message):
    try:
        moment = parsedate_to_datetime(message["Date"])
    except (TypeError, ValueError):
        return timezone.now()
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def default_category(country):
    """Mail is filed under the desk's first category; agents recategorise it."""
    return Category.objects.filter(country=country).order_by("name").first()


def _to_review(country, message, sender, note="") -> InboundMail:
    item = InboundMail(country=country, sender=sender[:254],
                       subject=str(message["Subject"] or "")[:300],
                       body=(_body(message) + (f"\n\n[{note}]" if note else "")),
                       message_id=str(message["Message-ID"] or "")[:300],
                       received_at=_received_at(message))
    item.full_clean()
    item.save()
    return item


def mail_ingest(*, country, raw: bytes):
    """Turn one raw message into a reply, a new ticket or a review-queue entry.
    Returns (kind, object) with kind "reply", "ticket" or "review"."""
    message = _parse(raw)
    sender = parseaddr(str(message["From"] or ""))[1].lower()
    message_id = str(message["Message-ID"] or "")[:300]
    if message_id and InboundMail.objects.filter(country=country,
                                                 message_id=message_id).exists():
        return "duplicate", None
    person = User.objects.filter(email__iexact=sender, is_active=True).first() \
        if sender else None
    subject = str(message["Subject"] or "").strip()
    number = rules.number_in_subject(subject)
    if person is None:
        return "review", _to_review(country, message, sender or "?")
    files = _files(message)
    try:
        if number:
            ticket = Ticket.objects.filter(country=country, number=number).first()
            if ticket is not None:
                return "reply", actions.ticket_reply(ticket=ticket, body=_body(message),
                                                     files=files, by=person)
        if not access.can(person, Perm.RAISE_TICKETS, country.pk):
            raise PermissionDenied
        category = default_category(country)
        if category is None:
            raise ValidationError("no category")
        return "ticket", actions.ticket_raise(
            country=country, requester=person, category=category,
            subject=subject[:200] or _body(message)[:80] or "(no subject)",
            description=_body(message), files=files, source=Source.EMAIL, by=person)
    except (PermissionDenied, ValidationError) as problem:
        note = "; ".join(getattr(problem, "messages", [])) or str(problem)
        return "review", _to_review(country, message, sender, note=note)


@audited_action
def mail_accept(*, item: InboundMail, requester, category, by) -> Ticket:
    """A desk manager turns a reviewed e-mail into a ticket for a known requester."""
    access.require(by, Perm.MANAGE_DESK, item.country_id)
    if item.status != MailStatus.PENDING:
        raise ValidationError(_("This e-mail has already been handled."))
    ticket = actions.ticket_raise(
        country=item.country, requester=requester, category=category,
        subject=item.subject[:200] or item.body[:80] or "(no subject)",
        description=item.body, source=Source.EMAIL, by=by)
    item.status = MailStatus.ACCEPTED
    item.ticket = ticket
    item.save()
    return ticket


@audited_action
def mail_discard(*, item: InboundMail, by) -> InboundMail:
    access.require(by, Perm.MANAGE_DESK, item.country_id)
    item.status = MailStatus.DISCARDED
    item.save()
    return item
