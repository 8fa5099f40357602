from django.core.management.base import BaseCommand

from commonops.core.demo import logins
from commonops.core.models import User


class Command(BaseCommand):
    help = "Print the demo logins that exist in this database."

    def handle(self, *args, **options):
        present = set(User.objects.values_list("username", flat=True))
        rows = [row for row in logins() if row[0] in present]
        if not rows:
            self.stdout.write("No demo logins in this database (run: manage.py seed_demo).")
            return
        self.stdout.write("\nDemo logins (demo only; the server listens on 127.0.0.1):")
        width = max(len(r[0]) for r in rows)
        for username, password, what in rows:
            self.stdout.write(f"  {username.ljust(width)}  {password.ljust(14)}  {what}")
        self.stdout.write("")
