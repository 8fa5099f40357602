"""The OMT's rules as the actions apply them: members (G1), chairs (G2), task forces (G10),
the secretariat (G12)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonops.core import access
from commonops.core.models import Agency
from commonops.core.roles import Perm
from commonops.governance import actions, queries
from commonops.governance.models import ChairTerm, Membership
from commonops.governance.tests.helpers import agency, rotation, user

pytestmark = pytest.mark.django_db


def test_g1_one_member_per_agency(omt, vn_chair):
    undp = Agency.objects.get(acronym="UNDP")
    with pytest.raises(ValidationError, match="already has a member"):
        actions.membership_create(by=vn_chair, data={
            "agency": undp, "member": user("vn-staff"), "since": date(2026, 1, 1), "omt": omt})


def test_g1_members_without_an_alternate_are_flagged(omt):
    overview = queries.omt_overview(omt, today=date(2026, 11, 1))
    assert sorted(str(m.agency) for m in overview["without_alternate"]) == ["UN-Habitat",
                                                                            "UNIDO"]


def test_g1_membership_gives_the_member_and_alternate_their_roles(omt, vn_chair, viet_nam):
    seat = Membership.objects.get(omt=omt, agency__acronym="UNIDO")
    staff = user("vn-staff")
    assert not access.can(staff, Perm.COMMENT_MINUTES, viet_nam)
    actions.membership_update(membership=seat, by=vn_chair, data={"alternate": staff})
    staff = user("vn-staff")
    assert access.can(staff, Perm.COMMENT_MINUTES, viet_nam)


def test_g1_an_agency_not_present_in_the_country_cannot_sit(omt, vn_chair):
    with pytest.raises(ValidationError, match="not present"):
        actions.membership_create(by=vn_chair, data={
            "agency": Agency.objects.get(acronym="WFP"), "member": user("vn-staff"),
            "since": date(2026, 1, 1), "omt": omt})


def test_only_those_who_run_the_omt_change_its_membership(omt, vn_member):
    seat = Membership.objects.get(omt=omt, agency__acronym="UNIDO")
    with pytest.raises(PermissionDenied):
        actions.membership_update(membership=seat, by=vn_member, data={
            "alternate": user("vn-staff")})


def test_g1_the_home_page_flags_members_without_alternate_to_the_chair(client, vn_chair):
    client.force_login(vn_chair)
    html = client.get("/").content.decode()
    assert "2 OMT members have no alternate" in html
    assert "UN-Habitat" in html and "UNIDO" in html


@pytest.fixture
def no_terms(omt):
    """The OMT without the demo's chair terms, so a test's terms are the only ones."""
    ChairTerm.objects.filter(omt=omt).delete()
    return omt


def test_g2_co_chair_from_chairs_agency_is_rejected(no_terms, admin_user):
    undp = Agency.objects.get(acronym="UNDP")
    actions.chair_term_create(by=admin_user, data={
        "omt": no_terms, "role": "chair", "agency": undp, "person": user("vn-chair"),
        "starts_on": date(2026, 1, 1), "decision": rotation(no_terms.country)})
    with pytest.raises(ValidationError, match="another agency than the chair"):
        actions.chair_term_create(by=admin_user, data={
            "omt": no_terms, "role": "co_chair", "agency": undp, "person": user("vn-alt-undp"),
            "starts_on": date(2026, 6, 1), "decision": rotation(no_terms.country)})
    assert list(ChairTerm.objects.filter(omt=no_terms).values_list("role", flat=True)) == [
        "chair"]


def test_g2_chair_terms_belong_to_an_agency_for_a_year_and_history_is_kept(no_terms,
                                                                           admin_user):
    fao = Agency.objects.get(acronym="FAO")
    who = Agency.objects.get(acronym="WHO")
    for year in (2030, 2031):
        decision = rotation(no_terms.country, year)
        actions.chair_term_create(by=admin_user, data={
            "omt": no_terms, "role": "chair", "agency": fao, "person": user("vn-omt-fao"),
            "starts_on": date(year, 1, 1), "decision": decision})
        term = actions.chair_term_create(by=admin_user, data={
            "omt": no_terms, "role": "co_chair", "agency": who, "person": user("vn-member"),
            "starts_on": date(year, 1, 1), "decision": decision})
        assert term.ends_on == date(year, 12, 31)
    assert ChairTerm.objects.filter(omt=no_terms).count() == 4  # the earlier year is kept


def test_g2_two_chairs_cannot_overlap(no_terms, admin_user):
    actions.chair_term_create(by=admin_user, data={
        "omt": no_terms, "role": "chair", "agency": Agency.objects.get(acronym="UNDP"),
        "person": user("vn-chair"), "starts_on": date(2026, 1, 1),
        "decision": rotation(no_terms.country)})
    with pytest.raises(ValidationError, match="already covers"):
        actions.chair_term_create(by=admin_user, data={
            "omt": no_terms, "role": "chair", "agency": Agency.objects.get(acronym="FAO"),
            "person": user("vn-omt-fao"), "starts_on": date(2026, 7, 1),
            "decision": rotation(no_terms.country)})
    assert ChairTerm.objects.filter(omt=no_terms).count() == 1


def test_g10_a_task_forces_coordinating_agency_must_be_an_omt_member(omt, vn_chair):
    with pytest.raises(ValidationError, match="member agency of the OMT"):
        actions.task_force_create(by=vn_chair, data={
            "name": "Fleet", "service_line": "logistics",
            "coordinating_agency": Agency.objects.get(acronym="ITC"), "chair": user("vn-staff"),
            "mandate": "Share vehicles.", "starts_on": date(2026, 1, 1),
            "ends_on": date(2026, 12, 31), "omt": omt})


def test_g12_the_secretary_runs_meetings_without_being_a_member(omt, secretary, viet_nam):
    assert not Membership.objects.filter(omt=omt, member=secretary).exists()
    assert access.can(secretary, Perm.GOVERN, viet_nam)


def test_g2_a_chair_term_without_the_unct_decision_is_refused(no_terms, admin_user):
    data = {"omt": no_terms, "role": "chair", "agency": agency("UNDP"),
            "person": user("vn-chair"), "starts_on": date(2026, 1, 1)}
    with pytest.raises(ValidationError) as refused:
        actions.chair_term_create(by=admin_user, data=data)
    assert "(G2)" in refused.value.message_dict["decision"][0]
    approval = actions.unct_decision_create(by=admin_user, data={
        "country": no_terms.country, "kind": "approval", "decided_on": date(2026, 1, 5),
        "subject": "The work plan", "text": "Approved."})
    with pytest.raises(ValidationError, match="chair rotation"):  # a decision on another matter
        actions.chair_term_create(by=admin_user, data={**data, "decision": approval})
    assert not ChairTerm.objects.filter(omt=no_terms).exists()
    actions.chair_term_create(by=admin_user, data={**data,
                                                   "decision": rotation(no_terms.country)})
    assert ChairTerm.objects.filter(omt=no_terms).count() == 1
