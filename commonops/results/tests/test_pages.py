"""The indicator page, the entry forms' bad input, filtering and the API's extras."""

from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonops.core.models import Agency, AuditEntry, User
from commonops.results import actions, queries
from commonops.results.models import Indicator, Measurement, Target

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def me(db):
    return User.objects.get(username="vn-me")


@pytest.fixture
def kpi(me, viet_nam):
    return actions.indicator_create(by=me, data={
        "country": viet_nam, "name": "Satisfaction with cleaning (test)", "code": "ADM-Q1",
        "unit": "percent", "kind": "quality", "baseline": D(60), "baseline_year": 2023,
        "means_of_verification": "Annual client survey", "subject": viet_nam})


def _periods(kpi, me, years):
    for year in years:
        actions.target_create(by=me, data={"indicator": kpi, "year": year, "value": D(80)})
        actions.measurement_create(by=me, data={
            "indicator": kpi, "year": year, "value": D(55 + year % 10 * 5)})


def test_the_indicator_page_shows_definition_periods_status_and_chart(client, me, kpi):
    _periods(kpi, me, [2024, 2025])
    actions.target_create(by=me, data={
        "indicator": kpi, "year": 2026, "value": D(85), "condition": "if funded"})
    client.force_login(User.objects.get(username="vn-member"))
    page = client.get(kpi.get_absolute_url()).content.decode()
    assert "Annual client survey" in page and "ADM-Q1" in page
    assert kpi.subject.get_absolute_url() in page  # what it measures, linked
    assert "<svg" in page  # target against actual
    assert "Not met, but progress" in page  # 2024: 75 against a baseline of 60
    assert "Target met" in page  # 2025: 80
    assert "No data" in page  # 2026 has a target only
    assert "only when: if funded" in page
    # a reader gets no entry links
    assert reverse("results:target_add") not in page


def test_the_me_focal_point_gets_the_entry_links(client, me, kpi):
    _periods(kpi, me, [2025])
    client.force_login(me)
    page = client.get(kpi.get_absolute_url()).content.decode()
    assert f"{reverse('results:target_add')}?indicator={kpi.pk}" in page
    assert f"{reverse('results:measurement_add')}?indicator={kpi.pk}" in page
    assert reverse("results:measurement_edit", args=[kpi.measurements.get().pk]) in page


def test_the_indicator_page_uses_constant_queries_whatever_the_periods(client, me, kpi):
    client.force_login(me)
    _periods(kpi, me, [2021])
    with CaptureQueriesContext(connection) as few:
        client.get(kpi.get_absolute_url())
    _periods(kpi, me, [2022, 2023, 2024, 2025])
    with CaptureQueriesContext(connection) as more:
        client.get(kpi.get_absolute_url())
    assert len(few.captured_queries) == len(more.captured_queries) <= 16


def test_the_target_form_is_prefilled_from_the_indicator_page(client, me, kpi):
    client.force_login(me)
    page = client.get(reverse("results:target_add") + f"?indicator={kpi.pk}").content.decode()
    assert f'<option value="{kpi.pk}" selected>' in page


