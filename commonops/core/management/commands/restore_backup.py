"""Restore a backup made by `make backup` (see docs/deployment.md, Backups)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commonops.core import backups


class Command(BaseCommand):
    help = ("Replace the database (and, with --media, the uploaded files) with a backup. "
            "Stop the application servers and workers first.")

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the .sqlite3 or .pgdump file")
        parser.add_argument("--media", help="the -media.tar.gz file of the same backup")
        parser.add_argument("--database-url", help="restore into this database instead of "
                                                   "DATABASE_URL's (e.g. to try a backup)")
        parser.add_argument("--yes", action="store_true",
                            help="confirm that the database's contents are to be replaced")

    def handle(self, *args, backup, media, database_url, yes, **options):
        if not yes:
            raise CommandError("This replaces the database's contents: add --yes.")
        path = Path(backup)
        if not path.is_file():
            raise CommandError(f"No backup at {path}.")
        if database_url is None:
            from django.db import connection

            database = connection.settings_dict
            if connection.vendor == "sqlite":
                database_url = f"sqlite:///{database['NAME']}"
            else:
                database_url = (f"postgres://{database['USER']}:{database['PASSWORD']}@"
                                f"{database['HOST'] or 'localhost'}:{database['PORT'] or 5432}"
                                f"/{database['NAME']}")
        try:
            backups.restore_database(path, database_url)
            if media:
                backups.restore_media(Path(media), Path(settings.MEDIA_ROOT))
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {path.name}" + (f" and {Path(media).name}" if media
                                                      else "") + ".")
