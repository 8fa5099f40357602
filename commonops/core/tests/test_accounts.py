"""No account takeover: nobody sets another person's password, a manager changes a person only
when holding every right that person holds, in pages, API and admin (issue: security 1, 2, 9).

Personas: vn-chair manages Viet Nam's people but holds fewer rights than vn-rc (the RC signs
off the BOS and searches the audit trail); the auditor and the administrator are global
accounts; sn-staff is an outsider.
"""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from commonops.core import access
from commonops.core.models import AuditEntry, Country, RoleAssignment, User
from commonops.core.roles import Role
from commonops.core.rules import holds_every_right

pytestmark = pytest.mark.django_db


def _user(username):
    return User.objects.get(username=username)


def _staff_member(username="vn-newcomer", **extra):
    viet_nam = Country.objects.get(iso_code="VN")
    person = User.objects.create(username=username, email=f"{username}@example.org",
                                 duty_country=viet_nam, **extra)
    RoleAssignment.objects.create(user=person, role=Role.STAFF, country=viet_nam)
    return person


# --- the rule ---------------------------------------------------------------------------------


def test_a_manager_holds_every_right_only_where_and_as_widely_as_the_person():
    vn, jo = 1, 2
    chair = {"people": (False, frozenset({vn})), "view": (False, frozenset({vn}))}
    assert holds_every_right(chair, {"view": (False, frozenset({vn}))})
    assert holds_every_right(chair, {})
    assert not holds_every_right(chair, {"view": (False, frozenset({vn, jo}))})
    assert not holds_every_right(chair, {"view": (True, frozenset())})
    assert not holds_every_right(chair, {"sign_off": (False, frozenset({vn}))})
    everywhere = {"view": (True, frozenset()), "sign_off": (True, frozenset())}
    assert holds_every_right(everywhere, {"view": (False, frozenset({vn, jo})),
                                          "sign_off": (True, frozenset())})


def test_the_chair_may_change_a_staff_member_but_not_the_rc_auditor_or_admin():
    chair = _user("vn-chair")
    assert access.can_manage(chair, _user("vn-staff"))
    for username in ("vn-rc", "auditor", "admin"):
        target = _user(username)
        target.duty_country = Country.objects.get(iso_code="VN")
        assert not access.can_manage(chair, target), username


# --- API: issue 16 item 1 ---------------------------------------------------------------------


def test_the_chair_cannot_set_the_rcs_password_through_the_api(api):
    rc = _user("vn-rc")
    response = api(_user("vn-chair")).patch(reverse("person-detail", args=[rc.pk]),
                                            {"password": "taken-over-2026"}, format="json")
    assert response.status_code in (400, 403)
    rc.refresh_from_db()
    assert not rc.check_password("taken-over-2026")
    assert rc.check_password("commonops-demo")


