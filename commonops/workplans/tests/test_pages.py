"""Work-plan pages, the OMT annual report (page, PDF, XLSX, API) and the standing OMT update:
access, bad input, the same figures everywhere, and a constant number of queries."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from commonops.core.testing import count_queries, pdf_text
from commonops.governance.models import Meeting, Minutes, MinutesItem
from commonops.workplans import actions, reports
from commonops.workplans.models import WorkPlan
from commonops.workplans.tests.helpers import (
    activity,
    approved,
    free_year,
    plan,
    report,
    user,
    viet_nam,
    vn_omt,
)

pytestmark = pytest.mark.django_db
D = Decimal


def _login(client, username):
    client.force_login(user(username))
    return client


def test_g9_the_plan_page_shows_each_activitys_colour_and_why(client):
    p = plan()
    late = activity(p, name="Late tender", starts=(1, 1), ends=(1, 31))
    approved(p)
    report(late, quarter=1, progress=40, spent="9000")
    page = _login(client, "vn-member").get(p.get_absolute_url()).content.decode()
    assert 'data-rag="red"' in page
    assert "Behind schedule: its end date" in page and "Over budget: 9,000.00 spent" in page


def test_g9_the_plan_page_uses_a_constant_number_of_queries(client):
    p = plan()

    def add():
        a = activity(p)
        actions.activity_indicator_add(plan_activity=a, by=user("vn-chair"), name="Count",
                                       unit="count", direction="increase", target=D(3))

    add()
    c = _login(client, "vn-chair")
    few = count_queries(c, p.get_absolute_url())
    for _ in range(5):
        add()
    assert count_queries(c, p.get_absolute_url()) == few
    assert few <= 25


def test_g9_only_the_unct_sees_and_takes_the_approval_step(client):
    p = plan()
    activity(p)
    c = _login(client, "vn-chair")
    assert c.post(reverse("workplans:workplan_submit", args=[p.pk])).status_code == 302
    assert reverse("workplans:workplan_approve", args=[p.pk]) not in c.get(
        p.get_absolute_url()).content.decode()
    assert c.post(reverse("workplans:workplan_approve", args=[p.pk])).status_code == 403
    unct = _login(client, "vn-unct")
    assert reverse("workplans:workplan_approve", args=[p.pk]) in unct.get(
        p.get_absolute_url()).content.decode()
    assert unct.post(reverse("workplans:workplan_approve", args=[p.pk])).status_code == 302
    assert WorkPlan.objects.get(pk=p.pk).status == "approved"


def test_g9_an_outsider_gets_404_for_a_plan_and_its_steps(client):
    p = plan()
    c = _login(client, "sn-staff")
    assert c.get(p.get_absolute_url()).status_code == 404
    assert c.post(reverse("workplans:workplan_submit", args=[p.pk])).status_code == 404


def test_g9_progress_over_100_on_the_page_gets_a_message_and_changes_nothing(client):
    p = plan()
    a = activity(p)
    approved(p)
    response = _login(client, "vn-me").post(reverse("workplans:progressupdate_add"), {
        "activity": a.pk, "quarter": 1, "status": "in_progress", "progress": 150,
        "spent": "0"})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    a.refresh_from_db()
    assert (a.progress, a.updates.count()) == (0, 0)


def test_g9_an_activity_ending_before_it_starts_on_the_page_changes_nothing(client):
    p = plan()
    response = _login(client, "vn-chair").post(reverse("workplans:planactivity_add"), {
        "plan": p.pk, "name": "Backwards", "owner_agency": user("vn-chair").agency_id,
        "starts_on": f"{p.year}-05-10", "ends_on": f"{p.year}-05-01", "budget": "10",
        "funding_source": "donor"})
    assert response.status_code == 400
    assert "cannot end before it starts" in response.content.decode()
    assert not p.activities.exists()


def test_g9_an_activity_indicator_needs_a_target_on_the_page(client):
    a = activity(plan())
    url = reverse("workplans:indicator_add", args=[a.pk])
    response = _login(client, "vn-chair").post(url, {"name": "Rate", "unit": "percent",
                                                     "direction": "increase"})
    assert response.status_code == 400 and "needs a target" in response.content.decode()
    assert _login(client, "vn-member").get(url).status_code == 403


# --- the annual report ---------------------------------------------------------------------


def _year_with_a_meeting():
    """A plan, a meeting with final minutes and a decision, in a year nothing else uses."""
    year = free_year()
    p = plan(year=year)
    done = activity(p, name="Joint tender", budget="1000")
    running = activity(p, name="Roster update", budget="2000", ends=(12, 31))
    actions.activity_indicator_add(plan_activity=done, by=user("vn-chair"), name="Bidders",
                                   unit="count", direction="increase", target=D(3))
    approved(p)
    report(done, quarter=2, status="done", progress=100, spent="1100")
    report(running, quarter=2, progress=20, spent="300")
    omt = vn_omt()
    start = datetime(year, 3, 12, 9, 0, tzinfo=datetime.now().astimezone().tzinfo)
    meeting = Meeting.objects.create(
        country=omt.country, omt=omt, title="March OMT", starts_at=start,
        ends_at=start + timedelta(hours=2), status="held",
        agenda_sent_at=start - timedelta(days=6), agenda_late=False)
    minutes = Minutes.objects.create(country=omt.country, meeting=meeting, status="shared",
                                     circulated_at=start + timedelta(days=9),
                                     circulated_late=True)
    MinutesItem.objects.create(country=omt.country, minutes=minutes, position=1,
                               title="Fuel LTA", decisions="Extend the LTA by a year.")
    return year, p


def test_g9_the_annual_report_counts_the_years_governance_plan_and_budget(client):
    year, p = _year_with_a_meeting()
    data = reports.annual_report(viet_nam(), year=year, today=date(year + 1, 2, 1))
    g = data.governance
    assert (len(g.meetings), g.agendas_on_time, g.agendas_late) == (1, 1, 0)
    assert (g.minutes_on_time, g.minutes_late, len(g.decisions)) == (0, 1, 1)
    assert (data.activities_done, data.budget, data.spent) == (1, D("3000.00"),
                                                               D("1400.00"))
    page = _login(client, "vn-member").get(
        reverse("workplans:annual_report") + f"?year={year}").content.decode()
    assert "Extend the LTA by a year." in page and "Joint tender" in page
    assert "1,400.00" in page and "3,000.00" in page


def test_g9_the_annual_report_pdf_and_xlsx_hold_the_pages_figures(client):
    year, _p = _year_with_a_meeting()
    c = _login(client, "vn-chair")
    pdf = c.get(reverse("workplans:annual_report_pdf") + f"?year={year}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert f"OMT annual activity report {year}" in text
    for figure in ("Joint tender", "Roster update", "1,400.00", "3,000.00",
                   "Extend the LTA by a year."):
        assert figure in text
    xlsx = c.get(reverse("workplans:annual_report_xlsx") + f"?year={year}")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Governance", "Decisions", "Activities", "Indicators",
                               "Budget", "BOS KPIs"]
    activities = list(book["Activities"].iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in activities} == {"Joint tender", "Roster update"}
    assert sum(row[8] for row in activities) == 1400


def test_g9_exports_need_the_export_right(client):
    c = _login(client, "vn-staff")
    assert c.get(reverse("workplans:annual_report_pdf") + "?year=2025").status_code == 403
    assert c.get(reverse("workplans:annual_report_xlsx") + "?year=2025").status_code == 403


def test_g9_the_annual_report_page_uses_a_constant_number_of_queries(client):
    year, p = _year_with_a_meeting()
    url = reverse("workplans:annual_report") + f"?year={year}"
    c = _login(client, "vn-chair")
    few = count_queries(c, url)
    for _ in range(3):  # the plan is approved: rows added directly, as a later year would
        p.activities.create(country=p.country, name="More", starts_on=date(year, 1, 1),
                            ends_on=date(year, 2, 1), owner_agency=user("vn-chair").agency)
    assert count_queries(c, url) == few
    assert few <= 40


def test_g9_the_annual_report_api_is_scoped(api):
    year, _p = _year_with_a_meeting()
    url = reverse("omt-annual-report-list") + f"?country={viet_nam().pk}&year={year}"
    answer = api(user("vn-member")).get(url)
    assert answer.status_code == 200
    body = answer.json()
    assert body["governance"]["meetings_held"] == 1
    assert (body["work_plan"]["done"], D(str(body["work_plan"]["spent"]))) == (1, D(1400))
    assert api(user("sn-staff")).get(url).status_code == 404


def test_the_standing_omt_update_for_the_unct_shows_bos_kpi_progress(client):
    page = _login(client, "vn-rc").get(reverse("governance:unct_update",
                                               args=[vn_omt().pk]))
    assert page.status_code == 200
    assert "BOS KPI progress" in page.content.decode()
