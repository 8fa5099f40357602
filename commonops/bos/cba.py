"""B4 cost-benefit analysis — the contract of DOMAIN.md, pure: plain values in, values out.

Every CBA figure on the pages, the API, the PDF and the XLSX comes from `cba_summary`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from commonops.core.money import CENT, to_cent

SIDES = ("cost", "benefit")
KINDS = ("monetary", "labour", "other")
NATURES = ("one_time", "recurring")


def _decimal(value, what: str) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a number")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"{what} must be a number") from None
    if not number.is_finite():
        raise ValueError(f"{what} must be a finite number")
    return number


@dataclass(frozen=True)
class CbaLine:
    """One line of a CBA: a horizon year (1-based), side × kind × nature, an amount in USD."""

    year: int  # 1-based horizon year
    side: str  # "cost" | "benefit"
    kind: str  # "monetary" | "labour" | "other"
    nature: str  # "one_time" | "recurring"
    amount: Decimal  # USD, >= 0


@dataclass(frozen=True)
class CbaYear:
    """One horizon year of a summary, for tables and the cumulative chart."""

    year: int
    cost: Decimal
    benefit: Decimal
    net: Decimal
    cumulative: Decimal


@dataclass(frozen=True)
class CbaSummary:
    total_cost: Decimal
    total_benefit: Decimal
    net_benefit: Decimal  # total_benefit - total_cost
    benefit_cost_ratio: Decimal | None  # to 2 places; None when total_cost is 0
    payback_year: int | None  # first year whose cumulative benefit - cost is >= 0
    npv: Decimal  # discounted net, to the cent
    years: tuple[CbaYear, ...] = ()  # horizon years 1 … the last year with a line


def labour_amount(hours: Decimal, hourly_rate: Decimal) -> Decimal:
    """B4: a labour line is hours × the grade's hourly cost, to the cent."""
    hours = _decimal(hours, "hours")
    hourly_rate = _decimal(hourly_rate, "hourly rate")
    if hours < 0 or hourly_rate < 0:
        raise ValueError("hours and hourly rate cannot be negative")
    return to_cent(hours * hourly_rate)


def unit_price_amount(old_unit_price, new_unit_price, volume) -> Decimal:
    """B4: a monetary line given as (old unit price − new unit price) × volume, to the cent.
    A new price above the old one is not a saving: it raises ValueError."""
    old = _decimal(old_unit_price, "old unit price")
    new = _decimal(new_unit_price, "new unit price")
    volume = _decimal(volume, "volume")
    if old < 0 or new < 0 or volume < 0:
        raise ValueError("prices and volume cannot be negative")
    if new > old:
        raise ValueError("the new unit price is higher than the old one")
    return to_cent((old - new) * volume)


def check_line(line: CbaLine) -> Decimal:
    """Validate one line (B4); return its amount as a Decimal. Raises ValueError."""
    if line.side not in SIDES:
        raise ValueError(f"unknown side {line.side!r}")
    if line.kind not in KINDS:
        raise ValueError(f"unknown kind {line.kind!r}")
    if line.nature not in NATURES:
        raise ValueError(f"unknown nature {line.nature!r}")
    if isinstance(line.year, bool) or not isinstance(line.year, int) or line.year < 1:
        raise ValueError(f"horizon year must be a whole number from 1, not {line.year!r}")
    amount = _decimal(line.amount, "amount")
    if amount < 0:
        raise ValueError("an amount cannot be negative")
    return amount


def cba_summary(lines: Iterable[CbaLine], *, discount_rate: Decimal = Decimal("0")) -> CbaSummary:
    """B4: totals, net benefit, benefit-cost ratio, payback year and NPV of a CBA."""
    rate = _decimal(discount_rate, "discount rate")
    if rate <= -1:
        raise ValueError("the discount rate must be above -100%")
    cost_by_year: dict[int, Decimal] = {}
    benefit_by_year: dict[int, Decimal] = {}
    for line in lines:
        amount = check_line(line)
        book = cost_by_year if line.side == "cost" else benefit_by_year
        book[line.year] = book.get(line.year, Decimal(0)) + amount
    total_cost = sum(cost_by_year.values(), Decimal(0))
    total_benefit = sum(benefit_by_year.values(), Decimal(0))
    last_year = max([*cost_by_year, *benefit_by_year], default=0)
    years = []
    cumulative = Decimal(0)
    payback_year = None
    npv = Decimal(0)
    factor = Decimal(1) + rate
    for year in range(1, last_year + 1):
        cost = cost_by_year.get(year, Decimal(0))
        benefit = benefit_by_year.get(year, Decimal(0))
        net = benefit - cost
        cumulative += net
        if payback_year is None and cumulative >= 0:
            payback_year = year
        npv += net / factor ** (year - 1)
        years.append(CbaYear(year, to_cent(cost), to_cent(benefit), to_cent(net),
                             to_cent(cumulative)))
    ratio = None if total_cost == 0 else (total_benefit / total_cost).quantize(
        CENT, rounding=ROUND_HALF_UP)
    return CbaSummary(
        total_cost=to_cent(total_cost),
        total_benefit=to_cent(total_benefit),
        net_benefit=to_cent(total_benefit - total_cost),
        benefit_cost_ratio=ratio,
        payback_year=payback_year,
        npv=to_cent(npv),
        years=tuple(years),
    )
