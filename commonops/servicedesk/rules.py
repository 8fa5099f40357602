"""Service-desk rules (T1–T6), pure: plain values in, values out; no ORM, no clock."""

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from django.utils.translation import gettext_noop

# --- T1 tickets ----------------------------------------------------------------------------

PRIORITIES = ("P1", "P2", "P3", "P4")
PRIORITY_LABELS = {
    "P1": gettext_noop("P1 – critical"),
    "P2": gettext_noop("P2 – high"),
    "P3": gettext_noop("P3 – normal"),
    "P4": gettext_noop("P4 – low"),
}

NEW = "new"
ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
WAITING = "waiting"
RESOLVED = "resolved"
CLOSED = "closed"
REOPENED = "reopened"

STATUS_LABELS = {
    NEW: gettext_noop("New"),
    ASSIGNED: gettext_noop("Assigned"),
    IN_PROGRESS: gettext_noop("In progress"),
    WAITING: gettext_noop("Waiting on requester"),
    RESOLVED: gettext_noop("Resolved"),
    CLOSED: gettext_noop("Closed"),
    REOPENED: gettext_noop("Reopened"),
}

# T1: the statuses a ticket may move to from each status. A merged duplicate is closed.
TRANSITIONS: dict[str, frozenset[str]] = {
    NEW: frozenset({ASSIGNED, IN_PROGRESS, WAITING, RESOLVED, CLOSED}),
    ASSIGNED: frozenset({IN_PROGRESS, WAITING, RESOLVED, CLOSED}),
    IN_PROGRESS: frozenset({WAITING, RESOLVED, CLOSED, ASSIGNED}),
    WAITING: frozenset({IN_PROGRESS, RESOLVED, CLOSED}),
    RESOLVED: frozenset({CLOSED, REOPENED}),
    CLOSED: frozenset({REOPENED}),
    REOPENED: frozenset({ASSIGNED, IN_PROGRESS, WAITING, RESOLVED, CLOSED}),
}
OPEN_STATUSES = frozenset({NEW, ASSIGNED, IN_PROGRESS, WAITING, REOPENED})
DONE_STATUSES = frozenset({RESOLVED, CLOSED})


def can_move(current: str, target: str) -> bool:
    """T1: whether a ticket in `current` may move to `target`."""
    return target in TRANSITIONS.get(current, frozenset())


@dataclass(frozen=True)
class TicketFacts:
    """What the workflow's rules read of a ticket (servicedesk/workflows.py)."""

    status: str
    assigned: bool
    rated: bool


def next_statuses(current: str) -> list[str]:
    """T1: the statuses a ticket may move to now, in the order of STATUS_LABELS."""
    return [status for status in STATUS_LABELS if can_move(current, status)]


# T1, T3, T5: when each workflow step may be taken
def may_take(facts: TicketFacts) -> bool:
    """T3: an open ticket nobody holds."""
    return facts.status in OPEN_STATUSES and not facts.assigned


def may_work_on(facts: TicketFacts) -> bool:
    """T3: reassign, triage or merge an open ticket."""
    return facts.status in OPEN_STATUSES


def may_change_status(facts: TicketFacts) -> bool:
    return bool(next_statuses(facts.status))


def may_reply(facts: TicketFacts) -> bool:
    """T1: a closed ticket takes no more messages; a new one is raised instead."""
    return facts.status != CLOSED


def may_rate(facts: TicketFacts) -> bool:
    """T5: rated once, when resolved (or closed after that)."""
    return facts.status in DONE_STATUSES and not facts.rated


def requester_may_change_status(status: str) -> bool:
    """T4: the requester may only close or reopen a resolved ticket."""
    return status == RESOLVED


def ticket_number(iso_code: str, year: int, sequence: int) -> str:
    """T1: the ticket number, per country and year, e.g. VN-2026-000123."""
    return f"{iso_code}-{year}-{sequence:06d}"


_NUMBER = re.compile(r"\b([A-Z]{2})-(\d{4})-(\d{6})\b")


