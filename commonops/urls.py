from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

# each app's api module registers its endpoints on the shared router
import commonops.bos.api  # noqa: F401
import commonops.commonservices.api  # noqa: F401
import commonops.compacts.api  # noqa: F401
import commonops.core.api  # noqa: F401
import commonops.governance.api  # noqa: F401
import commonops.results.api  # noqa: F401
import commonops.servicedesk.api  # noqa: F401
import commonops.surveys.api  # noqa: F401
import commonops.workplans.api  # noqa: F401
from commonops.core import views as core_views
from commonops.core.api_base import router

admin.site.site_header = "CommonOps"
admin.site.site_title = "CommonOps admin"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(),
         name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
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
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("admin/", admin.site.urls),
]
