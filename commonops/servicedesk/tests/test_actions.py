"""Tickets through the actions: numbering, SLA due times and pauses (T2), assignment and
the race to take a ticket (T3), status changes and the timeline (T1, T4), rating (T5),
bad input (clear message, nothing changed)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from commonops.core.models import AuditEntry, PublicHoliday
from commonops.servicedesk import actions, rules
from commonops.servicedesk.models import (
    Agent,
    Attachment,
    Category,
    EventKind,
    Rating,
    Status,
    Team,
    Ticket,
    TicketCounter,
    TicketEvent,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=HANOI)

pytestmark = pytest.mark.django_db


def raise_ticket(viet_nam, staff, category, *, now=MONDAY_9, priority="P3", **kwargs):
    return actions.ticket_raise(country=viet_nam, requester=staff, category=category,
                                subject="Printer jams", priority=priority, now=now,
                                by=staff, **kwargs)


def test_a_ticket_gets_the_next_number_of_its_country_and_year(viet_nam, staff, category):
    counter = TicketCounter.objects.filter(country=viet_nam, year=2026).first()
    before = counter.last if counter else 0
    first = raise_ticket(viet_nam, staff, category)
    second = raise_ticket(viet_nam, staff, category)
    assert first.number == f"VN-2026-{before + 1:06d}"
    assert second.number == f"VN-2026-{before + 2:06d}"


def test_the_year_of_the_number_is_the_local_year(viet_nam, staff, category):
    # 31 December 20:00 UTC is already 1 January in Hanoi
    ticket = raise_ticket(viet_nam, staff, category,
                          now=datetime(2027, 12, 31, 20, 0, tzinfo=ZoneInfo("UTC")))
    assert ticket.number.startswith("VN-2028-")


def test_due_times_are_stored_in_business_hours_of_the_country(viet_nam, staff, category):
    # P3: first response 4 h, resolution 24 h; Monday 09:00 in Hanoi
    ticket = raise_ticket(viet_nam, staff, category)
    assert ticket.first_response_due == datetime(2026, 3, 2, 13, 0, tzinfo=HANOI)
    # 8 h Monday + 9 h Tuesday + 7 h Wednesday
    assert ticket.resolution_due == datetime(2026, 3, 4, 15, 0, tzinfo=HANOI)


def test_due_times_skip_the_countrys_holidays(viet_nam, staff, category):
    # 30 April and 1 May 2026 are public holidays in Viet Nam (demo data)
    assert PublicHoliday.objects.filter(country=viet_nam, day="2026-04-30").exists()
    ticket = raise_ticket(viet_nam, staff, category, priority="P1",
                          now=datetime(2026, 4, 29, 15, 0, tzinfo=HANOI))
    assert ticket.first_response_due == datetime(2026, 4, 29, 16, 0, tzinfo=HANOI)
    # 2 h on Wednesday, then the holidays and the weekend: 2 h on Monday 4 May
    assert ticket.resolution_due == datetime(2026, 5, 4, 10, 0, tzinfo=HANOI)


def test_a_new_ticket_goes_to_the_agent_with_fewest_open_tickets(viet_nam, staff, category,
                                                                 agent1, agent2):
    # Both new agents start with no open ticket and were never assigned: the lower id wins.
    first = raise_ticket(viet_nam, staff, category)
    assert first.assignee == agent1
    assert first.status == Status.ASSIGNED
    assert first.events.filter(kind=EventKind.ASSIGNED).exists()
    # agent1 now holds one open ticket, agent2 none.
    second = raise_ticket(viet_nam, staff, category)
    assert second.assignee == agent2
    # Once agent2's ticket is resolved, agent2 has fewer open tickets again.
    actions.ticket_change_status(ticket=second, status=Status.RESOLVED, by=agent2,
                                 now=MONDAY_9 + timedelta(hours=1))
    third = raise_ticket(viet_nam, staff, category, now=MONDAY_9 + timedelta(hours=2))
    assert third.assignee == agent2


def test_open_tickets_are_counted_across_the_country_not_only_the_team(viet_nam, staff,
                                                                       category, agent1,
                                                                       agent2):
    # T3 reads an agent's workload: an open ticket of agent1 in another team counts too.
    other = Category.objects.create(country=viet_nam, name="Other desk category",
                                    team=Team.objects.create(country=viet_nam,
                                                             name="Other desk team"))
    Agent.objects.create(country=viet_nam, team=other.team, user=agent1)
    raise_ticket(viet_nam, staff, other)
    assert raise_ticket(viet_nam, staff, category).assignee == agent2


def test_an_agent_who_is_away_gets_no_new_tickets(viet_nam, staff, category, agent1, agent2):
    away = Agent.objects.get(team=category.team, user=agent1)
    actions.agent_set_available(agent=away, available=False, by=agent1)
    tickets = [raise_ticket(viet_nam, staff, category) for _ in range(3)]
    assert {t.assignee for t in tickets} == {agent2}


def test_with_everybody_away_the_ticket_waits_unassigned(viet_nam, staff, category):
    Agent.objects.filter(team=category.team).update(available=False)
    ticket = raise_ticket(viet_nam, staff, category)
    assert ticket.assignee is None and ticket.status == Status.NEW


def test_an_agent_cannot_mark_a_colleague_away(viet_nam, category, agent1, agent2):
    colleague = Agent.objects.get(team=category.team, user=agent2)
    with pytest.raises(PermissionDenied):
        actions.agent_set_available(agent=colleague, available=False, by=agent1)
    colleague.refresh_from_db()
    assert colleague.available


def test_two_agents_taking_the_same_ticket_one_wins(viet_nam, staff, category, agent1, agent2):
    Agent.objects.filter(team=category.team).update(available=False)
    ticket = raise_ticket(viet_nam, staff, category)
    actions.ticket_take(ticket=ticket, by=agent1)
    stale = Ticket.objects.get(pk=ticket.pk)
    stale.assignee = None  # agent2 still sees it unassigned
    with pytest.raises(ValidationError, match="already taken"):
        actions.ticket_take(ticket=stale, by=agent2)
    assert Ticket.objects.get(pk=ticket.pk).assignee == agent1


def test_a_requester_cannot_take_a_ticket(viet_nam, staff, category):
    ticket = raise_ticket(viet_nam, staff, category)
    with pytest.raises(PermissionDenied):
        actions.ticket_take(ticket=ticket, by=staff)


def test_the_first_public_reply_of_an_agent_is_the_first_response(viet_nam, staff, category):
    ticket = raise_ticket(viet_nam, staff, category)
    agent = ticket.assignee
    actions.ticket_reply(ticket=ticket, body="Checking", public=False, by=agent,
                         now=MONDAY_9 + timedelta(hours=1))
    ticket.refresh_from_db()
    assert ticket.first_responded_at is None  # an internal note is not a response
    actions.ticket_reply(ticket=ticket, body="On my way", by=agent,
                         now=MONDAY_9 + timedelta(hours=2))
    ticket.refresh_from_db()
    assert ticket.first_responded_at == MONDAY_9 + timedelta(hours=2)
    assert ticket.first_response_met is True


def test_the_requester_never_sees_internal_notes(viet_nam, staff, category):
    from commonops.servicedesk import queries

    ticket = raise_ticket(viet_nam, staff, category)
    actions.ticket_reply(ticket=ticket, body="User is VIP", public=False, by=ticket.assignee)
    bodies = [e.body for e in queries.timeline(ticket, staff)]
    assert "User is VIP" not in bodies
    assert "User is VIP" in [e.body for e in queries.timeline(ticket, ticket.assignee)]


def test_a_requester_cannot_write_an_internal_note(viet_nam, staff, category):
    ticket = raise_ticket(viet_nam, staff, category)
    with pytest.raises(PermissionDenied):
        actions.ticket_reply(ticket=ticket, body="secret", public=False, by=staff)


def test_waiting_on_the_requester_pauses_the_clock(viet_nam, staff, category):
    ticket = raise_ticket(viet_nam, staff, category)
    agent = ticket.assignee
    assert ticket.resolution_due == datetime(2026, 3, 4, 15, 0, tzinfo=HANOI)
    actions.ticket_change_status(ticket=ticket, status=Status.WAITING, by=agent,
                                 now=MONDAY_9 + timedelta(hours=1))
    # the requester answers the next day at 10:00: 16 business hours later
    actions.ticket_reply(ticket=Ticket.objects.get(pk=ticket.pk), body="Here it is",
                         by=staff, now=datetime(2026, 3, 3, 10, 0, tzinfo=HANOI))
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    assert ticket.paused_hours == pytest.approx(9.0)  # 10-17 Monday, 8-10 Tuesday
    assert ticket.resolution_due == datetime(2026, 3, 5, 15, 0, tzinfo=HANOI)


def test_resolution_stores_business_hours_without_the_pause(viet_nam, staff, category):
    ticket = raise_ticket(viet_nam, staff, category)
    agent = ticket.assignee
    actions.ticket_change_status(ticket=ticket, status=Status.WAITING, by=agent,
                                 now=MONDAY_9 + timedelta(hours=1))
    actions.ticket_change_status(ticket=ticket, status=Status.IN_PROGRESS, by=agent,
                                 now=MONDAY_9 + timedelta(hours=3))
    actions.ticket_change_status(ticket=ticket, status=Status.RESOLVED, by=agent,
                                 now=MONDAY_9 + timedelta(hours=5))
    ticket.refresh_from_db()
    assert ticket.business_hours_to_resolve == pytest.approx(3.0)
    assert ticket.resolution_met is True
    assert ticket.first_responded_at is not None


def test_a_status_jump_that_is_not_allowed_changes_nothing(viet_nam, staff, category):
    ticket = raise_ticket(viet_nam, staff, category)
    events = ticket.events.count()
    with pytest.raises(ValidationError, match="cannot go from"):
        actions.ticket_change_status(ticket=ticket, status=Status.REOPENED,
                                     by=ticket.assignee)
    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED and ticket.events.count() == events


def test_a_stale_version_is_refused(viet_nam, staff, category):
    ticket = raise_ticket(viet_nam, staff, category)
    with pytest.raises(ValidationError, match="Someone else changed"):
        actions.ticket_change_status(ticket=ticket, status=Status.IN_PROGRESS,
                                     expected_version=ticket.version - 1, by=ticket.assignee)


def test_each_status_change_is_in_the_timeline_and_mailed_to_the_requester(
        viet_nam, staff, category, django_capture_on_commit_callbacks):
    ticket = raise_ticket(viet_nam, staff, category)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.ticket_change_status(ticket=ticket, status=Status.IN_PROGRESS,
                                     by=ticket.assignee)
    event = ticket.events.filter(kind=EventKind.STATUS).get()
    assert (event.from_status, event.to_status) == (Status.ASSIGNED, Status.IN_PROGRESS)
    assert event.public
    assert [m.to[0] for m in mail.outbox] == [staff.email]
    assert ticket.number in mail.outbox[0].subject


def test_resolution_mails_one_rating_link(viet_nam, staff, category,
                                          django_capture_on_commit_callbacks):
    ticket = raise_ticket(viet_nam, staff, category)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.ticket_change_status(ticket=ticket, status=Status.RESOLVED, by=ticket.assignee)
    assert f"/desk/tickets/{ticket.pk}/rate/" in mail.outbox[0].body


def _resolved(viet_nam, staff, category):
    ticket = raise_ticket(viet_nam, staff, category)
    actions.ticket_change_status(ticket=ticket, status=Status.RESOLVED, by=ticket.assignee)
    return Ticket.objects.get(pk=ticket.pk)


def test_the_requester_rates_once(viet_nam, staff, category):
    ticket = _resolved(viet_nam, staff, category)
    actions.ticket_rate(ticket=ticket, score=5, comment="Quick", by=staff)
    with pytest.raises(ValidationError, match="already been rated"):
        actions.ticket_rate(ticket=ticket, score=1, by=staff)
    assert Rating.objects.get(ticket=ticket).score == 5


def test_nobody_else_rates_the_ticket(viet_nam, staff, category, agent1):
    ticket = _resolved(viet_nam, staff, category)
    with pytest.raises(PermissionDenied):
        actions.ticket_rate(ticket=ticket, score=5, by=agent1)
    assert not Rating.objects.filter(ticket=ticket).exists()


def test_an_open_ticket_is_not_rated_and_scores_are_1_to_5(viet_nam, staff, category):
    ticket = raise_ticket(viet_nam, staff, category)
    with pytest.raises(ValidationError):
        actions.ticket_rate(ticket=ticket, score=5, by=staff)
    ticket = _resolved(viet_nam, staff, category)
    with pytest.raises(ValidationError, match="1 to 5"):
        actions.ticket_rate(ticket=ticket, score=6, by=staff)
    assert not Rating.objects.filter(ticket=ticket).exists()


def test_a_low_rating_brings_in_the_team_lead(viet_nam, staff, category, desk_manager,
                                              django_capture_on_commit_callbacks):
    ticket = _resolved(viet_nam, staff, category)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.ticket_rate(ticket=ticket, score=2, comment="Slow", by=staff)
    assert [m.to for m in mail.outbox] == [[desk_manager.email]]
    assert ticket.events.filter(body__contains="team lead").exists()


def test_a_forbidden_attachment_type_changes_nothing(viet_nam, staff, category):
    count = Ticket.objects.count()
    with pytest.raises(ValidationError, match="not accepted"):
        raise_ticket(viet_nam, staff, category,
                     files=[SimpleUploadedFile("virus.exe", b"MZ...")])
    assert Ticket.objects.count() == count


def test_a_too_large_attachment_changes_nothing(viet_nam, staff, category):
    ticket = raise_ticket(viet_nam, staff, category)
    big = SimpleUploadedFile("scan.pdf", b"x" * (rules.MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(ValidationError, match="larger than"):
        actions.ticket_reply(ticket=ticket, body="see scan", files=[big], by=staff)
    assert not TicketEvent.objects.filter(ticket=ticket, body="see scan").exists()


def test_an_accepted_attachment_is_kept(viet_nam, staff, category, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ticket = raise_ticket(viet_nam, staff, category,
                          files=[SimpleUploadedFile("error.png", b"\x89PNG....")])
    assert Attachment.objects.get(ticket=ticket).name == "error.png"


def test_merging_closes_the_duplicate(viet_nam, staff, category):
    original = raise_ticket(viet_nam, staff, category)
    duplicate = raise_ticket(viet_nam, staff, category)
    actions.ticket_merge(ticket=duplicate, into=original, by=original.assignee)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.CLOSED and duplicate.merged_into == original
    assert original.events.filter(kind=EventKind.MERGED).exists()
    with pytest.raises(ValidationError):
        actions.ticket_merge(ticket=original, into=original, by=original.assignee)


def test_reassigning_needs_an_agent_of_the_desk(viet_nam, staff, category, agent2):
    ticket = raise_ticket(viet_nam, staff, category)
    with pytest.raises(ValidationError, match="not an agent"):
        actions.ticket_assign(ticket=ticket, assignee=staff, by=ticket.assignee)
    actions.ticket_assign(ticket=ticket, assignee=agent2, by=ticket.assignee)
    assert Ticket.objects.get(pk=ticket.pk).assignee == agent2


def test_a_ticket_change_is_in_the_audit_trail(viet_nam, staff, category):
    ticket = raise_ticket(viet_nam, staff, category)
    actions.ticket_change_status(ticket=ticket, status=Status.IN_PROGRESS, by=ticket.assignee)
    entry = AuditEntry.objects.filter(object_id=str(ticket.pk), action="update",
                                      content_type__model="ticket").latest("at")
    assert entry.changes["status"] == [Status.ASSIGNED, Status.IN_PROGRESS]


def test_an_outsider_cannot_raise_a_ticket_in_viet_nam(viet_nam, category, outsider):
    with pytest.raises(PermissionDenied):
        actions.ticket_raise(country=viet_nam, requester=outsider, category=category,
                             subject="x", by=outsider)


# --- T2 the SLA task ----------------------------------------------------------------------


def test_the_sla_task_records_a_breach_once(viet_nam, staff, category):
    ticket = raise_ticket(viet_nam, staff, category, priority="P1")
    later = ticket.resolution_due + timedelta(minutes=1)
    first = actions.sla_check(now=later)
    second = actions.sla_check(now=later + timedelta(minutes=5))
    ticket.refresh_from_db()
    assert ticket.resolution_breached_at == later
    assert ticket.first_response_breached_at == later
    assert first["resolution"] >= 1 and second["resolution"] == 0
    assert ticket.events.filter(kind=EventKind.SLA).count() == 1


def test_the_sla_task_ignores_a_ticket_waiting_on_the_requester(viet_nam, staff, category):
    ticket = raise_ticket(viet_nam, staff, category, priority="P1")
    actions.ticket_change_status(ticket=ticket, status=Status.WAITING, by=ticket.assignee,
                                 now=MONDAY_9 + timedelta(minutes=10))
    actions.sla_check(now=ticket.resolution_due + timedelta(hours=1))
    ticket.refresh_from_db()
    assert ticket.resolution_breached_at is None


def test_warnings_go_to_the_assignee_and_the_lead_once_each(
        viet_nam, staff, category, desk_manager, django_capture_on_commit_callbacks):
    ticket = raise_ticket(viet_nam, staff, category, priority="P1",
                          now=datetime(2026, 3, 2, 9, 0, tzinfo=HANOI))
    soon = ticket.resolution_due - timedelta(minutes=20)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.sla_check(now=soon)
        actions.sla_check(now=soon + timedelta(minutes=5))
    warned = sorted(m.to[0] for m in mail.outbox if ticket.number in m.subject)
    assert warned == sorted([ticket.assignee.email, desk_manager.email])
