"""The benchmark harness: server time, SQL queries and bytes of the main pages.

    make bench                       # SQLite database under var/bench.sqlite3
    DATABASE_URL=postgres://… make bench
    make bench BENCH_ARGS="--repeat 50 --json var/bench.json"

It loads the demo data into its own database (the embedded default is var/bench.sqlite3,
never the demo database), then requests each page in-process through Django's test client
(server time only, no network), `--repeat` times after one warm-up, as a given persona.
Machines here are noisy: compare medians and ratios between runs, not single numbers.

"Page weight" is what a browser fetches on a first visit to the home page: the HTML and
every stylesheet, script and icon it references, raw and gzip-compressed (what WhiteNoise
and a reverse proxy send to browsers that accept gzip).
"""

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonops.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = [
    # (persona, path template); {vn} is Viet Nam's id
    ("vn-chair", "/"),
    ("vn-chair", "/org/countries/"),
    ("vn-chair", "/org/countries/{vn}/"),
    ("vn-chair", "/org/people/"),
    ("vn-chair", "/org/roles/"),
    ("vn-chair", "/org/public-holidays/"),
    ("vn-chair", "/org/agency-presences/"),
    ("vn-chair", "/omt/{omt}/"),
    ("vn-chair", "/omt/meetings/"),
    ("vn-chair", "/omt/meetings/{meeting}/"),
    ("vn-chair", "/omt/minutes/{minutes}/"),
    ("vn-chair", "/omt/actions/"),
    ("vn-member", "/"),
    ("hq-analyst", "/"),
    ("hq-analyst", "/org/countries/"),
    ("auditor", "/org/audit-entries/"),
    ("vn-chair", "/api/people/"),
    ("hq-analyst", "/api/public-holidays/"),
    # results engine and surveys
    ("vn-me", "/results/indicators/"),
    ("vn-me", "/results/indicators/{indicator}/"),
    ("vn-csm", "/surveys/surveys/{survey}/results/"),
    # Business Operations Strategy
    ("vn-chair", "/bos/strategies/{bos}/"),
    ("vn-chair", "/bos/strategies/{bos}/prioritisation/"),
    ("vn-member", "/bos/strategies/{bos}/results/?year=2024"),
    ("vn-member", "/bos/strategies/{bos}/plan/"),
    ("vn-member", "/bos/strategies/{bos}/report/?year=2025"),
    ("vn-chair", "/bos/opportunities/{opportunity}/"),
    # common services
    ("vn-csm", "/services/?year=2025"),
    ("vn-csm", "/services/catalogue/"),
    ("vn-csm", "/services/statements/{agency}/2025/"),
    ("vn-csm", "/services/report/2025/"),
    ("vn-csm", "/services/allocations/"),
    # service desk
    ("vn-sdm", "/desk/kpis/"),
    ("vn-sdm", "/desk/tickets/"),
    ("vn-agent1", "/desk/tickets/?mine=true"),
    ("vn-staff", "/desk/"),
    ("vn-sdm", "/desk/tickets/{ticket}/"),
    # work plans, the OMT annual report, the BOS evaluation
    ("vn-chair", "/workplans/plans/{plan}/"),
    ("vn-me", "/workplans/activities/{activity}/"),
    ("vn-chair", "/workplans/annual-report/?year={last_year}"),
    ("vn-chair", "/workplans/evaluations/{evaluation}/"),
    ("vn-rc", "/omt/{omt}/unct-update/"),
    # compacts and oversight
    ("vn-senior", "/compacts/compacts/{compact}/"),
    ("vn-senior", "/compacts/compacts/{compact}/scorecard/"),
    ("vn-senior", "/compacts/offices/{office}/comparison/"),
    ("vn-senior", "/compacts/recommendations/"),
    ("vn-senior", "/compacts/recommendations/{recommendation}/"),
    # performance: the country dashboard, a region, all country teams, an agency
    ("vn-chair", "/reports/countries/{vn}/"),
    ("ap-focal", "/reports/regions/{ap}/"),
    ("hq-analyst", "/reports/hq/"),
    ("hq-analyst", "/reports/agencies/{agency}/"),
    # documents and knowledge (at scale: make bench-documents)
    ("vn-chair", "/documents/"),
    ("vn-chair", "/documents/search/?q=security+assessment&country={vn}"),
    ("vn-staff", "/documents/search/?q=agencies&country={vn}"),
    ("vn-chair", "/api/document-search/?q=security+assessment&country={vn}"),
    ("vn-chair", "/documents/repository/"),
    ("vn-chair", "/documents/knowledge/"),
]


