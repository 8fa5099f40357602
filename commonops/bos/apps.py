from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BosConfig(AppConfig):
    name = "commonops.bos"
    label = "bos"
    verbose_name = _("Business Operations Strategy")
