"""Money: amounts are Decimals kept to the cent; every rounding and every display of an
amount goes through here (rules, PDFs, spreadsheets and templates alike)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cent(value) -> Decimal:
    """Round an amount to the cent, halves away from zero (as accountants do)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(value, empty: str = "—") -> str:
    """An amount as people read it in their language: to the cent, grouped (120,000.00 in
    English, 120 000,00 in French); `empty` for none."""
    from django.utils import formats

    if value is None or value == "":
        return empty
    return formats.number_format(Decimal(value), decimal_pos=2, use_l10n=True,
                                 force_grouping=True)
