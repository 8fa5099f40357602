"""Every figure of the country, regional, HQ and agency pages against a direct computation
from the rows (plain Python over the rows, not the SQL the pages use); H1 and H2 through
the contract functions of reports.rules. The rows are built here (tests/world.py)."""

import re
from collections import Counter, defaultdict
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from commonops.bos.models import AnnualResult, CbaEntry
from commonops.commonservices.models import BudgetLine, CommonService, Expenditure
from commonops.core.models import Country
from commonops.core.money import format_money
from commonops.core.testing import count_queries
from commonops.reports import queries, rules
from commonops.reports.models import AdminBudget
from commonops.reports.tests import world as test_world
from commonops.reports.tests.world import YEAR

pytestmark = pytest.mark.django_db
ZERO = Decimal("0.00")


@pytest.fixture
def w(db):
    return test_world.build()


# --- the figures, computed directly from the rows -----------------------------------------------


def counted(year, start):
    """B7: the first four years of joint implementation."""
    return start is not None and start <= year <= start + 3


def estimated(country, year, line=None):
    total = ZERO
    for e in CbaEntry.objects.filter(country=country).select_related("opportunity"):
        o = e.opportunity
        if not (o.selected and counted(year, o.implementation_start)):
            continue
        if line is not None and o.service_line != line:
            continue
        if e.year == year - o.implementation_start + 1:
            total += e.amount if e.side == "benefit" else -e.amount
    return total


def realised_rows(country, year):
    return [r for r in AnnualResult.objects.filter(country=country, year=year)
            .select_related("opportunity")
            if r.opportunity.selected and counted(year, r.opportunity.implementation_start)]


def baselines(country, year):
    return {b.agency_id: b.amount for b in AdminBudget.objects.filter(country=country,
                                                                      year=year)}


def realised(country, year, line=None):
    return sum((r.realised_cost_avoidance for r in realised_rows(country, year)
                if line is None or r.opportunity.service_line == line), ZERO)


def realised_with_baseline(country, year):
    have = baselines(country, year)
    return sum((r.realised_cost_avoidance for r in realised_rows(country, year)
                if r.agency_id in have), ZERO)


def catalogue(country, year):
    return sum(1 for s in CommonService.objects.filter(country=country)
               if s.status == "active" and (s.start_date is None or s.start_date.year <= year))


def launches(countries, first, last):
    return [(s.country.iso_code, s.start_date.year)
            for s in CommonService.objects.filter(country__in=countries).select_related(
                "country")
            if s.status in ("active", "discontinued") and s.start_date
            and first <= s.start_date.year <= last]


def desk(country, year):
    from commonops.servicedesk.models import Ticket

    tz = ZoneInfo(country.time_zone)
    start, end = datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
    tickets = [t for t in Ticket.objects.filter(country=country)
               if t.resolved_at and start <= t.resolved_at < end]
    return (len(tickets), sum(1 for t in tickets if t.resolution_met),
            sum(1 for t in tickets if t.resolution_met is not None))


def text_of(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}">([^<]*)<', page)
    assert found, element_id
    return found.group(1)


# --- the country dashboard ----------------------------------------------------------------------


