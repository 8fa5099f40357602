"""URLs of the Business Operations Strategy, under /bos/."""

from django.urls import path

from commonops.bos import views
from commonops.bos.workflows import BOS_WORKFLOW

app_name = "bos"

urlpatterns = [
    path("", views.bos_home, name="home"),
    path("strategies/<int:pk>/prioritisation/", views.prioritisation, name="prioritisation"),
    path("strategies/<int:pk>/results/", views.results_framework, name="results"),
    path("strategies/<int:pk>/plan/", views.plan, name="plan"),
    path("strategies/<int:pk>/report/", views.report, name="report"),
    path("strategies/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("strategies/<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("strategies/<int:pk>/document.pdf", views.document_pdf, name="document_pdf"),
    path("strategies/<int:pk>/document.xlsx", views.document_xlsx, name="document_xlsx"),
    path("strategies/<int:pk>/cba-import/", views.cba_import, name="cba_import"),
    path("opportunities/<int:pk>/select/", views.opportunity_select,
         name="opportunity_select"),
    path("opportunities/<int:pk>/move-to-stocktake/", views.opportunity_move,
         name="opportunity_move"),
    path("opportunities/<int:pk>/kpis/add/", views.kpi_add, name="kpi_add"),
    path("grade-rates/import/", views.graderate_import, name="graderate_import"),
]

urlpatterns += BOS_WORKFLOW.urls()  # B1: submit, clear, endorse, sign-off, return
for pages in views.PAGES:
    urlpatterns += pages.urls()
