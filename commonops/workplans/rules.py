"""The rules of annual work plans (G9) and of the end-of-cycle BOS evaluation, as pure
functions: plain values in, values out; no ORM, no settings, no clock (`today` is passed in).

The red/amber/green rating of an activity says why it has its colour: behind schedule,
over budget, an indicator not met. Each reason has its own colour and the activity takes
the worst.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from commonops.results import rules as results_rules

# G9: the work plan's workflow
DRAFT, SUBMITTED, APPROVED = "draft", "submitted", "approved"
PLAN_STATES = (DRAFT, SUBMITTED, APPROVED)
# the evaluation's
HANDED_OVER = "handed_over"

# an activity's status
PLANNED, IN_PROGRESS, DONE, CANCELLED = "planned", "in_progress", "done", "cancelled"
ACTIVITY_STATES = (PLANNED, IN_PROGRESS, DONE, CANCELLED)
UNFINISHED = (PLANNED, IN_PROGRESS)


@dataclass(frozen=True)
class PlanFacts:
    """What the work plan's step rules read."""

    status: str
    activities: int = 0


def may_edit_plan(status: str) -> bool:
    """G9: the plan and its activities change only while it is a draft."""
    return status == DRAFT


def may_submit(facts: PlanFacts) -> bool:
    return facts.status == DRAFT and facts.activities > 0


def may_approve(facts: PlanFacts) -> bool:
    """G9: the UNCT approves a submitted plan."""
    return facts.status == SUBMITTED


def may_return(facts: PlanFacts) -> bool:
    return facts.status == SUBMITTED


def may_carry_over(facts: PlanFacts) -> bool:
    """Unfinished activities of last year are carried into a draft plan."""
    return facts.status == DRAFT


def may_report(status: str) -> bool:
    """Quarterly progress is reported on an approved plan."""
    return status == APPROVED


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


# --- bad input -------------------------------------------------------------------------------

ENDS_BEFORE_START = "ends_before_start"
OUTSIDE_YEAR = "outside_year"


def date_problems(starts_on: date, ends_on: date, year: int) -> list[str]:
    """An activity ends on or after the day it starts, within its plan's year."""
    problems = []
    if ends_on < starts_on:
        problems.append(ENDS_BEFORE_START)
    if starts_on.year != year or ends_on.year != year:
        problems.append(OUTSIDE_YEAR)
    return problems


OUT_OF_RANGE = "out_of_range"
DONE_NEEDS_ALL = "done_needs_all"
ALL_IS_DONE = "all_is_done"
PLANNED_HAS_PROGRESS = "planned_has_progress"


def progress_problem(status: str, progress: int) -> str | None:
    """A progress report is consistent: 0–100%, done exactly at 100%, nothing done while
    still planned. None when it is."""
    if progress is None or progress < 0 or progress > 100:
        return OUT_OF_RANGE
    if status == DONE and progress != 100:
        return DONE_NEEDS_ALL
    if status in (PLANNED, IN_PROGRESS) and progress == 100:
        return ALL_IS_DONE
    if status == PLANNED and progress > 0:
        return PLANNED_HAS_PROGRESS
    return None


# --- red, amber, green -----------------------------------------------------------------------

RED, AMBER, GREEN, NOT_RATED = "red", "amber", "green", "none"
_SEVERITY = {NOT_RATED: 0, GREEN: 1, AMBER: 2, RED: 3}
BEHIND_AMBER = 10  # percentage points behind the time elapsed
BEHIND_RED = 25
OVER_BUDGET_RED = Decimal("10")  # per cent over budget


@dataclass(frozen=True)
class ActivityFacts:
    status: str
    starts_on: date
    ends_on: date
    progress: int
    budget: Decimal
    spent: Decimal
    indicator_statuses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reason:
    code: str  # cancelled, overdue, behind, over_budget, indicator_not_met, …
    colour: str
    values: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Rating:
    colour: str
    reasons: tuple[Reason, ...]


