from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "commonops.governance"
    label = "governance"
    verbose_name = _("OMT governance")

    def ready(self):
        from commonops.core.navigation import Area, Link, register_area
        from commonops.governance import attention  # noqa: F401  (registers providers)

        register_area(Area("governance", _("OMT governance"), order=10, links=[
            Link(_("OMT"), "governance:omt_home"),
            Link(_("Meetings"), "governance:meeting_list"),
            Link(_("Actions"), "governance:action_list"),
            Link(_("Task forces"), "governance:taskforce_list"),
            Link(_("Escalations"), "governance:escalation_list"),
            Link(_("UNCT decisions"), "governance:unctdecision_list"),
        ]))
