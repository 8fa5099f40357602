from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand

from commonops.core.audit import audit_context


class Command(BaseCommand):
    help = "Create (or complete) the demo world. Safe to run again: it changes nothing then."

    def handle(self, *args, **options):
        with audit_context(source="command"):
            for config in apps.get_app_configs():
                if not config.name.startswith("commonops."):
                    continue
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
