"""Cost sharing in the browser: set a budget and a headcount key, allocate, download the
agency statement as PDF and XLSX, and check that the totals match (S1, S4)."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def _submit(page):
    page.click("main form.stacked button[type=submit]")
    page.wait_for_load_state("load")


def test_budget_key_allocation_and_statement(page):
    from commonops.commonservices.models import Allocation, CommonService
    from commonops.core.models import Agency

    undp, who = Agency.objects.get(acronym="UNDP"), Agency.objects.get(acronym="WHO")
    log_in(page, "vn-csm")

    # A new service with two client agencies.
    page.goto(page.base + "/services/catalogue/add/")
    page.fill("input[name=name]", "Shuttle bus")
    page.select_option("select[name=service_line]", "logistics")
    page.select_option("select[name=client_agencies]", [str(undp.pk), str(who.pk)])
    _submit(page)
    service = CommonService.objects.get(name="Shuttle bus")
    assert page.url.endswith(service.get_absolute_url())

    # Its 2027 budget, in two lines.
    for line, amount in (("Drivers", "10000.00"), ("Fuel", "2345.67")):
        page.goto(page.base + "/services/budgets/add/")
        page.select_option("select[name=service]", str(service.pk))
        page.fill("input[name=year]", "2027")
        page.fill("input[name=line]", line)
        page.fill("input[name=amount]", amount)
        _submit(page)

    # Headcounts for 2027 and a headcount key.
    for agency, count in ((undp, "200"), (who, "100")):
        page.goto(page.base + "/services/headcounts/add/")
        page.select_option("select[name=agency]", str(agency.pk))
        page.fill("input[name=year]", "2027")
        page.fill("input[name=headcount]", count)
        _submit(page)
    page.goto(page.base + "/services/keys/add/")
    page.select_option("select[name=service]", str(service.pk))
    page.fill("input[name=year]", "2027")
    page.select_option("select[name=method]", "headcount")
    _submit(page)
    assert page.get_by_text("Inputs today").is_visible()
    screenshot(page, "commonservices-key")

    # Allocate: 12,345.67 by 200:100.
    page.click("button:has-text('Allocate')")
    page.wait_for_url("**/services/allocations/*/")
    allocation = Allocation.objects.get(service=service, year=2027)
    shares = dict(allocation.shares.values_list("agency__acronym", "amount"))
    assert shares == {"UNDP": Decimal("8230.45"), "WHO": Decimal("4115.22")}
    assert page.get_by_text("8,230.45").first.is_visible()

    # UNDP's statement: page, PDF and XLSX agree.
    page.goto(page.base + f"/services/statements/{undp.pk}/2027/")
    assert page.locator("#total-share").inner_text() == "8,230.45"
    screenshot(page, "commonservices-statement")
    with page.expect_download() as download:
        page.click("text=PDF")
    pdf = open(download.value.path(), "rb").read()
    assert pdf.startswith(b"%PDF")
    with page.expect_download() as download:
        page.click("text=XLSX")
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    rows = list(book["Shares"].iter_rows(values_only=True))
    assert rows[1][0] == "Shuttle bus"
    assert Decimal(str(rows[-1][7])) == Decimal("8230.45")
    assert not page.errors


def test_overview_and_report_fit_a_phone(phone):
    log_in(phone, "vn-csm")
    for path in ("/services/?year=2025", "/services/report/2025/"):
        phone.goto(phone.base + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 361
    screenshot(phone, "commonservices-report-phone")
