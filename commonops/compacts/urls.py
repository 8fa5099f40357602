"""URLs of compacts and oversight, under /compacts/."""

from django.urls import path

from commonops.compacts import views
from commonops.compacts.workflows import COMPACT_WORKFLOW, RECOMMENDATION_WORKFLOW

app_name = "compacts"

urlpatterns = [
    path("", views.home, name="home"),
    path("compacts/<int:pk>/scorecard/", views.scorecard, name="scorecard"),
    path("offices/<int:pk>/comparison/", views.comparison, name="comparison"),
    path("figures/import/", views.figures_import, name="figures_import"),
]

urlpatterns += COMPACT_WORKFLOW.urls()  # C1: acknowledge, endorse, return, new version
urlpatterns += RECOMMENDATION_WORKFLOW.urls()  # C3: start, implement, close, reopen
for pages in views.PAGES:
    urlpatterns += pages.urls()
