"""C2: the figures behind the standard measures from CSV or XLSX, one row at a time through
the same actions as the pages (`core.spreadsheets.run_import` makes them all or nothing).
A row for a figure already entered (same office, year and category) changes it."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from commonops.compacts import actions
from commonops.compacts.models import (
    ComplianceFigure,
    ComplianceKind,
    Gender,
    Level,
    NationalityStatus,
    SpendingFigure,
    StaffFigure,
    StaffKind,
)

COLUMNS = {
    "staff": {"office": "Office", "year": "Year", "kind": "What is counted", "level": "Level",
              "gender": "Gender", "nationality": "Nationality status", "count": "Count"},
    "compliance": {"office": "Office", "year": "Year", "kind": "What",
                   "required": "Staff who must", "completed": "Staff who did"},
    "spending": {"office": "Office", "year": "Year", "month": "Month", "planned": "Planned",
                 "actual": "Spent"},
    "documents": {"office": "Office", "reference": "Document", "slot_date": "Slot date",
                  "submitted_on": "Submitted on"},
    "appeals": {"office": "Office", "reference": "Appeal", "received_on": "Received on",
                "answered_on": "Explanation submitted on"},
}
REQUIRED = {
    "staff": ("office", "year", "kind", "count"),
    "compliance": ("office", "year", "kind", "required", "completed"),
    "spending": ("office", "year", "month", "planned", "actual"),
    "documents": ("office", "reference", "slot_date"),
    "appeals": ("office", "reference", "received_on"),
}
KINDS = [("staff", _("Posts, vacancies, selections, staff and recruitments")),
         ("compliance", _("Appraisals, financial disclosures and integrity training")),
         ("spending", _("Non-post spending by month")),
         ("documents", _("Documents by slot date")),
         ("appeals", _("Appeals and days to answer"))]


def _number(row, name, *, whole=False, required=True):
    value = row.get(name)
    if value is None:
        if required:
            raise ValidationError({name: _("This value is missing.")})
        return None
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        raise ValidationError({name: _("%(value)s is not a number.") % {"value": value}}) \
            from None
    if number < 0:
        raise ValidationError({name: _("A negative value is not allowed.")})
    if whole:
        if number != number.to_integral_value():
            raise ValidationError({name: _("%(value)s is not a whole number.")
                                   % {"value": value}})
        return int(number)
    return number


def _day(row, name, *, required=True):
    value = row.get(name)
    if value is None:
        if required:
            raise ValidationError({name: _("This value is missing.")})
        return None
    if isinstance(value, date):
        return value
    day = parse_date(str(value))
    if day is None:
        raise ValidationError({name: _("%(value)s is not a date (YYYY-MM-DD).")
                               % {"value": value}})
    return day


def _choice(row, name, choices, *, required=True) -> str:
    value = str(row.get(name) or "").strip()
    if not value and not required:
        return ""
    lookup = {key.casefold(): key for key, _label in choices}
    lookup.update({str(label).casefold(): key for key, label in choices})
    if value.casefold() not in lookup:
        raise ValidationError({name: _("Unknown value: %(value)s.") % {"value": value or "—"}})
    return lookup[value.casefold()]


def _office(row, offices):
    name = str(row.get("office") or "").strip()
    office = offices.get(name.casefold())
    if office is None:
        raise ValidationError({"office": _("No office named %(name)s.") % {"name": name or "—"}})
    return office


def apply_row(kind: str, row: dict, *, offices: dict, by):
    office = _office(row, offices)
    if kind == "staff":
        data = {"office": office, "year": _number(row, "year", whole=True),
                "kind": _choice(row, "kind", StaffKind.choices),
                "level": _choice(row, "level", Level.choices, required=False),
                "gender": _choice(row, "gender", Gender.choices, required=False),
                "nationality": _choice(row, "nationality", NationalityStatus.choices,
                                       required=False),
                "count": _number(row, "count", whole=True)}
        existing = StaffFigure.objects.filter(**{k: v for k, v in data.items()
                                                 if k != "count"}).first()
        if existing:
            return actions.staff_figure_update(staff_figure=existing, by=by, data=data)
        return actions.staff_figure_create(by=by, data=data)
    if kind == "compliance":
        data = {"office": office, "year": _number(row, "year", whole=True),
                "kind": _choice(row, "kind", ComplianceKind.choices),
                "required": _number(row, "required", whole=True),
                "completed": _number(row, "completed", whole=True)}
        existing = ComplianceFigure.objects.filter(office=office, year=data["year"],
                                                   kind=data["kind"]).first()
        if existing:
            return actions.compliance_figure_update(compliance_figure=existing, by=by,
                                                    data=data)
        return actions.compliance_figure_create(by=by, data=data)
    if kind == "spending":
        data = {"office": office, "year": _number(row, "year", whole=True),
                "month": _number(row, "month", whole=True),
                "planned": _number(row, "planned"), "actual": _number(row, "actual")}
        existing = SpendingFigure.objects.filter(office=office, year=data["year"],
                                                 month=data["month"]).first()
        if existing:
            return actions.spending_figure_update(spending_figure=existing, by=by, data=data)
        return actions.spending_figure_create(by=by, data=data)
    if kind == "documents":
        return actions.document_submission_create(by=by, data={
            "office": office, "reference": str(row.get("reference"))[:200],
            "slot_date": _day(row, "slot_date"),
            "submitted_on": _day(row, "submitted_on", required=False)})
    if kind == "appeals":
        return actions.appeal_response_create(by=by, data={
            "office": office, "reference": str(row.get("reference"))[:200],
            "received_on": _day(row, "received_on"),
            "answered_on": _day(row, "answered_on", required=False)})
    raise ValueError(kind)
