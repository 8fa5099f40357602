import argparse

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from commonops.governance import tasks


def _moment(value: str):
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO date and time such as 2026-03-09T07:00+07:00")
    # A moment without an offset is read in the project's time zone (TIME_ZONE).
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = ("Send the OMT reminders that are due: agendas, minutes to circulate, comment "
            "periods closing, actions due and overdue. Safe to run from several workers at "
            "once and as often as you like: each reminder goes out once.")

    def add_arguments(self, parser):
        parser.add_argument("--now", type=_moment, default=None,
                            help="Pretend it is this moment (ISO 8601), for testing. "
                                 "Default: the current time.")

    def handle(self, *args, now=None, **options):
        counts = tasks.send_reminders(now=now or timezone.now())
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")
        self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} reminders sent."))