def test_nobody_sets_even_a_staff_members_password_through_the_api(api):
    staff = _user("vn-staff")
    response = api(_user("vn-chair")).patch(reverse("person-detail", args=[staff.pk]),
                                            {"password": "taken-over-2026"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()["error"]["fields"]
    staff.refresh_from_db()
    assert not staff.check_password("taken-over-2026")


def test_a_new_account_through_the_api_gets_no_password_from_its_creator(api):
    response = api(_user("vn-chair")).post(reverse("person-list"), {
        "username": "vn-new", "email": "new@example.org", "password": "1",
        "duty_country": Country.objects.get(iso_code="VN").pk}, format="json")
    assert response.status_code == 400
    assert not User.objects.filter(username="vn-new").exists()
    response = api(_user("vn-chair")).post(reverse("person-list"), {
        "username": "vn-new", "email": "new@example.org",
        "duty_country": Country.objects.get(iso_code="VN").pk}, format="json")
    assert response.status_code == 201
    assert not User.objects.get(username="vn-new").has_usable_password()


def test_the_chair_cannot_deactivate_the_rc_or_an_auditor_on_duty_in_viet_nam(api):
    auditor = _user("auditor")
    auditor.duty_country = Country.objects.get(iso_code="VN")
    auditor.save()
    chair = api(_user("vn-chair"))
    for person in (_user("vn-rc"), auditor):
        response = chair.patch(reverse("person-detail", args=[person.pk]),
                               {"is_active": False, "email": "mine@example.org"},
                               format="json")
        assert response.status_code == 403, person
        person.refresh_from_db()
        assert person.is_active and person.email != "mine@example.org"
    assert chair.delete(reverse("person-detail", args=[_user("vn-rc").pk])).status_code == 403
    assert User.objects.filter(username="vn-rc").exists()


def test_a_person_changes_their_own_password_through_the_api_under_the_password_rules(api):
    member = _user("vn-member")
    url = reverse("person-password", args=[member.pk])
    client = api(member)
    response = client.post(url, {"current_password": "commonops-demo", "new_password": "1"},
                           format="json")
    assert response.status_code == 400
    assert "new_password" in response.json()["error"]["fields"]
    response = client.post(url, {"current_password": "wrong", "new_password":
                                 "a-long-and-fresh-secret-2026"}, format="json")
    assert response.status_code == 400
    response = client.post(url, {"current_password": "commonops-demo", "new_password":
                                 "a-long-and-fresh-secret-2026"}, format="json")
    assert response.status_code == 204
    member.refresh_from_db()
    assert member.check_password("a-long-and-fresh-secret-2026")


def test_nobody_uses_the_password_step_on_another_person(api):
    staff = _user("vn-staff")
    response = api(_user("vn-chair")).post(reverse("person-password", args=[staff.pk]), {
        "current_password": "commonops-demo", "new_password": "a-long-and-fresh-secret-2026"},
        format="json")
    assert response.status_code == 403
    staff.refresh_from_db()
    assert staff.check_password("commonops-demo")


def test_a_manager_sends_a_reset_link_by_email_and_the_person_sets_the_password(api, client):
    staff = _user("vn-staff")
    response = api(_user("vn-chair")).post(reverse("person-password-reset", args=[staff.pk]))
    assert response.status_code == 204
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [staff.email]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    response = client.post(response.redirect_chain[-1][0], {
        "new_password1": "my-own-secret-2026-x", "new_password2": "my-own-secret-2026-x"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("my-own-secret-2026-x")


def test_the_chair_cannot_send_the_rc_a_reset_link(api):
    rc = _user("vn-rc")
    response = api(_user("vn-chair")).post(reverse("person-password-reset", args=[rc.pk]))
    assert response.status_code == 403
    assert not mail.outbox


# --- pages --------------------------------------------------------------------------------------


def test_the_person_form_has_no_password_and_the_chair_cannot_edit_the_rc(login):
    client = login(_user("vn-chair"))
    response = client.get(reverse("core:person_add"))
    assert response.status_code == 200
    assert 'type="password"' not in response.content.decode()
    rc = _user("vn-rc")
    response = client.post(reverse("core:person_edit", args=[rc.pk]), {
        "username": "vn-rc", "email": "chair@example.org", "is_active": ""})
    assert response.status_code == 403
    rc.refresh_from_db()
    assert rc.is_active and rc.email != "chair@example.org"
    assert client.post(reverse("core:person_delete", args=[rc.pk])).status_code == 403


def test_the_person_page_sends_the_reset_link(login):
    staff = _user("vn-staff")
    client = login(_user("vn-chair"))
    page = client.get(staff.get_absolute_url()).content.decode()
    assert reverse("core:person_password_reset", args=[staff.pk]) in page
    response = client.post(reverse("core:person_password_reset", args=[staff.pk]))
    assert response.status_code == 302
    assert mail.outbox[0].to == [staff.email]
    rc = _user("vn-rc")
    assert reverse("core:person_password_reset", args=[rc.pk]) not in client.get(
        rc.get_absolute_url()).content.decode()
    assert client.post(reverse("core:person_password_reset", args=[rc.pk])).status_code == 403


def test_anyone_asks_for_a_reset_link_without_learning_whether_an_account_exists(client):
    for address in ("vn-member@commonops.example", "nobody@example.org"):
        response = client.post(reverse("password_reset"), {"email": address})
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
    assert [m.to for m in mail.outbox] == [["vn-member@commonops.example"]]


# --- admin: issue 16 item 2 ------------------------------------------------------------------


def _country_staff_with_every_model_permission():
    chair = _user("vn-chair")
    chair.is_staff = True
    chair.save()
    chair.user_permissions.add(*Permission.objects.filter(content_type__app_label="core"))
    return chair


def test_a_country_scoped_staff_account_cannot_make_itself_superuser_in_the_admin(login):
    chair = _country_staff_with_every_model_permission()
    client = login(chair)
    url = reverse("admin:core_user_change", args=[chair.pk])
    assert client.get(url).status_code == 302
    client.post(url, {"username": chair.username, "is_superuser": "on", "is_staff": "on",
                      "is_active": "on", "date_joined_0": "2025-01-01",
                      "date_joined_1": "00:00:00",
                      "role_assignments-TOTAL_FORMS": "0",
                      "role_assignments-INITIAL_FORMS": "0"})
    chair.refresh_from_db()
    assert not chair.is_superuser


def test_a_country_scoped_staff_account_does_not_read_the_audit_trail_in_the_admin(login):
    client = login(_country_staff_with_every_model_permission())
    response = client.get(reverse("admin:core_auditentry_changelist"))
    assert response.status_code == 302


def _global_administrator():
    person = User.objects.create(username="hq-admin", email="hq-admin@example.org",
                                 is_staff=True)
    RoleAssignment.objects.create(user=person, role=Role.ADMINISTRATOR)
    person.user_permissions.add(*Permission.objects.filter(content_type__app_label="core"))
    return person


def test_a_global_administrator_cannot_tick_superuser_nor_set_a_password(login):
    person = _global_administrator()
    client = login(person)
    url = reverse("admin:core_user_change", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    staff = _user("vn-staff")
    assert client.get(reverse("admin:auth_user_password_change", args=[staff.pk])
                      ).status_code == 403
    # a superuser holds rights no administrator role holds: the admin will not change it
    admin = _user("admin")
    # refused: a 403, or the admin's refusal message back on the same page
    refused = client.post(reverse("admin:core_user_change", args=[admin.pk]), {
        "username": "admin", "email": "taken@example.org"})
    assert refused.status_code == 403 or (
        refused.status_code == 302 and refused.url == reverse("admin:core_user_change",
                                                              args=[admin.pk]))
    admin.refresh_from_db()
    assert admin.email != "taken@example.org"


def test_the_admin_gives_no_role_beyond_the_givers_rights(login):
    person = _global_administrator()
    client = login(person)
    viet_nam = Country.objects.get(iso_code="VN")
    response = client.post(reverse("admin:core_roleassignment_add"), {
        "user": person.pk, "role": Role.RC, "country": viet_nam.pk})
    assert response.status_code == 200  # the form again, with the refusal
    assert not RoleAssignment.objects.filter(user=person, role=Role.RC).exists()


def test_the_admin_audit_trail_holds_what_the_audit_page_holds(login, viet_nam):
    person = _global_administrator()
    RoleAssignment.objects.filter(user=person).delete()
    RoleAssignment.objects.create(user=person, role=Role.RC, country=viet_nam)
    # not a global administrator any more: no admin at all
    assert login(person).get(reverse("admin:core_auditentry_changelist")).status_code == 302
    assert AuditEntry.objects.exclude(country=viet_nam).exists()
