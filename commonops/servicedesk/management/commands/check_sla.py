"""T2: record SLA breaches as they happen and send warnings before them. Safe to run on
several workers at once (each breach and warning is claimed with a conditional UPDATE)."""

from django.core.management.base import BaseCommand

from commonops.core.audit import audit_context
from commonops.servicedesk.actions import sla_check


class Command(BaseCommand):
    help = "Record SLA breaches and send warnings (T2); run every few minutes."

    def handle(self, *args, **options):
        with audit_context(source="task"):
            counts = sla_check()
        self.stdout.write(f"first-response breaches: {counts['first_response']}, "
                          f"resolution breaches: {counts['resolution']}, "
                          f"warnings: {counts['warnings']}")
