"""The BOS rules of DOMAIN.md (B1, B2, B5, B7) as pure functions: plain values in, values
out; no ORM, no settings, no clock. The CBA contract (B4) is in `commonops/bos/cba.py`."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext_noop

from commonops.core.calendars import WorkingCalendar

# B1: the states, in order
DRAFT, SUBMITTED, CLEARED, ENDORSED, SIGNED_OFF = (
    "draft", "submitted", "cleared", "endorsed", "signed_off")
STATES = (DRAFT, SUBMITTED, CLEARED, ENDORSED, SIGNED_OFF)

# B1: the workflow steps: step -> (state it starts from, state it leads to)
TRANSITIONS = {
    "submit": (DRAFT, SUBMITTED),
    "clear": (SUBMITTED, CLEARED),
    "return": (SUBMITTED, DRAFT),
    "endorse": (CLEARED, ENDORSED),
    "sign_off": (ENDORSED, SIGNED_OFF),
}
# a BOS may also be returned to draft after clearance or endorsement (B1), not after sign-off
RETURNABLE = (SUBMITTED, CLEARED, ENDORSED)

QA_TARGET_WORKING_DAYS = 10  # B1
MIN_SERVICE_LINES = 2  # B2
BENEFIT_YEARS = 4  # B7


def next_state(state: str, step: str) -> str:
    """B1: the state a step leads to from `state`; ValueError when the step is not allowed."""
    if step == "return":
        if state not in RETURNABLE:
            raise ValueError(f"cannot return a BOS that is {state}")
        return DRAFT
    if step not in TRANSITIONS:
        raise ValueError(f"unknown step {step!r}")
    start, end = TRANSITIONS[step]
    if state != start:
        raise ValueError(f"cannot {step} a BOS that is {state}")
    return end


def step_allowed(state: str, step: str) -> bool:
    """B1: whether a BOS in `state` may take `step` (the actions and the buttons ask this)."""
    try:
        next_state(state, step)
    except ValueError:
        return False
    return True


# B1: the "allowed when" of each workflow step, as bos/workflows.py declares them
def may_submit(state: str) -> bool:
    return step_allowed(state, "submit")


def may_clear(state: str) -> bool:
    return step_allowed(state, "clear")


def may_return(state: str) -> bool:
    return step_allowed(state, "return")


def may_endorse(state: str) -> bool:
    return step_allowed(state, "endorse")


def may_sign_off(state: str) -> bool:
    return step_allowed(state, "sign_off")


def may_report_results(state: str) -> bool:
    """B7: annual results are reported once the BOS is signed off."""
    return state == "signed_off"


def qa_due(submitted_on: date, calendar: WorkingCalendar) -> date:
    """B1: QA is due ten working days after submission, in the country's calendar."""
    return calendar.add_working_days(submitted_on, QA_TARGET_WORKING_DAYS)


def qa_working_days(submitted_on: date, until: date, calendar: WorkingCalendar) -> int:
    """B1: working days QA has taken (until clearance, return or today)."""
    return calendar.working_days_between(submitted_on, until)


def qa_late(submitted_on: date, until: date, calendar: WorkingCalendar) -> bool:
    """B1: late when QA has taken more than the ten-working-day target."""
    return qa_working_days(submitted_on, until, calendar) > QA_TARGET_WORKING_DAYS


# The progress bar of a BOS (B1): the steps in order, and their labels.
STEPS = (
    ("kickoff", gettext_noop("Kick-off")),
    ("stocktake", gettext_noop("Stock-take")),
    ("opportunities", gettext_noop("Opportunities and CBA")),
    ("results", gettext_noop("Results framework")),
    ("plan", gettext_noop("Plan and budget")),
    ("qa", gettext_noop("Quality assurance")),
    ("sign_off", gettext_noop("Sign-off")),
)


@dataclass(frozen=True)
class BosFacts:
    """What the progress bar needs to know about a BOS (counted by `bos.queries`)."""

    state: str
    kicked_off: bool
    service_lines: int
    agencies: int
    stocktake_entries: int
    opportunities_with_cba: int
    selected_services: int
    services_missing_kpis: int
    activities: int


def steps_done(facts: BosFacts) -> dict[str, bool]:
    """B1: which steps of the progress bar are complete."""
    after_qa = facts.state in (CLEARED, ENDORSED, SIGNED_OFF)
    return {
        "kickoff": facts.kicked_off and facts.service_lines >= MIN_SERVICE_LINES
        and facts.agencies > 0,
        "stocktake": facts.stocktake_entries > 0,
        "opportunities": facts.opportunities_with_cba > 0 and facts.selected_services > 0,
        "results": facts.selected_services > 0 and facts.services_missing_kpis == 0,
        "plan": facts.activities > 0,
        "qa": after_qa,
        "sign_off": facts.state == SIGNED_OFF,
    }


def missing_kpi_kinds(kinds: Iterable[str]) -> list[str]:
    """B5: the KPI kinds a common service still lacks (cost avoidance, quality)."""
    have = set(kinds)
    return [kind for kind in ("cost_avoidance", "quality") if kind not in have]


def horizon_year(calendar_year: int, implementation_start: int) -> int:
    """B4/B7: the CBA horizon year (1-based) of a calendar year."""
    return calendar_year - implementation_start + 1


def benefit_counted(calendar_year: int, implementation_start: int | None) -> bool:
    """B7: an opportunity's benefits count for at most four years of joint implementation."""
    if implementation_start is None:
        return False
    return 1 <= horizon_year(calendar_year, implementation_start) <= BENEFIT_YEARS


def due_for_stocktake(implementation_start: int | None, current_year: int) -> bool:
    """B7: after four full years of joint implementation the service moves to the
    stock-take."""
    if implementation_start is None:
        return False
    return current_year - implementation_start >= BENEFIT_YEARS


def split_equally(total: Decimal, keys: list) -> dict:
    """The per-agency share of a service's estimated cost avoidance: equal parts, rounded
    down to the cent, leftover cents one each to the first keys, so they add up exactly."""
    if not keys:
        return {}
    cent = Decimal("0.01")
    negative = total < 0
    amount = -total if negative else total
    share = (amount / len(keys)).quantize(cent, rounding=ROUND_DOWN)
    left = int(((amount - share * len(keys)) / cent).to_integral_value())
    out = {}
    for index, key in enumerate(keys):
        value = share + (cent if index < left else 0)
        out[key] = -value if negative else value
    return out


def totals_by(rows: Iterable[Mapping], key: str, fields: tuple[str, ...]) -> dict:
    """Add up `fields` of `rows` grouped by `key` (ordered as first met)."""
    out: dict = {}
    for row in rows:
        bucket = out.setdefault(row[key], {name: Decimal(0) for name in fields})
        for name in fields:
            bucket[name] += row[name] or Decimal(0)
    return out
