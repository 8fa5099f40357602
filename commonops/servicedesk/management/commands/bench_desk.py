"""Measure the service desk at scale: median server time and SQL queries of the KPI
dashboard and the queue pages (through Django's test client, in-process), and, for
comparison, the time of one hand-written SQL aggregate computing the same KPIs
(DESIGN: roll-ups within 1.5x of a hand-written aggregate).

    manage.py seed_bulk_tickets --count 2000000 --country VN
    manage.py bench_desk --country VN --repeat 7
"""

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonops.core.models import Country, User
from commonops.servicedesk.models import Ticket

PAGES = [
    ("vn-sdm", "/desk/kpis/?year={year}"),
    ("vn-sdm", "/desk/kpis/?year={year}&month={month}&by=agency"),
    ("vn-sdm", "/desk/tickets/"),
    ("vn-agent1", "/desk/tickets/?mine=true"),
    ("vn-sdm", "/desk/tickets/{ticket}/"),
    ("vn-staff", "/desk/"),
]

# The same year of monthly KPIs the dashboard shows, as one hand-written aggregate.
HAND_WRITTEN = """
SELECT {month} AS m, COUNT(*),
       SUM(CASE WHEN first_response_met THEN 1 ELSE 0 END),
       SUM(CASE WHEN first_response_met IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN resolution_met THEN 1 ELSE 0 END),
       SUM(CASE WHEN resolution_met IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN reopen_count > 0 THEN 1 ELSE 0 END)
FROM servicedesk_ticket
WHERE country_id = %s AND resolved_at >= %s AND resolved_at < %s
GROUP BY 1
"""


class Command(BaseCommand):
    help = "Time the desk's KPI dashboard and queue pages (median, queries) (T6, scale)."

    def add_arguments(self, parser):
        parser.add_argument("--country", default="VN")
        parser.add_argument("--repeat", type=int, default=7)

    def _median_ms(self, run, repeat):
        run()  # warm-up
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    def handle(self, *args, country, repeat, **options):
        country = Country.objects.filter(iso_code=country.upper()).first()
        if country is None:
            raise CommandError("Unknown country.")
        now = timezone.localtime(timezone.now(), country.calendar(holidays=()).tz)
        ticket = Ticket.objects.filter(country=country).order_by("-id").values_list(
            "id", flat=True).first()
        total = Ticket.objects.filter(country=country).count()
        self.stdout.write(f"{country.name}: {total} tickets, {connection.vendor}")
        for username, template in PAGES:
            path = template.format(year=now.year, month=now.month, ticket=ticket)
            client = Client()
            client.force_login(User.objects.get(username=username))

            def get(client=client, path=path):
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                return response

            reset_queries()  # the query log is bounded: start each count from empty
            with CaptureQueriesContext(connection) as queries:
                get()
            median = self._median_ms(get, repeat)
            self.stdout.write(f"{median:9.1f} ms  {len(queries):3d} queries  "
                              f"{username:10s} {path}")
        start_year = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
        end_year = start_year.replace(year=start_year.year + 1)
        month_sql = ("EXTRACT(MONTH FROM resolved_at)" if connection.vendor == "postgresql"
                     else "CAST(strftime('%%m', resolved_at) AS INTEGER)")
        sql = HAND_WRITTEN.format(month=month_sql)

        def hand_written():
            with connection.cursor() as cursor:
                cursor.execute(sql, [country.pk, start_year, end_year])
                return cursor.fetchall()

        from commonops.servicedesk import queries as desk_queries

        def through_the_orm():
            return list(desk_queries.monthly_resolution_counts(country=country,
                                                               year=now.year))

        orm = self._median_ms(through_the_orm, repeat)
        hand = self._median_ms(hand_written, repeat)
        self.stdout.write(f"{orm:9.1f} ms    1 query    the same KPIs through the ORM "
                          "(queries.monthly_resolution_counts)")
        self.stdout.write(f"{hand:9.1f} ms    1 query    hand-written SQL: a year of "
                          f"monthly SLA compliance and reopen counts (ratio {orm / hand:.2f})")
