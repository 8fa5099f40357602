"""Common-services rules (S1–S5): pure functions, plain values in and out.

Pages, the API, imports and the annual report compute these rules here; `cost_sharing.py`
holds the `allocate` contract.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_noop

from commonops.core.money import to_cent

# S2: contracts at or above this value (USD) must be covered by an MOU. Overridable with the
# COMMONSERVICES_MOU_THRESHOLD_USD setting (read by commonservices.actions.mou_threshold_usd).
MOU_THRESHOLD_USD = Decimal("50000")
# S2: expiry warnings this many days ahead
EXPIRY_WARNING_DAYS = (90, 30)
# S3: a deviation of budget vs actual above this share is flagged
VARIANCE_FLAG_PERCENT = Decimal("2")

EXPIRES_WITHIN_30 = "within_30"
EXPIRES_WITHIN_90 = "within_90"
EXPIRED = "expired"
EXPIRY_LABELS = {
    EXPIRED: gettext_noop("Expired"),
    EXPIRES_WITHIN_30: gettext_noop("Expires within 30 days"),
    EXPIRES_WITHIN_90: gettext_noop("Expires within 90 days"),
}


def may_allocate(already_allocated: bool) -> bool:
    """S1: a service's budget of a year is allocated once; afterwards it is recomputed."""
    return not already_allocated


def needs_mou(value_usd: Decimal, threshold: Decimal = MOU_THRESHOLD_USD) -> bool:
    """S2: a contract at or above the threshold must be covered by an MOU."""
    return value_usd >= threshold


def is_uncovered(value_usd: Decimal, has_mou: bool,
                 threshold: Decimal = MOU_THRESHOLD_USD) -> bool:
    """S2: flagged when it needs an MOU and has none."""
    return needs_mou(value_usd, threshold) and not has_mou


def expiry_state(ends_on: date, today: date) -> str | None:
    """S2: "expired", "within_30", "within_90" or None (more than 90 days left)."""
    days = (ends_on - today).days
    if days < 0:
        return EXPIRED
    if days <= EXPIRY_WARNING_DAYS[1]:
        return EXPIRES_WITHIN_30
    if days <= EXPIRY_WARNING_DAYS[0]:
        return EXPIRES_WITHIN_90
    return None


def to_usd(amount_local: Decimal, rate: Decimal) -> Decimal:
    """S3: a local amount at a rate given in units of the currency per USD, to the cent."""
    if rate is None or rate <= 0:
        raise ValueError("A rate must be above zero.")
    return to_cent(Decimal(amount_local) / Decimal(rate))


def fixed_percentages_error(percentages: Mapping) -> str | None:
    """S1: fixed percentages must each be 0–100 and add up to exactly 100."""
    values = [Decimal(v) for v in percentages.values()]
    if not values:
        return gettext_noop("Give at least one agency a percentage.")
    if any(v < 0 or v > 100 for v in values):
        return gettext_noop("Each percentage must be between 0 and 100.")
    if sum(values, Decimal(0)) != 100:
        return gettext_noop("The percentages must add up to 100.")
    return None


@dataclass(frozen=True)
class Variance:
    budget: Decimal
    actual: Decimal
    variance: Decimal  # actual − budget
    percent: Decimal | None  # variance as % of budget, one decimal; None when budget is 0
    flagged: bool


@dataclass(frozen=True)
class Period:
    """S3: the part of a year over which budget and spending are compared: its first
    `months` months. A past year counts whole; in the current year only the months already
    over count, so a year in progress is not measured against its full budget."""

    year: int
    months: int  # 0–12

    @property
    def whole_year(self) -> bool:
        return self.months == 12

    @property
    def last_day(self) -> date | None:
        """The period's last day; None when no month is over yet."""
        return self.ends_before - timedelta(days=1) if self.months else None

    @property
    def ends_before(self) -> date:
        """The first day after the period (spending on or after it is not compared)."""
        if self.months == 12:
            return date(self.year + 1, 1, 1)
        return date(self.year, self.months + 1, 1)


def comparison_period(year: int, today: date) -> Period:
    """S3: a past year whole; the current one up to the end of the last month over (January
    to October when `today` is in November); a future year not yet at all."""
    if year < today.year:
        return Period(year, 12)
    if year > today.year:
        return Period(year, 0)
    return Period(year, today.month - 1)


def budget_for_period(budget: Decimal, period: Period) -> Decimal:
    """S3: the share of a yearly budget for the months of `period`, spread evenly, to the
    cent."""
    if period.whole_year:
        return to_cent(budget)
    return to_cent(Decimal(budget) * period.months / 12)


def variance(budget: Decimal, actual: Decimal) -> Variance:
    """S3: budget vs actual; a deviation of more than 2% (either way) is flagged. Without a
    budget, any spending is flagged."""
    budget, actual = to_cent(budget), to_cent(actual)
    diff = actual - budget
    if budget == 0:
        return Variance(budget, actual, diff, None, actual != 0)
    percent = (diff * 100 / budget).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    flagged = abs(diff) * 100 > VARIANCE_FLAG_PERCENT * budget
    return Variance(budget, actual, diff, percent, flagged)
