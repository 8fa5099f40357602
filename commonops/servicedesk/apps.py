from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    name = "commonops.servicedesk"
    label = "servicedesk"
    verbose_name = _("Service desk")

    def ready(self):
        from commonops.core.navigation import Area, Link, register_area
        from commonops.core.roles import Perm
        from commonops.servicedesk import attention, queries  # noqa: F401  (register providers)

        register_area(Area("servicedesk", _("Service desk"), [
            Link(_("My requests"), "servicedesk:home", Perm.RAISE_TICKETS),
            Link(_("Raise a ticket"), "servicedesk:ticket_raise", Perm.RAISE_TICKETS),
            Link(_("Ticket queue"), "servicedesk:queue", Perm.WORK_TICKETS),
            Link(_("Desk KPIs"), "servicedesk:kpis", Perm.WORK_TICKETS),
            Link(_("E-mails to review"), "servicedesk:mail_review", Perm.MANAGE_DESK),
            Link(_("Teams"), "servicedesk:team_list", Perm.MANAGE_DESK),
            Link(_("Agents"), "servicedesk:agent_list", Perm.MANAGE_DESK),
            Link(_("Categories"), "servicedesk:category_list", Perm.MANAGE_DESK),
            Link(_("SLA policies"), "servicedesk:slapolicy_list", Perm.MANAGE_DESK),
        ]))