def test_country_dashboard_figures_equal_a_direct_computation(w, client, hq_analyst):
    from commonops.governance import rules as governance_rules
    from commonops.results import rules as results_rules
    from commonops.servicedesk.models import Ticket

    country = w.xa
    d = queries.country_dashboard(country, year=YEAR)
    # cost avoidance by year and by service line (B4, B7)
    for row in d.years:
        assert (row.estimated, row.realised) == (estimated(country, row.key),
                                                 realised(country, row.key)), row.key
    assert [r.key for r in d.years] == list(range(YEAR - 4, YEAR + 1))
    for line in d.lines:
        assert line.estimated == estimated(country, YEAR, line.key)
        assert line.realised == realised(country, YEAR, line.key)
    assert d.estimated == estimated(country, YEAR) == Decimal("900.25")
    assert d.realised == realised(country, YEAR)
    # the catalogue and H1's launches
    assert d.catalogue == catalogue(country, YEAR)
    assert d.new_services == sum(1 for c, y in launches([country], YEAR, YEAR) if y == YEAR)
    assert d.expansion_met == (d.new_services >= 3)
    # budget execution (S3)
    budget = sum((b.amount for b in BudgetLine.objects.filter(country=country, year=YEAR)),
                 ZERO)
    spent = sum((e.amount_usd for e in Expenditure.objects.filter(country=country,
                                                                  year=YEAR)), ZERO)
    assert (d.budget, d.expenditure) == (budget, spent)
    assert d.execution == rules.percent(spent, budget)
    # the service desk (T6)
    tz = ZoneInfo(country.time_zone)
    opened = sum(1 for t in Ticket.objects.filter(country=country)
                 if t.opened_at.astimezone(tz).year == YEAR)
    resolved, on_time, measured = desk(country, YEAR)
    assert (d.desk.opened, d.desk.resolved) == (opened, resolved)
    assert d.desk.resolution_compliance == rules.percent(on_time, measured)
    assert d.backlog == sum(1 for t in Ticket.objects.filter(country=country)
                            if t.status in ("new", "assigned", "in_progress", "waiting",
                                            "reopened"))
    # OMT health (G3–G6)
    held = [(m, late, present, m_late) for m, late, present, m_late in w.meetings
            if m.status == "held" and m.starts_at.year == YEAR]
    months = Counter(m.starts_at.month for m, *_rest in held)
    assert d.omt.meetings_per_month == [months.get(n, 0) for n in range(1, 13)]
    in_year = [x for x in w.meetings if x[0].starts_at.year == YEAR
               and x[0].status != "cancelled"]
    assert d.omt.agendas_sent == sum(1 for _m, late, *_r in in_year if late is not None)
    assert d.omt.agendas_on_time == sum(1 for _m, late, *_r in in_year if late is False)
    assert d.omt.quorate == sum(1 for _m, _l, present, _ml in held
                                if governance_rules.has_quorum(w.members, len(present)))
    circulated = [ml for m, _l, _p, ml in w.meetings
                  if m.starts_at.year == YEAR and ml is not None]
    assert d.omt.minutes_circulated == len(circulated)
    assert d.omt.minutes_on_time == circulated.count(False)
    today = country.today()
    assert d.omt.overdue_actions == sum(1 for a in w.actions
                                        if a.status == "open" and a.due_on < today)
    # KPI status by area (B6), through the results engine's rule
    expected = defaultdict(Counter)
    for i in w.indicators:
        targets = {t.month: t.value for t in i.targets.filter(year=YEAR)}
        actuals = {m.month: m.value for m in i.measurements.filter(year=YEAR)}
        month = max(actuals, default=12) if i.frequency == "monthly" else 0
        if month not in targets and month not in actuals:
            continue
        status = results_rules.kpi_status(direction=i.direction, target=targets.get(month),
                                          actual=actuals.get(month), baseline=i.baseline)
        area = i.subject_type.app_label if i.subject_type else (
            "servicedesk" if i.code.startswith("SD-") else "other")
        expected[area][status] += 1
    got = {a.key: Counter({s: getattr(a, s) for s in ("met", "progress", "not_met",
                                                      "no_data") if getattr(a, s)})
           for a in d.kpis}
    assert got == expected
    # H2 per agency, through the contract
    have = baselines(country, YEAR)
    for a in d.savings:
        rows = [r for r in realised_rows(country, YEAR) if r.agency_id == a.agency.pk]
        total = sum((r.realised_cost_avoidance for r in rows), ZERO)
        assert a.realised == total
        assert a.baseline == have.get(a.agency.pk)
        assert a.rate == rules.savings_rate(total if a.agency.pk in have else ZERO,
                                            have.get(a.agency.pk))
    assert d.savings_totals.savings_rate == rules.savings_rate(
        realised_with_baseline(country, YEAR), sum(have.values(), ZERO))

    # ... and the page shows the same figures
    client.force_login(hq_analyst)
    page = client.get(reverse("reports:country", args=[country.pk]) + f"?year={YEAR}")
    assert page.status_code == 200
    html = page.content.decode()
    for element_id, value in [
            ("total-estimated", format_money(d.estimated)),
            ("total-realised", format_money(d.realised)),
            ("catalogue", str(d.catalogue)), ("new-services", str(d.new_services)),
            ("budget", format_money(budget)), ("expenditure", format_money(spent)),
            ("execution", f"{rules.percent(spent, budget):.1f}%"),
            ("desk-resolved", str(resolved)),
            ("desk-on-time", f"{rules.percent(on_time, measured):.1f}%"),
            ("meetings-held", str(len(held))), ("quorate", str(d.omt.quorate)),
            ("agendas-on-time", str(d.omt.agendas_on_time)),
            ("minutes-on-time", str(d.omt.minutes_on_time)),
            ("overdue-actions", str(d.omt.overdue_actions)),
            ("savings-rate", f"{d.savings_totals.savings_rate:.1f}%")]:
        assert text_of(html, element_id) == value, element_id


