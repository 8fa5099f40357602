"""How values read on pages and in documents, in the reader's language.

Numbers are grouped with the language's separators (1,234.50 · 1 234,50), money shows its
cents, percentages one decimal (DOMAIN.md), dates the language's one format
(`commonops/formats`). Pages, PDFs, generic detail pages and the change history all format
through here, so a figure reads the same everywhere.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from commonops.core.money import format_money

DASH = "—"

# Standard texts the platform itself stores (a standard agenda item, a KPI's means of
# verification) in the language of whoever caused them; read in the reader's language
# through `in_reader_language`.
_ORIGINALS: set[str] = set()
_SEEN: dict[str, str] = {}  # each original and its translations -> the original


def standard_texts(*originals: str) -> None:
    """Declare texts (marked with gettext_noop where they are defined) that are stored as
    they read in the language of the moment and should be read in the reader's."""
    _ORIGINALS.update(originals)
    _SEEN.clear()


def in_reader_language(text):
    """A stored standard text in the reader's language; any other text as written."""
    if not isinstance(text, str) or not _ORIGINALS:
        return text
    if not _SEEN:
        for original in _ORIGINALS:
            _SEEN[original] = original
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    _SEEN[translation.gettext(original)] = original
    original = _SEEN.get(text)
    return translation.gettext(original) if original else text


def number(value, places: int | None = None) -> str:
    """Grouped; `places` decimals, or as many as the value needs (no trailing zeros)."""
    if value is None or value == "":
        return DASH
    if isinstance(value, float):
        value = Decimal(str(value))
    if places is None and isinstance(value, Decimal):
        places = max(0, -value.normalize().as_tuple().exponent)
    return formats.number_format(value, decimal_pos=places, use_l10n=True,
                                 force_grouping=True)


def money(value) -> str:
    """To the cent, grouped: 120,000.00 (core.money.format_money)."""
    return format_money(value, DASH)


def percent(value) -> str:
    """One decimal: 12.5%."""
    return DASH if value is None else f"{number(Decimal(value), 1)}%"


def day(value) -> str:
    return DASH if value is None else formats.date_format(value, "DATE_FORMAT")


def moment(value) -> str:
    if value is None:
        return DASH
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


def field_value(field, value):
    """A model field's value as a person reads it (the value itself when it is already
    words: text, an object, a choice label)."""
    if value is None or value == "":
        return DASH
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DecimalField):
        return money(value) if field.decimal_places == 2 else number(Decimal(value))
    if isinstance(field, models.FloatField):
        return number(value)
    if isinstance(value, datetime.datetime):
        return moment(value)
    if isinstance(value, datetime.date):
        return day(value)
    if isinstance(value, datetime.time):
        return formats.time_format(value, "TIME_FORMAT")
    return in_reader_language(value)
