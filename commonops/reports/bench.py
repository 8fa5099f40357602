"""Benchmark of the regional and HQ pages (DESIGN: roll-ups over all countries within 1.5×
of a hand-written SQL aggregate on the same database).

Each aggregate the pages run (`reports.queries`) is timed against one hand-written SQL
query computing the same figure, and both are checked to give the same numbers. A page's
"SQL floor" is the sum of the hand-written queries' medians for the aggregates it shows:
what the page would cost if it did nothing but run the best single query for each of its
figures. Used by `bench/run.py` (`make bench`).
"""

import statistics
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonops.core.models import Country, Region, User
from commonops.reports import queries


def _median_ms(run, repeat: int) -> float:
    run()  # warm-up: plans and caches
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _year_of(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(YEAR FROM {column})::int"
    return f"CAST(strftime('%%Y', {column}) AS INTEGER)"


def _scope(alias: str, region) -> tuple[str, list]:
    if region is None:
        return "", []
    return (f" AND {alias}.country_id IN (SELECT id FROM core_country WHERE region_id = %s)",
            [region.pk])


def _desk_sql(region) -> tuple[str, list]:
    """Tickets resolved in each country's local year, with the year's bounds computed per
    country in SQL (PostgreSQL's make_timestamptz in the country's time zone)."""
    where = " AND c.region_id = %s" if region is not None else ""
    if connection.vendor == "postgresql":
        bounds = ("t.resolved_at >= make_timestamptz(%s, 1, 1, 0, 0, 0, c.time_zone) "
                  "AND t.resolved_at < make_timestamptz(%s, 1, 1, 0, 0, 0, c.time_zone)")
    else:  # SQLite has no time zones: UTC years (a floor, not the exact figure)
        bounds = ("t.resolved_at >= printf('%%04d-01-01', %s) "
                  "AND t.resolved_at < printf('%%04d-01-01', %s)")
    return (f"""SELECT t.country_id, COUNT(t.resolved_at),
                       SUM(CASE WHEN t.resolution_met THEN 1 ELSE 0 END),
                       COUNT(t.resolution_met)
                FROM core_country c JOIN servicedesk_ticket t ON t.country_id = c.id
                WHERE {bounds}{where} GROUP BY t.country_id""", [])


@dataclass
class Aggregate:
    name: str
    orm: object  # callable() -> comparable rows
    sql: str
    params: list
    normalise: object  # callable(sql rows) -> the same shape as orm()


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _money_map(rows, key=0, value=1) -> dict:
    return {row[key]: Decimal(row[value] or 0).quantize(Decimal("0.01")) for row in rows}


def aggregates(*, year: int, region=None) -> list[Aggregate]:
    """What the page of `region` (or the HQ page, all countries) runs, as the page runs it
    (`queries.overview`), each with its hand-written counterpart."""
    countries = queries.countries_with_stage(Country.objects.all(), year)
    if region is not None:
        countries = countries.filter(region=region)
    countries = countries.order_by("region__name", "name")
    country_list = list(countries)
    ids = region  # None: every country team
    first = year - queries.EXPANSION_YEARS + 1
    where_country = " WHERE c.region_id = %s" if region is not None else ""
    region_params = [region.pk] if region is not None else []
    out = [Aggregate(
        "country teams and BOS stage",
        lambda: sorted((c.pk, c.bos_status) for c in countries.all()),
        f"""SELECT c.id, c.iso_code, c.name, c.typology, c.time_zone, r.code, r.name,
                   (SELECT b.status FROM bos_bos b WHERE b.country_id = c.id
                    ORDER BY CASE WHEN b.start_year <= %s AND b.end_year >= %s
                             THEN 0 ELSE 1 END, b.start_year DESC LIMIT 1),
                   (SELECT b.id FROM bos_bos b WHERE b.country_id = c.id
                    ORDER BY CASE WHEN b.start_year <= %s AND b.end_year >= %s
                             THEN 0 ELSE 1 END, b.start_year DESC LIMIT 1)
            FROM core_country c JOIN core_region r ON r.id = c.region_id{where_country}
            ORDER BY r.name, c.name""",
        [year, year, year, year, *region_params],
        lambda rows: sorted((row[0], row[7]) for row in rows))]
    scope, scope_params = _scope("s", region)
    out.append(Aggregate(
        "catalogue size", lambda: queries.catalogue_sizes(ids, year),
        f"""SELECT s.country_id, COUNT(*) FROM commonservices_commonservice s
            WHERE s.status = 'active' AND (s.start_date IS NULL OR s.start_date <= %s){scope}
            GROUP BY s.country_id""",
        [date(year, 12, 31), *scope_params], dict))
    out.append(Aggregate(
        "launches per year (H1)",
        lambda: sorted(queries.launch_counts(ids, first, year)),
        f"""SELECT s.country_id, {_year_of('s.start_date')}, COUNT(*)
            FROM commonservices_commonservice s
            WHERE s.status IN ('active', 'discontinued') AND s.start_date >= %s
              AND s.start_date <= %s{scope}
            GROUP BY 1, 2""",
        [date(first, 1, 1), date(year, 12, 31), *scope_params],
        lambda rows: sorted(tuple(int(v) for v in row) for row in rows)))
    scope, scope_params = _scope("e", region)
    out.append(Aggregate(
        "estimated cost avoidance", lambda: queries.estimated_by_country(ids, year),
        f"""SELECT e.country_id,
                   SUM(CASE WHEN e.side = 'benefit' THEN e.amount ELSE -e.amount END)
            FROM bos_cbaentry e JOIN bos_opportunity o ON o.id = e.opportunity_id
            WHERE o.selected AND o.implementation_start BETWEEN %s AND %s
              AND e.year = %s - o.implementation_start{scope}
            GROUP BY e.country_id""",
        [year - 3, year, year + 1, *scope_params], _money_map))
    scope, scope_params = _scope("r", region)
    out.append(Aggregate(
        "realised cost avoidance by country and agency",
        lambda: queries.realised_by_agency_in_country(ids, year),
        f"""SELECT r.country_id, r.agency_id, SUM(r.realised_cost_avoidance)
            FROM bos_annualresult r JOIN bos_opportunity o ON o.id = r.opportunity_id
            WHERE r.year = %s AND o.selected
              AND o.implementation_start BETWEEN %s AND %s{scope}
            GROUP BY r.country_id, r.agency_id""",
        [year, year - 3, year, *scope_params],
        lambda rows: {(row[0], row[1]): Decimal(row[2]).quantize(Decimal("0.01"))
                      for row in rows}))
    scope, scope_params = _scope("b", region)
    out.append(Aggregate(
        "administrative budgets", lambda: queries.baselines_of(ids, year),
        f"""SELECT b.country_id, b.agency_id, b.amount FROM reports_adminbudget b
            WHERE b.year = %s{scope}""",
        [year, *scope_params], lambda rows: {(row[0], row[1]): row[2] for row in rows}))
    desk_sql, _ = _desk_sql(region)
    out.append(Aggregate(
        "desk: resolved on time (2M tickets)",
        lambda: {k: (v["resolved"], v["on_time"], v["measured"])
                 for k, v in queries.desk_by_country(country_list, year,
                                                     scope=region).items()},
        desk_sql, [year, year + 1, *region_params],
        lambda rows: {row[0]: (row[1], int(row[2] or 0), row[3]) for row in rows}))
    return out


@dataclass
class Timing:
    name: str
    orm_ms: float
    sql_ms: float
    same: bool

    @property
    def ratio(self) -> float:
        return self.orm_ms / self.sql_ms if self.sql_ms else float("nan")


def time_aggregates(*, year: int, region=None, repeat: int = 7) -> list[Timing]:
    timings = []
    for aggregate in aggregates(year=year, region=region):
        same = aggregate.orm() == aggregate.normalise(_rows(aggregate.sql, aggregate.params))
        orm = _median_ms(aggregate.orm, repeat)
        sql = _median_ms(lambda a=aggregate: _rows(a.sql, a.params), repeat)
        timings.append(Timing(aggregate.name, orm, sql, same))
    return timings


def time_page(username: str, path: str, aggregates_: list[Aggregate], repeat: int
              ) -> dict:
    """The page against its SQL floor, measured in turns (page, then every hand-written
    query, again and again) so that a busy machine slows both alike; the ratio is the
    median of the turns' ratios."""
    client = Client()
    client.force_login(User.objects.get(username=username))

    def page():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

    def floor():
        for aggregate in aggregates_:
            _rows(aggregate.sql, aggregate.params)

    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = page()
    floor()
    pages, floors = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        page()
        pages.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        floor()
        floors.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(pages), "floor_ms": statistics.median(floors),
            "ratio": statistics.median(p / f for p, f in zip(pages, floors, strict=True)),
            "queries": len(captured), "bytes": len(response.content)}


