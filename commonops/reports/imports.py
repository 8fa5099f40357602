"""Import of administrative budgets (H2 baselines) from CSV or XLSX: read with
`core.spreadsheets.read_table`, each row applied through `actions.admin_budget_set` by
`run_import` — all or nothing, errors by row, a preview that rolls back."""

import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from commonops.core import access
from commonops.core.audit import audit_context
from commonops.core.models import Agency, Country
from commonops.core.roles import Perm
from commonops.core.spreadsheets import TableError, read_table, run_import
from commonops.reports import actions

__all__ = ["COLUMNS", "TableError", "run"]

COLUMNS = {"country": "Country", "agency": "Agency", "year": "Year",
           "amount": "Administrative budget", "source": "Source"}
REQUIRED = ("country", "agency", "year", "amount")


def _apply(by):
    countries = {c.iso_code: c for c in access.scope_queryset(
        Country.objects.all(), by, Perm.MANAGE_BASELINES)}

    def apply_row(row):
        code = str(row["country"] or "").strip().upper()
        country = countries.get(code)
        if country is None:
            raise ValidationError(_("Unknown country, or one where you may not enter "
                                    "budgets: %(value)s.") % {"value": row["country"] or "—"})
        agency = Agency.objects.filter(acronym__iexact=str(row["agency"] or "")).first()
        if agency is None:
            raise ValidationError(_("Unknown agency: %(value)s.") % {
                "value": row["agency"] or "—"})
        try:
            year = int(Decimal(str(row["year"])))
        except (InvalidOperation, ValueError, TypeError):
            raise ValidationError(_("Year must be a whole number.")) from None
        if row["amount"] is None:
            raise ValidationError(_("The administrative budget is missing."))
        try:
            amount = Decimal(str(row["amount"]).replace(",", ""))
        except (InvalidOperation, ValueError):
            raise ValidationError(_("The administrative budget must be a number.")) from None
        return actions.admin_budget_set(by=by, country=country, agency=agency, year=year,
                                        amount=amount, source=str(row.get("source") or ""))

    return apply_row


def run(*, name: str, data: bytes, by, commit: bool):
    """Read the file and apply it (commit) or preview it (roll back). TableError when the
    file as a whole cannot be read."""
    upload = io.BytesIO(data)
    upload.name = name
    rows = read_table(upload, COLUMNS, required=REQUIRED)
    with audit_context(source="import", actor=by):
        return run_import(rows, _apply(by), commit=commit)
