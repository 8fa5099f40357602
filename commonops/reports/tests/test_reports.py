"""Management reports as page, PDF and XLSX (those over many countries prepared in the
background, with their progress), the same charts on the page and in the PDF, the
dashboards' CSV/XLSX exports and API, and a country's BOS results as JSON."""

import csv
import io
import json
import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from commonops.core.models import User
from commonops.core.money import format_money
from commonops.core.testing import pdf_text
from commonops.reports import documents, queries, sections
from commonops.reports.models import ReportRun
from commonops.reports.tests import world as test_world
from commonops.reports.tests.world import YEAR

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def w(db):
    return test_world.build()


@pytest.fixture
def hq(db):
    return User.objects.get(username="hq-analyst")


def test_the_global_report_is_prepared_in_the_background_and_matches_the_page(client, hq,
                                                                              w):
    client.force_login(hq)
    page = client.get(reverse("reports:global_report") + f"?year={YEAR}")
    assert page.status_code == 200
    html = page.content.decode()
    total = re.search(r'id="total-realised">([^<]+)<', html).group(1)
    response = client.post(reverse("reports:run_start"), {"kind": "global", "year": YEAR})
    run = ReportRun.objects.get(requested_by=hq)
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    # the tests' task backend runs it at once; a worker would fill in the same fields
    assert (run.status, run.progress) == ("done", 100)
    status = client.get(run.get_absolute_url()).content.decode()
    assert reverse("reports:run_pdf", args=[run.pk]) in status
    assert "hx-trigger" not in status  # finished: the page stops polling
    pdf = client.get(reverse("reports:run_pdf", args=[run.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    words = pdf_text(pdf.content)
    assert total in words and w.xa.name in words
    book = load_workbook(io.BytesIO(client.get(reverse("reports:run_xlsx",
                                                       args=[run.pk])).content))
    countries = [row for row in book.worksheets[1].iter_rows(values_only=True)]
    assert countries[-1][1] == "Total"
    o = queries.overview(queries.comparable_countries(hq), year=YEAR)
    assert format_money(countries[-1][8]) == format_money(o.totals.realised) == total


def test_a_run_still_being_prepared_polls_and_works_without_javascript(client, hq):
    run = ReportRun.objects.create(requested_by=hq, kind="global", year=YEAR, progress=40,
                                   status="running", step="Writing the PDF")
    client.force_login(hq)
    html = client.get(run.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in html
    assert 'value="40"' in html and "Writing the PDF" in html
    partial = client.get(run.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="run-status"')
    assert reverse("reports:run_pdf", args=[run.pk]) not in partial
    assert client.get(reverse("reports:run_pdf", args=[run.pk])).status_code == 404


def test_a_prepared_report_is_its_requesters_alone(client, hq):
    run = ReportRun.objects.create(requested_by=hq, kind="global", year=YEAR,
                                   status="done", pdf=b"%PDF-", xlsx=b"PK")
    client.force_login(User.objects.get(username="auditor"))
    assert client.get(run.get_absolute_url()).status_code == 404
    assert client.get(reverse("reports:run_pdf", args=[run.pk])).status_code == 404


def test_nobody_prepares_a_report_they_may_not_read(client, w):
    client.force_login(User.objects.get(username="ap-focal"))
    for data in ({"kind": "global", "year": YEAR},
                 {"kind": "region", "year": YEAR, "region": w.region.pk}):
        assert client.post(reverse("reports:run_start"), data).status_code == 404
    assert not ReportRun.objects.exists()


def test_a_failing_report_says_so(client, hq, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(documents, "render_pdf", broken)
    client.force_login(hq)
    client.post(reverse("reports:run_start"), {"kind": "global", "year": YEAR})
    run = ReportRun.objects.get(requested_by=hq)
    assert run.status == "failed" and "disk full" in run.error
    assert "could not be prepared" in client.get(run.get_absolute_url()).content.decode()


def test_the_api_prepares_a_report_and_follows_it(api, hq, w):
    client = api(hq)
    response = client.post("/api/reports/prepared/", {"kind": "region", "year": YEAR,
                                                      "region": w.region.pk}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "done" and body["pdf_url"].endswith("report.pdf")
    assert client.get(f"/api/reports/prepared/{body['id']}/").json()["progress"] == 100


def test_the_country_annual_report_as_pdf_and_xlsx_agree_with_the_page(client, hq, w):
    client.force_login(hq)
    url = reverse("reports:country_report", args=[w.xa.pk])
    html = client.get(url + f"?year={YEAR}").content.decode()
    realised = re.search(r'id="total-realised">([^<]+)<', html).group(1)
    pdf = client.get(url + f"?year={YEAR}&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert realised in pdf_text(pdf.content)
    book = load_workbook(io.BytesIO(client.get(url + f"?year={YEAR}&format=xlsx").content))
    lines = list(book.worksheets[2].iter_rows(values_only=True))  # by service line
    assert format_money(lines[-1][2]) == realised


def _page_charts(html: str) -> list[tuple[str, list[str], list[str]]]:
    """Each chart of a page: its caption, its legend, and the words drawn in it (category
    names, values, axis labels), in drawing order."""
    found = []
    for figure in re.findall(r'<figure class="chart .*?</figure>', html, re.S):
        tree = ElementTree.fromstring(figure)
        caption = "".join(tree.find("figcaption").itertext())
        legend = ["".join(li.itertext()) for li in tree.iter("li")]
        drawn = ["".join(t.itertext()) for t in tree.iter(f"{SVG}text")]
        found.append((caption, legend, drawn))
    return found


def test_the_pdf_draws_the_same_charts_as_the_page(client, hq, w):
    """Page and PDF draw each section's one chart: same title and unit, same legend, same
    categories and values (and axis labels) in the same order."""
    client.force_login(hq)
    url = reverse("reports:country_report", args=[w.xa.pk])
    charts = _page_charts(client.get(url + f"?year={YEAR}").content.decode())
    d = queries.country_dashboard(w.xa, year=YEAR)
    assert len(charts) == len([x for x in sections.country_sections(d, bos_by_year={})
                               if x.chart is not None])
    words = pdf_text(client.get(url + f"?year={YEAR}&format=pdf").content)
    for caption, legend, drawn in charts:
        assert any(n not in ("0", "–") for n in drawn), caption  # the world's figures
        assert " ".join([caption, *legend, *drawn]) in words, caption


def test_many_country_teams_get_horizontal_bars_under_their_full_names(hq, w):
    o = queries.overview(queries.comparable_countries(hq), year=YEAR, region=w.region)
    chart = sections.countries_section(o).chart
    assert chart.kind == "bar" and chart.unit == "USD"
    assert chart.labels == [r.country.name for r in o.rows]
    assert [str(v) for v in chart.series[1].values] == [str(r.realised) for r in o.rows]
    savings = sections.overview_sections(o, hq=False)[-2].chart
    assert savings.kind == "bar"
    assert f"UNDP — {w.agencies['UNDP'].name}" in savings.labels


def test_every_section_has_a_titled_chart_beside_its_table(client, hq, w):
    d = queries.country_dashboard(w.xa, year=YEAR)
    for section in sections.country_sections(d, bos_by_year={}):
        assert section.table.headers and section.title
        if section.chart is not None:
            assert section.chart.title
            html = str(section.chart)
            assert "<title id=" in html and 'class="chart-figures"' in html


def test_every_dashboard_table_downloads_as_csv_and_all_as_xlsx(client, hq, w):
    client.force_login(hq)
    for url in (reverse("reports:country", args=[w.xa.pk]),
                reverse("reports:region", args=[w.region.pk]), reverse("reports:hq"),
                reverse("reports:agency", args=[w.agencies["UNDP"].pk])):
        html = client.get(url + f"?year={YEAR}").content.decode()
        keys = set(re.findall(r"export=csv&amp;table=([\w-]+)", html))
        assert keys, url
        for key in keys:
            response = client.get(url + f"?year={YEAR}&export=csv&table={key}")
            assert response.status_code == 200 and "text/csv" in response["Content-Type"]
            rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
            assert rows[0]
        book = load_workbook(io.BytesIO(client.get(url + f"?year={YEAR}&export=xlsx")
                                        .content))
        assert len(book.worksheets) == len(keys) + 1


def test_the_api_gives_the_numbers_of_the_pages(api, hq, w):
    client = api(hq)
    country = client.get(f"/api/reports/countries/{w.xa.pk}/?year={YEAR}").json()
    d = queries.country_dashboard(w.xa, year=YEAR)
    assert country["cost_avoidance"]["realised"] == str(d.realised)
    assert country["cost_avoidance"]["estimated"] == str(d.estimated)
    assert country["omt"]["meetings_per_month"] == d.omt.meetings_per_month
    assert country["service_desk"]["resolved"] == d.desk.resolved
    assert country["savings"]["savings_rate"] == str(d.savings_totals.savings_rate)
    region = client.get(f"/api/reports/regions/{w.region.pk}/?year={YEAR}").json()
    o = queries.overview(queries.comparable_countries(hq), year=YEAR, region=w.region)
    assert region["totals"]["realised_cost_avoidance"] == str(o.totals.realised)
    assert {r["iso_code"]: r["estimated_cost_avoidance"] for r in region["countries"]} == {
        r.country.iso_code: str(r.estimated) for r in o.rows}
    assert region["expansion"][-1]["countries"] == o.this_year.expansion.countries
    hq_data = client.get(f"/api/reports/hq/?year={YEAR}").json()
    everything = queries.overview(queries.comparable_countries(hq), year=YEAR)
    assert hq_data["totals"]["realised_cost_avoidance"] == str(everything.totals.realised)
    assert hq_data["savings_target"] == "10"


def test_a_countrys_bos_results_as_json(client, hq, w):
    client.force_login(hq)
    response = client.get(reverse("reports:country_bos_results", args=[w.xa.pk]))
    data = json.loads(response.content)
    assert response["Content-Type"] == "application/json"
    assert data["country"] == w.xa.iso_code
    bos = next(b for b in data["strategies"] if b["start_year"] == 2022)
    service = next(s for s in bos["services"] if s["name"] == "Shared ICT desk")
    year = next(y for y in service["cost_avoidance"] if y["year"] == YEAR)
    assert year == {"year": YEAR, "counted": True, "estimated": "900.25",
                    "realised": "750.50"}
    assert service["kpis"][0]["actuals"] == {str(YEAR): "85.00"}
    assert "Not chosen" not in [s["name"] for s in bos["services"]]


def test_the_schema_describes_the_performance_endpoints_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, "schema generation warned"
    for path in ("/api/reports/countries/{id}/", "/api/reports/countries/{id}/bos-results/",
                 "/api/reports/regions/{id}/", "/api/reports/hq/",
                 "/api/reports/agencies/{id}/", "/api/reports/admin-budgets/",
                 "/api/reports/subscriptions/", "/api/reports/prepared/"):
        assert path in schema["paths"], path