def test_every_country_figure_links_to_the_rows_behind_it(w, client, hq_analyst):
    client.force_login(hq_analyst)
    html = client.get(reverse("reports:country", args=[w.xa.pk]) + f"?year={YEAR}").content \
        .decode()
    bos = w.opportunities[0].bos
    for url in (reverse("bos:report", args=[bos.pk]) + f"?year={YEAR}",
                reverse("bos:annualresult_list") + f"?bos={bos.pk}&amp;year={YEAR}",
                reverse("commonservices:budgetline_list") + f"?country={w.xa.pk}&amp;year={YEAR}",
                reverse("commonservices:expenditure_list")
                + f"?country={w.xa.pk}&amp;year={YEAR}",
                reverse("governance:meeting_list") + f"?country={w.xa.pk}&amp;year={YEAR}"
                "&amp;status=held",
                reverse("governance:action_list") + f"?country={w.xa.pk}&amp;state=overdue",
                reverse("results:indicator_list") + f"?country={w.xa.pk}",
                reverse("servicedesk:kpis") + f"?year={YEAR}"):
        assert f'href="{url}"' in html, url
    # each number of a table with rows behind it is a link
    for element_id in ("total-realised", "budget", "expenditure", "meetings-held",
                       "overdue-actions", "desk-resolved"):
        assert re.search(rf'<a href="[^"]+" id="{element_id}">', html), element_id


def test_the_estimated_cost_avoidance_is_the_bos_annual_reports(w):
    from commonops.bos import queries as bos_queries

    for bos in {o.bos for o in w.opportunities}:
        report = bos_queries.annual_report(bos, year=YEAR, current_year=YEAR + 1)
        d = queries.country_dashboard(bos.country, year=YEAR)
        assert d.estimated == report.totals["estimated"]
        assert d.realised == report.totals["realised"]


def test_the_country_dashboard_uses_a_constant_number_of_queries(w, client, hq_analyst):
    client.force_login(hq_analyst)
    url = reverse("reports:country", args=[w.xa.pk]) + f"?year={YEAR}"
    before = count_queries(client, url)
    more = test_world.build()  # another world: more of every row, in other countries
    for row in more.services[:3]:
        row.country = w.xa
        row.name += " (moved)"
        row.save()
    assert count_queries(client, url) == before
    assert before <= 40


# --- regional and HQ pages ------------------------------------------------------------------------


def expected_row(country, year):
    have = baselines(country, year)
    return {
        "catalogue": catalogue(country, year),
        "new_services": sum(1 for _c, y in launches([country], year, year)),
        "estimated": estimated(country, year), "realised": realised(country, year),
        "realised_with_baseline": realised_with_baseline(country, year),
        "baseline": sum(have.values(), ZERO) if have else None,
        "desk": desk(country, year),
    }


def _row_figures(row):
    return {"catalogue": row.catalogue, "new_services": row.new_services,
            "estimated": row.estimated, "realised": row.realised,
            "realised_with_baseline": row.realised_with_baseline, "baseline": row.baseline,
            "desk": (row.resolved, row.resolved_on_time, row.resolution_measured)}


