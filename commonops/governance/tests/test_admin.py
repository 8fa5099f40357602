"""The governance admin, for global administrators: every model is there; saves go through
the governance actions (the rules apply, a refusal is a message, nothing changes); what the
rules derive is read-only; rows that only their workflow or their authors change are shown."""

import pytest
from django.apps import apps
from django.contrib.admin import site
from django.urls import reverse

from commonops.core.models import RoleAssignment
from commonops.core.roles import Role
from commonops.governance.models import (
    Action,
    ChairTerm,
    Escalation,
    Meeting,
    Membership,
    MinutesComment,
    MinutesItem,
)
from commonops.governance.tests.helpers import agency, user

pytestmark = pytest.mark.django_db


def test_every_governance_model_is_in_the_admin():
    missing = [model.__name__ for model in apps.get_app_config("governance").get_models()
               if getattr(model, "audited", False) and model not in site._registry]
    assert missing == []


def test_a_chair_term_recorded_in_the_admin_follows_g2(client, admin_user, omt):
    # through chair_term_create: without the UNCT's decision it is refused (G2)
    client.force_login(admin_user)
    count = ChairTerm.objects.count()
    response = client.post(reverse("admin:governance_chairterm_add"), {
        "omt": omt.pk, "role": "chair", "agency": agency("FAO").pk,
        "person": user("vn-omt-fao").pk, "starts_on": "2034-01-01", "ends_on": "2034-12-31"},
        follow=True)
    assert "decision on the chair rotation (G2)" in response.content.decode()
    assert ChairTerm.objects.count() == count


def test_a_seat_given_an_alternate_in_the_admin_gives_the_alternate_its_role(
        client, admin_user, omt):
    # through membership_update, which keeps the roles of the seats (G1)
    seat = Membership.objects.get(omt=omt, agency__acronym="UNIDO")
    staff = user("vn-staff")
    client.force_login(admin_user)
    response = client.post(reverse("admin:governance_membership_change", args=[seat.pk]), {
        "omt": omt.pk, "agency": seat.agency_id, "member": seat.member_id,
        "alternate": staff.pk, "since": seat.since.isoformat()})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.get(pk=seat.pk).alternate == staff
    assert RoleAssignment.objects.filter(user=staff, role=Role.OMT_ALTERNATE,
                                         country=omt.country).exists()


def test_what_the_rules_derive_is_read_only_and_a_done_action_stays_done(client, admin_user):
    meeting = Meeting.objects.filter(country__iso_code="VN", status="held").first()
    client.force_login(admin_user)
    page = client.get(reverse("admin:governance_meeting_change", args=[meeting.pk]))
    form = page.context["adminform"].form
    assert not {"status", "agenda_sent_at", "agenda_late", "country"} & set(form.fields)
    done = Action.objects.filter(country__iso_code="VN", status="done").first()
    response = client.post(reverse("admin:governance_action_change", args=[done.pk]), {
        "omt": done.omt_id, "title": "Rewritten", "owner_person": done.owner_person_id or "",
        "owner_agency": done.owner_agency_id or "", "due_on": done.due_on.isoformat()},
        follow=True)
    assert "A done action is not changed." in response.content.decode()
    assert Action.objects.get(pk=done.pk).title == done.title


def test_minutes_items_comments_and_escalations_are_shown_not_changed(client, admin_user):
    client.force_login(admin_user)
    request = client.get("/").wsgi_request
    for model in (MinutesItem, MinutesComment, Escalation):
        admin = site._registry[model]
        assert not admin.has_add_permission(request)
        assert not admin.has_change_permission(request)
        assert not admin.has_delete_permission(request)
    item = MinutesItem.objects.filter(country__iso_code="VN").first()
    assert client.get(reverse("admin:governance_minutesitem_change",
                              args=[item.pk])).status_code == 200  # shown
