from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonservicesConfig(AppConfig):
    name = "commonops.commonservices"
    label = "commonservices"
    verbose_name = _("Common services")

    def ready(self):
        from commonops.commonservices import attention  # noqa: F401  (registers providers)
        from commonops.core.navigation import Area, Link, register_area, register_settings
        from commonops.core.roles import Perm

        register_area(Area("commonservices", _("Common services"), order=30, links=[
            Link(_("Overview"), "commonservices:overview"),
            Link(_("Catalogue"), "commonservices:service_list"),
            Link(_("Agreements"), "commonservices:agreement_list"),
            Link(_("Contracts"), "commonservices:contract_list"),
            Link(_("Budgets"), "commonservices:budgetline_list"),
            Link(_("Cost-sharing keys"), "commonservices:costsharingkey_list"),
            Link(_("Headcounts"), "commonservices:headcount_list"),
            Link(_("Usage"), "commonservices:usage_list"),
            Link(_("Allocations"), "commonservices:allocation_list"),
            Link(_("Expenditures"), "commonservices:expenditure_list"),
            Link(_("Payments"), "commonservices:payment_list"),
            Link(_("Statements"), "commonservices:statement_index"),
            Link(_("Premises"), "commonservices:premises_list"),
            Link(_("Import"), "commonservices:import_index", Perm.MANAGE_COMMON_SERVICES),
        ]))
        register_settings(
            Link(_("Exchange rates"), "commonservices:exchangerate_list", Perm.MANAGE_REFERENCE))