def test_region_page_rows_equal_a_direct_computation(w, client, hq_analyst):
    o = queries.overview(queries.comparable_countries(hq_analyst), year=YEAR,
                         region=w.region)
    assert {r.country for r in o.rows} == {w.xa, w.xb}
    for row in o.rows:
        assert _row_figures(row) == expected_row(row.country, YEAR), row.country
        assert row.savings_rate == rules.savings_rate(row.realised_with_baseline,
                                                      row.baseline)
    # H1 through the contract, per year and cumulatively
    pairs = launches([w.xa, w.xb], YEAR - 4, YEAR)
    for e in o.expansion:
        assert e.expansion == rules.expansion(pairs, e.expansion.year)
    assert o.this_year.expansion.countries == sorted([w.xa.iso_code])  # XB launched two
    assert [e.cumulative for e in o.expansion] == rules.cumulative_expansion(
        [rules.expansion(pairs, y) for y in range(YEAR - 4, YEAR + 1)])
    # H2 per agency through the contract
    for a in o.agencies:
        rows = [r for c in (w.xa, w.xb) for r in realised_rows(c, YEAR)
                if r.agency_id == a.agency.pk]
        with_baseline = [r for r in rows if r.agency_id in baselines(r.country, YEAR)]
        budgets = [b.amount for c in (w.xa, w.xb)
                   for b in AdminBudget.objects.filter(country=c, year=YEAR,
                                                       agency=a.agency)]
        assert a.realised == sum((r.realised_cost_avoidance for r in rows), ZERO)
        assert a.rate == rules.savings_rate(
            sum((r.realised_cost_avoidance for r in with_baseline), ZERO),
            sum(budgets, ZERO) if budgets else None)

    client.force_login(hq_analyst)
    html = client.get(reverse("reports:region", args=[w.region.pk]) + f"?year={YEAR}") \
        .content.decode()
    total = sum((expected_row(c, YEAR)["realised"] for c in (w.xa, w.xb)), ZERO)
    assert text_of(html, "total-realised") == format_money(total)
    assert text_of(html, "expansion-count") == "1"


def test_hq_page_totals_are_the_sums_over_every_country_team(w, client, hq_analyst):
    o = queries.overview(queries.comparable_countries(hq_analyst), year=YEAR)
    countries = list(Country.objects.all())
    assert len(o.rows) == len(countries)
    expected = [expected_row(c, YEAR) for c in countries]
    assert o.totals.realised == sum((e["realised"] for e in expected), ZERO)
    assert o.totals.estimated == sum((e["estimated"] for e in expected), ZERO)
    assert o.totals.catalogue == sum(e["catalogue"] for e in expected)
    assert o.totals.resolved == sum(e["desk"][0] for e in expected)
    for row in o.rows:
        if row.country in (w.xa, w.xb):
            assert _row_figures(row) == expected_row(row.country, YEAR)
    regions = {r.region: r for r in o.regions}
    assert regions[w.region].realised == sum((expected_row(c, YEAR)["realised"]
                                              for c in (w.xa, w.xb)), ZERO)
    all_pairs = launches(countries, YEAR - 4, YEAR)
    assert o.this_year.expansion == rules.expansion(all_pairs, YEAR)
    assert regions[w.region].expansion == rules.expansion(
        [p for p in all_pairs if p[0] in (w.xa.iso_code, w.xb.iso_code)], YEAR)

    client.force_login(hq_analyst)
    html = client.get(reverse("reports:hq") + f"?year={YEAR}").content.decode()
    assert text_of(html, "total-realised") == format_money(o.totals.realised)
    assert text_of(html, "total-estimated") == format_money(o.totals.estimated)


def test_desk_figures_per_country_are_the_desks_own_kpis(w):
    from commonops.servicedesk import queries as desk_queries

    rows = queries.desk_by_country([w.xa, w.xb], YEAR)
    for country in (w.xa, w.xb):
        kpi = desk_queries.kpis(country=country, year=YEAR)[0]
        row = rows[country.pk]
        assert row["resolved"] == kpi.resolved == desk(country, YEAR)[0]
        assert rules.percent(row["on_time"], row["measured"]) == kpi.resolution_compliance


def test_sorting_ranks_by_the_column_highest_first(w, hq_analyst):
    o = queries.overview(queries.comparable_countries(hq_analyst), year=YEAR,
                         region=w.region, sort="realised", descending=True)
    values = [r.realised for r in o.rows]
    assert values == sorted(values, reverse=True)
    assert [r.rank for r in o.rows] == rules.rank(values)
    by_name = queries.overview(queries.comparable_countries(hq_analyst), year=YEAR,
                               region=w.region, sort="name")
    assert [r.country.name for r in by_name.rows] == sorted(r.country.name
                                                            for r in by_name.rows)
    assert all(r.rank is None for r in by_name.rows)


def test_filters_narrow_the_country_teams(w, client, hq_analyst):
    small = queries.overview(queries.comparable_countries(hq_analyst), year=YEAR,
                             region=w.region, typology="small")
    assert [r.country for r in small.rows] == [w.xa]
    drafts = queries.overview(queries.comparable_countries(hq_analyst), year=YEAR,
                              region=w.region, stage="draft")
    assert [r.country for r in drafts.rows] == [w.xb]
    client.force_login(hq_analyst)
    html = client.get(reverse("reports:hq") + f"?year={YEAR}&region={w.region.pk}"
                      "&typology=large").content.decode()
    link = reverse("reports:country", args=[w.xa.pk]) + f"?year={YEAR}"
    assert f'href="{link}">{w.xa.name}<' not in html
    assert f'href="{reverse("reports:country", args=[w.xb.pk])}?year={YEAR}">{w.xb.name}<' \
        in html


