"""Compacts and oversight (C1–C3) as pure functions: plain values in, values out; no ORM,
no settings, no clock (`today` and `as_of` are passed in).

The contract of DOMAIN.md: `measure_status` (C2's conditional targets; it is the results
engine's rule, `commonops.results.rules.measure_status`, so that a compact's measures and
every other indicator get the same status), `Recommendation`, `three_months_after` and
`oversight_rates` (C3). The rest computes each standard C2 measure from the figures behind
it (vacancies, selections, recruitments…), so that an actual is never typed twice.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from commonops.results.rules import (  # noqa: F401  (measure_status is part of the contract)
    DECREASE,
    INCREASE,
    NOT_APPLICABLE,
    measure_status,
)

ONE_PLACE = Decimal("0.1")


def _rate(part: int, whole: int) -> Decimal | None:
    """100 * part / whole to one decimal (ROUND_HALF_UP); None when whole is 0."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


# --- C3: oversight recommendations ---------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    target: date
    implemented: date | None = None


@dataclass(frozen=True)
class OversightRates:
    due: int
    on_time: int
    on_time_rate: Decimal | None
    due_three_months: int
    by_three_months: int
    within_three_months_rate: Decimal | None


def three_months_after(d: date) -> date:
    """The same day three calendar months later, clamped to the last day of that month."""
    month = d.month + 3
    year = d.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def oversight_rates(recommendations: Iterable[Recommendation], as_of: date) -> OversightRates:
    """C3: the share implemented on time, and within three months after the target.

    An implemented date after `as_of` counts as not implemented (yet).
    """
    due = on_time = due_three = by_three = 0
    for recommendation in recommendations:
        implemented = recommendation.implemented
        if implemented is not None and implemented > as_of:
            implemented = None
        if recommendation.target <= as_of:
            due += 1
            if implemented is not None and implemented <= recommendation.target:
                on_time += 1
        later = three_months_after(recommendation.target)
        if later <= as_of:
            due_three += 1
            if implemented is not None and implemented <= later:
                by_three += 1
    return OversightRates(due=due, on_time=on_time, on_time_rate=_rate(on_time, due),
                          due_three_months=due_three, by_three_months=by_three,
                          within_three_months_rate=_rate(by_three, due_three))


# C3: the workflow of a recommendation
OPEN, IN_PROGRESS, IMPLEMENTED, CLOSED = "open", "in_progress", "implemented", "closed"
RECOMMENDATION_STATES = (OPEN, IN_PROGRESS, IMPLEMENTED, CLOSED)
# open and in progress can be implemented; implemented can be closed (verified) or reopened;
# open and in progress can also be closed without implementation (withdrawn by the body)
RECOMMENDATION_MOVES = {
    OPEN: (IN_PROGRESS, IMPLEMENTED, CLOSED),
    IN_PROGRESS: (OPEN, IMPLEMENTED, CLOSED),
    IMPLEMENTED: (CLOSED, IN_PROGRESS),
    CLOSED: (),
}


def may_move(state: str, to: str) -> bool:
    """C3: whether a recommendation in `state` may move to `to`."""
    return to in RECOMMENDATION_MOVES.get(state, ())


def implementation_problem(*, issued_on: date, implemented_on: date | None,
                           today: date) -> str | None:
    """C3: why an implementation date is refused (None when it is fine): it cannot come
    before the recommendation was issued, nor lie in the future."""
    if implemented_on is None:
        return "missing"
    if implemented_on < issued_on:
        return "before_issued"
    if implemented_on > today:
        return "in_future"
    return None


# Reminders: a week before the target date, and the day after it while still open.
REMIND_BEFORE_DAYS = 7
BEFORE, AFTER = "before", "after"


def reminders_due(*, target: date, today: date, implemented: bool) -> tuple[str, ...]:
    """Which reminders a recommendation should have had by `today` (C3): `BEFORE` from
    a week before its target date, `AFTER` once the target date has passed; none once it
    is implemented. Each goes out once per target date (the task keeps track)."""
    if implemented:
        return ()
    due = []
    if today >= target - timedelta(days=REMIND_BEFORE_DAYS):
        due.append(BEFORE)
    if today > target:
        due.append(AFTER)
    return tuple(due)


