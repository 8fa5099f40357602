"""Logins and tokens: failed-login lockout, the API's rate limit, tokens that expire and die
with a password change, single sign-on through OpenID Connect, and the second factor."""

import time
from datetime import timedelta

import jwt
import pytest
from django.urls import reverse
from django.utils import formats, timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from commonops.core.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "commonops-demo"


def _lands_in_the_product(client) -> bool:
    """Home answers, or sends the person on to the view of their scope (never to a sign-in
    or second-factor page)."""
    response = client.get(reverse("home"), follow=True)
    held = (reverse("login"), reverse("second_factor"), reverse("two_factor_setup"))
    return response.status_code == 200 and not any(
        response.request["PATH_INFO"].startswith(path) for path in held)


def _log_in(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password},
                       **extra)


# -- failed logins ---------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_name_out_at_that_address(client, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _log_in(client, "vn-rc", "wrong").status_code == 200
    locked = _log_in(client, "vn-rc", "wrong")
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    # even the right password is refused while the lockout lasts
    assert _log_in(client, "vn-rc").status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_stops_neither_other_people_nor_other_addresses(client, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "vn-chair", "wrong")
    assert _log_in(client, "vn-member").status_code == 302
    client.logout()
    assert _log_in(client, "vn-chair", REMOTE_ADDR="10.1.2.3").status_code == 302


