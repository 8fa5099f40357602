from django.urls import path

from commonops.commonservices import views
from commonops.commonservices.workflows import ALLOCATION_WORKFLOW, KEY_WORKFLOW

app_name = "commonservices"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("keys/<int:pk>/percentages/", views.key_percentages, name="key_percentages"),
    *KEY_WORKFLOW.urls(),  # S1: allocate
    path("allocations/add/", views.allocation_add, name="allocation_add"),
    *ALLOCATION_WORKFLOW.urls(),  # S1: recompute
    path("catalogue/<int:pk>/kpis/", views.service_kpis, name="service_kpis"),
    path("statements/", views.statement_index, name="statement_index"),
    path("statements/<int:agency_id>/<int:year>/", views.statement_page, name="statement"),
    path("statements/<int:agency_id>/<int:year>/pdf/", views.statement_pdf,
         name="statement_pdf"),
    path("statements/<int:agency_id>/<int:year>/xlsx/", views.statement_xlsx,
         name="statement_xlsx"),
    path("report/<int:year>/", views.annual_report, name="annual_report"),
    path("report/<int:year>/pdf/", views.annual_report_pdf, name="annual_report_pdf"),
    path("report/<int:year>/xlsx/", views.annual_report_xlsx, name="annual_report_xlsx"),
    path("agreements/<int:pk>/signed-copy/", views.agreement_signed_copy,
         name="agreement_signed_copy"),
    path("import/", views.import_index, name="import_index"),
    path("import/<slug:kind>/", views.import_page, name="import"),
]
for pages in views.PAGES:
    urlpatterns += pages.urls()
