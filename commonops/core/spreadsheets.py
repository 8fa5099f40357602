"""Tables in and out: reading CSV/XLSX uploads, all-or-nothing imports, CSV and XLSX
downloads.

Every CSV and XLSX the platform hands out is written here (`csv_response`,
`csv_stream_response` for long tables, `xlsx_response`), so that text typed by one person
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
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Headings are looked for in the first columns only; an XLSX may unpack to at most this many
# times IMPORT_MAX_BYTES (its text compresses well, but not a thousandfold).
HEADER_COLUMNS = 100
XLSX_UNPACKED_RATIO = 40


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


def _size(upload) -> int | None:
    size = getattr(upload, "size", None)
    if size is None and hasattr(upload, "getbuffer"):
        size = upload.getbuffer().nbytes
    return size


def _xlsx_rows(upload, header_columns: int):
    """The first sheet's rows, streamed. openpyxl pads every row to the sheet's declared
    size (a 5 KB file may declare A1:XFD2000), so the declared size is ignored and each
    row is cut to the columns asked for."""
    limit = settings.IMPORT_MAX_BYTES
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise TableError(_("This is not a readable XLSX file.")) from error
    if unpacked > XLSX_UNPACKED_RATIO * limit:
        raise TableError(_("This XLSX file unpacks to too much data to import."))
    upload.seek(0)
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise TableError(_("This is not a readable XLSX file.")) from error
    header = next(sheet.iter_rows(max_row=1, max_col=header_columns, values_only=True), None)
    return header, sheet


def _csv_rows(upload):
    data = upload.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(_("A CSV file must be saved as UTF-8.")) from error
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        pass
    return csv.reader(io.StringIO(text), dialect)


def _too_many_rows(max_rows):
    return TableError(_("At most %(count)s rows can be imported at once.") % {"count": max_rows})


def read_table(upload, columns: dict[str, str], *, required: Iterable[str] = ()) -> list[dict]:
    """The upload's rows as dicts keyed by field name, each with its row number in "_row".

    `columns` maps each field name to the column heading people see (matched ignoring case,
    spaces and underscores; the field name itself is accepted too). Blank rows are skipped.

    The file is read as a stream and only as far as it needs: the upload must be at most
    `IMPORT_MAX_BYTES`, reading stops at the first row past `IMPORT_MAX_ROWS`, and only the
    columns asked for are kept.
    """
    max_bytes, max_rows = settings.IMPORT_MAX_BYTES, settings.IMPORT_MAX_ROWS
    size = _size(upload)
    if size is not None and size > max_bytes:
        raise TableError(_("The file is larger than %(size)s MB.") % {
            "size": f"{max_bytes / 1_000_000:g}"})
    filename = (getattr(upload, "name", "") or "").lower()
    header_columns = HEADER_COLUMNS
    if filename.endswith(".xlsx"):
        header, sheet = _xlsx_rows(upload, header_columns)
    elif filename.endswith(".csv"):
        reader = _csv_rows(upload)
        try:
            header = next(reader, None)
        except csv.Error as error:
            raise TableError(_("The first row cannot be read: %(error)s.") % {
                "error": error}) from None
    else:
        raise TableError(_("Upload a .csv or .xlsx file."))
    if not header:
        raise TableError(_("The file is empty."))
    headings = [_header(h) for h in header[:header_columns]]
    positions = {}
    for name, label in columns.items():
        for candidate in (_header(label), _header(name)):
            if candidate in headings:
                positions[name] = headings.index(candidate)
                break
    missing = [columns[name] for name in required if name not in positions]
    if missing:
        raise TableError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    width = max(positions.values(), default=-1) + 1
    if filename.endswith(".xlsx"):
        body = sheet.iter_rows(min_row=2, max_col=max(width, 1), values_only=True)
    else:
        body = reader
    rows = []
    number = 1
    try:
        for number, values in enumerate(body, start=2):
            if number > 2 * max_rows + 1:  # past the cap even counting blank rows: stop
                raise _too_many_rows(max_rows)
            cells = {field: _cell(values[i]) if i < len(values) else None
                     for field, i in positions.items()}
            if all(value is None for value in cells.values()):
                continue
            if len(rows) == max_rows:
                raise _too_many_rows(max_rows)
            rows.append({"_row": number, **cells})
    except csv.Error as error:
        raise TableError(_("Row %(row)s cannot be read: %(error)s.") % {
            "row": number + 1, "error": error}) from None
    return rows


# A number in an import has at most this many digits before the decimal point: more than any
# amount the platform stores, and few enough that Decimal arithmetic never overflows.
MAX_INTEGER_DIGITS = 15


def number_cell(value) -> Decimal:
    """A cell read as a finite Decimal ("1,234.5" too). ValueError, with a message for the
    person, for anything else: text, NaN, Infinity, 1e400, 32 digits."""
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValueError(_("%(value)s is not a number.") % {"value": value}) from None
    if not number.is_finite() or number.adjusted() >= MAX_INTEGER_DIGITS:
        raise ValueError(_("%(value)s is not a number of at most %(digits)s digits.")
                         % {"value": str(value)[:40], "digits": MAX_INTEGER_DIGITS})
    return number


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


class _Echo:
    """A file-like object whose `write` hands back what it is given (one CSV line)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(headers: Sequence, rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV lines of a table, one at a time, every cell through `csv_cell`."""
    writer = csv.writer(_Echo())
    yield writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_stream_response(filename: str, headers: Sequence,
                        rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """A CSV download (UTF-8) sent while it is written, for tables too long to hold in
    memory (the audit trail): `rows` is read lazily, line by line."""
    response = StreamingHttpResponse(csv_lines(headers, rows),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.csv"'
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
