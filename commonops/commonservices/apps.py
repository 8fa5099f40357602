from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonservicesConfig(AppConfig):
    name = "commonops.commonservices"
    label = "commonservices"
    verbose_name = _("Common services")
