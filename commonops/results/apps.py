from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "commonops.results"
    label = "results"
    verbose_name = _("Results")

    def ready(self):
        from commonops.core.navigation import Area, Link, register_area
        from commonops.results import attention  # noqa: F401  (registers providers)

        register_area(Area("results", _("Results"), order=60, links=[
            Link(_("Indicators"), "results:indicator_list"),
            Link(_("Targets"), "results:target_list"),
            Link(_("Measurements"), "results:measurement_list"),
        ]))
