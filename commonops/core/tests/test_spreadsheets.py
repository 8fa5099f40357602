"""Imports are all-or-nothing with row-level errors; downloads are real XLSX files."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from commonops.core.models import Region
from commonops.core.spreadsheets import (
    Sheet,
    TableError,
    csv_stream_response,
    read_table,
    run_import,
    xlsx_bytes,
    xlsx_response,
)

COLUMNS = {"code": "Code", "name": "Region name"}


def csv_upload(text, name="regions.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8-sig"))


def xlsx_upload(rows, name="regions.xlsx"):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_csv_rows_come_back_keyed_by_field_with_their_row_numbers():
    rows = read_table(csv_upload("Region Name,code\nNorth,N1\n,\nSouth,S1\n"), COLUMNS)
    assert rows == [{"_row": 2, "code": "N1", "name": "North"},
                    {"_row": 4, "code": "S1", "name": "South"}]


def test_semicolon_csv_is_understood():
    rows = read_table(csv_upload("code;name\nN1;North\n"), COLUMNS)
    assert rows == [{"_row": 2, "code": "N1", "name": "North"}]


def test_xlsx_numbers_become_decimals_and_headings_match_field_names():
    rows = read_table(xlsx_upload([["CODE", "name"], ["N1", 12.5]]), COLUMNS)
    assert rows == [{"_row": 2, "code": "N1", "name": Decimal("12.5")}]


def test_missing_required_column_is_named():
    with pytest.raises(TableError, match="Region name"):
        read_table(csv_upload("code\nN1\n"), COLUMNS, required=["code", "name"])


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("rates.pdf", b"%PDF"), "Upload a .csv or .xlsx file."),
    (SimpleUploadedFile("rates.xlsx", b"not a workbook"), "not a readable XLSX"),
    (SimpleUploadedFile("rates.csv", "é".encode("latin-1")), "UTF-8"),
    (SimpleUploadedFile("rates.csv", b""), "empty"),
])
def test_unreadable_files_are_refused_with_a_reason(upload, message):
    with pytest.raises(TableError, match=message):
        read_table(upload, COLUMNS)


def _create_region(row):
    if not row.get("code"):
        raise ValidationError({"code": ["A code is needed."]})
    return Region.objects.create(code=row["code"], name=row["name"])


@pytest.mark.django_db
def test_one_bad_row_imports_nothing_and_every_error_is_reported():
    before = Region.objects.count()
    rows = [{"_row": 2, "code": "X1", "name": "Import one"},
            {"_row": 3, "code": None, "name": "No code"},
            {"_row": 4, "code": "X2", "name": "Import two"},
            {"_row": 5, "code": None, "name": "No code either"}]
    result = run_import(rows, _create_region, commit=True)
    assert not result.committed
    assert [(e.row, e.message) for e in result.errors] == [
        (3, "code: A code is needed."), (5, "code: A code is needed.")]
    assert Region.objects.count() == before


@pytest.mark.django_db
def test_a_preview_changes_nothing_and_a_commit_keeps_everything():
    before = Region.objects.count()
    rows = [{"_row": 2, "code": "X1", "name": "Import one"},
            {"_row": 3, "code": "X2", "name": "Import two"}]
    preview = run_import(rows, _create_region, commit=False)
    assert preview.ok and not preview.committed and len(preview.applied) == 2
    assert Region.objects.count() == before
    result = run_import(rows, _create_region, commit=True)
    assert result.committed
    assert Region.objects.count() == before + 2


def test_xlsx_download_holds_the_rows_with_their_types():
    data = xlsx_bytes([Sheet("Budget: 2026/27", ["Service", "Amount"],
                             [["Cleaning", Decimal("1200.50")], ["Security", None]],
                             formats={1: "#,##0.00"})])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "Budget 202627"
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Service", "Amount"], ["Cleaning", 1200.5], ["Security", None]]
    assert sheet["B2"].number_format == "#,##0.00"


def test_xlsx_response_is_an_attachment_with_a_safe_name():
    response = xlsx_response("Statement WHO 2026", [Sheet("s", ["a"], [[1]])])
    assert response["Content-Disposition"] == 'attachment; filename="statement-who-2026.xlsx"'
    assert response.content[:2] == b"PK"


def test_a_streamed_csv_is_written_as_it_is_read_with_formulas_neutralised():
    read = []

    def rows():
        for n in range(3):
            read.append(n)
            yield [n, f"=cmd|' /C calc'!A{n}", None]

    response = csv_stream_response("Audit trail", ["id", "text", "empty"], rows())
    assert response.streaming and read == []  # nothing read before the download starts
    assert response["Content-Disposition"] == 'attachment; filename="audit-trail.csv"'
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines() == ["id,text,empty", "0,'=cmd|' /C calc'!A0,",
                                 "1,'=cmd|' /C calc'!A1,", "2,'=cmd|' /C calc'!A2,"]
