"""Send the outbox's due e-mails (retries and lost tasks) and record interrupted ones."""

from django.core.management.base import BaseCommand

from commonops.core import mail
from commonops.core.models import OutboundEmail, OutboundStatus


class Command(BaseCommand):
    help = ("Send queued e-mails that are due (retries after a mail-server failure), and mark "
            "e-mails interrupted while being sent as failed; run every few minutes.")

    def handle(self, *args, **options):
        counts = mail.send_due()
        failed = OutboundEmail.objects.filter(status=OutboundStatus.FAILED).count()
        self.stdout.write(
            f"sent: {counts['sent']}, to retry: {counts['retry']}, failed now: "
            f"{counts['failed']}, interrupted: {counts['interrupted']}; "
            f"failed in the outbox: {failed}")
