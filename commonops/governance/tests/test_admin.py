"""The governance admin: every model is there, scoped like the pages; what the rules derive
cannot be changed there, and rows whose changes carry the rules are changed only through
the pages and the API."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from commonops.core.models import RoleAssignment
from commonops.core.roles import Role
from commonops.governance.models import Action, ChairTerm, Meeting, Membership

pytestmark = pytest.mark.django_db


def test_every_governance_model_is_in_the_admin():
    registered = set(admin.site._registry)
    missing = [model.__name__ for model in apps.get_app_config("governance").get_models()
               if getattr(model, "audited", False) and model not in registered]
    assert missing == []


def test_the_admin_lists_only_the_meetings_of_a_staff_members_scope(client, outsider):
    outsider.is_staff = True
    outsider.save()
    outsider.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    client.force_login(outsider)
    response = client.get(reverse("admin:governance_meeting_changelist"))
    assert response.status_code == 200 and response.context["cl"].result_count == 0
    viet_nam = Meeting.objects.filter(country__iso_code="VN").first()
    assert client.get(reverse("admin:governance_meeting_change",
                              args=[viet_nam.pk])).status_code == 302  # "does not exist"


def test_what_the_rules_derive_is_read_only_in_the_admin(client, admin_user):
    meeting = Meeting.objects.filter(country__iso_code="VN", status="held").first()
    client.force_login(admin_user)
    page = client.get(reverse("admin:governance_meeting_change", args=[meeting.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert not {"status", "agenda_sent_at", "agenda_late", "omt"} & set(form.fields)
    done = Action.objects.filter(country__iso_code="VN", status="done").first()
    page = client.get(reverse("admin:governance_action_change", args=[done.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]


def test_seats_and_chair_terms_change_only_through_the_pages(client, admin_user):
    # they give their holders their roles (G1, G2): a change outside the actions would
    # leave the roles behind
    client.force_login(admin_user)
    seat = Membership.objects.filter(country__iso_code="VN").first()
    term = ChairTerm.objects.filter(country__iso_code="VN").first()
    for name, obj in (("membership", seat), ("chairterm", term)):
        assert client.get(reverse(f"admin:governance_{name}_add")).status_code == 403
        url = reverse(f"admin:governance_{name}_change", args=[obj.pk])
        assert not client.get(url).context["has_change_permission"]
        assert client.post(reverse(f"admin:governance_{name}_delete",
                                   args=[obj.pk])).status_code == 403
    assert Membership.objects.filter(pk=seat.pk).exists()
    assert RoleAssignment.objects.filter(user=seat.member, role=Role.OMT_MEMBER).exists()