def test_a_right_password_before_the_limit_clears_the_count(client, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _log_in(client, "vn-cochair", "wrong")
    assert _log_in(client, "vn-cochair").status_code == 302
    client.logout()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _log_in(client, "vn-cochair", "wrong")
    assert _log_in(client, "vn-cochair").status_code == 302


def test_the_admin_login_counts_failures_too(client, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": "admin", "password": "wrong"})
    assert client.post(reverse("admin:login"), {"username": "admin",
                                                "password": "admin"}).status_code == 429


# -- the API's rate limit --------------------------------------------------------------------


def test_rapid_api_calls_are_throttled_per_person(api, vn_member, vn_chair, settings):
    settings.API_THROTTLE_RATES = {"user": "5/minute", "anon": "2/minute"}
    client = api(vn_member)
    assert [client.get("/api/countries/").status_code for _ in range(5)] == [200] * 5
    refused = client.get("/api/countries/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["error"]["code"] == "throttled"
    # another person has their own allowance
    assert api(vn_chair).get("/api/countries/").status_code == 200


def test_calls_without_sign_in_are_throttled_per_address(api, settings):
    # The schema is open to all, and costly to build: the address's allowance applies.
    settings.API_THROTTLE_RATES = {"user": "5/minute", "anon": "1/minute"}
    client = api()
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/schema/").status_code == 429
    assert client.get("/api/schema/", REMOTE_ADDR="10.9.8.7").status_code == 200


# -- tokens ----------------------------------------------------------------------------------


def _token_client(api, token):
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_a_token_expires_after_its_days(api, vn_member, settings):
    token, _ = Token.objects.get_or_create(user=vn_member)
    assert _token_client(api, token).get("/api/countries/").status_code == 200
    Token.objects.filter(pk=token.pk).update(
        created=timezone.now() - timedelta(days=settings.API_TOKEN_DAYS, minutes=1))
    response = _token_client(api, token).get("/api/countries/")
    assert response.status_code in (401, 403)  # not signed in
    assert "expired" in response.json()["error"]["message"]


def test_a_password_change_ends_the_token(api, vn_member):
    token, _ = Token.objects.get_or_create(user=vn_member)
    vn_member.set_password("a-new-long-passphrase-2031")
    vn_member.save()
    assert not Token.objects.filter(user=vn_member).exists()
    assert _token_client(api, token).get("/api/countries/").status_code in (401, 403)


def test_the_password_page_ends_the_token_too(client, api, vn_member):
    token, _ = Token.objects.get_or_create(user=vn_member)
    client.force_login(vn_member)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "a-new-long-passphrase-2031",
        "new_password2": "a-new-long-passphrase-2031"})
    assert response.status_code == 302
    assert _token_client(api, token).get("/api/countries/").status_code in (401, 403)


def test_saving_a_person_without_a_new_password_keeps_the_token(vn_member):
    token, _ = Token.objects.get_or_create(user=vn_member)
    vn_member.job_title = "Procurement officer"
    vn_member.save()
    assert Token.objects.filter(pk=token.pk).exists()


def test_the_profile_says_when_the_token_expires(client, vn_member, settings):
    token, _ = Token.objects.get_or_create(user=vn_member)
    client.force_login(vn_member)
    page = client.get(reverse("profile")).content.decode()
    expires = token.created + timedelta(days=settings.API_TOKEN_DAYS)
    assert formats.date_format(timezone.localtime(expires), "DATE_FORMAT") in page


# -- single sign-on --------------------------------------------------------------------------

SSO_SECRET = "client-secret-of-the-test-provider-0123456789"


@pytest.fixture
def sso(settings, monkeypatch):
    """An OpenID Connect provider set up by settings alone; its token and user-info
    endpoints answered in process."""
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "commonops"
    settings.OIDC_RP_CLIENT_SECRET = SSO_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example.org/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example.org/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example.org/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = ""
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_RP_SCOPES = "openid email profile"
    settings.OIDC_CREATE_USER = False
    settings.OIDC_MATCH_CLAIM = "email"
    settings.OIDC_PROVIDER_NAME = "UN Identity"
    settings.LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS,
                                        "commonops.core.sso.PersonBackend"]
    settings.ROOT_URLCONF = "commonops.core.tests.urls_with_sso"
    provider = {"claims": {}}

    def answer(data):
        import json

        import requests

        response = requests.Response()
        response.status_code = 200
        response.headers["Content-Type"] = "application/json"
        response._content = json.dumps(data).encode()
        return response

    def token_endpoint(url, **kwargs):
        assert url == settings.OIDC_OP_TOKEN_ENDPOINT
        id_token = jwt.encode({"iss": "https://idp.example.org", "aud": "commonops",
                               "sub": "42", "nonce": provider["nonce"],
                               "exp": int(time.time()) + 300}, SSO_SECRET, algorithm="HS256")
        return answer({"id_token": id_token, "access_token": "access-token"})

    def userinfo_endpoint(url, **kwargs):
        assert url == settings.OIDC_OP_USER_ENDPOINT
        return answer(provider["claims"])

    import mozilla_django_oidc.auth

    monkeypatch.setattr(mozilla_django_oidc.auth.requests, "post", token_endpoint)
    monkeypatch.setattr(mozilla_django_oidc.auth.requests, "get", userinfo_endpoint)
    return provider


def _sign_on(client, provider, claims):
    from urllib.parse import parse_qs, urlparse

    page = client.get(reverse("login")).content.decode()
    assert "Sign in with UN Identity" in page
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302 and start["Location"].startswith(
        "https://idp.example.org/authorize")
    query = parse_qs(urlparse(start["Location"]).query)
    provider["nonce"] = query["nonce"][0]
    provider["claims"] = claims
    return client.get(reverse("oidc_authentication_callback"),
                      {"code": "the-code", "state": query["state"][0]})


def test_single_sign_on_signs_in_the_person_with_that_e_mail(client, sso, vn_chair):
    response = _sign_on(client, sso, {"sub": "42", "email": vn_chair.email.upper(),
                                      "email_verified": True})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(vn_chair.pk)
    assert User.objects.filter(email__iexact=vn_chair.email).count() == 1


def test_single_sign_on_creates_nobody(client, sso):
    people = User.objects.count()
    response = _sign_on(client, sso, {"sub": "43", "email": "stranger@example.org",
                                      "email_verified": True})
    assert response.status_code == 302 and "sso=failed" in response["Location"]
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == people
    page = client.get(response["Location"]).content.decode()
    assert "did not find you" in page


