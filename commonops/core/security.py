"""The production posture of every request: response headers, the session's idle timeout,
the second factor, one-time form tokens, and a clean 503 when the database blinks.

Settings: PERMISSIONS_POLICY, SESSION_COOKIE_AGE (the idle timeout), the second-factor
settings of `commonops.core.two_factor`, CONTENT_SECURITY_POLICY (django-csp's middleware
sends it). See docs/deployment.md.
"""

import logging
import sys
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

# Seconds between two refreshes of a session's expiry (see SessionIdleMiddleware).
SESSION_TOUCH_SECONDS = 60
SESSION_TOUCH_KEY = "commonops_seen"
FORM_TOKEN_FIELD = "form_token"
# How long a database blip is expected to last: the Retry-After of a 503.
RETRY_AFTER_SECONDS = 5


class PermissionsPolicyMiddleware:
    """Sends `Permissions-Policy`: the browser features CommonOps never uses are off, so a
    script that got in could not turn on the camera, the microphone or the location."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SessionIdleMiddleware:
    """A sign-in ends after SESSION_COOKIE_AGE seconds without a request: the idle timeout.

    Django sets a session's expiry each time the session is saved. Saving it on every request
    (SESSION_SAVE_EVERY_REQUEST) would be one database write per page; marking it at most once
    a minute keeps the timeout exact to the minute for a fraction of the writes. A session
    that ends when the browser closes (the login page's choice) keeps that choice: its expiry
    age stays 0 and the server still drops it after the idle time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(SESSION_TOUCH_KEY, 0) >= SESSION_TOUCH_SECONDS:
                request.session[SESSION_TOUCH_KEY] = now
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="commonops_session_touch")
def _mark_session_fresh(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_TOUCH_KEY] = int(time.time())


class OneTimeFormTokenMiddleware:
    """A resubmitted form creates nothing twice.

    A form that creates something (a ticket, a meeting, an allocation, any object of the
    generic pages) carries a one-time token (`{% form_token %}`). The first post of a token
    records it before the view runs; a second post of the same token — a double click, the
    browser's "resend", a retry after a timeout — finds it and is sent to what the first one
    made instead of running again. The unique constraint decides between two posts that
    arrive together, as in `governance.tasks._claim`.

    A post that fails validation gives its token back (the form comes back with a new one).
    A post that failed in an unknown way keeps it: whether its change was saved is not known,
    so the person is told to check before sending a fresh form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = self._token(request)
        if token is None:
            return self.get_response(request)
        from commonops.core.models import FormSubmission

        try:
            with transaction.atomic():
                FormSubmission.objects.create(user=request.user, token=token)
        except IntegrityError:
            return self._already_sent(request, token)
        response = self.get_response(request)
        submissions = FormSubmission.objects.filter(user=request.user, token=token)
        if 300 <= response.status_code < 400 and response.has_header("Location"):
            submissions.update(result_url=response["Location"][:500])
        elif 400 <= response.status_code < 500:
            submissions.delete()
        return response

    @staticmethod
    def _token(request):
        if request.method != "POST" or not request.user.is_authenticated:
            return None
        token = request.POST.get(FORM_TOKEN_FIELD, "").strip()
        return token[:64] or None

    @staticmethod
    def _already_sent(request, token):
        from commonops.core.models import FormSubmission

        first = FormSubmission.objects.filter(user=request.user, token=token).first()
        target = first.result_url if first is not None else ""
        if target:
            messages.info(request, _("This form was already sent; here is what it made."))
        else:
            messages.warning(request, _("This form was already sent. Check whether it was "
                                        "saved before you fill in a new one."))
            referer = request.headers.get("Referer", "")
            target = referer if url_has_allowed_host_and_scheme(
                referer, allowed_hosts={request.get_host()},
                require_https=request.is_secure()) else reverse("home")
        return HttpResponseRedirect(target, status=303)


def _database_error(error) -> bool:
    """A database that cannot be reached or dropped the connection, at any depth of the
    exception chain (a failed session load surfaces later as an AttributeError)."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, (OperationalError, InterfaceError)):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def database_unavailable(request) -> HttpResponse:
    """503 with Retry-After: the database blinked (a restart, a failover); nothing of this
    request was saved, and the same request in a few seconds will work."""
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"error": {
            "status": 503, "code": "unavailable", "fields": {},
            "message": _("The service is briefly unavailable. Try again in a few seconds.")}},
            status=503)
    else:
        # A standalone page: the normal layout would read the session and the navigation
        # from the database that just failed.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request, *args, **kwargs):
    """handler500: a database blip is a 503 with Retry-After, anything else the product's own
    500 page. Django calls it while the exception is being handled."""
    error = sys.exc_info()[1]
    if _database_error(error):
        logger.warning("Database unavailable for %s %s: %r", request.method, request.path,
                       error)
        return database_unavailable(request)
    return django_server_error(request, *args, **kwargs)


def client_address(request) -> str | None:
    """The client's address for login throttling: REMOTE_ADDR, or behind the TLS proxy the
    address the proxy saw (the last X-Forwarded-For entry; earlier ones the client wrote)."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")
