"""Single sign-on through OpenID Connect (mozilla-django-oidc), set up by settings alone
(OIDC_* in docs/deployment.md).

The identity provider says who signs in; CommonOps says what they may do. A sign-on is
matched to the active CommonOps person with the same e-mail address (a provider that marks
it unverified is refused) or, with OIDC_MATCH_CLAIM=preferred_username, the same user name.
Nobody is created and nothing of the person is changed: people and their roles are managed
in CommonOps, so an unknown sign-on is turned away with a message on the login page.
"""

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class PersonBackend(OIDCAuthenticationBackend):
    def _match_value(self, claims) -> str:
        return str(claims.get(settings.OIDC_MATCH_CLAIM) or "").strip()

    def verify_claims(self, claims):
        if not self._match_value(claims):
            return False
        if settings.OIDC_MATCH_CLAIM == "email" and claims.get("email_verified") is False:
            return False
        return True

    def filter_users_by_claims(self, claims):
        value = self._match_value(claims)
        people = self.UserModel.objects.filter(is_active=True)
        if not value:
            return people.none()
        if settings.OIDC_MATCH_CLAIM == "email":
            return people.filter(email__iexact=value)
        return people.filter(username=value)

    def update_user(self, user, claims):
        return user
