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
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_noop as _

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


def may_start(state: str) -> bool:
    return state == OPEN


def may_implement(state: str) -> bool:
    return may_move(state, IMPLEMENTED)


def may_close(state: str) -> bool:
    return may_move(state, CLOSED)


def may_reopen(state: str) -> bool:
    return state == IMPLEMENTED


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
    name: str  # English; translated when the compact is made
    unit: str  # a results unit
    direction: str
    target: Decimal
    min_cases: int | None = None
    condition: str = ""  # when the target applies, in words (English)
    statement: str = ""  # the measure as the 2008 compact words it (English)


# C2, in the order of the 2008 compact.
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
AREAS = (HUMAN_RESOURCES, FINANCE, SPECIAL, OVERSIGHT, CONDUCT)


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


STANDARD_MEASURES = {m.key: m for m in [
    StandardMeasure(VACANCY, _("Vacancy rate of posts funded for more than one year"),
                    "percent", DECREASE, Decimal(5),
                    statement=_("Vacancy rate for regular budget and extrabudgetary posts "
                                "funded for more than one year to be no more than 5%.")),
    StandardMeasure(WOMEN_SELECTED, _("Women among selections at Professional level and "
                                      "above"), "percent", INCREASE, Decimal(50),
                    # xgettext:no-python-format
                    statement=_("Maintenance of at least 50% selection of women for vacancies "
                                "in the Professional category and above.")),
    StandardMeasure(FEMALE_REPRESENTATION, _("Change in female representation at "
                                             "Professional level and above (points)"),
                    "percent", INCREASE, Decimal(1),
                    condition=_("only where female representation starts the year below "
                                "50%"),
                    statement=_("1 percentage point increase in female representation in the "
                                "Professional categories and above, where it is below "
                                "50%.")),
    StandardMeasure(GEOGRAPHY, _("Geographic recruitments from un- and under-represented "
                                 "Member States"), "percent", INCREASE, Decimal(20),
                    min_cases=4, condition=_("only when there are 4 or more recruitments"),
                    # xgettext:no-python-format
                    statement=_("If 4 or more recruitments to geographical posts occur, at "
                                "least 20% of recruitments are made from un- and "
                                "under-represented Member States.")),
    StandardMeasure(APPRAISAL, _("Performance appraisal compliance"), "percent", INCREASE,
                    # xgettext:no-python-format
                    Decimal(100), statement=_("100% compliance with the performance appraisal "
                                              "system.")),
    StandardMeasure(NON_POST, _("Deviation of non-post spending from the cumulative monthly "
                                "plan"), "percent", DECREASE, Decimal(2),
                    # xgettext:no-python-format
                    statement=_("Estimated non-post expenditures are within 2% deviation of "
                                "the cumulative monthly expenditures for non-post items.")),
    StandardMeasure(DOCUMENTS, _("Documents submitted by the slot date"), "percent",
                    INCREASE, Decimal(90),
                    # xgettext:no-python-format
                    statement=_("90% of documents submitted by the slot date.")),
    StandardMeasure(OVERSIGHT_ON_TIME, _("Oversight recommendations implemented on time"),
                    "percent", INCREASE, Decimal(90),
                    # xgettext:no-python-format
                    statement=_("90% of recommendations implemented on time.")),
    StandardMeasure(OVERSIGHT_THREE_MONTHS, _("Oversight recommendations implemented within "
                                              "three months of target"), "percent",
                    INCREASE, Decimal(100),
                    statement=_("The remaining 10% within 3 months of target.")),
    StandardMeasure(DISCLOSURE, _("Financial disclosures filed by the due date"), "percent",
                    INCREASE, Decimal(100),
                    # xgettext:no-python-format
                    statement=_("100% compliance with financial disclosure requirements by "
                                "the due date.")),
    StandardMeasure(TRAINING, _("Staff through integrity training"), "percent", INCREASE,
                    # xgettext:no-python-format
                    Decimal(100), statement=_("100% compliance with statutory training "
                                              "requirements.")),
    StandardMeasure(APPEALS, _("Written explanations on staff appeals within three weeks"),
                    "percent", INCREASE, Decimal(100),
                    statement=_("All written explanations by managers on staff appeals are "
                                "submitted within three weeks.")),
]}

# C2: the management objectives a new compact starts with: (area, objective, expected
# accomplishment, measures), in the order of the 2008 compact.
STANDARD_OBJECTIVES = [
    (HUMAN_RESOURCES, _("To minimize vacancy levels."),
     _("Vacancy levels as close as possible to 0%."), [VACANCY]),
    # xgettext:no-python-format
    (HUMAN_RESOURCES, _("To achieve 50% gender balance in the Professional and higher "
                        "categories."),
     _("A ratio of 50% women, or more women at Professional levels and above."),
     [WOMEN_SELECTED, FEMALE_REPRESENTATION]),
    (HUMAN_RESOURCES, _("To improve the geographic distribution of staff."),
     _("A significant number of recruitments from un- and under-represented Member "
       "States."), [GEOGRAPHY]),
    # xgettext:no-python-format
    (HUMAN_RESOURCES, _("To achieve 100% compliance with the performance appraisal system."),
     _("Every appraisal completed on time."), [APPRAISAL]),
    (FINANCE, _("To achieve the expected accomplishments by effective and efficient "
                "management of resources."),
     _("Approved resources used to the fullest extent."), [NON_POST]),
    (SPECIAL, _("To submit documents to the governing bodies in a timely manner."),
     _("Timely submission of documents to conference management."), [DOCUMENTS]),
    (OVERSIGHT, _("To implement the recommendations of oversight bodies commensurate with "
                  "the risks involved."),
     _("Recommendations prioritised by risk, with timeframes set for their "
       "implementation."), [OVERSIGHT_ON_TIME, OVERSIGHT_THREE_MONTHS]),
    (CONDUCT, _("To ensure that staff declare any potential conflict of interest."),
     _("Every staff member subject to it files a financial disclosure by the due date."),
     [DISCLOSURE]),
    (CONDUCT, _("To improve the understanding of ethics among staff."),
     _("Integrity training completed by all staff."), [TRAINING]),
    (CONDUCT, _("To respond in a timely manner to staff appeals."),
     _("Written explanations submitted within the required timeframes."), [APPEALS]),
]

