"""A people manager sends a link; the person sets their own password with it, on a phone,
in French too."""

import re

import pytest
from django.core import mail

from commonops.core.models import Country, RoleAssignment, User
from commonops.core.roles import Role
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_a_new_person_sets_their_own_password_from_the_chairs_link(page, phone):
    viet_nam = Country.objects.get(iso_code="VN")
    person, _ = User.objects.get_or_create(username="vn-browser-newcomer", defaults={
        "email": "newcomer@example.org", "first_name": "Lan", "last_name": "Pham",
        "duty_country": viet_nam})
    person.set_unusable_password()
    person.save()
    RoleAssignment.objects.get_or_create(user=person, role=Role.STAFF, country=viet_nam)
    mail.outbox = []
    log_in(page, "vn-chair")
    page.goto(page.base + person.get_absolute_url())
    page.get_by_role("button", name="Send a link to set the password").click()
    assert page.get_by_text("A link to set a new password was sent").is_visible()
    screenshot(page, "person-reset-link-sent")
    link = re.search(r"https?://\S+/reset/\S+/", mail.outbox[-1].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    phone.goto(phone.base + path)
    phone.fill("#id_new_password1", "lan-pham-own-secret-26")
    phone.fill("#id_new_password2", "lan-pham-own-secret-26")
    screenshot(phone, "password-set-phone")
    phone.get_by_role("button", name="Set the password").click()
    assert phone.get_by_text("Your password is set").is_visible()
    person.refresh_from_db()
    assert person.check_password("lan-pham-own-secret-26")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360


def test_the_forgotten_password_page_in_french_on_a_phone(phone):
    phone.goto(phone.base + "/accounts/login/")
    phone.get_by_role("link", name="Forgotten your password?").click()
    if not phone.locator("#language-select").is_visible():
        phone.click("#menu .menu-button")  # the menu opens on a phone (a checkbox's label)
    phone.select_option("#language-select", "fr")
    with phone.expect_navigation():
        phone.click(".language button")
    assert phone.locator("h1").inner_text() == "Mot de passe oublié"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "password-forgotten-fr-phone")
