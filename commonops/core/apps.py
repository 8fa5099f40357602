from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "commonops.core"
    label = "core"
    verbose_name = _("Organisation")

    def ready(self):
        from django.apps import apps

        # signal receivers: sessions, second factor, tokens that die with the password
        from commonops.core import attention, audit, security, tokens, two_factor  # noqa: F401  (attention registers providers)  # noqa: F401

        for model in apps.get_models():
            if getattr(model, "audited", False) and not model._meta.abstract:
                audit.connect(model)
