"""B4 imports: the grade rate table and CBA lines from XLSX/CSV, one row at a time through
the same actions as the pages (`core.spreadsheets.run_import` makes them all-or-nothing)."""


from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from commonops.bos import actions
from commonops.bos.models import Grade, Kind, Nature, Side
from commonops.core.spreadsheets import number_cell

GRADE_RATE_COLUMNS = {"year": "Year", "grade": "Grade", "hourly_rate": "Hourly rate"}
CBA_COLUMNS = {
    "opportunity": "Opportunity", "year": "Year", "side": "Side", "kind": "Kind",
    "nature": "Nature", "description": "Description", "amount": "Amount", "hours": "Hours",
    "grade": "Grade", "old_unit_price": "Old unit price", "new_unit_price": "New unit price",
    "volume": "Volume",
}


def _number(row, name, *, required=False):
    value = row.get(name)
    if value is None:
        if required:
            raise ValidationError({name: _("This value is missing.")})
        return None
    try:
        number = number_cell(value)
    except ValueError as error:
        raise ValidationError({name: str(error)}) from None
    if number < 0:
        raise ValidationError({name: _("A negative value is not allowed.")})
    return number


def _year(row, name="year") -> int:
    number = _number(row, name, required=True)
    if number != number.to_integral_value():
        raise ValidationError({name: _("A year is a whole number.")})
    return int(number)


def _choice(row, name, choices) -> str:
    value = str(row.get(name) or "").strip()
    by_key = {key.casefold(): key for key, _label in choices}
    by_key.update({str(label).casefold(): key for key, label in choices})
    by_key.update({key.replace("_", "-").casefold(): key for key, _label in choices})
    if value.casefold() not in by_key:
        raise ValidationError({name: _("Unknown %(field)s: %(value)s.")
                               % {"field": name, "value": value or "—"}})
    return by_key[value.casefold()]


def grade_rate_row(row: dict, *, country, by):
    return actions.grade_rate_set(
        country=country, year=_year(row), grade=_choice(row, "grade", Grade.choices),
        hourly_rate=_number(row, "hourly_rate", required=True), by=by)


def cba_row(row: dict, *, opportunities: dict, by):
    name = str(row.get("opportunity") or "").strip()
    opportunity = opportunities.get(name.casefold())
    if opportunity is None:
        raise ValidationError({"opportunity": _("No opportunity named %(name)s in this BOS.")
                               % {"name": name or "—"}})
    data = {
        "opportunity": opportunity, "year": _year(row),
        "side": _choice(row, "side", Side.choices),
        "kind": _choice(row, "kind", Kind.choices),
        "nature": _choice(row, "nature", Nature.choices),
        "description": str(row.get("description") or "")[:200],
    }
    for field in ("amount", "hours", "old_unit_price", "new_unit_price", "volume"):
        value = _number(row, field)
        if value is not None:
            data[field] = value
    if row.get("grade"):
        data["grade"] = _choice(row, "grade", Grade.choices)
    return actions.cba_entry_create(by=by, data=data)
