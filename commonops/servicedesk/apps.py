from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    name = "commonops.servicedesk"
    label = "servicedesk"
    verbose_name = _("Service desk")

    def ready(self):
        from commonops.core.navigation import Area, Link, register_area, register_settings
        from commonops.core.roles import Perm
        from commonops.servicedesk import attention, queries  # noqa: F401  (register providers)

        register_area(Area("servicedesk", _("Service desk"), order=50, links=[
            Link(_("My requests"), "servicedesk:home", Perm.RAISE_TICKETS),
            Link(_("Raise a ticket"), "servicedesk:ticket_raise", Perm.RAISE_TICKETS),
            Link(_("Ticket queue"), "servicedesk:queue", Perm.WORK_TICKETS),
            Link(_("Desk KPIs"), "servicedesk:kpis", Perm.WORK_TICKETS),
            Link(_("E-mails to review"), "servicedesk:mail_review", Perm.MANAGE_DESK),
        ]))
        register_settings(
            Link(_("Desk teams"), "servicedesk:team_list", Perm.MANAGE_DESK),
            Link(_("Desk agents"), "servicedesk:agent_list", Perm.MANAGE_DESK),
            Link(_("Ticket categories"), "servicedesk:category_list", Perm.MANAGE_DESK),
            Link(_("SLA policies"), "servicedesk:slapolicy_list", Perm.MANAGE_DESK),
        )