def number_in_subject(subject: str) -> str | None:
    """T1: an e-mail reply threads into the ticket whose number its subject carries."""
    found = _NUMBER.search(subject or "")
    return found.group(0) if found else None


# T1: attachment limits
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ALLOWED_ATTACHMENT_EXTENSIONS = frozenset(
    {"pdf", "png", "jpg", "jpeg", "gif", "txt", "csv", "docx", "xlsx", "pptx", "odt", "ods",
     "log", "eml"})


def attachment_problem(name: str, size: int) -> str | None:
    """Why an attachment is refused (a message id for gettext), or None when it is fine."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_ATTACHMENT_EXTENSIONS:
        return "type"
    if size > MAX_ATTACHMENT_BYTES:
        return "size"
    if size == 0:
        return "empty"
    return None


# --- T2 SLA ----------------------------------------------------------------------------------

# T2: default targets per priority, in business hours: (first response, resolution)
DEFAULT_SLA_HOURS = {"P1": (1, 4), "P2": (2, 8), "P3": (4, 24), "P4": (8, 40)}
# T2: a warning goes out when this share of the target time has passed
WARNING_SHARE = 0.75


def met(due: datetime | None, done: datetime | None) -> bool | None:
    """T2: whether a target was met; None while the step is not done."""
    if done is None or due is None:
        return None
    return done <= due


# --- T3 assignment ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AgentLoad:
    agent_id: int
    open_tickets: int
    last_assigned_at: datetime | None
    available: bool = True


def pick_assignee(agents: Iterable[AgentLoad]) -> int | None:
    """T3: the available agent with the fewest open tickets; ties go to the agent assigned
    least recently (never assigned first), then to the lowest id. None when nobody is
    available."""
    candidates = [agent for agent in agents if agent.available]
    if not candidates:
        return None

    def order(agent: AgentLoad):
        never = agent.last_assigned_at is None
        return (agent.open_tickets, not never,
                agent.last_assigned_at.timestamp() if not never else 0.0, agent.agent_id)

    return min(candidates, key=order).agent_id


# --- T5 satisfaction -------------------------------------------------------------------------

RATING_SCORES = (1, 2, 3, 4, 5)


def is_low_rating(score: int) -> bool:
    """T5: a rating of 1 or 2 reopens a conversation with the team lead."""
    if score not in RATING_SCORES:
        raise ValueError(f"A rating is 1 to 5, not {score!r}.")
    return score <= 2


def satisfaction_of_counts(counts: dict[int, int]):
    """T5/T6: the survey rule's satisfaction rate (`surveys.rules.satisfaction_rate`: 4s and
    5s over all scores, to one decimal, None without scores) of scores given as score ->
    how many, as SQL counts them: a year of ratings is not expanded one score at a time."""
    from decimal import ROUND_HALF_UP, Decimal

    from commonops.surveys.rules import SATISFIED, satisfaction_rate

    satisfaction_rate(list(counts))  # the same check that every score is 1 to 5
    total = sum(counts.values())
    if not total:
        return None
    satisfied = sum(n for score, n in counts.items() if score in SATISFIED)
    return (Decimal(satisfied) * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- T6 KPIs ---------------------------------------------------------------------------------


def median_offset(count: int) -> int | None:
    """T6: the row to read, in ascending order, for the (lower) median of `count` values;
    lets SQL find a median with ORDER BY … LIMIT 1 OFFSET n."""
    if count <= 0:
        return None
    return (count - 1) // 2


def share(part: int, whole: int):
    """A percentage to one decimal place, None when there is nothing to divide."""
    from decimal import ROUND_HALF_UP, Decimal

    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- T6 monthly roll-ups -------------------------------------------------------------------

# The counts a roll-up row keeps for one country × team × agent × category × agency × month:
# opened by opening month; resolved, on-time flags and reopens by resolution month (`timed`:
# resolved tickets whose business hours are known, the median's population); ratings by the
# month they were given, one count per score.
ROLLUP_COUNTS = ("opened", "resolved", "first_response_on_time", "first_response_measured",
                 "resolution_on_time", "resolution_measured", "reopened", "timed",
                 "rated_1", "rated_2", "rated_3", "rated_4", "rated_5")


@dataclass(frozen=True)
class RollupFacts:
    """What one ticket adds to the roll-ups (T6), as plain values: its dimensions, the local
    (year, month) of its opening, resolution and rating, and what is counted at resolution.
    `resolved` is None while the ticket is not resolved; `rating` is (year, month, score)."""

    team_id: int
    assignee_id: int | None
    category_id: int
    agency_id: int
    opened: tuple[int, int]
    resolved: tuple[int, int] | None = None
    first_response_met: bool | None = None
    resolution_met: bool | None = None
    reopened: bool = False
    hours_to_resolve: float | None = None
    rating: tuple[int, int, int] | None = None


def rollup_counts(facts: RollupFacts | None) -> dict[tuple, dict[str, int]]:
    """T6: the counts one ticket adds, per roll-up key (year, month, team, agent, category,
    agency); nothing for None (a ticket that does not exist yet)."""
    if facts is None:
        return {}
    dims = (facts.team_id, facts.assignee_id, facts.category_id, facts.agency_id)
    counts: dict[tuple, dict[str, int]] = {}

    def add(month, name, n=1):
        if n:
            row = counts.setdefault((*month, *dims), {})
            row[name] = row.get(name, 0) + n

    add(facts.opened, "opened")
    if facts.resolved is not None:
        add(facts.resolved, "resolved")
        add(facts.resolved, "first_response_on_time", facts.first_response_met is True)
        add(facts.resolved, "first_response_measured", facts.first_response_met is not None)
        add(facts.resolved, "resolution_on_time", facts.resolution_met is True)
        add(facts.resolved, "resolution_measured", facts.resolution_met is not None)
        add(facts.resolved, "reopened", facts.reopened)
        add(facts.resolved, "timed", facts.hours_to_resolve is not None)
    if facts.rating is not None:
        year, month, score = facts.rating
        add((year, month), f"rated_{score}")
    return counts


def hours_counts(facts: RollupFacts | None) -> dict[tuple[int, int, float], int]:
    """T6: the ticket's entry in the histogram of business hours to resolve, keyed by
    (year, month of resolution, hours)."""
    if facts is None or facts.resolved is None or facts.hours_to_resolve is None:
        return {}
    return {(*facts.resolved, facts.hours_to_resolve): 1}


def rollup_delta(before: RollupFacts | None, after: RollupFacts | None):
    """T6: what a change of one ticket from `before` to `after` adds to the roll-ups
    (negative counts take away), without the keys that do not change: (counts per roll-up
    key, tickets per (year, month, hours))."""
    counts = {key: dict(row) for key, row in rollup_counts(after).items()}
    for key, row in rollup_counts(before).items():
        target = counts.setdefault(key, {})
        for name, n in row.items():
            target[name] = target.get(name, 0) - n
    counts = {key: {name: n for name, n in row.items() if n}
              for key, row in counts.items()}
    hours = dict(hours_counts(after))
    for key, n in hours_counts(before).items():
        hours[key] = hours.get(key, 0) - n
    return ({key: row for key, row in counts.items() if row},
            {key: n for key, n in hours.items() if n})


# T6: business hours to resolve are stored to the hundredth of an hour (36 seconds), the
# precision the KPI is recorded at; the histogram keeps exact values, so this only bounds
# its size (at most 100 values per whole hour and month)
HOURS_DECIMALS = 2


def hour_of(hours: float) -> int:
    """T6: the whole-hour bucket of a number of business hours (the coarse histogram)."""
    return math.floor(hours)


def locate(counts: Iterable[tuple], k: int):
    """T6: in a histogram given as (value, how many) pairs, the value that holds the k-th
    smallest entry (0-based) and k's rank among that value's entries; None when there are
    k or fewer entries. Values need not come sorted or only once."""
    merged: dict = {}
    for value, n in counts:
        merged[value] = merged.get(value, 0) + n
    seen = 0
    for value in sorted(merged):
        if k < seen + merged[value]:
            return value, k - seen
        seen += merged[value]
    return None