def report(out, *, year: int, repeat: int = 7) -> list[dict]:
    """Time the HQ page and the largest region's page against their SQL floors; print a
    table of each aggregate and of the pages. Returns the rows (for --json)."""
    from django.db.models import Count

    region = (Region.objects.annotate(n=Count("countries")).order_by("-n", "code").first())
    results = []
    out.write(f"\nperformance pages and their aggregates, year {year}, "
              f"{Country.objects.count()} country teams, {connection.vendor}")
    out.write(f"{'aggregate':<52} {'ORM':>9} {'hand SQL':>9} {'ratio':>6}  same")
    for label, scope, username, path in (
            ("HQ", None, "hq-analyst", f"/reports/hq/?year={year}"),
            (f"region {region.code}", region, "hq-analyst",
             f"/reports/regions/{region.pk}/?year={year}")):
        timings = time_aggregates(year=year, region=scope, repeat=repeat)
        for t in timings:
            out.write(f"{label + ': ' + t.name:<52} {t.orm_ms:7.1f}ms {t.sql_ms:7.1f}ms "
                      f"{t.ratio:6.2f}  {'yes' if t.same else 'NO'}")
        orm, sql = sum(t.orm_ms for t in timings), sum(t.sql_ms for t in timings)
        out.write(f"{label + ': all its aggregates':<52} {orm:7.1f}ms {sql:7.1f}ms "
                  f"{orm / sql:6.2f}")
        page = time_page(username, path, aggregates(year=year, region=scope), repeat)
        out.write(f"{label + ' page (whole request) vs its SQL floor':<52} "
                  f"{page['median_ms']:7.1f}ms {page['floor_ms']:7.1f}ms "
                  f"{page['ratio']:6.2f}  {page['queries']} queries, {page['bytes']:,} bytes")
        results.append({"page": path, "aggregates_orm_ms": round(orm, 1),
                        "aggregates_sql_ms": round(sql, 1),
                        "median_ms": round(page["median_ms"], 1),
                        "sql_floor_ms": round(page["floor_ms"], 1),
                        "ratio": round(page["ratio"], 2), "queries": page["queries"],
                        "bytes": page["bytes"],
                        "aggregates": [{"name": t.name, "orm_ms": round(t.orm_ms, 2),
                                        "sql_ms": round(t.sql_ms, 2), "same": t.same}
                                       for t in timings]})
    return results
