"""Scale test data (DESIGN: 2 million tickets): generate tickets fast, straight in SQL.

On PostgreSQL one INSERT … SELECT over generate_series; on SQLite batched executemany.
These rows bypass the actions and the audit trail on purpose: they are load-test data,
not business records. Times are spread over the last `--years` years; tickets older than
two weeks are resolved, with on-time rates of about 90 % (first response) and 85 %
(resolution); a third of the resolved tickets carry a rating. Numbers are unique and use
the country and year of opening, with a sequence above the existing counter."""

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from commonops.core.models import Country
from commonops.servicedesk.models import Agent, Category, Rating, Ticket, TicketCounter

COLUMNS = ("created_at", "updated_at", "country_id", "number", "subject", "description",
           "requester_id", "agency_id", "category_id", "team_id", "priority", "status",
           "source", "assignee_id", "version", "opened_at", "first_response_due",
           "resolution_due", "first_responded_at", "resolved_at", "closed_at",
           "paused_hours", "business_hours_to_resolve", "first_response_met",
           "resolution_met", "reopen_count")


class Command(BaseCommand):
    help = "Generate many tickets fast for load tests (e.g. --count 2000000 --country VN)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--country", default="VN")
        parser.add_argument("--years", type=int, default=5)

    def handle(self, *args, count, country, years, **options):
        country = Country.objects.filter(iso_code=country.upper()).first()
        if country is None:
            raise CommandError("Unknown country.")
        categories = list(Category.objects.filter(country=country).values_list("id", "team_id"))
        agents = list(Agent.objects.filter(country=country).values_list("user_id", flat=True))
        from commonops.core.models import User

        requesters = list(User.objects.filter(duty_country=country, agency__isnull=False)
                          .values_list("id", "agency_id"))
        if not categories or not agents or not requesters:
            raise CommandError("Seed the demo first: the country needs categories, agents "
                               "and staff.")
        start = time.monotonic()
        offset = (Ticket.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        now = timezone.now()
        span = timedelta(days=365 * years).total_seconds()
        with transaction.atomic():
            if connection.vendor == "postgresql":
                self._postgresql(country, count, offset, now, span, categories, agents,
                                 requesters)
            else:
                self._batches(country, count, offset, now, span, categories, agents,
                              requesters)
            self._ratings(country, offset)
            self._counters(country)
        if connection.vendor == "postgresql":
            # what autovacuum does some time after a bulk load, at once: statistics for the
            # planner, and the visibility map that lets the KPI queries read only their
            # covering indexes (index-only scans)
            with connection.cursor() as cursor:
                for model in (Ticket, Rating):
                    table = connection.ops.quote_name(model._meta.db_table)
                    cursor.execute(f"VACUUM ANALYZE {table}")
        self.stdout.write(f"{count} tickets in {time.monotonic() - start:.1f} s")

    def _postgresql(self, country, count, offset, now, span, categories, agents, requesters):
        sql = f"""
        INSERT INTO servicedesk_ticket ({", ".join(COLUMNS)})
        SELECT %(now)s, %(now)s, %(country)s,
               %(iso)s || '-' || extract(year from o.at)::int || '-'
                 || lpad((%(offset)s + i)::text, 7, '0'),
               'Load-test ticket ' || i, '',
               (%(req)s::int[])[1 + i %% %(nreq)s], (%(agy)s::int[])[1 + i %% %(nreq)s],
               (%(cat)s::int[])[1 + i %% %(ncat)s], (%(team)s::int[])[1 + i %% %(ncat)s],
               'P' || (1 + (i * 7) %% 4), CASE WHEN o.at < %(recent)s THEN 'closed'
                                               ELSE 'in_progress' END,
               'web', (%(agents)s::int[])[1 + i %% %(nagents)s], 1, o.at,
               o.at + interval '4 hours', o.at + interval '24 hours',
               CASE WHEN o.at < %(recent)s THEN o.at + (r.a * interval '5 hours') END,
               CASE WHEN o.at < %(recent)s THEN o.at + (r.b * interval '30 hours') END,
               CASE WHEN o.at < %(recent)s THEN o.at + (r.b * interval '30 hours') END,
               0, CASE WHEN o.at < %(recent)s THEN round((r.b * 30)::numeric, 2) END,
               CASE WHEN o.at < %(recent)s THEN r.a < 0.9 END,
               CASE WHEN o.at < %(recent)s THEN r.b < 0.85 END,
               CASE WHEN r.a > 0.96 THEN 1 ELSE 0 END
        FROM generate_series(1, %(count)s) AS i
        CROSS JOIN LATERAL (SELECT %(now)s - (i * %(step)s) * interval '1 second' AS at) o
        CROSS JOIN LATERAL (SELECT random() + i * 0 AS a, random() + i * 0 AS b) r
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, {
                "now": now, "country": country.pk, "iso": country.iso_code, "offset": offset,
                "req": [r for r, _a in requesters], "agy": [a for _r, a in requesters],
                "nreq": len(requesters), "cat": [c for c, _t in categories],
                "team": [t for _c, t in categories], "ncat": len(categories),
                "agents": agents, "nagents": len(agents), "recent": now - timedelta(days=14),
                "count": count, "step": span / count,
            })

    def _batches(self, country, count, offset, now, span, categories, agents, requesters):
        rng = random.Random(count)
        recent = now - timedelta(days=14)
        sql = (f"INSERT INTO servicedesk_ticket ({', '.join(COLUMNS)}) "
               f"VALUES ({', '.join(['%s'] * len(COLUMNS))})")
        step = span / count
        batch = []
        stamp = connection.ops.adapt_datetimefield_value

        def row(values):
            return tuple(stamp(v) if hasattr(v, "tzinfo") and hasattr(v, "hour") else v
                         for v in values)

        with connection.cursor() as cursor:
            for i in range(1, count + 1):
                at = now - timedelta(seconds=i * step)
                requester, agency = requesters[i % len(requesters)]
                category, team = categories[i % len(categories)]
                a, b = rng.random(), rng.random()
                done = at < recent
                resolved = at + timedelta(hours=30 * b) if done else None
                batch.append(row((
                    now, now, country.pk, f"{country.iso_code}-{at.year}-{offset + i:07d}",
                    f"Load-test ticket {i}", "", requester, agency, category, team,
                    f"P{1 + (i * 7) % 4}", "closed" if done else "in_progress", "web",
                    agents[i % len(agents)], 1, at, at + timedelta(hours=4),
                    at + timedelta(hours=24), at + timedelta(hours=5 * a) if done else None,
                    resolved, resolved, 0, round(30 * b, 2) if done else None,
                    (a < 0.9) if done else None, (b < 0.85) if done else None,
                    1 if a > 0.96 else 0)))
                if len(batch) == 20_000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)

    def _ratings(self, country, first_id):
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO servicedesk_rating (created_at, updated_at, country_id, "
                "ticket_id, score, comment, rated_at) "
                "SELECT resolved_at, resolved_at, country_id, id, 1 + (id * 7) %% 5, '', "
                "resolved_at FROM servicedesk_ticket WHERE id >= %s AND country_id = %s "
                "AND resolved_at IS NOT NULL AND id %% 3 = 0", [first_id, country.pk])

    def _counters(self, country):
        # numbers of bulk rows carry a 7-digit sequence; keep the counter above them
        top = (Ticket.objects.filter(country=country).order_by("-id")
               .values_list("id", flat=True).first() or 0)
        for year in Ticket.objects.filter(country=country).dates("opened_at", "year"):
            counter, _ = TicketCounter.objects.get_or_create(country=country, year=year.year)
            if counter.last < top:
                counter.last = top
                counter.save(update_fields=["last"])
