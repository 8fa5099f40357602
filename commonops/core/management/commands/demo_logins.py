from django.core.management.base import BaseCommand

from commonops.core.demo import DEMO_PASSWORD, logins
from commonops.core.models import RoleAssignment, User
from commonops.core.roles import Role


class Command(BaseCommand):
    help = "Print the demo logins that exist in this database."

    def handle(self, *args, **options):
        present = set(User.objects.values_list("username", flat=True))
        rows = [row for row in logins() if row[0] in present]
        rows += self._added_by_other_areas({row[0] for row in rows})
        if not rows:
            self.stdout.write("No demo logins in this database (run: manage.py seed_demo).")
            return
        self.stdout.write("\nDemo logins (demo only; the server listens on 127.0.0.1):")
        width = max(len(r[0]) for r in rows)
        for username, password, what in rows:
            self.stdout.write(f"  {username.ljust(width)}  {password.ljust(14)}  {what}")
        self.stdout.write("")

    def _added_by_other_areas(self, listed):
        """Personas the other areas' demos add (more desk agents, another regional focal
        point), with their roles; the OMT's many members and alternates are left out."""
        roles = {}
        assignments = (RoleAssignment.objects.exclude(user__username__in=listed)
                       .exclude(user__username__regex=r"^vn-(omt|alt)-")
                       .select_related("user", "country", "region")
                       .order_by("user__username", "role"))
        for assignment in assignments:
            where = assignment.country or assignment.region
            scope = getattr(where, "iso_code", None) or getattr(where, "code", "")
            roles.setdefault(assignment.user.username, []).append(
                f"{Role(assignment.role).label} {scope}".strip())
        return [(username, DEMO_PASSWORD, ", ".join(labels))
                for username, labels in roles.items()]
