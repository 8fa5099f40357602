from django.urls import path

from commonops.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("country/", views.country_home, name="country_home"),
    path("countries/<int:pk>/", views.country_dashboard, name="country"),
    path("countries/<int:pk>/report/", views.country_report, name="country_report"),
    path("countries/<int:pk>/bos-results.json", views.country_bos_results,
         name="country_bos_results"),
    path("regions/", views.region_index, name="region_index"),
    path("regions/<int:pk>/", views.region_page, name="region"),
    path("regions/<int:pk>/report/", views.region_report, name="region_report"),
    path("hq/", views.hq_page, name="hq"),
    path("hq/report/", views.global_report, name="global_report"),
    path("compare/", views.compare, name="compare"),
    path("agencies/", views.agency_index, name="agency_index"),
    path("agencies/<int:pk>/", views.agency_page, name="agency"),
    path("agencies/<int:pk>/report/", views.agency_report, name="agency_report"),
    path("prepared/", views.run_start, name="run_start"),
    path("prepared/<int:pk>/", views.run_detail, name="run_detail"),
    path("prepared/<int:pk>/report.pdf", views.run_file, {"fmt": "pdf"}, name="run_pdf"),
    path("prepared/<int:pk>/report.xlsx", views.run_file, {"fmt": "xlsx"}, name="run_xlsx"),
    path("subscriptions/", views.subscription_list, name="subscription_list"),
    path("subscriptions/<int:pk>/delete/", views.subscription_delete,
         name="subscription_delete"),
    path("admin-budgets/import/", views.admin_budget_import, name="adminbudget_import"),
    *views.AdminBudgetPages.urls(),
]