def expected_progress(starts_on: date, ends_on: date, today: date) -> int:
    """The share of the activity's time that has gone by, 0–100 (whole per cent)."""
    if today < starts_on:
        return 0
    if today >= ends_on:
        return 100
    total = (ends_on - starts_on).days
    return int((today - starts_on).days * 100 // total)


def worst(colours: Iterable[str]) -> str:
    return max(colours, key=_SEVERITY.__getitem__, default=NOT_RATED)


def activity_rating(facts: ActivityFacts, *, today: date) -> Rating:
    """The colour of an activity and every reason for it.

    - Schedule: not done after its end date is red; otherwise progress behind the time
      elapsed by more than 25 points is red, by more than 10 amber.
    - Budget: spending over the budget is amber, more than 10% over (or anything spent on
      no budget) red.
    - Indicators: one not met is amber while the activity runs, red once it is done or past
      its end; one not met but with progress is amber.
    - Cancelled activities are not rated; without any reason an activity is green.
    """
    if facts.status == CANCELLED:
        return Rating(NOT_RATED, (Reason("cancelled", NOT_RATED),))
    reasons: list[Reason] = []
    finished = facts.status == DONE
    ended = today > facts.ends_on
    if not finished:
        expected = expected_progress(facts.starts_on, facts.ends_on, today)
        if ended:
            reasons.append(Reason("overdue", RED, {"ends_on": facts.ends_on,
                                                   "progress": facts.progress}))
        elif expected - facts.progress > BEHIND_RED:
            reasons.append(Reason("behind", RED, {"progress": facts.progress,
                                                  "expected": expected}))
        elif expected - facts.progress > BEHIND_AMBER:
            reasons.append(Reason("behind", AMBER, {"progress": facts.progress,
                                                    "expected": expected}))
    budget, spent = Decimal(facts.budget), Decimal(facts.spent)
    if spent > budget:
        over = (spent - budget) * 100 / budget if budget else None
        colour = RED if over is None or over > OVER_BUDGET_RED else AMBER
        reasons.append(Reason("over_budget", colour, {"spent": spent, "budget": budget}))
    statuses = tuple(facts.indicator_statuses)
    not_met = statuses.count(results_rules.NOT_MET)
    if not_met:
        reasons.append(Reason("indicator_not_met", RED if finished or ended else AMBER,
                              {"count": not_met}))
    progressing = statuses.count(results_rules.PROGRESS)
    if progressing:
        reasons.append(Reason("indicator_progress", AMBER, {"count": progressing}))
    if not reasons:
        reasons.append(Reason("done" if finished else "on_track", GREEN))
    return Rating(worst(r.colour for r in reasons), tuple(reasons))


# --- carrying unfinished activities into next year ------------------------------------------


def carried_dates(ends_on: date, new_year: int) -> tuple[date, date]:
    """An unfinished activity carried into `new_year` starts on 1 January and ends on the
    same day of the year it was to end (28 February for a 29th in a common year)."""
    last = calendar.monthrange(new_year, ends_on.month)[1]
    return date(new_year, 1, 1), date(new_year, ends_on.month, min(ends_on.day, last))


def remaining_budget(budget: Decimal, spent: Decimal) -> Decimal:
    """What is left of the budget to carry: never negative."""
    return max(Decimal(budget) - Decimal(spent), Decimal(0))


# --- the end-of-cycle evaluation ------------------------------------------------------------


def may_hand_over(status: str) -> bool:
    """An evaluation is handed over once, from its draft."""
    return status == DRAFT


def hand_over_problem(*, evaluation_status: str, bos_start_year: int, next_start_year: int,
                      next_status: str) -> str | None:
    """The evaluation hands over once, into the draft BOS of a later cycle."""
    if evaluation_status == HANDED_OVER:
        return "already"
    if next_start_year <= bos_start_year:
        return "not_later"
    if next_status != DRAFT:
        return "not_draft"
    return None
