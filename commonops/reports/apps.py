from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "commonops.reports"
    label = "reports"
    verbose_name = _("Performance")

    def ready(self):
        from commonops.core.navigation import Area, Link, register_area
        from commonops.core.roles import Perm

        register_area(Area("reports", _("Performance"), [
            Link(_("Country dashboard"), "reports:country_home"),
            Link(_("Regions"), "reports:region_index", Perm.COMPARE_COUNTRIES),
            Link(_("All country teams"), "reports:hq", Perm.GLOBAL_REPORTS),
            Link(_("Agencies"), "reports:agency_index", Perm.COMPARE_COUNTRIES),
            Link(_("Administrative budgets"), "reports:adminbudget_list", Perm.EXPORT),
            Link(_("Import budgets"), "reports:adminbudget_import", Perm.MANAGE_BASELINES),
            Link(_("Report subscriptions"), "reports:subscription_list", Perm.EXPORT),
        ]))
