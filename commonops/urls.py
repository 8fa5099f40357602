from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# each app's api module registers its endpoints on the shared router
import commonops.bos.api  # noqa: F401
import commonops.commonservices.api  # noqa: F401
import commonops.compacts.api  # noqa: F401
import commonops.core.api  # noqa: F401
import commonops.documents.api  # noqa: F401
import commonops.governance.api  # noqa: F401
import commonops.reports.api  # noqa: F401
import commonops.results.api  # noqa: F401
import commonops.servicedesk.api  # noqa: F401
import commonops.surveys.api  # noqa: F401
import commonops.workplans.api  # noqa: F401
from commonops.core import accounts, two_factor
from commonops.core import views as core_views
from commonops.core.api_base import api_not_found, router

admin.site.site_header = "CommonOps"
admin.site.site_title = "CommonOps admin"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("areas/<slug:key>/", core_views.area_page, name="area"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/second-factor/", two_factor.second_factor, name="second_factor"),
    path("accounts/two-factor/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(),
         name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    # Nobody sets another person's password: a forgotten or first password is set through
    # Django's one-time reset link, asked for here or sent by a people manager.
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(),
         name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/",
         auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("accounts/password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("accounts/profile/", core_views.profile, name="profile"),
    path("accounts/profile/token/", core_views.token_create, name="token_create"),
    path("accounts/profile/token/delete/", core_views.token_delete, name="token_delete"),
    path("country/switch/", core_views.switch_country, name="switch_country"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/", include("commonops.core.urls")),
    path("omt/", include("commonops.governance.urls")),
    path("results/", include("commonops.results.urls")),
    path("bos/", include("commonops.bos.urls")),
    path("services/", include("commonops.commonservices.urls")),
    path("surveys/", include("commonops.surveys.urls")),
    path("desk/", include("commonops.servicedesk.urls")),
    path("workplans/", include("commonops.workplans.urls")),
    path("compacts/", include("commonops.compacts.urls")),
    path("documents/", include("commonops.documents.urls")),
    path("reports/", include("commonops.reports.urls")),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"),
         name="api_docs"),
    path("admin/", admin.site.urls),
    re_path(r"^api/.*/$", api_not_found),  # without the slash, APPEND_SLASH redirects first
]
if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

# A database blip is a 503 with Retry-After; anything else the product's own 500 page.
handler500 = "commonops.core.security.server_error"
