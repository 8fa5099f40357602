"""Money: amounts are Decimals kept to the cent; every rounding and every display of an
amount goes through here (rules, PDFs, spreadsheets and templates alike)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cent(value) -> Decimal:
    """Round an amount to the cent, halves away from zero (as accountants do)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(value, empty: str = "—") -> str:
    """An amount as people read it: thousands separated, two decimals; `empty` for none."""
    if value is None or value == "":
        return empty
    return f"{Decimal(value):,.2f}"
