"""S3 in a year in progress: spending up to the last month over is compared with the budget
for those months, not with the whole year's, and the report says so."""

import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from commonops.commonservices import actions, queries, reports
from commonops.core.models import Agency, User

D = Decimal
YEAR = 2031  # a year of its own: no demo rows
_seq = itertools.count(1)
pytestmark = pytest.mark.django_db


@pytest.fixture
def csm(db):
    return User.objects.get(username="vn-csm")


def _service(viet_nam, csm, monthly_spending):
    """A service budgeted 12,000 for YEAR, with the given spending (USD) in each month."""
    undp = Agency.objects.get(acronym="UNDP")
    service = actions.service_create(by=csm, data={
        "country": viet_nam, "name": f"Partial-year test service {next(_seq)}",
        "service_line": "administration", "client_agencies": [undp],
        "provider_agencies": [undp]})
    actions.budget_line_create(by=csm, data={"service": service, "year": YEAR, "line": "All",
                                           "amount": D("12000")})
    for month, amount in monthly_spending.items():
        actions.expenditure_create(by=csm, data={
            "service": service, "spent_on": date(YEAR, month, 15), "budget_line": "All",
            "amount_local": D(amount), "currency": "USD"})
    return service


def _row(report, service):
    return next(r for r in report.services if r.service == service)


def test_in_november_ten_months_on_plan_are_not_flagged(viet_nam, csm):
    on_plan = _service(viet_nam, csm, {m: "1000" for m in range(1, 12)})  # Jan–Nov
    report = queries.annual_report(csm, country=viet_nam, year=YEAR,
                                   today=date(YEAR, 11, 20))
    row = _row(report, on_plan)
    assert report.period.months == 10
    assert (row.budget, row.budget_to_date, row.actual) == (
        D("12000"), D("10000.00"), D("10000.00"))  # November's spending waits for its month
    assert not row.variance.flagged and row.variance.percent == 0
    # against the whole year the same figures would be 17% under budget
    whole = queries.annual_report(csm, country=viet_nam, year=YEAR)
    assert _row(whole, on_plan).variance.flagged


def test_in_november_spending_ahead_of_plan_is_flagged(viet_nam, csm):
    ahead = _service(viet_nam, csm, {m: "1000" for m in range(1, 10)} | {10: "1300"})
    report = queries.annual_report(csm, country=viet_nam, year=YEAR,
                                   today=date(YEAR, 11, 20))
    row = _row(report, ahead)
    assert row.variance.percent == D("3.0") and row.variance.flagged


def test_agencies_are_compared_with_their_share_for_the_months_elapsed(viet_nam, csm):
    service = _service(viet_nam, csm, {m: "1000" for m in range(1, 7)})
    actions.key_create(by=csm, data={"service": service, "year": YEAR, "method": "equal"})
    actions.allocation_allocate(service=service, year=YEAR, by=csm)
    report = queries.annual_report(csm, country=viet_nam, year=YEAR, today=date(YEAR, 7, 1))
    undp = next(a for a in report.agencies if a.agency.acronym == "UNDP")
    assert report.period.months == 6
    assert undp.allocated_to_date == undp.allocated / 2
    assert not undp.variance.flagged


def test_the_report_says_which_budget_it_compares_with(viet_nam, csm):
    _service(viet_nam, csm, {m: "1000" for m in range(1, 11)})
    request = RequestFactory().get("/")
    request.user = csm
    report = queries.annual_report(csm, country=viet_nam, year=YEAR,
                                   today=date(YEAR, 11, 20))
    page = render_to_string("commonservices/annual_report.html",
                            {"report": report, "chart": reports.budget_chart(report)},
                            request=request)
    assert (f"{YEAR} is not over: spending to the end of October is compared with the "
            "budget for those 10 months (10/12 of the year's budget).") in page
    assert "Budget to date" in page and "Spent to date" in page
    assert "to the end of October" in page  # the chart's title

    past = queries.annual_report(csm, country=viet_nam, year=YEAR, today=date(YEAR + 1, 2, 1))
    page = render_to_string("commonservices/annual_report.html",
                            {"report": past, "chart": reports.budget_chart(past)},
                            request=request)
    assert "is not over" not in page and "Budget to date" not in page

    pdf = reports.annual_report_pdf(report)
    assert pdf.startswith(b"%PDF")
