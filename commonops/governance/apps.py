from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "commonops.governance"
    label = "governance"
    verbose_name = _("OMT governance")

    def ready(self):
        from commonops.governance import attention  # noqa: F401  (registers providers)
