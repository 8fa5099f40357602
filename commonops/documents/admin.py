"""Admin of documents and knowledge. Documents, versions, requests and the access log are
read-only here (files and classifications change only through the actions, D1–D3), and
documents are scoped by D1 like the pages."""

from django.contrib import admin

from commonops.core.admin import ScopedAdmin
from commonops.documents.models import (
    AccessLog,
    Document,
    DocumentRequest,
    Expert,
    KnowledgeItem,
    Template,
)


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "area", "classification", "owner", "dated", "country"]
    list_filter = ["classification", "area", "country"]
    search_fields = ["title", "tags"]
    exclude = ["search_text"]

    def get_queryset(self, request):
        return Document.objects.visible_to(request.user)


@admin.register(DocumentRequest)
class DocumentRequestAdmin(ReadOnlyAdmin):
    list_display = ["document", "agency", "status", "created_at", "country"]
    list_filter = ["status", "country"]

    def get_queryset(self, request):
        return DocumentRequest.objects.visible_to(request.user)


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "file_name", "how", "country"]
    list_filter = ["how", "country"]


@admin.register(KnowledgeItem)
class KnowledgeItemAdmin(ScopedAdmin):
    list_display = ["title", "country", "service_line", "year"]
    list_filter = ["service_line", "year"]
    search_fields = ["title", "summary"]
    filter_horizontal = ["attachments"]


@admin.register(Expert)
class ExpertAdmin(ScopedAdmin):
    list_display = ["name", "region", "availability", "languages"]
    list_filter = ["region", "availability"]
    search_fields = ["name", "skills"]


@admin.register(Template)
class TemplateAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "current_version"]
    list_filter = ["kind"]
