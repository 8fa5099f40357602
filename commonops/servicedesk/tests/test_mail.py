"""Tickets by e-mail (T1): `fetch_desk_mail` reads a maildir; a known sender opens a
ticket, a reply threads by the number in its subject, an unknown sender's message waits
for review (InboundMail) and is never lost; the review queue turns it into a ticket."""

import mailbox
from email.message import EmailMessage

import pytest
from django.core.management import call_command
from django.urls import reverse

from commonops.servicedesk import actions
from commonops.servicedesk.models import EventKind, InboundMail, MailStatus, Source, Ticket

pytestmark = pytest.mark.django_db


def _message(sender, subject, body="Hello", attachment=None):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "desk@commonops.example"
    message["Subject"] = subject
    message["Message-ID"] = f"<{abs(hash((sender, subject, body)))}@example.org>"
    message.set_content(body)
    if attachment:
        name, data = attachment
        message.add_attachment(data, maintype="application", subtype="octet-stream",
                               filename=name)
    return message


def _maildir(tmp_path, *messages):
    box = mailbox.Maildir(tmp_path / "desk", create=True)
    for message in messages:
        box.add(message.as_bytes())
    return str(tmp_path / "desk")


def test_a_known_sender_opens_a_ticket_by_email(tmp_path, staff, viet_nam):
    path = _maildir(tmp_path, _message(staff.email, "Projector broken", "Room B"))
    call_command("fetch_desk_mail", "--country", "VN", "--maildir", path)
    ticket = Ticket.objects.filter(requester=staff).latest("id")
    assert (ticket.subject, ticket.source) == ("Projector broken", Source.EMAIL)
    assert ticket.assignee is not None
    assert len(mailbox.Maildir(path)) == 0  # handled messages leave the inbox


def test_a_reply_threads_into_the_ticket_by_its_number(tmp_path, staff, viet_nam, category):
    ticket = actions.ticket_raise(country=viet_nam, requester=staff, category=category,
                                  subject="VPN", by=staff)
    path = _maildir(tmp_path, _message(staff.email, f"Re: [{ticket.number}] VPN",
                                       "Still broken"))
    call_command("fetch_desk_mail", "--country", "VN", "--maildir", path)
    assert ticket.events.filter(kind=EventKind.REPLY, body="Still broken").exists()


def test_an_unknown_sender_goes_to_the_review_queue(tmp_path, viet_nam):
    count = Ticket.objects.count()
    path = _maildir(tmp_path, _message("stranger@example.net", "Free offer"))
    call_command("fetch_desk_mail", "--country", "VN", "--maildir", path)
    item = InboundMail.objects.get(sender="stranger@example.net")
    assert item.status == MailStatus.PENDING
    assert Ticket.objects.count() == count


def test_a_message_with_a_forbidden_attachment_is_kept_for_review(tmp_path, staff, viet_nam):
    count = Ticket.objects.count()
    path = _maildir(tmp_path, _message(staff.email, "Install this", attachment=(
        "setup.exe", b"MZ")))
    call_command("fetch_desk_mail", "--country", "VN", "--maildir", path)
    item = InboundMail.objects.get(subject="Install this")
    assert "not accepted" in item.body
    assert Ticket.objects.count() == count


def test_the_desk_manager_turns_a_reviewed_email_into_a_ticket(client, tmp_path, viet_nam,
                                                               staff, category, desk_manager):
    path = _maildir(tmp_path, _message("personal@gmail.example", "Laptop stolen"))
    call_command("fetch_desk_mail", "--country", "VN", "--maildir", path)
    item = InboundMail.objects.get(subject="Laptop stolen")
    client.force_login(desk_manager)
    assert "Laptop stolen" in client.get(reverse("servicedesk:mail_review")).content.decode()
    response = client.post(reverse("servicedesk:mail_review"), {
        "mail": item.pk, "requester": staff.pk, "category": category.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == MailStatus.ACCEPTED and item.ticket.requester == staff


def test_only_desk_managers_review_email(client, agent1):
    client.force_login(agent1)
    assert client.get(reverse("servicedesk:mail_review")).status_code == 403
