"""The governance rules, named after G1–G12, with worked examples and properties."""

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonops.core.calendars import SUNDAY_TO_THURSDAY, WorkingCalendar
from commonops.governance import rules

MON_FRI = WorkingCalendar()
JORDAN = WorkingCalendar(weekend=SUNDAY_TO_THURSDAY, tz="Asia/Amman")


def test_g4_agenda_deadline_is_the_third_working_day_before():
    # Thursday 12 March 2026 -> Monday 9 March
    assert rules.agenda_deadline(date(2026, 3, 12), MON_FRI) == date(2026, 3, 9)
    # Monday 16 March -> Wednesday 11 March (the weekend does not count)
    assert rules.agenda_deadline(date(2026, 3, 16), MON_FRI) == date(2026, 3, 11)


def test_g4_agenda_deadline_follows_a_sunday_to_thursday_week():
    # Sunday 15 March 2026 in Jordan -> Tuesday 10 March (Friday, Saturday off)
    assert rules.agenda_deadline(date(2026, 3, 15), JORDAN) == date(2026, 3, 10)


def test_g4_agenda_deadline_skips_holidays():
    calendar = WorkingCalendar(holidays=[date(2026, 3, 10)])
    assert rules.agenda_deadline(date(2026, 3, 12), calendar) == date(2026, 3, 6)


def test_g4_an_agenda_sent_on_the_deadline_is_on_time_and_the_day_after_is_late():
    meeting = date(2026, 3, 12)
    assert rules.agenda_on_time(date(2026, 3, 9), meeting, MON_FRI)
    assert not rules.agenda_on_time(date(2026, 3, 10), meeting, MON_FRI)


@pytest.mark.parametrize(("members", "needed"), [(0, 1), (1, 1), (2, 2), (3, 2), (4, 3),
                                                 (12, 7), (13, 7)])
def test_g5_quorum_is_more_than_half(members, needed):
    assert rules.quorum_required(members) == needed


def test_g5_half_of_the_members_is_not_a_quorum():
    assert not rules.has_quorum(12, 6)
    assert rules.has_quorum(12, 7)


@given(st.integers(min_value=0, max_value=500))
def test_g5_quorum_required_is_the_smallest_count_above_half(members):
    needed = rules.quorum_required(members)
    assert needed * 2 > members
    assert (needed - 1) * 2 <= members


def test_g6_minutes_are_due_seven_calendar_days_after_the_meeting():
    assert rules.minutes_circulation_deadline(date(2026, 3, 12)) == date(2026, 3, 19)
    assert rules.minutes_circulated_on_time(date(2026, 3, 19), date(2026, 3, 12))
    assert not rules.minutes_circulated_on_time(date(2026, 3, 20), date(2026, 3, 12))


def test_g6_the_comment_period_is_five_working_days():
    # circulated Friday 13 March -> last day Friday 20 March
    assert rules.comment_deadline(date(2026, 3, 13), MON_FRI) == date(2026, 3, 20)
    assert rules.may_comment(date(2026, 3, 20), date(2026, 3, 20))
    assert not rules.may_comment(date(2026, 3, 21), date(2026, 3, 20))


def test_g3_months_without_a_meeting_are_listed():
    meetings = [date(2026, 1, 15), date(2026, 3, 2), date(2026, 3, 30)]
    assert rules.months_without_meeting(meetings, first=date(2026, 1, 1),
                                        last=date(2026, 4, 10)) == [(2026, 2), (2026, 4)]


def test_g3_months_run_across_the_new_year():
    assert rules.months_without_meeting([], first=date(2025, 12, 5), last=date(2026, 1, 5)) \
        == [(2025, 12), (2026, 1)]


def test_g2_co_chair_from_chairs_agency_is_rejected():
    assert not rules.co_chair_allowed(7, 7)
    assert rules.co_chair_allowed(7, 8)
    assert rules.co_chair_allowed(None, 8)


def test_g2_a_term_runs_to_the_end_of_its_calendar_year_by_default():
    assert rules.default_term_end(date(2026, 4, 1)) == date(2026, 12, 31)


def test_terms_overlap_with_open_ends():
    assert rules.terms_overlap(date(2026, 1, 1), None, date(2027, 1, 1), date(2027, 12, 31))
    assert not rules.terms_overlap(date(2026, 1, 1), date(2026, 12, 31), date(2027, 1, 1), None)


