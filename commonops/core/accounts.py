"""The login page: user name and password (throttled by django-axes), the choice to end the
session when the browser closes, and the single sign-on button when OpenID Connect is set
up (see commonops.core.sso)."""

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    end_on_close = forms.BooleanField(
        required=False,
        label=_("End my session when I close the browser (on a shared computer)"))


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("end_on_close"):
            # 0: the cookie lasts as long as the browser; the server still ends the session
            # after the idle timeout (SESSION_COOKIE_AGE).
            self.request.session.set_expiry(0)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.OIDC_ENABLED:
            context["sso_name"] = settings.OIDC_PROVIDER_NAME
            context["sso_failed"] = self.request.GET.get("sso") == "failed"
        return context
