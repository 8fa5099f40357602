"""T6: record a month's service-desk KPIs as results-engine measurements."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from commonops.core.audit import audit_context
from commonops.core.models import Country, User
from commonops.servicedesk.kpis import kpi_record_month


class Command(BaseCommand):
    help = "Record a month's desk KPIs (default: last month) in the results framework (T6)."

    def add_arguments(self, parser):
        parser.add_argument("--country", required=True)
        parser.add_argument("--year", type=int)
        parser.add_argument("--month", type=int)
        parser.add_argument("--as", dest="username", required=True,
                            help="user name of the M&E focal point or desk manager recording")

    def handle(self, *args, **options):
        country = Country.objects.filter(iso_code=options["country"].upper()).first()
        user = User.objects.filter(username=options["username"]).first()
        if country is None or user is None:
            raise CommandError("Unknown country or user.")
        today = country.today()
        last = today.replace(day=1) - timedelta(days=1)
        year, month = options["year"] or last.year, options["month"] or last.month
        with audit_context(source="command", actor=user):
            recorded = kpi_record_month(country=country, year=year, month=month, by=user)
        for code, value in recorded.items():
            self.stdout.write(f"{code}: {value}")
