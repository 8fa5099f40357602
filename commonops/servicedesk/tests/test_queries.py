"""KPIs in SQL (T6) and the usage key for cost sharing (S1): checked against the same
figures computed in Python from the rows."""

import statistics
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonops.core.models import Country
from commonops.servicedesk import queries, rollups
from commonops.servicedesk.models import Rating, Ticket
from commonops.surveys.rules import satisfaction_rate

from .conftest import HISTORY_YEARS

pytestmark = pytest.mark.django_db


def _year_of_demo():
    vn = Country.objects.get(iso_code="VN")
    latest = Ticket.objects.filter(country=vn).latest("opened_at").opened_at
    return vn, latest.astimezone(ZoneInfo(vn.time_zone)).year


def test_ticket_volume_by_agency_counts_the_years_tickets_in_one_query():
    vn, year = _year_of_demo()
    with CaptureQueriesContext(connection) as ctx:
        volume = queries.ticket_volume_by_agency(country=vn, year=year)
    assert len(ctx.captured_queries) == 1
    expected = {}
    for agency_id in Ticket.objects.filter(country=vn, opened_at__year=year).values_list(
            "agency_id", flat=True):
        expected[agency_id] = expected.get(agency_id, 0) + 1
    assert volume == expected
    assert len(volume) >= 10  # the demo spreads tickets over the resident agencies


def test_the_demo_desk_answers_most_tickets_on_time():
    vn, year = _year_of_demo()
    row = queries.kpis(country=vn, year=year)[0]
    assert 75 <= row.first_response_compliance <= 98
    assert 70 <= row.resolution_compliance <= 95


def test_kpis_match_a_computation_in_python():
    vn, year = _year_of_demo()
    tz = ZoneInfo(vn.time_zone)
    month = 3
    start, end = datetime(year, month, 1, tzinfo=tz), datetime(year, month + 1, 1, tzinfo=tz)
    row = queries.kpis(country=vn, year=year, month=month)[0]
    resolved = list(Ticket.objects.filter(country=vn, resolved_at__gte=start,
                                          resolved_at__lt=end))
    assert row.resolved == len(resolved)
    hours = sorted(t.business_hours_to_resolve for t in resolved
                   if t.business_hours_to_resolve is not None)
    if hours:
        assert row.median_hours == statistics.median_low(hours)
    on_time = sum(1 for t in resolved if t.resolution_met)
    measured = sum(1 for t in resolved if t.resolution_met is not None)
    if measured:
        assert float(row.resolution_compliance) == pytest.approx(100 * on_time / measured,
                                                                 abs=0.05)
    scores = Rating.objects.filter(country=vn, rated_at__gte=start,
                                   rated_at__lt=end).values_list("score", flat=True)
    assert row.satisfaction == satisfaction_rate(scores)


def test_breakdowns_add_up_to_the_total():
    vn, year = _year_of_demo()
    total = queries.kpis(country=vn, year=year)[0]
    for dimension in queries.DIMENSIONS:
        rows = queries.kpis(country=vn, year=year, dimension=dimension)
        assert sum(r.opened for r in rows) == total.opened
        assert sum(r.resolved for r in rows) == total.resolved


def test_the_monthly_series_uses_a_fixed_number_of_queries():
    vn, year = _year_of_demo()
    with CaptureQueriesContext(connection) as ctx:
        series, total = queries.monthly_series(country=vn, year=year)
    assert len(series) == 12
    # the roll-ups by month, then the whole-hour histogram and the exact values of the
    # hours that hold the medians
    assert len(ctx.captured_queries) == 3
    direct = queries.kpis(country=vn, year=year)[0]
    assert (total.opened, total.resolved, total.resolution_compliance, total.median_hours,
            total.satisfaction, total.reopen_rate) == (
        direct.opened, direct.resolved, direct.resolution_compliance, direct.median_hours,
        direct.satisfaction, direct.reopen_rate)


def _median_low(tickets):
    hours = [h for h in tickets.values_list("business_hours_to_resolve", flat=True)
             if h is not None]
    return statistics.median_low(hours) if hours else None


def _series_from_tickets(vn, year):
    """The dashboard's figures computed from the ticket rows: months by ExtractMonth in the
    country's time zone, each month's lower median from its sorted hours."""
    from django.db.models import Count, Q
    from django.db.models.functions import ExtractMonth

    from commonops.servicedesk import rules

    tz = ZoneInfo(vn.time_zone)
    start, end = queries._month_bounds(vn, year)
    base = Ticket.objects.filter(country=vn).order_by()
    months = {m: {"month": m, "opened": 0, "resolved": 0, "first": None, "resolution": None,
                  "median": None, "reopen": None, "satisfaction": None} for m in range(1, 13)}
    for row in (base.filter(opened_at__gte=start, opened_at__lt=end)
                .annotate(m=ExtractMonth("opened_at", tzinfo=tz)).values("m")
                .annotate(n=Count("id"))):
        months[row["m"]]["opened"] = row["n"]
    for row in (base.filter(resolved_at__gte=start, resolved_at__lt=end)
                .annotate(m=ExtractMonth("resolved_at", tzinfo=tz)).values("m")
                .annotate(resolved=Count("id"),
                          first_on_time=Count("id", filter=Q(first_response_met=True)),
                          first_measured=Count("id",
                                               filter=Q(first_response_met__isnull=False)),
                          on_time=Count("id", filter=Q(resolution_met=True)),
                          measured=Count("id", filter=Q(resolution_met__isnull=False)),
                          reopened=Count("id", filter=Q(reopen_count__gt=0)))):
        month = months[row["m"]]
        month["resolved"] = row["resolved"]
        month["first"] = rules.share(row["first_on_time"], row["first_measured"])
        month["resolution"] = rules.share(row["on_time"], row["measured"])
        month["reopen"] = rules.share(row["reopened"], row["resolved"])
    for m in range(1, 13):
        s, e = queries._month_bounds(vn, year, m)
        months[m]["median"] = _median_low(base.filter(resolved_at__gte=s, resolved_at__lt=e))
        scores = Rating.objects.filter(country=vn, rated_at__gte=s,
                                       rated_at__lt=e).values_list("score", flat=True)
        months[m]["satisfaction"] = satisfaction_rate(scores)
    year_median = _median_low(base.filter(resolved_at__gte=start, resolved_at__lt=end))
    return [months[m] for m in range(1, 13)], year_median


@pytest.mark.parametrize("years_back", [0, 1])
def test_the_monthly_series_from_the_roll_ups_equals_the_figures_of_the_tickets_on_the_demo(
        years_back):
    vn, year = _year_of_demo()
    year -= years_back
    expected, year_median = _series_from_tickets(vn, year)
    series, total = queries.monthly_series(country=vn, year=year)
    assert series == expected
    assert total.median_hours == year_median


@pytest.mark.parametrize("year", HISTORY_YEARS)
def test_the_monthly_series_from_the_roll_ups_equals_the_figures_of_the_tickets(desk_history,
                                                                                 year):
    vn = Country.objects.get(iso_code="VN")
    expected, year_median = _series_from_tickets(vn, year)
    series, total = queries.monthly_series(country=vn, year=year)
    assert any(m["resolved"] for m in series)
    assert series == expected
    assert total.median_hours == year_median


def test_the_demo_roll_ups_agree_with_its_tickets():
    vn, _year = _year_of_demo()
    assert rollups.differences(vn) == []
