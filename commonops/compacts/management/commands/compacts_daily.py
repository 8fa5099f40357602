import argparse

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from commonops.compacts import tasks


def _moment(value: str):
    moment = parse_datetime(value)
    if moment is None:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO date and time such as 2026-03-09T07:00+07:00")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = ("Send the oversight reminders that are due (a week before and after each "
            "recommendation's target date) and recompute this year's standard compact "
            "measures. Safe to run from several workers at once: each reminder goes out "
            "once per target date.")

    def add_arguments(self, parser):
        parser.add_argument("--now", type=_moment, default=None,
                            help="Pretend it is this moment (ISO 8601), for testing.")

    def handle(self, *args, now=None, **options):
        now = now or timezone.now()
        counts = tasks.send_reminders(now=now)
        changed = tasks.refresh_measures(now=now)
        self.stdout.write(f"reminders before the target date: {counts['before']}")
        self.stdout.write(f"reminders after the target date: {counts['after']}")
        self.stdout.write(self.style.SUCCESS(f"{changed} measures recomputed."))
