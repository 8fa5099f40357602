from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BosConfig(AppConfig):
    name = "commonops.bos"
    label = "bos"
    verbose_name = _("Business Operations Strategy")

    def ready(self):
        from commonops.bos import attention  # noqa: F401  (registers providers)
        from commonops.core.navigation import Area, Link, register_area, register_settings
        from commonops.core.roles import Perm

        register_area(Area("bos", _("Business Operations Strategy"), order=20, links=[
            Link(_("Our BOS"), "bos:home"),
            Link(_("All BOS"), "bos:bos_list"),
            Link(_("Stock-take"), "bos:stocktakeentry_list"),
            Link(_("Opportunities"), "bos:opportunity_list"),
            Link(_("Annual results"), "bos:annualresult_list"),
        ]))
        register_settings(
            Link(_("Grade rates"), "bos:graderate_list", Perm.BOS_EDIT),
            Link(_("Import grade rates"), "bos:graderate_import", Perm.BOS_EDIT),
        )