def test_comparison_shows_the_chosen_country_teams_side_by_side(w, client, hq_analyst):
    client.force_login(hq_analyst)
    response = client.get(reverse("reports:compare") + f"?year={YEAR}&country={w.xa.pk}"
                          f"&country={w.xb.pk}")
    html = response.content.decode()
    assert response.status_code == 200
    assert w.xa.name in html and w.xb.name in html
    for country in (w.xa, w.xb):
        assert format_money(expected_row(country, YEAR)["realised"]) in html


def test_regional_and_hq_pages_use_a_constant_number_of_queries(w, client, hq_analyst):
    client.force_login(hq_analyst)
    urls = [reverse("reports:hq") + f"?year={YEAR}",
            reverse("reports:region", args=[w.region.pk]) + f"?year={YEAR}",
            reverse("reports:agency", args=[w.agencies["UNDP"].pk]) + f"?year={YEAR}"]
    before = [count_queries(client, url) for url in urls]
    test_world.build()  # two more country teams with every kind of row
    more = test_world.build()
    for country in (more.xa, more.xb):
        country.region = w.region
        country.save()
    assert [count_queries(client, url) for url in urls] == before
    assert max(before) <= 20


# --- the agency view ------------------------------------------------------------------------------


def test_agency_view_equals_a_direct_computation(w, hq_analyst):
    from commonops.commonservices.models import Allocation, AllocationShare, Payment

    undp = w.agencies["UNDP"]
    service = w.services[0]
    allocation = Allocation.objects.create(country=w.xa, service=service, year=YEAR,
                                           method="equal", total=Decimal("300.00"),
                                           computed_at=datetime(YEAR, 1, 2, tzinfo=ZoneInfo(
                                               "UTC")))
    AllocationShare.objects.create(country=w.xa, allocation=allocation, agency=undp,
                                   weight=1, amount=Decimal("150.00"))
    Payment.objects.create(country=w.xa, agency=undp, year=YEAR,
                           received_on=datetime(YEAR, 3, 1).date(), amount=Decimal("100.00"))
    a = queries.agency_overview(Country.objects.filter(region=w.region), agency=undp,
                                year=YEAR)
    rows = {r.country: r for r in a.rows}
    assert set(rows) == {w.xa, w.xb}
    assert rows[w.xa].shares == Decimal("150.00") and rows[w.xa].paid == Decimal("100.00")
    for country in (w.xa, w.xb):
        mine = sum((r.realised_cost_avoidance for r in realised_rows(country, YEAR)
                    if r.agency_id == undp.pk), ZERO)
        assert rows[country].realised == mine
        assert rows[country].rate == rules.savings_rate(mine,
                                                        baselines(country, YEAR)[undp.pk])
    assert a.rate == rules.savings_rate(
        sum((rows[c].realised for c in (w.xa, w.xb)), ZERO),
        sum((baselines(c, YEAR)[undp.pk] for c in (w.xa, w.xb)), ZERO))


def test_c2_a_conditional_target_that_did_not_hold_counts_as_not_applicable(w):
    """C2: a target that applies from four cases, measured over three, is neither met nor
    missed on the dashboard: it is counted apart, as not applicable."""
    from commonops.results.models import Indicator, Measurement, Target

    before = {a.key: a for a in queries.kpi_areas(w.xa, YEAR)}
    kpi = Indicator.objects.create(country=w.xa, name="Women selected", unit="percent")
    Target.objects.create(country=w.xa, indicator=kpi, year=YEAR, month=0, value=Decimal(20),
                          min_cases=4, condition="at least 4 recruitments")
    Measurement.objects.create(country=w.xa, indicator=kpi, year=YEAR, month=0,
                               value=Decimal(0), cases=3)
    after = {a.key: a for a in queries.kpi_areas(w.xa, YEAR)}
    other_before = before.get("other") or queries.KpiArea("other", "Other")
    assert after["other"].not_applicable == other_before.not_applicable + 1
    assert (after["other"].met, after["other"].not_met, after["other"].progress) == (
        other_before.met, other_before.not_met, other_before.progress)
    assert after["other"].total == other_before.total + 1
