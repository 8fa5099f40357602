"""`make backup`: the database and the uploaded files, to BACKUP_DIR."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from commonops.core import backups


class Command(BaseCommand):
    help = "Back up the database and the uploaded files (see docs/deployment.md, Backups)."

    def add_arguments(self, parser):
        parser.add_argument("--to", dest="folder", default=str(settings.BACKUP_DIR),
                            help="folder for the backup files (default: BACKUP_DIR)")

    def handle(self, *args, folder, **options):
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        try:
            database = backups.backup_database(folder, stamp)
            media = backups.backup_media(folder, stamp)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"database: {database}")
        self.stdout.write(f"uploaded files: {media or 'none to back up'}")