def _later_ids(viet_nam):
    """Ids of Viet Nam's demo objects in the BOS, common-services, surveys, desk, work-plan
    and compact pages."""
    from commonops.bos.models import Bos, Opportunity
    from commonops.compacts.models import Compact, OversightRecommendation
    from commonops.core.models import Agency, Region
    from commonops.results.models import Indicator
    from commonops.servicedesk.models import Ticket
    from commonops.surveys.models import Survey
    from commonops.workplans.models import BosEvaluation, WorkPlan

    bos = Bos.objects.filter(country_id=viet_nam).order_by("-start_year").first()
    plan = WorkPlan.objects.filter(country_id=viet_nam).order_by("-year").first()
    compact = Compact.objects.filter(country_id=viet_nam, status="endorsed").first()
    return {
        "plan": plan.pk, "activity": plan.activities.order_by("pk").first().pk,
        "last_year": plan.year - 1,
        "evaluation": BosEvaluation.objects.filter(country_id=viet_nam).first().pk,
        "compact": compact.pk, "office": compact.office_id,
        "recommendation": OversightRecommendation.objects.filter(
            country_id=viet_nam).order_by("pk").first().pk,
        "bos": bos.pk,
        "opportunity": Opportunity.objects.filter(bos=bos).order_by("pk").first().pk,
        "indicator": Indicator.objects.filter(country_id=viet_nam, kind="quality")
        .order_by("pk").first().pk,
        "survey": Survey.objects.filter(country_id=viet_nam, status="closed").first().pk,
        "agency": Agency.objects.get(acronym="UNDP").pk,
        "ticket": Ticket.objects.filter(country_id=viet_nam).order_by("-pk").first().pk,
        "ap": Region.objects.get(code="AP").pk,
    }


def measure(client, path, repeat):
    client.get(path)  # warm-up: template and URL caches
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return {
        "path": path, "status": response.status_code,
        "median_ms": round(statistics.median(times), 2),
        "p90_ms": round(sorted(times)[int(len(times) * 0.9) - 1], 2),
        "queries": len(queries.captured_queries),
        "bytes": len(response.content),
    }


def page_weight(client):
    html = client.get("/").content
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    parts = [("/", html)]
    for asset in assets:
        response = client.get(asset.decode())
        parts.append((asset.decode(), b"".join(response.streaming_content)
                      if response.streaming else response.content))
    raw = sum(len(body) for _p, body in parts)
    compressed = sum(len(gzip.compress(body, 6)) for _p, body in parts)
    return {"files": [path for path, _b in parts], "raw_bytes": raw, "gzip_bytes": compressed}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()

    (ROOT / "var").mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    from commonops.core.models import Country, User
    from commonops.governance.models import Minutes, Omt

    viet_nam = Country.objects.get(iso_code="VN").pk
    omt = Omt.objects.get(country_id=viet_nam)
    minutes = Minutes.objects.filter(meeting__omt=omt, status="shared").order_by(
        "-meeting__starts_at").first()
    ids = {"vn": viet_nam, "omt": omt.pk, "meeting": minutes.meeting_id, "minutes": minutes.pk,
           **_later_ids(viet_nam)}
    clients = {}
    results = []
    print(f"database: {connection.vendor}; repeat: {args.repeat}")
    print(f"{'persona':<11} {'page':<44} {'status':>6} {'median':>9} {'p90':>9} "
          f"{'queries':>7} {'bytes':>8}")
    for persona, template in PAGES:
        if persona not in clients:
            clients[persona] = Client()
            clients[persona].force_login(User.objects.get(username=persona))
        row = {"persona": persona, **measure(clients[persona], template.format(**ids),
                                              args.repeat)}
        results.append(row)
        print(f"{persona:<11} {row['path']:<44} {row['status']:>6} {row['median_ms']:>7.1f}ms "
              f"{row['p90_ms']:>7.1f}ms {row['queries']:>7} {row['bytes']:>8}")
    weight = page_weight(clients["vn-chair"])
    print(f"\nhome page, first load: {weight['raw_bytes']:,} bytes raw, "
          f"{weight['gzip_bytes']:,} bytes gzip ({len(weight['files'])} files)")
    # the regional and HQ pages, and each of their aggregates against one hand-written SQL
    # query computing the same figure (run `manage.py seed_scale` on the database first to
    # measure them at 130 country teams and 2 million tickets)
    from django.utils import timezone

    from commonops.reports import bench as reports_bench
    from commonops.reports.rules import reporting_year

    class Printer:
        def write(self, text):
            print(text)

    performance = reports_bench.report(Printer(), year=reporting_year(timezone.localdate()),
                                       repeat=args.repeat)
    if args.json:
        Path(args.json).write_text(json.dumps({"pages": results, "home_weight": weight,
                                               "performance": performance}, indent=2))


if __name__ == "__main__":
    main()
