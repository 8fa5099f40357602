from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplansConfig(AppConfig):
    name = "commonops.workplans"
    label = "workplans"
    verbose_name = _("Work plans")

    def ready(self):
        from commonops.core.navigation import Area, Link, register_area
        from commonops.workplans import attention  # noqa: F401  (registers providers)

        register_area(Area("workplans", _("Work plans and reports"), [
            Link(_("Our work plan"), "workplans:home"),
            Link(_("All work plans"), "workplans:workplan_list"),
            Link(_("Activities"), "workplans:planactivity_list"),
            Link(_("Progress reports"), "workplans:progressupdate_list"),
            Link(_("OMT annual report"), "workplans:annual_report"),
            Link(_("BOS evaluations"), "workplans:bosevaluation_list"),
        ], order=15))
