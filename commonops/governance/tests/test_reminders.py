"""Reminder e-mails: agenda (G4), minutes (G6) and actions (G7), each sent once.

The tests build Jordan's OMT, which the demo leaves out: its Sunday–Thursday week and
its Eid holidays of March 2026 show that dates are read in the country's calendar.
Rania (jo-chair, UNICEF) chairs, Karim (UNDP) co-chairs, Layla is the secretary, Samir
(WFP, with Huda as alternate) and Fadi (UNHCR, no alternate) are members.

March 2026 in Amman: Thursday 19 (Eid al-Fitr) and Sunday 22 are holidays; Friday and
Saturday are the weekend.
"""

from datetime import date, datetime, time, timedelta
from io import StringIO
from smtplib import SMTPException
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase

from commonops.core.models import Agency, User
from commonops.governance import actions, notifications, tasks
from commonops.governance.models import ReminderSent

AMMAN = ZoneInfo("Asia/Amman")


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMMAN)


def send_reminders(*, now):
    """One run of the reminders. Its e-mails leave the outbox once the run commits, which
    the test's own transaction never does: the commit callbacks are run here instead."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return tasks.send_reminders(now=now)


def mail_to(person) -> list[str]:
    """Subjects of the e-mails that went to this person."""
    return [message.subject for message in mail.outbox if person.email in message.to]


def reminded(kind: str, key: str) -> set[str]:
    return set(ReminderSent.objects.filter(kind=kind, key=key)
               .values_list("recipient__username", flat=True))


@pytest.fixture
def jo(db, jordan, admin_user):
    agencies = {a.acronym: a for a in Agency.objects.filter(
        acronym__in=["UNICEF", "UNDP", "WFP", "UNHCR"])}

    def person(username, first, agency):
        return User.objects.create(
            username=username, first_name=first, last_name="Test",
            email=f"{username}@commonops.example", agency=agencies[agency],
            duty_country=jordan)

    people = SimpleNamespace(
        chair=User.objects.get(username="jo-chair"),
        co_chair=person("jo-undp", "Karim", "UNDP"),
        secretary=person("jo-secretary", "Layla", "UNDP"),
        wfp=person("jo-wfp", "Samir", "WFP"),
        wfp_alternate=person("jo-wfp-alt", "Huda", "WFP"),
        unhcr=person("jo-unhcr", "Fadi", "UNHCR"),
        agencies=agencies, admin=admin_user,
    )
    people.omt = actions.omt_create(country=jordan, by=admin_user,
                                    data={"secretary": people.secretary})
    today = date(2026, 3, 1)
    for agency, member, alternate in (("UNICEF", people.chair, None),
                                      ("UNDP", people.co_chair, None),
                                      ("WFP", people.wfp, people.wfp_alternate),
                                      ("UNHCR", people.unhcr, None)):
        actions.membership_save(omt=people.omt, by=admin_user, today=today, data={
            "agency": agencies[agency], "member": member, "alternate": alternate,
            "since": date(2025, 1, 1)})
    for role, agency, who in (("chair", "UNICEF", people.chair),
                              ("co_chair", "UNDP", people.co_chair)):
        actions.chair_term_record(omt=people.omt, by=admin_user, role=role,
                                  agency=agencies[agency], person=who,
                                  starts_on=date(2026, 1, 1), today=today)
    mail.outbox.clear()
    return people


def meeting_on(jo, day: date, title="OMT meeting"):
    return actions.meeting_schedule(omt=jo.omt, by=jo.admin, title=title,
                                    starts_at=at(day, 10), ends_at=at(day, 12))


# --- G4: the agenda -------------------------------------------------------------------------


def test_agenda_reminder_goes_two_working_days_before_the_deadline(jo):
    # Meeting Thursday 26 March: the G4 deadline is Monday 23 (Wed 25, Tue 24, Mon 23).
    # Two working days before it is Tuesday 17, because Eid (Thu 19, Sun 22) and the
    # weekend (Fri 20, Sat 21) leave only Wednesday 18 in between. In a Monday–Friday week
    # with no holidays Tuesday 17 would still be four working days away.
    meeting = meeting_on(jo, date(2026, 3, 26))

    send_reminders(now=at(date(2026, 3, 16), hour=23))
    assert reminded("agenda_due", f"meeting:{meeting.pk}") == set()

    # Half past midnight in Amman is still Monday in UTC: the day is the country's.
    counts = send_reminders(now=at(date(2026, 3, 17), hour=0) + timedelta(minutes=30))

    assert reminded("agenda_due", f"meeting:{meeting.pk}") == {
        "jo-secretary", "jo-chair", "jo-undp"}
    assert counts["agenda_due"] >= 3
    assert mail_to(jo.secretary) == ["Reminder: send the agenda of OMT meeting by 2026-03-23"]
    assert mail_to(jo.chair) == mail_to(jo.co_chair) == mail_to(jo.secretary)
    assert mail_to(jo.wfp) == []  # members get the agenda itself, not the reminder
    body = next(m.body for m in mail.outbox if jo.secretary.email in m.to)
    assert "2026-03-26" in body and f"/omt/meetings/{meeting.pk}/" in body


def test_agenda_reminder_stops_after_the_meeting_day(jo):
    meeting = meeting_on(jo, date(2026, 3, 26))

    send_reminders(now=at(date(2026, 3, 27)))

    assert reminded("agenda_due", f"meeting:{meeting.pk}") == set()


def test_a_sent_agenda_gets_no_reminder(jo):
    meeting = meeting_on(jo, date(2026, 3, 26))
    actions.agenda_send(meeting=meeting, by=jo.admin, now=at(date(2026, 3, 15)))

    send_reminders(now=at(date(2026, 3, 17)))

    assert reminded("agenda_due", f"meeting:{meeting.pk}") == set()
    assert mail_to(jo.secretary) == []


def test_a_cancelled_meeting_gets_no_agenda_reminder(jo):
    meeting = meeting_on(jo, date(2026, 3, 26))
    actions.meeting_cancel(meeting=meeting, by=jo.admin)

    send_reminders(now=at(date(2026, 3, 17)))

    assert reminded("agenda_due", f"meeting:{meeting.pk}") == set()


# --- G6: the minutes ------------------------------------------------------------------------


def test_minutes_circulation_reminder(jo):
    # Meeting Thursday 5 March: the draft is due to members by Thursday 12 (seven calendar
    # days); the secretary is reminded from Tuesday 10, once.
    minutes = actions.minutes_start(meeting=meeting_on(jo, date(2026, 3, 5)), by=jo.admin)
    key = f"minutes:{minutes.pk}"

    send_reminders(now=at(date(2026, 3, 9)))
    assert reminded("minutes_circulation_due", key) == set()

    send_reminders(now=at(date(2026, 3, 10)))
    assert reminded("minutes_circulation_due", key) == {"jo-secretary"}
    assert mail_to(jo.secretary) == [
        "Reminder: circulate the draft minutes of OMT meeting by 2026-03-12"]

    send_reminders(now=at(date(2026, 3, 13)))  # late now, but reminded already
    assert len(mail_to(jo.secretary)) == 1


def test_late_draft_minutes_still_get_one_reminder(jo):
    minutes = actions.minutes_start(meeting=meeting_on(jo, date(2026, 3, 5)), by=jo.admin)

    send_reminders(now=at(date(2026, 3, 30)))

    assert reminded("minutes_circulation_due", f"minutes:{minutes.pk}") == {"jo-secretary"}
    assert mail_to(jo.secretary) == [
        "Overdue: circulate the draft minutes of OMT meeting (due 2026-03-12)"]
    body = next(m.body for m in mail.outbox if jo.secretary.email in m.to)
    assert "were due to members for comments by 2026-03-12" in body


def test_circulated_minutes_need_no_circulation_reminder(jo):
    minutes = actions.minutes_start(meeting=meeting_on(jo, date(2026, 3, 5)), by=jo.admin)
    actions.minutes_circulate(minutes=minutes, by=jo.admin, now=at(date(2026, 3, 9)))

    send_reminders(now=at(date(2026, 3, 11)))

    assert reminded("minutes_circulation_due", f"minutes:{minutes.pk}") == set()


def test_comment_period_closing_reminds_only_members_who_have_not_commented(jo):
    # Circulated Monday 9 March: five working days of comments end Monday 16 (Tue 10,
    # Wed 11, Thu 12, Sun 15, Mon 16). "Closing" is from the working day before: Sunday 15.
    minutes = actions.minutes_start(meeting=meeting_on(jo, date(2026, 3, 5)), by=jo.admin)
    minutes = actions.minutes_circulate(minutes=minutes, by=jo.admin, now=at(date(2026, 3, 9)))
    assert minutes.comments_until == date(2026, 3, 16)
    actions.minutes_comment(item=minutes.items.first(), by=jo.wfp, today=date(2026, 3, 10),
                            text="WFP will share its fuel contract.")
    key = f"minutes:{minutes.pk}"

    send_reminders(now=at(date(2026, 3, 12)))  # next working day is Sunday 15
    assert reminded("comment_period_closing", key) == set()

    send_reminders(now=at(date(2026, 3, 15)))

    # Samir commented; his alternate Huda did not, and is reminded in her own right.
    assert reminded("comment_period_closing", key) == {
        "jo-chair", "jo-undp", "jo-wfp-alt", "jo-unhcr"}
    assert mail_to(jo.unhcr) == [
        "Reminder: comments on the minutes of OMT meeting close on 2026-03-16"]
    assert mail_to(jo.wfp) == [] and mail_to(jo.secretary) == []


def test_no_comment_reminder_after_the_comment_period(jo):
    minutes = actions.minutes_start(meeting=meeting_on(jo, date(2026, 3, 5)), by=jo.admin)
    minutes = actions.minutes_circulate(minutes=minutes, by=jo.admin, now=at(date(2026, 3, 9)))

    send_reminders(now=at(date(2026, 3, 17)))

    assert reminded("comment_period_closing", f"minutes:{minutes.pk}") == set()


# --- G7: the actions ------------------------------------------------------------------------


def test_action_due_in_three_days_and_overdue_reminders(jo):
    def action(title, due, **owner):
        return actions.action_create(omt=jo.omt, by=jo.admin, title=title, due_on=due,
                                     **owner)

    fuel = action("Share the fuel contract", date(2026, 3, 20), owner_person=jo.unhcr)
    clinic = action("Price the clinic's Saturday hours", date(2026, 3, 10),
                    owner_agency=jo.agencies["WFP"])
    later = action("Draft the premises survey", date(2026, 3, 21), owner_person=jo.unhcr)
    done = action("Book the retreat venue", date(2026, 3, 12), owner_person=jo.unhcr)
    actions.action_complete(action=done, by=jo.admin, note="Booked.", today=date(2026, 3, 11))

    send_reminders(now=at(date(2026, 3, 17)))

    # Due in three days: a reminder; in four: not yet. Past the deadline: overdue, to the
    # agency's OMT member (not the alternate). A done action: nothing.
    assert reminded("action_due_soon", f"action:{fuel.pk}") == {"jo-unhcr"}
    assert reminded("action_due_soon", f"action:{later.pk}") == set()
    assert reminded("action_overdue", f"action:{clinic.pk}") == {"jo-wfp"}
    assert mail_to(jo.wfp) == [
        "Overdue action (deadline 2026-03-10): Price the clinic's Saturday hours"]
    assert mail_to(jo.wfp_alternate) == []
    assert not ReminderSent.objects.filter(key=f"action:{done.pk}").exists()

    mail.outbox.clear()
    send_reminders(now=at(date(2026, 3, 21)))

    # The fuel contract is now overdue: one more e-mail. The clinic is overdue still, but
    # an overdue reminder goes once. The survey is due today.
    assert sorted(mail_to(jo.unhcr)) == [
        "Overdue action (deadline 2026-03-20): Share the fuel contract",
        "Reminder: action due on 2026-03-21: Draft the premises survey",
    ]
    assert mail_to(jo.wfp) == []


# --- each reminder once ---------------------------------------------------------------------


@pytest.fixture
def everything_due(jo):
    """At 17 March: an agenda, a draft, a comment period and two actions are due."""
    meeting_on(jo, date(2026, 3, 26))
    actions.minutes_start(meeting=meeting_on(jo, date(2026, 3, 10)), by=jo.admin)
    circulated = actions.minutes_start(meeting=meeting_on(jo, date(2026, 3, 5)), by=jo.admin)
    actions.minutes_circulate(minutes=circulated, by=jo.admin, now=at(date(2026, 3, 11)))
    actions.action_create(omt=jo.omt, by=jo.admin, title="Share the fuel contract",
                          due_on=date(2026, 3, 18), owner_person=jo.unhcr)
    actions.action_create(omt=jo.omt, by=jo.admin, title="Price the clinic",
                          due_on=date(2026, 3, 2), owner_agency=jo.agencies["UNICEF"])
    mail.outbox.clear()
    return at(date(2026, 3, 17))


def test_every_kind_is_counted(jo, everything_due):
    counts = send_reminders(now=everything_due)

    jordan = {kind: ReminderSent.objects.filter(
        kind=kind, recipient__duty_country__iso_code="JO").count() for kind in tasks.KINDS}
    assert jordan == {"agenda_due": 3, "minutes_circulation_due": 1,
                      "comment_period_closing": 5, "action_due_soon": 1, "action_overdue": 1}
    # Other countries' OMTs (the demo's Viet Nam) may add to the counts, never take away.
    assert all(counts[kind] >= jordan[kind] for kind in tasks.KINDS)
    assert sum(counts.values()) == len(mail.outbox)


def test_running_twice_sends_nothing_new(jo, everything_due):
    first = send_reminders(now=everything_due)
    sent = len(mail.outbox)

    second = send_reminders(now=everything_due + timedelta(hours=1))

    assert sum(first.values()) == sent > 0
    assert second == dict.fromkeys(tasks.KINDS, 0)
    assert len(mail.outbox) == sent


def test_two_workers_at_once_never_send_a_duplicate(jo, everything_due, monkeypatch):
    # A second worker starts while the first is sending its first e-mail, so the first
    # worker still holds candidates the second one claims (and the reverse). Whoever
    # inserts the ReminderSent row first sends; the other's insert fails and it moves on.
    real_send = notifications.send_reminder
    second = {}

    def send_while_another_worker_runs(*args, **kwargs):
        if not second:
            second["started"] = True
            second["counts"] = tasks.send_reminders(now=everything_due)
        return real_send(*args, **kwargs)

    monkeypatch.setattr(notifications, "send_reminder", send_while_another_worker_runs)
    first = send_reminders(now=everything_due)

    addressed = [(tuple(message.to), message.subject) for message in mail.outbox]
    assert len(addressed) == len(set(addressed))  # nobody got the same reminder twice
    assert sum(first.values()) + sum(second["counts"].values()) == len(addressed)
    assert sum(first.values()) == 1  # the first worker lost every other claim
    assert len(mail_to(jo.secretary)) == 2  # the agenda and the draft minutes, once each


def test_a_reminder_another_worker_claimed_is_not_sent_again(jo):
    meeting = meeting_on(jo, date(2026, 3, 26))
    # Another worker has claimed the chair's reminder (and sent it, or is sending it).
    ReminderSent.objects.create(kind="agenda_due", key=f"meeting:{meeting.pk}",
                                recipient=jo.chair)

    send_reminders(now=at(date(2026, 3, 17)))

    assert mail_to(jo.chair) == []
    assert len(mail_to(jo.secretary)) == len(mail_to(jo.co_chair)) == 1


def test_a_reminder_that_fails_to_send_is_tried_again_next_time(jo, monkeypatch):
    meeting = meeting_on(jo, date(2026, 3, 26))
    real_send = notifications.send_reminder

    def mail_server_refuses_the_chair(recipient, *args, **kwargs):
        if recipient == jo.chair:
            raise SMTPException("451 try again later")
        return real_send(recipient, *args, **kwargs)

    monkeypatch.setattr(notifications, "send_reminder", mail_server_refuses_the_chair)
    send_reminders(now=at(date(2026, 3, 17)))
    assert reminded("agenda_due", f"meeting:{meeting.pk}") == {"jo-secretary", "jo-undp"}

    monkeypatch.setattr(notifications, "send_reminder", real_send)
    send_reminders(now=at(date(2026, 3, 17), hour=10))

    assert len(mail_to(jo.chair)) == 1
    assert len(mail_to(jo.secretary)) == 1


def test_the_command_sends_the_reminders_and_prints_the_counts(jo):
    meeting_on(jo, date(2026, 3, 26))
    out = StringIO()

    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_reminders", "--now", "2026-03-17T09:00:00+03:00", stdout=out)

    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines[:len(tasks.KINDS)]] == list(tasks.KINDS)
    assert mail_to(jo.secretary) == ["Reminder: send the agenda of OMT meeting by 2026-03-23"]


def test_the_command_refuses_a_moment_it_cannot_read(db):
    with pytest.raises(CommandError, match="not an ISO date and time"):
        call_command("send_reminders", "--now", "next Tuesday")
