"""An optional second factor (TOTP, through django-otp) for people with a global role.

HQ analysts, auditors and administrators see every country: they may add an authenticator
app on their profile page (`two_factor_setup`). From then on, a sign-in — by password on the
login page or the admin's, or by single sign-on — is only half done until the six-digit code
is given (`second_factor`): until then SecondFactorMiddleware sends every page to the code
page and answers the API with 403. With TWO_FACTOR_REQUIRED, a person with a global role and
no authenticator is sent to set one up first.

The state is kept in the session, set once at sign-in, so a request of someone without a
second factor costs no query.
"""

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from commonops.core.roles import GLOBAL_ROLES

PENDING_KEY = "commonops_second_factor"  # "verify" or "setup" until the sign-in is complete
# Pages open while the second factor is pending (by URL name).
_OPEN_DURING_SECOND_FACTOR = {"second_factor", "two_factor_setup", "logout", "set_language",
                              "healthz"}


def holds_global_role(user) -> bool:
    return user.is_superuser or user.role_assignments.filter(role__in=GLOBAL_ROLES).exists()


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@receiver(user_logged_in, dispatch_uid="commonops_second_factor")
def _second_factor_on_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        request.session[PENDING_KEY] = "verify"
    elif settings.TWO_FACTOR_REQUIRED and holds_global_role(user):
        request.session[PENDING_KEY] = "setup"


class SecondFactorMiddleware:
    """Holds a half-done sign-in at the code page (or the set-up page) until it is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pending = request.session.get(PENDING_KEY) if hasattr(request, "session") else None
        if pending and request.user.is_authenticated and not self._open(request):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"error": {
                    "status": 403, "code": "second_factor_required", "fields": {},
                    "message": _("Finish signing in with your authenticator code first.")}},
                    status=403)
            page = "second_factor" if pending == "verify" else "two_factor_setup"
            return HttpResponseRedirect(
                reverse(page) + "?" + _next_query(request.get_full_path()))
        return self.get_response(request)

    @staticmethod
    def _open(request) -> bool:
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        match = getattr(request, "resolver_match", None)
        if match is None:
            from django.urls import Resolver404, resolve

            try:
                match = resolve(request.path_info)
            except Resolver404:
                return False
        return match.url_name in _OPEN_DURING_SECOND_FACTOR


def _next_query(path: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"next": path})


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("home")


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code from your authenticator app"),
                           max_length=8, widget=forms.TextInput(attrs={
                               "autocomplete": "one-time-code", "inputmode": "numeric",
                               "autofocus": True}))

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if self.device is None:
            raise forms.ValidationError(_("There is no authenticator to check this code with."))
        allowed, _data = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(_("Too many wrong codes. Wait a little and try again."))
        if not code.isdigit() or not self.device.verify_token(code):
            raise forms.ValidationError(_("This code is not right, or has expired. Enter the "
                                          "code your app shows now."))
        return code


@never_cache
@login_required
def second_factor(request):
    """The second half of a sign-in: the code from the person's authenticator app."""
    if request.session.get(PENDING_KEY) != "verify":
        return HttpResponseRedirect(_safe_next(request))
    device = confirmed_device(request.user)
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        del request.session[PENDING_KEY]
        return HttpResponseRedirect(_safe_next(request))
    return render(request, "registration/second_factor.html",
                  {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
                  status=400 if form.errors else 200)


def _qr_svg(url: str) -> str:
    # Inline SVG (no inline style or script): allowed by the Content-Security-Policy.
    return segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=False)


@never_cache
@login_required
def two_factor_setup(request):
    """Add, confirm or remove the authenticator app (people with a global role)."""
    user = request.user
    if not holds_global_role(user):
        raise PermissionDenied
    device = confirmed_device(user)
    step = request.POST.get("step", "")
    form = None
    if device is None:
        pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if request.method == "POST" and step == "start":
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            pending = TOTPDevice.objects.create(user=user, name=_("Authenticator app"),
                                                confirmed=False)
        if pending is not None:
            form = CodeForm(request.POST if step == "confirm" else None, device=pending)
            if step == "confirm" and form.is_valid():
                pending.confirmed = True
                pending.save(update_fields=["confirmed"])
                otp_login(request, pending)
                request.session.pop(PENDING_KEY, None)
                messages.success(request, _("Your authenticator app is set up. Sign-ins now "
                                            "ask for its code."))
                return HttpResponseRedirect(_safe_next(request))
        context = {"pending": pending, "form": form,
                   "qr": _qr_svg(pending.config_url) if pending else "",
                   "secret": _b32(pending) if pending else ""}
    else:
        form = CodeForm(request.POST if step == "remove" else None, device=device)
        if step == "remove" and form.is_valid():
            if settings.TWO_FACTOR_REQUIRED:
                raise PermissionDenied
            TOTPDevice.objects.filter(user=user).delete()
            messages.success(request, _("Your authenticator app is removed. Sign-ins no "
                                        "longer ask for a code."))
            return HttpResponseRedirect(reverse("two_factor_setup"))
        context = {"device": device, "form": form}
    context["required"] = settings.TWO_FACTOR_REQUIRED
    context["next"] = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "registration/two_factor_setup.html", context,
                  status=400 if form is not None and form.errors else 200)


def _b32(device) -> str:
    from base64 import b32encode

    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))
