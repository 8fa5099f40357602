"""Measure the repository's search: the server time (median and 95th percentile) and SQL
queries of the search page and the search API, through Django's test client in-process,
for readers with different D1 rights and queries from a word in nearly every document to
one that matches none, with and without filters; then the time of the documents query
alone (`documents.queries.documents_matching`, the one both page and API run) and its
plan: on PostgreSQL whether it reads the GIN index on the search vector (EXPLAIN
ANALYZE), on SQLite what it scans.

    manage.py seed_bulk_documents --count 100000 --country VN
    manage.py bench_documents --country VN --repeat 9 [--plans]
"""

import logging
import math
import re
import statistics
import time
from urllib.parse import urlencode

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonops.core.models import Country, User
from commonops.documents import queries
from commonops.documents.management.commands.seed_bulk_documents import REFERENCE
from commonops.documents.models import Document

NO_MATCH = "zebrafish"
# (what it shows, the words typed, filters); None stands for a reference quoted in one
# document (in the demo alone, a word of one of its documents)
QUERIES = [
    ("common word", "agreement", {}),
    ("two common words", "cleaning agreement", {}),
    ("rare words", "ballistic film", {}),
    ("a reference (one document)", None, {}),
    ("no match", NO_MATCH, {}),
    ("common word, folder and year", "agreement", {"area": "agreements", "year": "last"}),
    ("rare words, service line", "ballistic film", {"service_line": "administration"}),
]
# an OMT chair (confidential documents naming the chair), a staff member of a participating
# agency (public, internal, their agency's), headquarters (public documents only)
READERS = ["vn-chair", "vn-staff", "hq-analyst"]
INDEX = "document_search_vector"
TABLE = Document._meta.db_table


def median_p95(times):
    """The median and the 95th percentile (nearest rank: with few runs, the slowest)."""
    ordered = sorted(times)
    return statistics.median(ordered), ordered[math.ceil(0.95 * len(ordered)) - 1]


class Command(BaseCommand):
    help = "Time the repository's search page and API (median, p95, queries) and its plans."

    def add_arguments(self, parser):
        parser.add_argument("--country", default="VN")
        parser.add_argument("--repeat", type=int, default=9)
        parser.add_argument("--readers", default=",".join(READERS),
                            help="usernames, separated by commas")
        parser.add_argument("--plans", action="store_true",
                            help="print every plan in full")

    def _timed(self, run, repeat):
        run()  # warm-up
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1000)
        return median_p95(times)

    def handle(self, *args, country, repeat, readers, plans, **options):
        logging.getLogger("axes").setLevel(logging.WARNING)  # a line per login otherwise
        country = Country.objects.filter(iso_code=country.upper()).first()
        if country is None:
            raise CommandError("Unknown country.")
        total = Document.objects.filter(country=country).count()
        self.stdout.write(f"{country.name}: {total} documents; {connection.vendor}; "
                          f"{repeat} runs after a warm-up; times in ms, median/p95")
        reference = self._reference(country, total)
        last_year = timezone.localdate().year - 1
        self.queries = []
        for label, words, filters in QUERIES:
            if words is None:
                label, words = (label, reference) if reference else (
                    "a word of one document", "retreat")
            filters = {name: last_year if value == "last" else value
                       for name, value in filters.items()}
            self.queries.append((label, words, filters))
        self.stdout.write(f"\n{'reader':<11}{'query':<44}{'found':>7}  {'page':>15} "
                          f"{'API':>15}  {'documents query':>15}")
        for username in readers.split(","):
            user = User.objects.get(username=username)
            client = Client()
            client.force_login(user)
            readable = queries.documents_for(user).filter(country=country).count()
            self.stdout.write(f"{username} may read {readable} of them")
            for label, words, filters in self.queries:
                self._row(client, user, country, label, words, filters, repeat)
        self._plans(country, readers.split(","), plans)

    def _row(self, client, user, country, label, words, filters, repeat):
        def matching():
            return queries.documents_matching(user, q=words, country=country, **filters)

        found = matching().count()
        params = urlencode({"q": words, "country": country.pk, **filters})
        cells = []
        for path in (f"/documents/search/?{params}", f"/api/document-search/?{params}"):
            def get(path=path):
                response = client.get(path)
                if response.status_code != 200:
                    raise CommandError(f"{path} answered {response.status_code}")

            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                get()
            count = len(captured)  # read now: the next request empties the log
            median, p95 = self._timed(get, repeat)
            cells.append(f"{median:6.0f}/{p95:5.0f} ({count:2d}q)")
        median, p95 = self._timed(lambda: list(matching()[:queries.SECTION_LIMIT]), repeat)
        cells.append(f"{median:6.0f}/{p95:5.0f}")
        shown = f"{label}: {words}" + "".join(f", {k}={v}" for k, v in filters.items())
        self.stdout.write(f"{'':<11}{shown[:43]:<44}{found:>7}  " + "  ".join(cells))

    def _reference(self, country, total):
        """The reference quoted in the document halfway through the country's."""
        text = Document.objects.filter(country=country).order_by("pk").values_list(
            "search_text", flat=True)[total // 2:][:1]
        found = REFERENCE.search(next(iter(text), ""))
        return found.group(1) if found else None  # the demo alone: none

    def _plans(self, country, readers, verbose):
        """How the documents query (its first page, as search shows it) reads the table."""
        postgresql = connection.vendor == "postgresql"
        self.stdout.write("\nPlans of the documents query" + (
            " (EXPLAIN ANALYZE; time in the database):" if postgresql else
            " (EXPLAIN QUERY PLAN; SQLite has no text index: the words are matched by LIKE):"))
        for username in readers if postgresql else readers[:1]:
            user = User.objects.get(username=username)
            for label, words, filters in self.queries:
                matching = queries.documents_matching(user, q=words, country=country,
                                                      **filters)[:queries.SECTION_LIMIT]
                if postgresql:
                    plan = matching.explain(analyze=True, buffers=True)
                    took = re.search(r"Execution Time: ([\d.]+) ms", plan)
                    read = (f"GIN index {INDEX}" if INDEX in plan else
                            "sequential scan" if f"Seq Scan on {TABLE}" in plan else
                            "another index")
                    summary = f"{read}, {took.group(1) if took else '?'} ms"
                else:
                    plan = matching.explain()
                    read = re.search(rf"(SCAN|SEARCH) {TABLE}( USING [^(]*)?", plan)
                    summary = read.group(0).strip() if read else "?"
                self.stdout.write(f"{username:<11}{label[:32]:<33}{summary}")
                if verbose:
                    self.stdout.write(plan + "\n")
