"""API tokens that expire and die with a password change, and the API's rate limit.

A token (DRF's `authtoken`, made on the profile page or by `drf_create_token`) works for
API_TOKEN_DAYS after it was made. Changing a password — on the password page, by a reset
link, in the admin, with `changepassword` — deletes the person's token in the same save
(`_password_changed` below), as Django already ends their other sessions.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.throttling import SimpleRateThrottle


def token_expires_at(token):
    return token.created + timedelta(days=settings.API_TOKEN_DAYS)


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, refused once the token is API_TOKEN_DAYS old."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expires_at(token) <= timezone.now():
            raise exceptions.AuthenticationFailed(
                _("This token has expired. Make a new one on your profile page."))
        return user, token


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="commonops_token_password")
def _password_changed(sender, instance, **kwargs):
    # AbstractBaseUser.set_password() keeps the new raw password in `_password` until the
    # save that stores its hash is over: that save is a password change.
    if getattr(instance, "_password", None) is not None:
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user=instance).delete()


class ApiRateThrottle(SimpleRateThrottle):
    """At most API_THROTTLE_RATES["user"] calls per person, or ["anon"] per address for
    calls that are not signed in; then 429 with Retry-After.

    The rates are read from settings at each call (DRF's own throttles read them once, at
    import). The counts live in the default cache: per app server process unless CACHES
    names a shared cache.
    """

    scope = "api"

    def get_rate(self):
        return None

    def allow_request(self, request, view):
        signed_in = bool(request.user and request.user.is_authenticated)
        self.rate = settings.API_THROTTLE_RATES.get("user" if signed_in else "anon")
        if not self.rate:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return f"throttle_api_{ident}"
