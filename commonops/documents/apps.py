from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "commonops.documents"
    label = "documents"
    verbose_name = _("Documents and knowledge")

    def ready(self):
        from commonops.core.navigation import Area, Link, register_area
        from commonops.documents import attention  # noqa: F401  (registers providers)

        register_area(Area("documents", _("Documents and knowledge"), [
            Link(_("Repository"), "documents:repository"),
            Link(_("Search"), "documents:search"),
            Link(_("Requests"), "documents:request_list"),
            Link(_("Knowledge base"), "documents:knowledgeitem_list"),
            Link(_("Experts"), "documents:expert_list"),
            Link(_("Templates"), "documents:template_list"),
        ], order=70))
