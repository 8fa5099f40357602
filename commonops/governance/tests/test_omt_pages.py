"""The OMT's pages: its home and page (G1, G2, G3, G4, G11, G12), settings, the standing
update for the UNCT, members (G1), chair terms (G2) and task forces (G10)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commonops.core.models import Agency, AgencyPresence, Country
from commonops.core.testing import count_queries
from commonops.governance import actions
from commonops.governance.models import (
    ChairTerm,
    Meeting,
    Membership,
    Omt,
    TaskForce,
    TaskForceMember,
)
from commonops.governance.tests.helpers import (
    ZONE,
    agency,
    as_user,
    html,
    in_days,
    new_meeting,
    omt,
    rotation,
    user,
)

pytestmark = pytest.mark.django_db


def test_omt_home_takes_a_member_to_the_omt_of_their_country(client, vn_member):
    client.force_login(vn_member)
    response = client.get(reverse("governance:omt_home"))
    assert response.status_code == 302
    assert response["Location"] == omt().get_absolute_url()


def test_a_country_without_an_omt_lets_its_chair_create_it(client):
    jordan = Country.objects.get(iso_code="JO")
    c = as_user(client, "jo-chair")
    page = c.get(reverse("governance:omt_home"))
    assert page.status_code == 200 and "Create the OMT" in html(page)
    response = c.post(reverse("governance:omt_home"), {
        "name": "Operations Management Team", "secretariat": "rco",
        "comment_period_days": 5, "default_location": "UN House, Amman"})
    assert response.status_code == 302
    created = Omt.objects.get(country=jordan)
    assert response["Location"] == created.get_absolute_url()
    assert created.default_location == "UN House, Amman"


def test_a_country_without_an_omt_explains_it_to_staff_who_cannot_create_it(client):
    c = as_user(client, "jo-staff")
    page = c.get(reverse("governance:omt_home"))
    assert page.status_code == 200
    assert "has no OMT in CommonOps yet" in html(page) and "<form method=\"post\" class" \
        not in html(page)
    assert c.post(reverse("governance:omt_home"), {"name": "OMT", "secretariat": "rco",
                                                   "comment_period_days": 5}).status_code == 403
    assert not Omt.objects.filter(country__iso_code="JO").exists()


def test_creating_an_omt_with_bad_input_is_refused_with_a_message(client):
    c = as_user(client, "jo-chair")
    response = c.post(reverse("governance:omt_home"), {"name": "OMT", "secretariat": "rco",
                                                       "comment_period_days": 0})
    assert response.status_code == 400
    assert "at least one working day" in html(response)
    assert not Omt.objects.filter(country__iso_code="JO").exists()


def test_g1_omt_page_flags_each_member_without_an_alternate(client, vn_chair):
    client.force_login(vn_chair)
    page = html(client.get(omt().get_absolute_url()))
    assert 'id="members"' in page
    assert "2 members have no alternate (G1)" in page
    assert page.count("No alternate (G1)") == 2
    assert "UN-Habitat" in page and "UNIDO" in page


def test_g2_g12_omt_page_shows_the_chairs_secretariat_and_term_history(client, vn_member):
    client.force_login(vn_member)
    page = html(client.get(omt().get_absolute_url()))
    assert "Minh Nguyen" in page and "Sophie Martin" in page  # chair UNDP, co-chair UNICEF
    assert "Resident Coordinator&#x27;s Office" in page  # G12
    assert "Nga Phan" in page  # the secretary
    assert "Term history (4)" in page


def test_g3_months_without_a_meeting_are_flagged_on_the_omt_page(client, vn_chair):
    today = in_days(0)
    # A held meeting cannot be cancelled: take this month's meetings out to make the gap.
    Meeting.objects.filter(omt=omt(), starts_at__year=today.year,
                           starts_at__month=today.month).delete()
    client.force_login(vn_chair)
    page = html(client.get(omt().get_absolute_url()))
    assert "without a meeting this year (G3)" in page
    assert date(today.year, today.month, 1).strftime("%B %Y") in page


def test_g4_g11_omt_page_counts_actions_late_agendas_and_open_escalations(client, vn_chair):
    client.force_login(vn_chair)
    response = client.get(omt().get_absolute_url())
    page = html(response)
    counts = response.context["action_counts"]
    assert f"<strong>{counts['overdue']}</strong> overdue" in page
    assert f"?country={omt().country_id}&amp;state=overdue" in page
    late = Meeting.objects.filter(omt=omt(), agenda_late=True,
                                  starts_at__year=in_days(0).year).count()
    assert response.context["late_agendas"] == late
    if late:
        assert f"{late} agenda{'s' if late > 1 else ''} sent late this year (G4)" in page
    else:
        assert "Every agenda this year was sent on time (G4)." in page
    assert "Opening hours of the common clinic" in page  # an open escalation (G11)
    assert reverse("governance:unct_update", args=[omt().pk]) in page


def test_omt_settings_are_saved_by_the_chair_and_bad_input_changes_nothing(client, vn_chair):
    o = omt()
    client.force_login(vn_chair)
    url = reverse("governance:omt_edit", args=[o.pk])
    data = {"name": o.name, "secretariat": "chair_agency", "secretary": o.secretary_id,
            "me_focal_point": o.me_focal_point_id, "comment_period_days": 7,
            "default_location": o.default_location}
    assert client.post(url, {**data, "comment_period_days": 0}).status_code == 400
    assert Omt.objects.get(pk=o.pk).comment_period_days == 5
    assert client.post(url, data).status_code == 302
    o.refresh_from_db()
    assert (o.comment_period_days, o.secretariat) == (7, "chair_agency")


def test_omt_page_queries_stay_the_same_when_more_rows_exist(client, vn_chair):
    o, admin = omt(), user("admin")
    client.force_login(vn_chair)
    url = o.get_absolute_url()
    before = count_queries(client, url)
    assert before <= 20
    extra = Agency.objects.create(acronym="WFP-T", name="World Food Programme (test)")
    AgencyPresence.objects.create(country=o.country, agency=extra)
    actions.membership_create(by=admin, data={
        "agency": extra, "member": user("vn-staff"), "since": date(2026, 1, 1), "omt": o})
    actions.task_force_create(by=admin, data={
        "name": "HR task force", "service_line": "human_resources",
        "coordinating_agency": agency("UNFPA"), "chair": user("vn-me"),
        "mandate": "Common rosters.", "starts_on": date(2026, 1, 1), "ends_on": date(2026, 12, 31),
        "omt": o})
    meeting = new_meeting()
    actions.action_create(by=admin, data={
        "omt": o, "title": "More", "due_on": date(2026, 1, 2), "owner_agency": agency("UNDP"),
        "meeting": meeting})
    actions.escalation_create(by=user("vn-member"), data={
        "omt": o, "subject": "Another", "positions": "A, B"})
    assert count_queries(client, url) == before


def test_standing_update_for_the_unct_defaults_to_the_last_30_days(client, vn_rc):
    client.force_login(vn_rc)
    url = reverse("governance:unct_update", args=[omt().pk])
    response = client.get(url)
    today = timezone.localtime(timezone.now(), ZONE).date()
    assert response.context["since"] == today - timedelta(days=30)
    assert "Opening hours of the common clinic" in html(response)
    year_ago = client.get(url + f"?since={today - timedelta(days=400):%Y-%m-%d}")
    assert len(year_ago.context["meetings"]) > len(response.context["meetings"])
    assert "The OMT takes note of work-plan progress" in html(year_ago)
    assert client.get(url + "?since=not-a-date").status_code == 400


def test_g1_a_second_member_for_the_same_agency_is_rejected_on_the_page(client, vn_chair):
    client.force_login(vn_chair)
    count = Membership.objects.count()
    response = client.post(reverse("governance:membership_add"), {
        "omt": omt().pk, "agency": agency("UNDP").pk, "member": user("vn-staff").pk,
        "since": "2026-01-01"})
    assert response.status_code == 400
    assert "This agency already has a member on the OMT." in html(response)
    assert Membership.objects.count() == count


def test_g1_alternate_must_be_someone_other_than_the_member(client, vn_chair):
    seat = Membership.objects.get(omt=omt(), agency__acronym="UNIDO")
    client.force_login(vn_chair)
    response = client.post(reverse("governance:membership_edit", args=[seat.pk]), {
        "omt": omt().pk, "agency": seat.agency_id, "member": seat.member_id,
        "alternate": seat.member_id, "since": seat.since.isoformat()})
    assert response.status_code == 400
    assert "The alternate must be someone other than the member." in html(response)
    assert Membership.objects.get(pk=seat.pk).alternate_id is None


def test_g1_ending_a_membership_takes_the_agency_off_the_omt(client, vn_chair):
    seat = Membership.objects.get(omt=omt(), agency__acronym="UNIDO")
    client.force_login(vn_chair)
    page = html(client.get(seat.get_absolute_url()))
    assert "End membership" in page and "No alternate (G1)" in page
    assert client.post(reverse("governance:membership_delete", args=[seat.pk])).status_code \
        == 302
    assert not Membership.objects.filter(pk=seat.pk).exists()


def test_g2_co_chair_from_chairs_agency_is_rejected_on_the_page(client, vn_chair):
    year = in_days(0).year + 1
    decision = rotation(omt().country, year)
    actions.chair_term_create(by=user("admin"), data={
        "omt": omt(), "role": "chair", "agency": agency("UNFPA"), "person": user("vn-omt-unfpa"),
        "starts_on": date(year, 1, 1), "decision": decision})
    client.force_login(vn_chair)
    count = ChairTerm.objects.count()
    response = client.post(reverse("governance:chairterm_add"), {
        "omt": omt().pk, "role": "co_chair", "agency": agency("UNFPA").pk,
        "person": user("vn-alt-unfpa").pk, "starts_on": f"{year}-01-01", "ends_on": "",
        "decision": decision.pk})
    assert response.status_code == 400
    assert "The co-chair must come from another agency than the chair (G2)." in html(response)
    assert ChairTerm.objects.count() == count


def test_g2_a_chair_term_is_recorded_to_the_end_of_the_year_and_never_deleted(client,
                                                                               vn_chair):
    year = in_days(0).year + 2
    client.force_login(vn_chair)
    response = client.post(reverse("governance:chairterm_add"), {
        "omt": omt().pk, "role": "chair", "agency": agency("FAO").pk,
        "person": user("vn-omt-fao").pk, "starts_on": f"{year}-01-01", "ends_on": "",
        "decision": rotation(omt().country, year).pk})
    assert response.status_code == 302, html(response)[:2000]
    term = ChairTerm.objects.get(omt=omt(), starts_on=date(year, 1, 1), role="chair")
    assert term.ends_on == date(year, 12, 31)  # G2: one calendar year by default
    assert "Edit" in html(client.get(term.get_absolute_url()))
    assert client.post(term.get_absolute_url() + "delete/").status_code == 404
    assert ChairTerm.objects.filter(pk=term.pk).exists()


def _task_force_form(**changes):
    data = {"omt": omt().pk, "name": "Fleet working group", "service_line": "logistics",
            "coordinating_agency": agency("UNDP").pk, "chair": user("vn-csm").pk,
            "mandate": "Pool the vehicles.", "starts_on": "2026-01-01",
            "ends_on": "2026-12-31"}
    data.update(changes)
    return data


def test_g10_coordinating_agency_must_be_an_omt_member_agency(client, vn_chair):
    client.force_login(vn_chair)
    count = TaskForce.objects.count()
    # IFAD is present in Viet Nam but not a member of its OMT.
    response = client.post(reverse("governance:taskforce_add"),
                           _task_force_form(coordinating_agency=agency("IFAD").pk))
    assert response.status_code == 400
    assert "must be a member agency of the OMT (G10)" in html(response)
    assert TaskForce.objects.count() == count


def test_g10_task_force_members_are_added_and_removed(client, vn_chair, vn_member):
    task_force = TaskForce.objects.get(omt=omt(), name="ICT Working Group")
    add = reverse("governance:taskforce_member_add", args=[task_force.pk])
    client.force_login(vn_member)
    assert client.post(add, {"person": user("vn-staff").pk}).status_code == 403
    client.force_login(vn_chair)
    assert client.post(add, {"person": ""}).status_code == 400
    assert client.post(add, {"person": user("vn-staff").pk,
                             "expertise": "Networks"}).status_code == 302
    member = TaskForceMember.objects.get(task_force=task_force, person__username="vn-staff")
    assert "Networks" in html(client.get(task_force.get_absolute_url()))
    assert client.post(add, {"person": user("vn-staff").pk}).status_code == 400  # twice
    remove = reverse("governance:taskforce_member_remove", args=[member.pk])
    assert client.post(remove).status_code == 302
    assert not TaskForceMember.objects.filter(pk=member.pk).exists()


def test_g10_a_task_forces_own_actions_are_listed_on_its_page(client, vn_chair):
    task_force = TaskForce.objects.get(omt=omt(), name="Common Premises Task Force")
    client.force_login(vn_chair)
    url = reverse("governance:action_add", args=[omt().pk])
    assert f'value="{task_force.pk}" selected' in html(
        client.get(url + f"?task_force={task_force.pk}"))
    response = client.post(url, {"title": "Draft the floor-area key", "task_force": task_force.pk,
                                 "owner_agency": agency("UNDP").pk, "due_on": "2031-02-01"})
    assert response.status_code == 302
    assert "Draft the floor-area key" in html(client.get(task_force.get_absolute_url()))


def test_g2_a_chair_term_without_the_unct_decision_is_refused_on_the_page(client, vn_chair):
    year = omt().country.today().year + 3
    client.force_login(vn_chair)
    count = ChairTerm.objects.count()
    response = client.post(reverse("governance:chairterm_add"), {
        "omt": omt().pk, "role": "chair", "agency": agency("FAO").pk,
        "person": user("vn-omt-fao").pk, "starts_on": f"{year}-01-01", "ends_on": ""})
    assert response.status_code == 400
    assert "name the UNCT&#x27;s decision on the chair rotation (G2)" in html(response)
    assert ChairTerm.objects.count() == count


def test_g2_a_term_kept_from_before_without_a_unct_decision_is_flagged(client, vn_chair):
    o = omt()
    ChairTerm.objects.create(omt=o, country=o.country, role="co_chair", agency=agency("FAO"),
                             person=user("vn-omt-fao"), starts_on=date(2019, 1, 1),
                             ends_on=date(2019, 12, 31))
    client.force_login(vn_chair)
    page = html(client.get(o.get_absolute_url()))
    assert page.count("No UNCT decision (G2)") == 1
