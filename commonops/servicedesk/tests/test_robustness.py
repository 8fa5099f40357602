"""A mail server that is down fails no request, and a resubmitted form makes nothing twice
(the ticket form; meetings and the generic pages in their own apps' tests)."""

import socket

import pytest
from django.core import mail
from django.urls import reverse

from commonops.core.models import OutboundEmail, OutboundStatus
from commonops.core.security import FORM_TOKEN_FIELD
from commonops.servicedesk.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_server_down(settings):
    """SMTP to a port of this machine where nothing listens: the connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2


def _raise(client, staff, category, **extra):
    client.force_login(staff)
    return client.post(reverse("servicedesk:ticket_raise"), {
        "category": category.pk, "priority": "P3", "subject": "Printer jammed",
        "description": "Second floor", **extra})


def test_a_ticket_raised_while_the_mail_server_is_down_is_saved_and_answered(
        client, staff, category, mail_server_down, django_capture_on_commit_callbacks):
    before = OutboundEmail.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = _raise(client, staff, category)
    assert response.status_code == 302
    ticket = Ticket.objects.get(requester=staff, subject="Printer jammed")
    assert response["Location"] == ticket.get_absolute_url()
    queued = OutboundEmail.objects.order_by("pk")[before:]
    assert queued and all(e.status == OutboundStatus.QUEUED for e in queued)
    assert all(e.attempts == 1 and "refused" in e.last_error.lower() for e in queued)
    assert all(e.next_attempt_at is not None for e in queued)  # to be tried again
    assert any(ticket.number in e.subject for e in queued)


def test_the_e_mail_of_a_ticket_goes_out_from_the_outbox(
        client, staff, category, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _raise(client, staff, category)
    ticket = Ticket.objects.get(requester=staff, subject="Printer jammed")
    sent = OutboundEmail.objects.filter(subject__contains=ticket.number)
    assert sent and all(e.status == OutboundStatus.SENT and e.sent_at for e in sent)
    assert any(ticket.number in m.subject and staff.email in m.to for m in mail.outbox)


def test_a_resubmitted_ticket_form_makes_one_ticket(client, staff, category):
    first = _raise(client, staff, category, **{FORM_TOKEN_FIELD: "the-same-token"})
    again = _raise(client, staff, category, **{FORM_TOKEN_FIELD: "the-same-token"})
    assert Ticket.objects.filter(requester=staff, subject="Printer jammed").count() == 1
    assert again.status_code == 303 and again["Location"] == first["Location"]
    page = client.get(again["Location"]).content.decode()
    assert "already sent" in page


def test_two_forms_make_two_tickets(client, staff, category):
    _raise(client, staff, category, **{FORM_TOKEN_FIELD: "one"})
    _raise(client, staff, category, **{FORM_TOKEN_FIELD: "two"})
    assert Ticket.objects.filter(requester=staff, subject="Printer jammed").count() == 2


def test_a_refused_form_may_be_corrected_and_sent_with_its_token(client, staff, category):
    client.force_login(staff)
    refused = client.post(reverse("servicedesk:ticket_raise"), {
        "category": category.pk, "priority": "P3", "subject": "", FORM_TOKEN_FIELD: "t"})
    assert refused.status_code == 400
    assert _raise(client, staff, category, **{FORM_TOKEN_FIELD: "t"}).status_code == 302
    assert Ticket.objects.filter(requester=staff, subject="Printer jammed").count() == 1


def test_the_ticket_form_carries_a_fresh_token(client, staff):
    client.force_login(staff)
    first = client.get(reverse("servicedesk:ticket_raise")).content.decode()
    second = client.get(reverse("servicedesk:ticket_raise")).content.decode()
    assert f'name="{FORM_TOKEN_FIELD}"' in first
    token = first.split(f'name="{FORM_TOKEN_FIELD}" value="')[1].split('"')[0]
    assert len(token) >= 24 and token not in second


def test_another_person_cannot_use_someone_elses_token(client, staff, category, agent1):
    _raise(client, staff, category, **{FORM_TOKEN_FIELD: "shared"})
    _raise(client, agent1, category, **{FORM_TOKEN_FIELD: "shared"})
    assert Ticket.objects.filter(requester=agent1, subject="Printer jammed").count() == 1
