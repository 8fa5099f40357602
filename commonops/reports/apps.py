from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "commonops.reports"
    label = "reports"
    verbose_name = _("Performance")

    def ready(self):
        from commonops.core.navigation import Area, Link, register_area, register_landing
        from commonops.core.roles import Perm

        register_area(Area("reports", _("Performance"), [
            Link(_("Country dashboard"), "reports:country_home"),
            Link(_("Regions"), "reports:region_index", Perm.COMPARE_COUNTRIES),
            Link(_("All country teams"), "reports:hq", Perm.GLOBAL_REPORTS),
            Link(_("Agencies"), "reports:agency_index", Perm.COMPARE_COUNTRIES),
            Link(_("Administrative budgets"), "reports:adminbudget_list", Perm.EXPORT),
            Link(_("Import budgets"), "reports:adminbudget_import", Perm.MANAGE_BASELINES),
            Link(_("Report subscriptions"), "reports:subscription_list", Perm.EXPORT),
        ], order=5))
        register_landing(_landing)


def _landing(user, regions):
    """HQ readers land on the HQ page; a regional focal point of one region on that region's
    page (H3)."""
    from django.urls import reverse

    from commonops.core import access
    from commonops.core.roles import Perm
    from commonops.reports import queries

    if not regions and queries.sees_everything(user):
        return reverse("reports:hq")
    if len(regions) == 1 and access.can(user, Perm.COMPARE_COUNTRIES):
        return reverse("reports:region", args=[next(iter(regions))])
    return None
