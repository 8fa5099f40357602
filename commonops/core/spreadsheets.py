"""Tables in and out: reading CSV/XLSX uploads, all-or-nothing imports, CSV and XLSX
downloads.

Every CSV and XLSX the platform hands out is written here, so that text typed by one person
never runs as a formula in another person's spreadsheet: in a CSV, text starting with `=`,
`+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe (`neutralise`); in an
XLSX, text is written as a text cell, never as a formula, whatever it starts with.

Imports (DESIGN: "all-or-nothing with row-level errors"): `read_table` turns an upload into
dicts keyed by field name, each remembering its row number; `run_import` applies every row
through an action inside one transaction and rolls everything back when any row fails, or
when only a preview was asked for. So a preview shows exactly what committing would do.
"""

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 20_000


class TableError(Exception):
    """The file as a whole cannot be read (wrong type, missing columns, too many rows)."""


@dataclass(frozen=True)
class RowError:
    row: int  # the row number as the person sees it in their file (header = 1)
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    applied: list = field(default_factory=list)  # what each row's action returned
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _header(value) -> str:
    return " ".join(str(value or "").replace("_", " ").split()).casefold()


def _cell(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value


def _raw_rows(upload) -> list[list]:
    name = (getattr(upload, "name", "") or "").lower()
    data = upload.read()
    if name.endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise TableError(_("This is not a readable XLSX file.")) from error
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise TableError(_("A CSV file must be saved as UTF-8.")) from error
        dialect = csv.excel
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            pass
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    raise TableError(_("Upload a .csv or .xlsx file."))


def read_table(upload, columns: dict[str, str], *, required: Iterable[str] = ()) -> list[dict]:
    """The upload's rows as dicts keyed by field name, each with its row number in "_row".

    `columns` maps each field name to the column heading people see (matched ignoring case,
    spaces and underscores; the field name itself is accepted too). Blank rows are skipped.
    """
    raw = _raw_rows(upload)
    if not raw:
        raise TableError(_("The file is empty."))
    headings = [_header(h) for h in raw[0]]
    positions = {}
    for name, label in columns.items():
        for candidate in (_header(label), _header(name)):
            if candidate in headings:
                positions[name] = headings.index(candidate)
                break
    missing = [columns[name] for name in required if name not in positions]
    if missing:
        raise TableError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if len(raw) - 1 > MAX_ROWS:
        raise TableError(_("At most %(count)s rows can be imported at once.") % {
            "count": MAX_ROWS})
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        cells = {name: _cell(values[i]) if i < len(values) else None
                 for name, i in positions.items()}
        if all(value is None for value in cells.values()):
            continue
        rows.append({"_row": number, **cells})
    return rows


def _messages(error: Exception) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return "; ".join(f"{name}: {' '.join(messages)}" if name != "__all__"
                             else " ".join(messages)
                             for name, messages in error.message_dict.items())
        return " ".join(error.messages)
    return str(error)


def run_import(rows: Sequence[dict], apply_row: Callable[[dict], object], *,
               commit: bool) -> ImportResult:
    """Apply every row, all or nothing.

    Each row runs in a savepoint so one bad row does not hide the errors of later rows;
    everything is rolled back when any row failed or when `commit` is false (a preview).
    """
    result = ImportResult(rows=len(rows))
    with transaction.atomic():
        for row in rows:
            try:
                with transaction.atomic():
                    result.applied.append(apply_row(row))
            except PermissionDenied:
                raise
            except (ValidationError, ValueError, LookupError) as error:
                result.errors.append(RowError(row["_row"], _messages(error)))
        result.committed = commit and result.ok
        if not result.committed:
            transaction.set_rollback(True)
    return result


# --- downloads ------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Text as a spreadsheet shows it but never runs it (OWASP "CSV injection")."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell(value) -> str:
    """One CSV cell: numbers and dates as they are, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, Decimal, date, datetime)):
        return str(value)
    return neutralise(str(value))


def csv_response(filename: str, headers: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download (UTF-8); `rows` may be a generator, written as it comes."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.csv"'
    writer = csv.writer(response)
    writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return response



@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    # number formats by column index, e.g. {2: "#,##0.00"}
    formats: dict[int, str] = field(default_factory=dict)


def _plain(value):
    if value is None or isinstance(value, (int, float, Decimal, date, datetime, bool)):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    return str(value)


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for sheet in sheets:
        # Excel allows 31 characters and no []:*?/\ in a sheet title
        title = "".join(c for c in str(sheet.title) if c not in "[]:*?/\\")[:31] or "Sheet"
        ws = book.create_sheet(title)
        ws.append([str(h) for h in sheet.headers])
        for cell in ws[1]:
            cell.font = bold
            cell.data_type = "s"
        widths = [len(str(h)) for h in sheet.headers]
        for row in sheet.rows:
            values = [_plain(v) for v in row]
            ws.append(values)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text: "=HYPERLINK(…)" is not run
            for i, value in enumerate(values[:len(widths)]):
                widths[i] = max(widths[i], min(60, len(str(value)) if value is not None else 0))
        for index, number_format in sheet.formats.items():
            for cell in ws.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                cell[0].number_format = number_format
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width + 2
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.xlsx"'
    return response
