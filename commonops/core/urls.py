from django.urls import path

from commonops.core import views

app_name = "core"

urlpatterns = [
    path("audit-entries/", views.audit_list, name="audit_list"),
    path("people/<int:pk>/password-reset/", views.person_password_reset,
         name="person_password_reset"),
]
for pages in views.ORGANISATION_PAGES:
    urlpatterns += pages.urls()
