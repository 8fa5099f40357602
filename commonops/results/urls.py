from commonops.results import views

app_name = "results"

urlpatterns = [
    *views.IndicatorPages.urls(),
    *views.TargetPages.urls(),
    *views.MeasurementPages.urls(),
]
