from django.urls import path

from commonops.documents import views
from commonops.documents.workflows import REQUEST_WORKFLOW

app_name = "documents"

urlpatterns = [
    path("", views.repository, name="repository"),
    path("search/", views.search, name="search"),
    *views.DocumentPages.urls(),
    path("repository/<int:pk>/versions/", views.version_add, name="version_add"),
    path("repository/<int:pk>/preview/", views.document_preview, name="document_preview"),
    path("document-versions/<int:pk>/", views.version_download, name="version_download"),
    path("document-versions/<int:pk>/preview/", views.version_preview, name="version_preview"),
    path("requests/add/", views.request_create, name="request_add"),
    *views.DocumentRequestPages.urls(),
    *REQUEST_WORKFLOW.urls(),
    path("stored/<int:content_type_id>/<int:object_id>/", views.stored_file,
         name="stored_file"),
    path("access-log/", views.access_log, name="access_log"),
    *views.KnowledgeItemPages.urls(),
    *views.ExpertPages.urls(),
    path("experts/<int:pk>/support/", views.support_request, name="support_request"),
    *views.TemplatePages.urls(),
    path("templates/<int:pk>/versions/", views.template_version_add,
         name="template_version_add"),
    path("templates/<int:pk>/use/", views.template_use, name="template_use"),
    path("template-versions/<int:pk>/", views.template_download, name="template_download"),
]
