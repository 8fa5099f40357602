"""The outbox (core.mail): e-mails leave from a background task, are retried when the mail
server fails, are recorded when they fail, and never go out twice."""

from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.utils import timezone

from commonops.core import mail as outbox
from commonops.core.models import OutboundEmail, OutboundStatus

pytestmark = pytest.mark.django_db
NOW = datetime(2031, 5, 6, 8, 0, tzinfo=dt_timezone.utc)


class FlakyBackend:
    """A mail connection that fails as often as told, then delivers to mail.outbox."""

    failures = 0

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise ConnectionRefusedError(111, "Connection refused")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky(monkeypatch):
    monkeypatch.setattr(outbox, "get_connection", lambda: FlakyBackend())
    FlakyBackend.failures = 0
    return FlakyBackend


def _queue(**kwargs) -> OutboundEmail:
    message = EmailMessage(subject=kwargs.pop("subject", "Agenda"), body="Hello",
                           to=["member@example.org"], **kwargs)
    assert outbox.deliver([message]) == 1
    return OutboundEmail.objects.latest("pk")


def test_a_message_without_recipients_is_not_queued():
    assert outbox.deliver([EmailMessage(subject="Nobody", body="", to=[])]) == 0


def test_a_failed_send_is_retried_later_and_then_goes_out(flaky):
    email = _queue()
    flaky.failures = 1
    assert outbox.send_outbound(email.pk, now=NOW) == "retry"
    email.refresh_from_db()
    assert email.status == OutboundStatus.QUEUED and email.attempts == 1
    assert "Connection refused" in email.last_error
    assert email.next_attempt_at == NOW + timedelta(minutes=1)
    # not due yet: nothing is sent
    assert outbox.send_due(now=NOW + timedelta(seconds=30))["sent"] == 0
    assert outbox.send_due(now=NOW + timedelta(minutes=2))["sent"] == 1
    email.refresh_from_db()
    assert email.status == OutboundStatus.SENT and email.attempts == 2
    assert [m.subject for m in mail.outbox] == ["Agenda"]


def test_the_delay_between_attempts_grows():
    assert [outbox.retry_delay(n) for n in (1, 2, 3)] == [
        timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=25)]


def test_after_the_last_attempt_the_failure_is_recorded(flaky, settings):
    settings.MAIL_MAX_ATTEMPTS = 2
    email = _queue()
    flaky.failures = 5
    assert outbox.send_outbound(email.pk, now=NOW) == "retry"
    assert outbox.send_outbound(email.pk, now=NOW + timedelta(minutes=2)) == "failed"
    email.refresh_from_db()
    assert email.status == OutboundStatus.FAILED and email.attempts == 2
    assert "Connection refused" in email.last_error
    assert outbox.send_due(now=NOW + timedelta(days=1))["sent"] == 0
    assert mail.outbox == []


def test_an_e_mail_is_sent_once_however_often_its_task_runs(flaky):
    email = _queue()
    assert outbox.send_outbound(email.pk, now=NOW) == "sent"
    assert outbox.send_outbound(email.pk, now=NOW) == "skipped"
    assert outbox.send_due(now=NOW + timedelta(hours=1))["sent"] == 0
    assert len(mail.outbox) == 1


def test_an_e_mail_interrupted_while_sending_is_recorded_not_sent_again(flaky):
    email = _queue()
    # a worker claimed it and died before it could record the outcome
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundStatus.SENDING, attempts=1, claimed_at=NOW)
    assert outbox.send_due(now=NOW + timedelta(minutes=5))["interrupted"] == 0  # still busy?
    counts = outbox.send_due(now=NOW + timedelta(minutes=20))
    assert counts["interrupted"] == 1 and counts["sent"] == 0
    email.refresh_from_db()
    assert email.status == OutboundStatus.FAILED and "Interrupted" in email.last_error
    assert mail.outbox == []


def test_attachments_and_headers_survive_the_outbox(flaky):
    message = EmailMessage(subject="Invitation", body="See the attachment",
                           to=["a@example.org"], cc=["b@example.org"],
                           reply_to=["desk@example.org"], headers={"X-Ticket": "VN-1"})
    message.attach("invitation.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                   "text/calendar; method=REQUEST; charset=utf-8")
    outbox.deliver([message])
    email = OutboundEmail.objects.latest("pk")
    outbox.send_outbound(email.pk, now=NOW)
    sent = mail.outbox[0]
    assert sent.cc == ["b@example.org"] and sent.reply_to == ["desk@example.org"]
    assert sent.extra_headers["X-Ticket"] == "VN-1"
    filename, content, mimetype = sent.attachments[0]
    assert filename == "invitation.ics"
    assert "BEGIN:VCALENDAR" in (content if isinstance(content, str) else content.decode())
    assert mimetype.startswith("text/calendar")


def test_with_the_database_queue_a_retry_is_a_deferred_task(flaky, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    email = _queue()
    flaky.failures = 1
    outbox.send_outbound(email.pk, now=NOW)
    task = DBTaskResult.objects.filter(args_kwargs__args=[email.pk]).latest("enqueued_at")
    assert task.run_after == NOW + timedelta(minutes=1)


def test_the_command_reports_what_it_did(flaky, capsys):
    email = _queue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=1))
    call_command("send_queued_mail")
    assert "sent: 1" in capsys.readouterr().out


def test_administrators_see_what_failed_in_the_admin(client, admin_user, vn_chair):
    email = _queue(subject="Minutes for comments")
    OutboundEmail.objects.filter(pk=email.pk).update(status=OutboundStatus.FAILED,
                                                     last_error="SMTPRecipientsRefused")
    client.force_login(admin_user)
    page = client.get("/admin/core/outboundemail/?status=failed").content.decode()
    assert "Minutes for comments" in page and "SMTPRecipientsRefused" in page
    client.force_login(vn_chair)
    assert client.get("/admin/core/outboundemail/").status_code in (302, 403)


def test_every_attempt_carries_the_same_message_id(flaky):
    email = _queue()
    flaky.failures = 0
    outbox.send_outbound(email.pk, now=NOW)
    assert mail.outbox[0].extra_headers["Message-ID"] == outbox.message_id(email)
    assert f".{email.pk}.outbox@" in outbox.message_id(email)
