"""T6: check the desk's KPI roll-ups against the tickets, or rebuild them from the tickets."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from commonops.core.models import Country
from commonops.servicedesk import rollups
from commonops.servicedesk.models import KpiRollup, Ticket


class Command(BaseCommand):
    help = ("Rebuild the service desk's monthly KPI roll-ups from the tickets (T6), then check "
            "them; with --check, only compare and fail on any difference.")

    def add_arguments(self, parser):
        parser.add_argument("--country", help="ISO code; default: every country with tickets")
        parser.add_argument("--check", action="store_true",
                            help="compare the roll-ups with the tickets; change nothing")

    def handle(self, *args, country=None, check=False, **options):
        if country:
            countries = list(Country.objects.filter(iso_code=country.upper()))
            if not countries:
                raise CommandError(f"No country team {country!r}.")
        else:
            countries = list(Country.objects.filter(
                Q(pk__in=Ticket.objects.order_by().values("country_id"))
                | Q(pk__in=KpiRollup.objects.order_by().values("country_id"))))
        wrong = []
        for each in countries:
            start = time.monotonic()
            if not check:
                rows = rollups.rebuild(each)
                self.stdout.write(f"{each}: {rows} roll-up rows rebuilt in "
                                  f"{time.monotonic() - start:.1f} s")
            problems = rollups.differences(each, limit=None)
            for problem in problems[:20]:
                self.stderr.write(f"{each}: {problem}")
            if problems:
                wrong.append(f"{each}: {len(problems)} "
                             f"difference{'' if len(problems) == 1 else 's'}")
            else:
                self.stdout.write(f"{each}: the roll-ups agree with the tickets")
        if wrong:
            raise CommandError("The roll-ups do not agree with the tickets (" + "; ".join(wrong)
                               + "): run this command without --check to rebuild them.")
