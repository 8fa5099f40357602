"""Imports of headcounts, usage, budgets and expenditures from CSV or XLSX (S1, S3): read
with `core.spreadsheets.read_table`, applied row by row through the actions with
`run_import` — all or nothing, errors by row, a preview that rolls back."""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L

from commonops.commonservices import actions
from commonops.commonservices.models import BudgetLine, CommonService, Headcount, Usage
from commonops.core.audit import audit_context
from commonops.core.models import Agency
from commonops.core.spreadsheets import TableError, number_cell, read_table, run_import

__all__ = ["SPECS", "TableError", "run"]


@dataclass(frozen=True)
class ImportSpec:
    label: str
    columns: dict
    required: tuple
    list_url: str


SPECS = {
    "headcounts": ImportSpec(L("Headcounts"), {"agency": "Agency", "year": "Year",
                                               "headcount": "Headcount"},
                             ("agency", "year", "headcount"), "commonservices:headcount_list"),
    "usage": ImportSpec(L("Usage"), {"service": "Service", "agency": "Agency", "year": "Year",
                                     "units": "Units"},
                        ("service", "agency", "year", "units"), "commonservices:usage_list"),
    "budgets": ImportSpec(L("Budgets"), {"service": "Service", "year": "Year",
                                         "line": "Budget line", "amount": "Amount"},
                          ("service", "year", "line", "amount"),
                          "commonservices:budgetline_list"),
    "expenditures": ImportSpec(L("Expenditures"), {
        "service": "Service", "spent_on": "Date", "budget_line": "Budget line",
        "description": "Description", "amount_local": "Amount", "currency": "Currency"},
        ("service", "spent_on", "budget_line", "amount_local", "currency"),
        "commonservices:expenditure_list"),
}


def _agency(value):
    agency = Agency.objects.filter(acronym__iexact=str(value or "")).first()
    if agency is None:
        raise ValidationError(_("Unknown agency: %(value)s.") % {"value": value})
    return agency


def _service(country, value):
    service = CommonService.objects.filter(country=country, name__iexact=str(value or "")) \
        .first()
    if service is None:
        raise ValidationError(_("Unknown service: %(value)s.") % {"value": value})
    return service


def _int(value, label):
    try:
        number = number_cell(value)
    except ValueError:
        number = None
    if number is None or number != number.to_integral_value():
        raise ValidationError(_("%(label)s must be a whole number.") % {"label": label})
    return int(number)


def _decimal(value, label):
    try:
        return number_cell(value)
    except ValueError as error:
        raise ValidationError(f"{label}: {error}") from None


def _date(value):
    from datetime import date, datetime

    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(_("Give the date as YYYY-MM-DD.")) from None


def _apply(kind, country, by):
    """The function `run_import` calls for each row: it finds or creates, then saves through
    the same action as the pages."""

    def headcounts(row):
        agency, year = _agency(row["agency"]), _int(row["year"], _("Year"))
        current = Headcount.objects.filter(country=country, agency=agency, year=year).first()
        data = {"country": country, "agency": agency, "year": year,
                "headcount": _int(row["headcount"], _("Headcount"))}
        if current is None:
            return actions.headcount_create(by=by, data=data)
        return actions.headcount_update(headcount=current, by=by, data=data)

    def usage(row):
        service, agency = _service(country, row["service"]), _agency(row["agency"])
        year = _int(row["year"], _("Year"))
        current = Usage.objects.filter(service=service, agency=agency, year=year).first()
        data = {"service": service, "agency": agency, "year": year,
                "units": _decimal(row["units"], _("Units"))}
        if current is None:
            return actions.usage_create(by=by, data=data)
        return actions.usage_update(usage=current, by=by, data=data)

    def budgets(row):
        service, year = _service(country, row["service"]), _int(row["year"], _("Year"))
        line = str(row["line"])
        current = BudgetLine.objects.filter(service=service, year=year, line=line).first()
        data = {"service": service, "year": year, "line": line,
                "amount": _decimal(row["amount"], _("Amount"))}
        if current is None:
            return actions.budget_line_create(by=by, data=data)
        return actions.budget_line_update(budget_line=current, by=by, data=data)

    def expenditures(row):
        return actions.expenditure_create(by=by, data={
            "service": _service(country, row["service"]), "spent_on": _date(row["spent_on"]),
            "budget_line": str(row["budget_line"]),
            "description": str(row.get("description") or ""),
            "amount_local": _decimal(row["amount_local"], _("Amount")),
            "currency": str(row["currency"]).upper()})

    return {"headcounts": headcounts, "usage": usage, "budgets": budgets,
            "expenditures": expenditures}[kind]


def run(kind: str, *, name: str, data: bytes, country, by, commit: bool):
    """Read the file and apply it (commit) or preview it (roll back). TableError when the
    file as a whole cannot be read."""
    spec = SPECS[kind]
    upload = io.BytesIO(data)
    upload.name = name
    rows = read_table(upload, spec.columns, required=spec.required)
    with audit_context(source="import", actor=by):
        return run_import(rows, _apply(kind, country, by), commit=commit)
