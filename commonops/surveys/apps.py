from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "commonops.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from commonops.core.navigation import Area, Link, register_area
        from commonops.surveys import attention, queries  # noqa: F401  (register providers)

        register_area(Area("surveys", _("Surveys"), order=40, links=[
            Link(_("Surveys"), "surveys:survey_list"),
        ]))
