"""Measure the service desk at scale, page by page: the median server time and the SQL
queries of each request (in-process, through Django's test client), and each KPI figure's
time against the hand-written SQL that computes the same figure from the same tables (its
floor; DESIGN: roll-ups within 1.5x of a hand-written aggregate).

    manage.py seed_bulk_tickets --up-to 2000000 --country VN
    manage.py bench_desk --country VN --repeat 7 --raises 50

Runs are interleaved: each round requests every page once, and raises its share of the
tickets, so that a page never runs with the caches only it has just warmed. Queries are
counted around each request with an execute wrapper (not read from the query log, which
Django keeps only with DEBUG and empties at each request). Static files are served by the
plain storage (they are not what is measured, and DEBUG=false would want collectstatic).
"""

import math
import os
import statistics
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from commonops.core.models import Country, User
from commonops.servicedesk import queries, rules
from commonops.servicedesk.models import Category, Ticket

PAGES = [
    # (operation, persona, path); {year}, {month}, {ticket} filled in
    # `page=1` asks for the country's open tickets whatever the queue's default filter
    ("open-ticket queue, page 1", "vn-sdm", "/desk/tickets/?page=1"),
    ("my open tickets, page 1", "vn-agent1", "/desk/tickets/?mine=true"),
    ("agent's dashboard", "vn-agent1", "/desk/"),
    ("monthly KPIs for a year", "vn-sdm", "/desk/kpis/?year={year}"),
    ("KPIs of a month by agency", "vn-sdm", "/desk/kpis/?year={year}&month={month}&by=agency"),
    ("ticket page", "vn-sdm", "/desk/tickets/{ticket}/"),
]
RAISING = "raising a ticket"

# --- the floors: each figure by hand-written SQL on the same tables --------------------------

_SUMS = ", ".join(f"SUM({name})" for name in rules.ROLLUP_COUNTS)
MONTHLY_COUNTS = f"""
SELECT month, {_SUMS} FROM servicedesk_kpirollup
WHERE country_id = %s AND year = %s GROUP BY month ORDER BY month"""
# the lower median: the smallest value with more than (n - 1) / 2 values before or at it
MONTHLY_MEDIANS = """
WITH v AS (
  SELECT month, hours,
         SUM(tickets) OVER (PARTITION BY month ORDER BY hours) AS upto,
         SUM(tickets) OVER (PARTITION BY month) AS n
  FROM servicedesk_hourstally WHERE country_id = %s AND year = %s AND tickets > 0)
SELECT month, MIN(hours) FROM v WHERE upto > (n - 1) / 2 GROUP BY month ORDER BY month"""
YEAR_MEDIAN = """
WITH h AS (
  SELECT hours, SUM(tickets) AS tickets FROM servicedesk_hourstally
  WHERE country_id = %s AND year = %s GROUP BY hours HAVING SUM(tickets) > 0),
v AS (SELECT hours, SUM(tickets) OVER (ORDER BY hours) AS upto, SUM(tickets) OVER () AS n
      FROM h)
SELECT MIN(hours) FROM v WHERE upto > (n - 1) / 2"""
BY_AGENCY = f"""
SELECT a.acronym, {_SUMS} FROM servicedesk_kpirollup r JOIN core_agency a ON a.id = r.agency_id
WHERE r.country_id = %s AND r.year = %s AND r.month = %s GROUP BY r.agency_id, a.acronym"""
BACKLOG = """
SELECT COUNT(*), MIN(opened_at),
       SUM(CASE WHEN resolution_due < %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN opened_at >= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN opened_at < %s AND opened_at >= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN opened_at < %s AND opened_at >= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN opened_at < %s THEN 1 ELSE 0 END)
FROM servicedesk_ticket WHERE country_id = %s AND status IN ({statuses})"""
# the floor before the roll-ups: a year of monthly SLA counts read from the tickets
FROM_TICKETS = """
SELECT {month} AS m, COUNT(*),
       SUM(CASE WHEN first_response_met THEN 1 ELSE 0 END),
       SUM(CASE WHEN first_response_met IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN resolution_met THEN 1 ELSE 0 END),
       SUM(CASE WHEN resolution_met IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN reopen_count > 0 THEN 1 ELSE 0 END)
FROM servicedesk_ticket
WHERE country_id = %s AND resolved_at >= %s AND resolved_at < %s
GROUP BY 1"""