# the figures behind the measures
POSTS, VACANT, SELECTION, STAFF_START, STAFF_END, RECRUITMENT = (
    "posts", "vacant_posts", "selection", "staff_start", "staff_end", "recruitment")
PROFESSIONAL, GENERAL = "professional", "general"
FEMALE, MALE = "female", "male"
UNREPRESENTED, UNDERREPRESENTED, WITHIN_RANGE, OVERREPRESENTED = (
    "unrepresented", "underrepresented", "within_range", "overrepresented")
APPRAISALS, DISCLOSURES, TRAININGS = "appraisal", "disclosure", "training"


@dataclass
class OfficeFigures:
    """The figures of an office for a year, as plain values."""

    staff: dict = field(default_factory=dict)  # (kind, level, gender, nationality) -> count
    compliance: dict = field(default_factory=dict)  # kind -> (required, completed)
    spending: list = field(default_factory=list)  # (month, planned, actual)
    documents: list = field(default_factory=list)  # (slot date, submitted on or None)
    appeals: list = field(default_factory=list)  # (received on, answered on or None)
    recommendations: list = field(default_factory=list)  # Recommendation

    def count(self, kind, *, level=None, gender=None, nationality=None) -> int:
        return sum(n for (k, lv, g, nat), n in self.staff.items()
                   if k == kind and (level is None or lv == level)
                   and (gender is None or g == gender)
                   and (nationality is None or nat in nationality))


@dataclass(frozen=True)
class MeasureActual:
    value: Decimal | None
    cases: int | None = None
    condition_met: bool | None = None


def compute_standard(key: str, figures: OfficeFigures, *, year: int,
                     as_of: date) -> MeasureActual:
    """C2: the actual of a standard measure from the office's figures of `year`, as of
    `as_of` (the end of the year, or today while it runs)."""
    f = figures
    if key == VACANCY:
        return MeasureActual(share(f.count(VACANT), f.count(POSTS)))
    if key == WOMEN_SELECTED:
        return MeasureActual(share(f.count(SELECTION, level=PROFESSIONAL, gender=FEMALE),
                                   f.count(SELECTION, level=PROFESSIONAL)))
    if key == FEMALE_REPRESENTATION:
        change, applies = representation_change(
            women_start=f.count(STAFF_START, level=PROFESSIONAL, gender=FEMALE),
            staff_start=f.count(STAFF_START, level=PROFESSIONAL),
            women_end=f.count(STAFF_END, level=PROFESSIONAL, gender=FEMALE),
            staff_end=f.count(STAFF_END, level=PROFESSIONAL))
        return MeasureActual(change, condition_met=applies)
    if key == GEOGRAPHY:
        recruitments = f.count(RECRUITMENT)
        return MeasureActual(share(f.count(RECRUITMENT, nationality=(
            UNREPRESENTED, UNDERREPRESENTED)), recruitments), cases=recruitments)
    if key in (APPRAISAL, DISCLOSURE, TRAINING):
        kind = {APPRAISAL: APPRAISALS, DISCLOSURE: DISCLOSURES, TRAINING: TRAININGS}[key]
        required, completed = f.compliance.get(kind, (0, 0))
        return MeasureActual(share(completed, required))
    if key == NON_POST:
        last_month = as_of.month if as_of.year == year else 12
        months = [(planned, actual) for month, planned, actual in f.spending
                  if month <= last_month]
        return MeasureActual(spending_deviation(
            planned=sum((p for p, _a in months), Decimal(0)),
            actual=sum((a for _p, a in months), Decimal(0))))
    if key == DOCUMENTS:
        value, _counted = on_time_share(f.documents, as_of=as_of)
        return MeasureActual(value)
    if key in (OVERSIGHT_ON_TIME, OVERSIGHT_THREE_MONTHS):
        rates = oversight_rates(f.recommendations, as_of)
        return MeasureActual(rates.on_time_rate if key == OVERSIGHT_ON_TIME
                             else rates.within_three_months_rate)
    if key == APPEALS:
        value, _counted = on_time_share(f.appeals, grace_days=APPEAL_DAYS, as_of=as_of)
        return MeasureActual(value)
    raise ValueError(f"unknown standard measure: {key!r}")


def as_of_for(year: int, today: date) -> date:
    """A year's measures are computed as of its last day, or today while it runs."""
    return min(date(year, 12, 31), today)


# C1: reviews of a signed compact
MID_YEAR, END_OF_YEAR = "mid_year", "end_of_year"


def may_review(status: str) -> bool:
    """C1: mid-year and end-of-year reviews are of a signed (endorsed) compact."""
    return status == ENDORSED
