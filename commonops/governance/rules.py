"""OMT governance rules G1–G12 (DOMAIN.md, from the OMT terms of reference).

Pure functions: dates, counts and a WorkingCalendar in; values out. The first five are the
contract fixed by DOMAIN.md; the rest are the other rules the pages, API and reminders use.
"""

import difflib
from collections.abc import Iterable
from datetime import date, timedelta

from django.utils.translation import gettext_noop

from commonops.core.calendars import WorkingCalendar

AGENDA_NOTICE_WORKING_DAYS = 3  # G4
MINUTES_CIRCULATION_DAYS = 7  # G6
COMMENT_PERIOD_WORKING_DAYS = 5  # G6, the default of each OMT
ACTION_DUE_SOON_DAYS = 3  # reminders: an action due within three days
AGENDA_REMINDER_WORKING_DAYS = 2  # reminders: agenda due in two working days

# G8: the items a new meeting's agenda starts with, in order. Open actions of earlier
# meetings are listed under the first. Marked for translation only: the meeting's items are
# stored in the language of the person who schedules it.
STANDARD_AGENDA = (
    gettext_noop("Review of the last minutes and follow-up actions"),
    gettext_noop("Review of the work plan and progress"),
    gettext_noop("Recommendations and requests to the UNCT"),
    gettext_noop("Any other business"),
)
# G9: a retreat's agenda adds these two after the work plan.
RETREAT_AGENDA = (
    gettext_noop("Annual activity report"),
    gettext_noop("Next year's work plan"),
)


# --- contract ---------------------------------------------------------------------------


def agenda_deadline(meeting_day: date, calendar: WorkingCalendar) -> date:
    """G4: the third working day before the meeting day."""
    return calendar.add_working_days(meeting_day, -AGENDA_NOTICE_WORKING_DAYS)


def agenda_on_time(sent_on: date, meeting_day: date, calendar: WorkingCalendar) -> bool:
    """G4: sent on or before the deadline. Later is late: allowed, but recorded and shown."""
    return sent_on <= agenda_deadline(meeting_day, calendar)


def quorum_required(member_count: int) -> int:
    """G5: the smallest count that is more than half of the members."""
    if member_count < 0:
        raise ValueError("A member count cannot be negative.")
    return member_count // 2 + 1


def has_quorum(member_count: int, agencies_present: int) -> bool:
    """G5: quorate when more than half of the member agencies attend (member or alternate)."""
    return agencies_present >= quorum_required(member_count)


def minutes_circulation_deadline(meeting_day: date) -> date:
    """G6: draft minutes go out no later than seven calendar days after the meeting."""
    return meeting_day + timedelta(days=MINUTES_CIRCULATION_DAYS)


# --- the other rules --------------------------------------------------------------------


def minutes_circulated_on_time(circulated_on: date, meeting_day: date) -> bool:
    """G6: late circulation is recorded and shown."""
    return circulated_on <= minutes_circulation_deadline(meeting_day)


def comment_deadline(circulated_on: date, calendar: WorkingCalendar,
                     working_days: int = COMMENT_PERIOD_WORKING_DAYS) -> date:
    """G6: the last day of the comment period (default five working days)."""
    if working_days < 1:
        raise ValueError("A comment period lasts at least one working day.")
    return calendar.add_working_days(circulated_on, working_days)


def may_comment(today: date, deadline: date) -> bool:
    """G6: members comment during the comment period, up to and including its last day."""
    return today <= deadline


def months_without_meeting(meeting_days: Iterable[date], *, first: date,
                           last: date) -> list[tuple[int, int]]:
    """G3: (year, month) of each calendar month from `first` to `last` with no meeting."""
    held = {(day.year, day.month) for day in meeting_days}
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        if (year, month) not in held:
            months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def co_chair_allowed(chair_agency_id, co_chair_agency_id) -> bool:
    """G2: the co-chair comes from a different agency than the chair."""
    return chair_agency_id is None or co_chair_agency_id != chair_agency_id


def terms_overlap(start_a: date, end_a: date | None, start_b: date, end_b: date | None) -> bool:
    """Two terms [start, end] overlap (an open end runs on)."""
    return (end_b is None or start_a <= end_b) and (end_a is None or start_b <= end_a)


def default_term_end(start: date) -> date:
    """G2: a chair's term is one calendar year by default: to the end of that year."""
    return date(start.year, 12, 31)


def action_problems(*, owner_person_id, owner_agency_id, due) -> list[str]:
    """G7: an action has exactly one responsible (a person or an agency) and a deadline."""
    problems = []
    if owner_person_id is None and owner_agency_id is None:
        problems.append("owner")
    if owner_person_id is not None and owner_agency_id is not None:
        problems.append("one_owner")
    if due is None:
        problems.append("due")
    return problems


def action_state(*, due: date, done: bool, today: date,
                 soon_days: int = ACTION_DUE_SOON_DAYS) -> str:
    """"done", "overdue" (past its deadline), "due_soon" (within `soon_days`) or "open"."""
    if done:
        return "done"
    if due < today:
        return "overdue"
    if (due - today).days <= soon_days:
        return "due_soon"
    return "open"


def agenda_reminder_due(*, today: date, meeting_day: date, calendar: WorkingCalendar,
                        sent: bool) -> bool:
    """Reminders: the agenda is due within two working days and has not been sent."""
    if sent or today > meeting_day:
        return False
    deadline = agenda_deadline(meeting_day, calendar)
    return today <= deadline and calendar.working_days_between(
        today, deadline) <= AGENDA_REMINDER_WORKING_DAYS


def text_changes(before: str, after: str) -> list[tuple[str, str]]:
    """A correction's difference, line by line: ("same" | "removed" | "added", line)."""
    changes = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        code, text = line[:2], line[2:]
        if code == "  ":
            changes.append(("same", text))
        elif code == "- ":
            changes.append(("removed", text))
        elif code == "+ ":
            changes.append(("added", text))
    return changes
