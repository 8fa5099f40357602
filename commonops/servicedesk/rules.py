"""Service-desk rules (T1–T6), pure: plain values in, values out; no ORM, no clock."""

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
