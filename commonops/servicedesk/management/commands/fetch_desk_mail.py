"""T1: read the desk's mailbox (a maildir, or an IMAP inbox) and turn each message into a
ticket, a reply threaded by the ticket number in its subject, or a review-queue entry."""

import imaplib
import mailbox

from django.core.management.base import BaseCommand, CommandError

from commonops.core.audit import audit_context
from commonops.core.models import Country
from commonops.servicedesk.mail import mail_ingest


class Command(BaseCommand):
    help = "Read the service desk's mailbox (maildir or IMAP) into tickets (T1)."

    def add_arguments(self, parser):
        parser.add_argument("--country", required=True, help="ISO code of the desk's country")
        parser.add_argument("--maildir", help="path of a maildir; read messages are removed")
        parser.add_argument("--imap-host")
        parser.add_argument("--imap-user")
        parser.add_argument("--imap-password")
        parser.add_argument("--imap-folder", default="INBOX")

    def handle(self, *args, **options):
        country = Country.objects.filter(iso_code=options["country"].upper()).first()
        if country is None:
            raise CommandError(f"No country team {options['country']!r}.")
        counts: dict[str, int] = {}
        with audit_context(source="command"):
            if options["maildir"]:
                box = mailbox.Maildir(options["maildir"], factory=None, create=False)
                for key in list(box.keys()):
                    raw = box.get_bytes(key)
                    kind, _obj = mail_ingest(country=country, raw=raw)
                    counts[kind] = counts.get(kind, 0) + 1
                    box.remove(key)  # handled: a ticket, a reply or a review entry
            elif options["imap_host"]:
                with imaplib.IMAP4_SSL(options["imap_host"]) as imap:
                    imap.login(options["imap_user"], options["imap_password"])
                    imap.select(options["imap_folder"])
                    _status, found = imap.search(None, "UNSEEN")
                    for number in found[0].split():
                        _status, data = imap.fetch(number, "(RFC822)")
                        kind, _obj = mail_ingest(country=country, raw=data[0][1])
                        counts[kind] = counts.get(kind, 0) + 1
                        imap.store(number, "+FLAGS", "\\Seen")
            else:
                raise CommandError("Give --maildir or --imap-host.")
        self.stdout.write(", ".join(f"{k}: {n}" for k, n in sorted(counts.items()))
                          or "No new mail.")
