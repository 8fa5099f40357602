from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompactsConfig(AppConfig):
    name = "commonops.compacts"
    label = "compacts"
    verbose_name = _("Compacts and oversight")

    def ready(self):
        from commonops.compacts import actions, attention  # noqa: F401  (registers providers)
        from commonops.core.navigation import Area, Link, register_area
        from commonops.core.roles import Perm
        from commonops.results.actions import TARGET_LOCKS

        # C1: a signed compact's measures keep their targets, on every page and endpoint
        TARGET_LOCKS["compacts.performancemeasure"] = actions.locked_reason
        register_area(Area("compacts", _("Compacts and oversight"), [
            Link(_("My compact"), "compacts:home"),
            Link(_("Compacts"), "compacts:compact_list"),
            Link(_("Offices"), "compacts:office_list"),
            Link(_("Oversight recommendations"), "compacts:oversightrecommendation_list"),
            Link(_("Staff figures"), "compacts:stafffigure_list", Perm.COMPACT_DATA),
            Link(_("Compliance figures"), "compacts:compliancefigure_list", Perm.COMPACT_DATA),
            Link(_("Non-post spending"), "compacts:spendingfigure_list", Perm.COMPACT_DATA),
            Link(_("Documents by slot date"), "compacts:documentsubmission_list",
                 Perm.COMPACT_DATA),
            Link(_("Appeals"), "compacts:appealresponse_list", Perm.COMPACT_DATA),
            Link(_("Import figures"), "compacts:figures_import", Perm.COMPACT_DATA),
        ], order=75))
