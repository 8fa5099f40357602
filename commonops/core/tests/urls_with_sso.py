"""The project's URLs with single sign-on's, as commonops.urls has them when OIDC_CLIENT_ID
is set (it reads the setting once, at start-up)."""

from django.urls import include, path

from commonops.urls import handler500  # noqa: F401
from commonops.urls import urlpatterns as project_urls

urlpatterns = [*project_urls, path("oidc/", include("mozilla_django_oidc.urls"))]