def test_g7_an_action_needs_one_responsible_and_a_deadline():
    assert rules.action_problems(owner_person_id=None, owner_agency_id=None, due=None) == [
        "owner", "due"]
    assert rules.action_problems(owner_person_id=1, owner_agency_id=2, due=date.today()) == [
        "one_owner"]
    assert rules.action_problems(owner_person_id=None, owner_agency_id=2,
                                 due=date.today()) == []


def test_action_states():
    today = date(2026, 5, 10)
    assert rules.action_state(due=date(2026, 5, 9), done=False, today=today) == "overdue"
    assert rules.action_state(due=date(2026, 5, 13), done=False, today=today) == "due_soon"
    assert rules.action_state(due=date(2026, 5, 14), done=False, today=today) == "open"
    assert rules.action_state(due=date(2026, 5, 1), done=True, today=today) == "done"


def test_agenda_reminder_falls_within_two_working_days_of_the_deadline():
    meeting = date(2026, 3, 12)  # deadline Monday 9 March
    def due(today, sent=False):
        return rules.agenda_reminder_due(today=today, meeting_day=meeting,
                                         calendar=MON_FRI, sent=sent)
    assert not due(date(2026, 3, 4))  # Wednesday: three working days before
    assert due(date(2026, 3, 5))  # Thursday: two working days before
    assert due(date(2026, 3, 9))  # the deadline itself
    assert not due(date(2026, 3, 10))  # past the deadline: it is late, not due
    assert not due(date(2026, 3, 6), sent=True)


def test_g6_a_correction_shows_what_changed():
    changes = rules.text_changes("Agreed budget.\nNext meeting in May.",
                                 "Agreed budget.\nNext meeting in June.")
    assert ("same", "Agreed budget.") in changes
    assert ("removed", "Next meeting in May.") in changes
    assert ("added", "Next meeting in June.") in changes


@settings(max_examples=200)
@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
def test_g4_the_deadline_is_always_three_working_days_before(meeting_day):
    deadline = rules.agenda_deadline(meeting_day, JORDAN)
    assert deadline < meeting_day
    assert JORDAN.is_working_day(deadline)
    expected = 3 if JORDAN.is_working_day(meeting_day) else 2
    assert JORDAN.working_days_between(deadline, meeting_day) == expected


def _minutes(status, today, **state):
    return rules.MinutesState(status=status, today=today, **state)


def test_g6_circulated_minutes_are_finalised_only_once_the_comment_period_has_closed():
    until = date(2026, 3, 20)
    circulated = dict(status=rules.CIRCULATED, comments_until=until)
    assert not rules.may_finalise(_minutes(today=date(2026, 3, 13), **circulated))
    assert not rules.may_finalise(_minutes(today=until, **circulated))  # its last day
    assert rules.may_finalise(_minutes(today=date(2026, 3, 21), **circulated))


def test_g6_a_draft_is_circulated_first_and_a_correction_is_finalised_directly():
    today = date(2026, 3, 13)
    assert not rules.may_finalise(_minutes(rules.DRAFT, today))
    assert rules.may_circulate(_minutes(rules.DRAFT, today))
    correction = _minutes(rules.DRAFT, today, is_correction=True)
    assert rules.may_finalise(correction) and not rules.may_circulate(correction)
    assert not rules.may_finalise(_minutes(rules.FINALISED, today))


def test_g6_minutes_are_started_once_the_meeting_has_begun():
    starts = datetime(2027, 3, 11, 10, tzinfo=timezone.utc)

    def state(now, **facts):
        return rules.MeetingState(status=rules.AGENDA_SENT, starts_at=starts, now=now,
                                  **facts)

    assert not rules.may_start_minutes(state(starts - timedelta(minutes=1)))
    assert rules.may_start_minutes(state(starts))
    assert not rules.may_start_minutes(state(starts, has_minutes=True))
    assert not rules.may_start_minutes(rules.MeetingState(
        status=rules.CANCELLED, starts_at=starts, now=starts + timedelta(days=1)))


def test_g3_a_past_meeting_counts_for_its_month_only_once_held():
    today = date(2027, 3, 10)
    counts = rules.meeting_counts_for_its_month
    assert counts(status=rules.HELD, day=date(2027, 2, 11), today=today)
    assert not counts(status=rules.SCHEDULED, day=date(2027, 2, 11), today=today)
    assert not counts(status=rules.AGENDA_SENT, day=date(2027, 3, 9), today=today)
    assert counts(status=rules.AGENDA_SENT, day=today, today=today)  # the day itself
    assert counts(status=rules.SCHEDULED, day=date(2027, 3, 18), today=today)  # planned
    assert not counts(status=rules.CANCELLED, day=date(2027, 3, 18), today=today)