# --- C1: the compact's workflow --------------------------------------------------------------

DRAFT, ACKNOWLEDGED, ENDORSED = "draft", "acknowledged", "endorsed"
COMPACT_STATES = (DRAFT, ACKNOWLEDGED, ENDORSED)


@dataclass(frozen=True)
class CompactFacts:
    """What the compact's step rules read."""

    status: str
    superseded: bool = False
    measures: int = 0
    measures_without_target: int = 0


def may_edit(status: str) -> bool:
    """C1: only a draft is changed; once signed, a correction is a new version."""
    return status == DRAFT


def may_acknowledge(facts: CompactFacts) -> bool:
    """C1: the manager acknowledges a draft whose every measure has a target."""
    return (facts.status == DRAFT and facts.measures > 0
            and facts.measures_without_target == 0)


def may_endorse(facts: CompactFacts) -> bool:
    """C1: the endorser endorses what the manager acknowledged."""
    return facts.status == ACKNOWLEDGED


def may_return(facts: CompactFacts) -> bool:
    """C1: an acknowledged compact not yet endorsed can go back to the manager."""
    return facts.status == ACKNOWLEDGED


def may_revise(facts: CompactFacts) -> bool:
    """C1: a signed compact is corrected by a new version (once: the latest is revised)."""
    return facts.status == ENDORSED and not facts.superseded


# --- C2: the standard measures and the figures behind them ----------------------------------


@dataclass(frozen=True)
class StandardMeasure:
    key: str
    area: str  # management area of the compact (human resources, finance, …)
    objective: str
    accomplishment: str
    measure: str
    unit: str  # results unit
    direction: str
    target: Decimal
    min_cases: int | None = None


# C2, in the order of the 2008 compact. Wording is translated where shown.
HUMAN_RESOURCES, FINANCE, SPECIAL, OVERSIGHT, CONDUCT = (
    "human_resources", "finance", "special", "oversight", "conduct")
VACANCY = "vacancy_rate"
WOMEN_SELECTED = "women_selected"
FEMALE_REPRESENTATION = "female_representation"
GEOGRAPHY = "geographic_recruitment"
APPRAISAL = "appraisal_compliance"
NON_POST = "non_post_spending"
DOCUMENTS = "documents_on_time"
OVERSIGHT_ON_TIME = "oversight_on_time"
OVERSIGHT_THREE_MONTHS = "oversight_within_three_months"
DISCLOSURE = "financial_disclosure"
TRAINING = "integrity_training"
APPEALS = "appeals_answered"
APPEAL_DAYS = 21  # C2: written explanations within three weeks
REPRESENTATION_PARITY = Decimal(50)


def share(part: int, whole: int) -> Decimal | None:
    """A percentage to one decimal (ROUND_HALF_UP); None when there is nothing to count."""
    return _rate(part, whole)


def representation_change(*, women_start: int, staff_start: int, women_end: int,
                          staff_end: int) -> tuple[Decimal | None, bool | None]:
    """C2: the change in female representation (percentage points, one decimal) and
    whether the target applies (only where representation started below 50%)."""
    start, end = _rate(women_start, staff_start), _rate(women_end, staff_end)
    if start is None or end is None:
        return None, None
    return end - start, start < REPRESENTATION_PARITY


def spending_deviation(*, planned: Decimal, actual: Decimal) -> Decimal | None:
    """C2: how far cumulative non-post spending strays from the cumulative monthly plan,
    in per cent of the plan (one decimal); None without a plan."""
    if not planned:
        return None
    return (abs(Decimal(actual) - Decimal(planned)) * 100 / Decimal(planned)).quantize(
        ONE_PLACE, rounding=ROUND_HALF_UP)


def on_time_share(items: Iterable[tuple[date, date | None]], *, grace_days: int = 0,
                  as_of: date) -> tuple[Decimal | None, int]:
    """C2: the share of (due, done) pairs done by the due date plus `grace_days`, among
    those due by `as_of` or already done; and how many were counted."""
    counted = on_time = 0
    for due, done in items:
        deadline = due + timedelta(days=grace_days)
        if done is None and deadline > as_of:
            continue  # not due yet and not done: it does not count either way
        counted += 1
        if done is not None and done <= deadline:
            on_time += 1
    return _rate(on_time, counted), counted
