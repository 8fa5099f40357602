"""URLs of annual work plans, the OMT annual report and BOS evaluations, under /workplans/."""

from django.urls import path

from commonops.workplans import views
from commonops.workplans.workflows import EVALUATION_WORKFLOW, WORK_PLAN_WORKFLOW

app_name = "workplans"

urlpatterns = [
    path("", views.home, name="home"),
    path("activities/<int:pk>/indicators/add/", views.indicator_add, name="indicator_add"),
    path("annual-report/", views.annual_report, name="annual_report"),
    path("annual-report.pdf", views.annual_report_pdf, name="annual_report_pdf"),
    path("annual-report.xlsx", views.annual_report_xlsx, name="annual_report_xlsx"),
]

urlpatterns += WORK_PLAN_WORKFLOW.urls()  # G9: submit, approve, return, carry over
urlpatterns += EVALUATION_WORKFLOW.urls()  # hand over into the next BOS's stock-take
for pages in views.PAGES:
    urlpatterns += pages.urls()
