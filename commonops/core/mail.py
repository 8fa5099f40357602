"""Every e-mail CommonOps sends leaves through this outbox, never from inside a request.

`deliver(messages)` writes one `OutboundEmail` per message in the caller's transaction (so
an e-mail exists exactly when the change that decided it was committed) and, once that
commits, enqueues the background task `core.tasks.send_outbound_email` for each. The task
(`send_outbound`) claims its e-mail with a conditional UPDATE, sends it, and records the
outcome:

- sent: `sent_at`;
- the mail server failed: the error, and another attempt after a growing delay (a deferred
  task where the task backend can defer, else `manage.py send_queued_mail`), up to
  MAIL_MAX_ATTEMPTS; then `failed`, with the last error, for an administrator to see;
- the worker died while sending: the e-mail stays `sending`, and `send_queued_mail` marks it
  `failed` as interrupted instead of sending it again. Never twice is the promise; a lost
  e-mail, recorded as such, is its price.

A mail server that is down therefore never fails the request that decided to write.
"""

import base64
import logging
from datetime import datetime, timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from commonops.core.models import OutboundEmail, OutboundStatus

logger = logging.getLogger(__name__)

# An e-mail "being sent" for longer than this was interrupted (the worker died).
INTERRUPTED_AFTER = timedelta(minutes=15)


def _serialise_attachment(attachment) -> list:
    filename, content, mimetype = attachment
    if isinstance(content, str):
        content = content.encode()
    return [filename or "", base64.b64encode(content).decode("ascii"), mimetype or ""]


def _row(message: EmailMessage) -> OutboundEmail:
    return OutboundEmail(
        subject=str(message.subject), body=str(message.body),
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to), cc=list(message.cc), reply_to=list(message.reply_to),
        headers=dict(message.extra_headers),
        attachments=[_serialise_attachment(a) for a in message.attachments],
    )


def deliver(messages) -> int:
    """Queue the messages that have a recipient; the number queued."""
    rows = [_row(m) for m in messages if m.to or m.cc]
    if not rows:
        return 0
    # One by one rather than bulk_create: each needs its id for the task.
    for row in rows:
        row.save()
        transaction.on_commit(lambda pk=row.pk: _enqueue(pk))
    return len(rows)


def _enqueue(pk: int, run_after: datetime | None = None) -> None:
    from commonops.core.tasks import send_outbound_email

    task = send_outbound_email
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # `send_queued_mail` sends it when it is due
        task = task.using(run_after=run_after)
    try:
        task.enqueue(pk)
    except Exception:  # the queue itself is down: the row waits for send_queued_mail
        logger.exception("Could not enqueue outgoing e-mail %s", pk)


def message_id(email: OutboundEmail) -> str:
    """The same Message-ID at every attempt: a mail client shows a message it got twice
    once."""
    host = urlparse(settings.SITE_URL).hostname or "commonops"
    return f"<{email.created_at:%Y%m%d%H%M%S}.{email.pk}.outbox@{host}>"


def as_message(email: OutboundEmail) -> EmailMessage:
    message = EmailMessage(subject=email.subject, body=email.body, from_email=email.from_email,
                           to=email.to, cc=email.cc, reply_to=email.reply_to,
                           headers={"Message-ID": message_id(email), **email.headers})
    for filename, content, mimetype in email.attachments:
        message.attach(filename or None, base64.b64decode(content), mimetype or None)
    return message


def retry_delay(attempts: int) -> timedelta:
    """1, 5, 25, 125 minutes… after the first, second, third failure."""
    return timedelta(minutes=5 ** max(attempts - 1, 0))


def send_outbound(pk: int, *, now: datetime | None = None) -> str:
    """Send one queued e-mail; "sent", "retry", "failed" or "skipped" (not ours to send)."""
    now = now or timezone.now()
    # The claim: of two workers given the same e-mail, exactly one turns it to "sending".
    claimed = OutboundEmail.objects.filter(pk=pk, status=OutboundStatus.QUEUED).update(
        status=OutboundStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    if not claimed:
        return "skipped"
    email = OutboundEmail.objects.get(pk=pk)
    try:
        with get_connection() as connection:
            connection.send_messages([as_message(email)])
    except Exception as error:  # any failure of the mail server or of the message
        detail = f"{error.__class__.__name__}: {error}"[:2000]
        if email.attempts < settings.MAIL_MAX_ATTEMPTS:
            due = now + retry_delay(email.attempts)
            OutboundEmail.objects.filter(pk=pk).update(
                status=OutboundStatus.QUEUED, next_attempt_at=due, last_error=detail)
            logger.warning("E-mail %s not sent (attempt %s), retrying at %s: %s", pk,
                           email.attempts, due, detail)
            _enqueue(pk, run_after=due)
            return "retry"
        OutboundEmail.objects.filter(pk=pk).update(status=OutboundStatus.FAILED,
                                                   last_error=detail)
        logger.error("E-mail %s failed after %s attempts: %s", pk, email.attempts, detail)
        return "failed"
    OutboundEmail.objects.filter(pk=pk).update(status=OutboundStatus.SENT, sent_at=now,
                                               next_attempt_at=None)
    return "sent"


def send_due(*, now: datetime | None = None) -> dict[str, int]:
    """What `manage.py send_queued_mail` does: send every queued e-mail that is due (retries,
    and e-mails whose task was lost), and record e-mails interrupted while being sent."""
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0, "interrupted": 0}
    counts["interrupted"] = OutboundEmail.objects.filter(
        status=OutboundStatus.SENDING, claimed_at__lt=now - INTERRUPTED_AFTER,
    ).update(status=OutboundStatus.FAILED,
             last_error="Interrupted while being sent; not sent again, so that nobody gets "
                        "it twice. It may or may not have reached the recipients.")
    # A first attempt is left a minute to its own task before this sends it.
    due = OutboundEmail.objects.filter(
        Q(next_attempt_at__lte=now)
        | Q(next_attempt_at__isnull=True, created_at__lt=now - timedelta(minutes=1)),
        status=OutboundStatus.QUEUED)
    for pk in list(due.order_by("pk").values_list("pk", flat=True)[:1000]):
        counts[send_outbound(pk, now=now)] += 1
    return counts