@pytest.mark.parametrize("data, message", [
    ({"value": ""}, "This field is required"),
    ({"month": "3"}, "measured per year"),
    ({"agency": "UNDP"}, "not broken down by agency"),
])
def test_bad_target_input_gets_a_message_and_changes_nothing(client, me, kpi, data, message):
    client.force_login(me)
    form = {"indicator": kpi.pk, "year": 2026, "month": 0, "value": "80", **data}
    if form.get("agency") == "UNDP":
        form["agency"] = Agency.objects.get(acronym="UNDP").pk
    response = client.post(reverse("results:target_add"), form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Target.objects.filter(indicator=kpi).exists()


def test_a_second_actual_for_a_period_is_refused_on_the_page(client, me, kpi):
    actions.measurement_create(by=me, data={"indicator": kpi, "year": 2025, "value": D(70)})
    client.force_login(me)
    response = client.post(reverse("results:measurement_add"),
                           {"indicator": kpi.pk, "year": 2025, "month": 0, "value": "75"})
    assert response.status_code == 400
    assert "already has a measurement for that period" in response.content.decode()
    assert kpi.measurements.get().value == D(70)


def test_the_me_focal_point_records_an_actual_and_sees_it(client, me, kpi):
    client.force_login(me)
    response = client.post(reverse("results:measurement_add"), {
        "indicator": kpi.pk, "year": 2025, "month": 0, "value": "81.5",
        "means_of_verification": "Survey 2025 report"})
    assert response.status_code == 302
    assert response["Location"] == kpi.get_absolute_url()
    measurement = kpi.measurements.get()
    assert measurement.value == D("81.5")
    assert AuditEntry.objects.filter(object_id=str(measurement.pk), action="create",
                                     actor=me).exists()


def test_a_co_chair_without_measure_right_elsewhere_is_refused(client, kpi):
    client.force_login(User.objects.get(username="jo-chair"))
    response = client.post(reverse("results:measurement_add"),
                           {"indicator": kpi.pk, "year": 2025, "month": 0, "value": "1"})
    assert response.status_code in (400, 403)
    assert not kpi.measurements.exists()


def test_the_list_filters_by_kind_unit_and_text_and_answers_htmx_with_the_table(client, me,
                                                                               kpi):
    actions.indicator_create(by=me, data={
        "country": kpi.country, "name": "Cost avoided on fuel (test)", "unit": "usd",
        "kind": "cost_avoidance"})
    client.force_login(me)
    url = reverse("results:indicator_list")
    page = client.get(url, {"kind": "quality", "unit": "percent", "q": "cleaning"})
    body = page.content.decode()
    assert kpi.get_absolute_url() in body and "Cost avoided on fuel" not in body
    partial = client.get(url, {"q": "fuel"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Cost avoided on fuel" in partial and "<html" not in partial
    csv = client.get(url, {"q": "cleaning", "export": "csv"}).content.decode()
    assert "Satisfaction with cleaning (test)" in csv


def test_the_summary_table_include_shows_status_with_text(me, kpi):
    _periods(kpi, me, [2025])
    html = render_to_string("results/_indicator_table.html", {
        "summaries": queries.indicator_summaries([kpi], year=2025)})
    assert kpi.get_absolute_url() in html
    assert 'class="state ok">Target met' in html
    assert "<td>%</td>" in html and "<td>60</td>" in html


def test_api_summary_gives_the_status_of_a_period(api, me, kpi):
    _periods(kpi, me, [2024])
    client = api(User.objects.get(username="vn-member"))
    url = reverse("indicator-summary", args=[kpi.pk])
    body = client.get(url, {"year": 2024}).json()
    assert (body["target"], body["actual"], body["status"]) == ("80.00", "75.00", "progress")
    assert client.get(url, {"year": "soon"}).status_code == 400
    assert api(User.objects.get(username="sn-staff")).get(url, {"year": 2024}).status_code \
        == 404


def test_api_refuses_a_duplicate_period_and_a_month_on_a_yearly_indicator(api, me, kpi):
    client = api(me)
    url = reverse("target-list")
    assert client.post(url, {"indicator": kpi.pk, "year": 2026, "value": "80"},
                       format="json").status_code == 201
    duplicate = client.post(url, {"indicator": kpi.pk, "year": 2026, "value": "90"},
                            format="json")
    assert duplicate.status_code == 400
    assert "already has a target" in str(duplicate.json()["error"])
    monthly = client.post(url, {"indicator": kpi.pk, "year": 2027, "month": 2, "value": "9"},
                          format="json")
    assert monthly.status_code == 400
    assert "month" in monthly.json()["error"]["fields"]
    assert kpi.targets.get().value == D(80)


def test_api_keeps_an_indicator_in_its_country(api, me, kpi, jordan):
    response = api(me).patch(reverse("indicator-detail", args=[kpi.pk]),
                             {"country": jordan.pk}, format="json")
    assert response.status_code == 400
    assert Indicator.objects.get(pk=kpi.pk).country_id == kpi.country_id


def test_api_filters_measurements_by_indicator(api, me, kpi):
    _periods(kpi, me, [2024, 2025])
    rows = api(me).get(reverse("measurement-list"), {"indicator": kpi.pk}).json()["results"]
    assert sorted(row["year"] for row in rows) == [2024, 2025]
    assert {row["indicator"] for row in rows} == {kpi.pk}
    assert Measurement.objects.filter(indicator=kpi).count() == 2


def test_c2_a_conditional_target_that_does_not_hold_is_not_applicable_everywhere(
        client, api, me, kpi):
    """C2: "at least 20% … when there are 4 or more recruitments": with three recruitments
    the target does not apply; the indicator page, the shared table and the API say so."""
    actions.target_create(by=me, data={"indicator": kpi, "year": 2025, "value": D(20),
                                       "min_cases": 4,
                                       "condition": "at least 4 recruitments"})
    actions.measurement_create(by=me, data={"indicator": kpi, "year": 2025, "value": D(0),
                                            "cases": 3})
    actions.target_create(by=me, data={"indicator": kpi, "year": 2024, "value": D(80),
                                       "condition": "if funded"})
    actions.measurement_create(by=me, data={"indicator": kpi, "year": 2024, "value": D(50),
                                            "condition_met": False})
    summary = queries.indicator_summaries([kpi], year=2025)[0]
    assert (summary.status, summary.status_label) == ("not_applicable", "Not applicable")
    assert queries.indicator_summaries([kpi], year=2024)[0].status == "not_applicable"
    client.force_login(User.objects.get(username="vn-member"))
    page = client.get(kpi.get_absolute_url()).content.decode()
    assert page.count('class="state na">Not applicable') == 2
    assert "applies from 4 cases" in page and "3 cases" in page
    table = render_to_string("results/_indicator_table.html", {"summaries": [summary]})
    assert "Not applicable" in table
    answer = api(me).get(reverse("indicator-summary", args=[kpi.pk]) + "?year=2025").json()
    assert answer["status"] == "not_applicable"
    # with a fourth recruitment the target applies, and 0% does not meet it
    actions.measurement_record(indicator=kpi, year=2025, value=D(0), cases=4, by=me)
    assert queries.indicator_summaries([kpi], year=2025)[0].status == "not_met"
