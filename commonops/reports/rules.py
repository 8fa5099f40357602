"""The performance targets of the common-services expansion strategy (DOMAIN.md H1–H3) and
the small rules of the dashboards and report deliveries, as pure functions: plain values
in, values out; no ORM, no settings, no clock.

`SAVINGS_TARGET`, `savings_rate`, `expansion` and `Expansion` are the contract of
DOMAIN.md ("Performance targets (reports)"): every page, export, report and API answer
computes H1 and H2 with them.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ONE_DECIMAL = Decimal("0.1")

# H2: each agency saves at least 10% of its existing administrative budget a year
SAVINGS_TARGET = Decimal("10")

# H1: each year at least 10 countries launch at least 3 new common services each
EXPANSION_COUNTRIES = 10
EXPANSION_SERVICES = 3


def _number(value, what: str) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a number")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"{what} must be a number") from None
    if not number.is_finite():
        raise ValueError(f"{what} must be a finite number")
    return number


def savings_rate(realised, baseline) -> Decimal | None:
    """H2: 100 × realised ÷ baseline, to one decimal place (ROUND_HALF_UP).

    None when the baseline is 0 (or not given); a negative baseline raises ValueError; a
    negative realised amount (a cost increase) gives a negative rate."""
    if baseline is None:
        return None
    baseline = _number(baseline, "the baseline")
    if baseline < 0:
        raise ValueError("an administrative budget baseline cannot be negative")
    if baseline == 0:
        return None
    realised = _number(realised, "the realised amount")
    return (realised * 100 / baseline).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def meets_savings_target(rate: Decimal | None) -> bool:
    """H2: a rate at or above SAVINGS_TARGET meets the target; no rate does not."""
    return rate is not None and rate >= SAVINGS_TARGET


@dataclass(frozen=True)
class Expansion:
    """H1 for one year: the countries with at least `min_services` launches that year."""

    year: int
    countries: list[str]  # sorted country codes
    count: int
    met: bool


def expansion(launches: Iterable[tuple[str, int]], year: int, *,
              min_countries: int = EXPANSION_COUNTRIES,
              min_services: int = EXPANSION_SERVICES) -> Expansion:
    """H1: `launches` holds one (country code, launch year) pair per new common service.

    countries = the sorted codes of the countries with at least `min_services` launches in
    `year`; count = len(countries); met = count >= min_countries."""
    per_country = Counter(code for code, launched in launches if launched == year)
    countries = sorted(code for code, n in per_country.items() if n >= min_services)
    return Expansion(year=year, countries=countries, count=len(countries),
                     met=len(countries) >= min_countries)


@dataclass(frozen=True)
class CumulativeExpansion:
    """H1 cumulatively: from the first year of a period up to `year`, how many different
    countries have launched enough services in some year, against the yearly target times
    the years counted (10 a year: 50 countries in five years)."""

    year: int
    countries: int
    target: int
    met: bool


def cumulative_expansion(years: Sequence[Expansion], *,
                         min_countries: int = EXPANSION_COUNTRIES
                         ) -> list[CumulativeExpansion]:
    """H1: the running count of distinct countries over `years` (oldest first)."""
    seen: set[str] = set()
    out = []
    for counted, one in enumerate(years, start=1):
        seen.update(one.countries)
        target = min_countries * counted
        out.append(CumulativeExpansion(one.year, len(seen), target, len(seen) >= target))
    return out


def percent(part, whole) -> Decimal | None:
    """A share in per cent to one decimal place; None when there is nothing to divide."""
    if whole is None or part is None:
        return None
    whole = _number(whole, "the whole")
    if whole == 0:
        return None
    return (_number(part, "the part") * 100 / whole).quantize(ONE_DECIMAL,
                                                             rounding=ROUND_HALF_UP)


def rank(values: Sequence) -> list[int | None]:
    """Competition ranking, highest first ("1, 2, 2, 4"): the rank of each value in
    `values`, in their order; None values are not ranked."""
    ordered = sorted((v for v in values if v is not None), reverse=True)
    first = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return [None if v is None else first[v] for v in values]


def reporting_year(today: date) -> int:
    """B7: the year dashboards open on — the last complete year, the one annual reporting
    (January–March) is about."""
    return today.year - 1


# --- report deliveries ------------------------------------------------------------------------

MONTHLY, QUARTERLY, YEARLY = "monthly", "quarterly", "yearly"
FREQUENCIES = (MONTHLY, QUARTERLY, YEARLY)


def period_start(frequency: str, day: date) -> date:
    """The first day of the delivery period (month, quarter or year) that holds `day`."""
    if frequency == MONTHLY:
        return day.replace(day=1)
    if frequency == QUARTERLY:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if frequency == YEARLY:
        return date(day.year, 1, 1)
    raise ValueError(f"unknown frequency {frequency!r}")


def period_key(frequency: str, day: date) -> str:
    """The name of the period that holds `day`: "2026-05", "2026-Q2" or "2026". A report is
    delivered once per subscription and period."""
    start = period_start(frequency, day)
    if frequency == MONTHLY:
        return f"{start:%Y-%m}"
    if frequency == QUARTERLY:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def delivered_year(frequency: str, day: date) -> int:
    """The year a delivery in the period holding `day` reports on: the year of the period
    before (a delivery in January 2027 or in the first quarter of 2027 reports on 2026)."""
    return (period_start(frequency, day) - timedelta(days=1)).year
