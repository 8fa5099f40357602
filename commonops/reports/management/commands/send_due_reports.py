import argparse

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from commonops.reports import tasks


def _moment(value: str):
    moment = None
    try:
        moment = parse_datetime(value)
    except ValueError:
        pass
    if moment is None:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO date and time such as 2027-01-01T06:00+00:00")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = ("Enqueue this period's delivery of every report subscription (monthly, quarterly "
            "or yearly) not yet delivered; a worker prepares and e-mails each. Safe to run "
            "from several machines at once and as often as you like: each subscription is "
            "delivered once per period.")

    def add_arguments(self, parser):
        parser.add_argument("--now", type=_moment, default=None,
                            help="Pretend it is this moment (ISO 8601), for testing.")

    def handle(self, *args, now=None, **options):
        counts = tasks.send_due_reports(now=now or timezone.now())
        self.stdout.write(f"{counts['claimed']} report deliveries enqueued, "
                          f"{counts['already']} already delivered this period")