class QueryCounter:
    """Counts every statement the connection runs while it is installed, and the time spent
    waiting for them."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


def _sql(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class Command(BaseCommand):
    help = ("Time the desk's pages (median, queries per request) and each KPI figure against "
            "its hand-written SQL (T6, scale).")

    def add_arguments(self, parser):
        parser.add_argument("--country", default="VN")
        parser.add_argument("--repeat", type=int, default=7, help="interleaved rounds")
        parser.add_argument("--raises", type=int, default=50,
                            help="tickets raised through the form, spread over the rounds")

    def handle(self, *args, country, repeat, raises, **options):
        country = Country.objects.filter(iso_code=country.upper()).first()
        if country is None:
            raise CommandError("Unknown country.")
        if repeat < 1 or raises < 0:
            raise CommandError("--repeat must be at least 1 and --raises at least 0.")
        plain_static = {**settings.STORAGES, "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
        with override_settings(STORAGES=plain_static):
            self._pages(country, repeat, raises)
        self._figures(country, repeat)

    # --- pages -------------------------------------------------------------------------------

    def _pages(self, country, repeat, raises):
        now = timezone.localtime(timezone.now(), country.calendar(holidays=()).tz)
        ticket = Ticket.objects.filter(country=country).order_by("-id").values_list(
            "id", flat=True).first()
        total = Ticket.objects.filter(country=country).count()
        version = connection.cursor().connection.info.server_version \
            if connection.vendor == "postgresql" else ""
        load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
        self.stdout.write(
            f"{country.name}: {total:,} tickets on {connection.vendor} {version}; medians "
            f"of {repeat} interleaved runs; {raises} tickets raised through the form; "
            f"DEBUG={settings.DEBUG}; load average {load} on {os.cpu_count()} cores\n")
        clients = {}

        def client(username):
            if username not in clients:
                clients[username] = Client()
                clients[username].force_login(User.objects.get(username=username))
            return clients[username]

        category = Category.objects.filter(country=country).order_by("pk").first()
        form = {"category": category.pk, "priority": "P3", "subject": "Printer jams",
                "description": "The printer on the second floor jams on every page."}

        def request(username, path, data=None):
            counter = QueryCounter()
            start, cpu = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(counter):
                # over HTTPS, as in production (DEBUG=false redirects plain HTTP to it)
                response = (client(username).post(path, data, secure=True)
                            if data is not None else client(username).get(path, secure=True))
            elapsed = (time.perf_counter() - start) * 1000
            expected = 302 if data is not None else 200
            if response.status_code != expected:
                raise CommandError(f"{path}: HTTP {response.status_code}")
            return (elapsed, counter.seconds * 1000, (time.process_time() - cpu) * 1000,
                    counter.count)

        pages = [(name, username, path.format(year=now.year, month=now.month, ticket=ticket))
                 for name, username, path in PAGES]
        for _name, username, path in pages:
            request(username, path)  # warm-up
        if raises:
            request("vn-staff", "/desk/tickets/new/", form)
        names = [*(p[0] for p in pages), RAISING]
        runs = {name: [] for name in names}  # (server, SQL, Python CPU) per request
        counts = {name: set() for name in names}
        per_round = math.ceil(raises / repeat) if raises else 0
        for _round in range(repeat):
            for name, username, path in pages:
                *run, n = request(username, path)
                runs[name].append(run)
                counts[name].add(n)
            for _ in range(min(per_round, raises - len(runs[RAISING]))):
                *run, n = request("vn-staff", "/desk/tickets/new/", form)
                runs[RAISING].append(run)
                counts[RAISING].add(n)
        # the server time, and how much of it waited for SQL and how much the Python process
        # computed (on a busy machine the rest is waiting for a core)
        self.stdout.write("| operation | median | of which SQL | Python CPU | queries per "
                          "request |")
        self.stdout.write("|---|---:|---:|---:|---:|")
        for name in names:
            if not runs[name]:
                continue
            label = f"{name} ({len(runs[name])} tickets)" if name == RAISING else name
            server, sql, cpu = (statistics.median(column)
                                for column in zip(*runs[name], strict=True))
            n = sorted(counts[name])
            queries_text = str(n[0]) if len(n) == 1 else f"{n[0]}–{n[-1]}"
            self.stdout.write(f"| {label} | {server:.1f} ms | {sql:.1f} ms | {cpu:.1f} ms | "
                              f"{queries_text} |")
        self.stdout.write("")

    # --- KPI figures against their floors ----------------------------------------------------

    def _median_ms(self, run, repeat):
        run()  # warm-up
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    def _figures(self, country, repeat):
        now = timezone.now()
        local = timezone.localtime(now, country.calendar(holidays=()).tz)
        year, month = local.year, local.month
        statuses = ", ".join(f"'{s}'" for s in sorted(rules.OPEN_STATUSES))
        day, week, days30 = (now - timedelta(days=1), now - timedelta(days=7),
                             now - timedelta(days=30))
        backlog_params = [now, day, day, week, week, days30, days30, country.pk]

        def monthly_counts():
            return list(queries.monthly_counts(country=country, year=year))

        def medians():
            return queries.median_hours(country=country, year=year, per_month=True)

        def medians_by_hand():
            return (_sql(MONTHLY_MEDIANS, [country.pk, year]),
                    _sql(YEAR_MEDIAN, [country.pk, year]))

        figures = [
            ("monthly counts of a year (opened, resolved, on time, reopened, ratings)",
             monthly_counts, lambda: _sql(MONTHLY_COUNTS, [country.pk, year])),
            ("lower median hours to resolve, each month and the year", medians,
             medians_by_hand),
            ("a month by agency", lambda: queries.kpis(
                country=country, year=year, month=month, dimension="agency"),
             lambda: _sql(BY_AGENCY, [country.pk, year, month])),
            ("backlog now and its age", lambda: queries.backlog(country=country, now=now),
             lambda: _sql(BACKLOG.format(statuses=statuses), backlog_params)),
        ]
        # the same figures both ways, or the comparison means nothing
        (year_median, by_month), (by_hand, year_by_hand) = medians(), medians_by_hand()
        if dict(by_hand) != {m: v for m, v in by_month.items() if v is not None} \
                or year_by_hand[0][0] != year_median:
            raise CommandError("The medians differ from the hand-written SQL's.")
        self.stdout.write("| KPI figure | CommonOps | hand-written SQL (floor) | ratio |")
        self.stdout.write("|---|---:|---:|---:|")
        for label, ours, floor in figures:
            ours_ms, floor_ms = self._median_ms(ours, repeat), self._median_ms(floor, repeat)
            self.stdout.write(f"| {label} | {ours_ms:.1f} ms | {floor_ms:.1f} ms | "
                              f"{ours_ms / floor_ms:.2f} |")
        start, end = queries._month_bounds(country, year)
        month_sql = ("EXTRACT(MONTH FROM resolved_at)" if connection.vendor == "postgresql"
                     else "CAST(strftime('%%m', resolved_at) AS INTEGER)")
        old_floor = self._median_ms(lambda: _sql(FROM_TICKETS.format(month=month_sql),
                                                 [country.pk, start, end]), repeat)
        self.stdout.write(f"| for comparison: monthly SLA counts of a year read from the "
                          f"tickets | | {old_floor:.1f} ms | |")