def test_single_sign_on_refuses_an_unverified_e_mail(client, sso, vn_chair):
    response = _sign_on(client, sso, {"sub": "42", "email": vn_chair.email,
                                      "email_verified": False})
    assert "sso=failed" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_single_sign_on_may_match_the_user_name_instead(client, sso, settings, vn_member):
    settings.OIDC_MATCH_CLAIM = "preferred_username"
    _sign_on(client, sso, {"sub": "44", "preferred_username": "vn-member"})
    assert client.session["_auth_user_id"] == str(vn_member.pk)


def test_single_sign_on_refuses_a_deactivated_person(client, sso, vn_member):
    User.objects.filter(pk=vn_member.pk).update(is_active=False)
    response = _sign_on(client, sso, {"sub": "45", "email": vn_member.email,
                                      "email_verified": True})
    assert "sso=failed" in response["Location"]


# -- the second factor -----------------------------------------------------------------------


def _code(device, ahead=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + ahead
    return f"{totp.token():06d}"


@pytest.fixture
def no_code_delay(settings):
    """django-otp makes each wrong code double the wait before the next try; the tests that
    try a wrong code and then the right one at once turn the wait off."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _wrong(device):
    return f"{(int(_code(device)) + 500_000) % 1_000_000:06d}"


def _set_up_authenticator(client, user):
    client.force_login(user)
    url = reverse("two_factor_setup")
    page = client.post(url, {"step": "start"})
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(url, {"step": "confirm", "code": _wrong(device)}).status_code == 400
    assert client.post(url, {"step": "confirm", "code": _code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    client.logout()
    return device


def test_a_global_role_may_add_an_authenticator_and_then_sign_in_needs_its_code(
        client, hq_analyst, no_code_delay):
    device = _set_up_authenticator(client, hq_analyst)
    assert _log_in(client, "hq-analyst").status_code == 302
    # half signed in: every page leads to the code page, the API says why it refuses
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("second_factor"))
    refused = client.get("/api/countries/")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "second_factor_required"
    assert client.get(reverse("admin:index")).status_code == 302
    wrong = client.post(reverse("second_factor"), {"code": "12345x", "next": "/"})
    assert wrong.status_code == 400
    done = client.post(reverse("second_factor"), {"code": _code(device, ahead=30),
                                                  "next": "/"})
    assert done.status_code == 302 and done["Location"] == "/"
    assert _lands_in_the_product(client)
    assert client.get("/api/countries/").status_code == 200


def test_without_an_authenticator_sign_in_is_one_step(client, hq_analyst):
    assert _log_in(client, "hq-analyst").status_code == 302
    assert _lands_in_the_product(client)


def test_a_country_role_has_no_authenticator_page(client, vn_member):
    client.force_login(vn_member)
    assert client.get(reverse("two_factor_setup")).status_code == 403


def test_required_second_factor_sends_a_global_role_to_set_one_up(client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    _log_in(client, "auditor")
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("two_factor_setup"))
    # a country role is not asked
    client.logout()
    _log_in(client, "vn-member")
    assert _lands_in_the_product(client)


def test_removing_the_authenticator_needs_a_current_code(client, hq_analyst, no_code_delay):
    device = _set_up_authenticator(client, hq_analyst)
    client.force_login(hq_analyst)
    url = reverse("two_factor_setup")
    assert client.post(url, {"step": "remove", "code": _wrong(device)}).status_code == 400
    assert TOTPDevice.objects.filter(user=hq_analyst).exists()
    assert client.post(url, {"step": "remove",
                             "code": _code(device, ahead=30)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=hq_analyst).exists()


def test_a_wrong_code_makes_the_next_try_wait(client, hq_analyst, no_code_delay, settings):
    device = _set_up_authenticator(client, hq_analyst)
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    _log_in(client, "hq-analyst")
    client.post(reverse("second_factor"), {"code": _wrong(device)})
    response = client.post(reverse("second_factor"), {"code": _code(device, ahead=30)})
    assert response.status_code == 400
    assert "Too many wrong codes" in response.content.decode()
