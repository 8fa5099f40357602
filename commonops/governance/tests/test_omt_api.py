"""The API of the OMT, its members (G1), chair terms (G2), task forces (G10) and the UNCT's
decisions."""


import pytest

from commonops.governance.models import (
    ChairTerm,
    Membership,
    TaskForce,
    TaskForceMember,
    UnctDecision,
)
from commonops.governance.tests.helpers import agency, api_error, in_days, rotation, user

pytestmark = pytest.mark.django_db


def test_g1_one_member_per_agency_is_enforced_by_the_api(api, omt, vn_chair):
    response = api(vn_chair).post("/api/memberships/", {
        "omt": omt.pk, "agency": agency("UNDP").pk, "member": user("vn-staff").pk,
        "since": "2026-01-01"})
    error = api_error(response, 400)
    assert "already has a member" in error["message"]
    assert Membership.objects.filter(omt=omt, agency__acronym="UNDP").count() == 1


def test_g1_members_without_an_alternate_are_flagged_and_can_be_given_one(api, omt, vn_chair):
    client = api(vn_chair)
    flagged = client.get("/api/memberships/?without_alternate=true").json()
    assert sorted(Membership.objects.get(pk=row["id"]).agency.acronym
                  for row in flagged["results"]) == ["UN-Habitat", "UNIDO"]
    assert all(row["without_alternate"] for row in flagged["results"])
    unido = Membership.objects.get(omt=omt, agency__acronym="UNIDO")
    response = client.patch(f"/api/memberships/{unido.pk}/",
                            {"alternate": user("vn-staff").pk})
    assert response.status_code == 200, response.json()
    assert response.json()["without_alternate"] is False


def test_g2_co_chair_from_chairs_agency_is_rejected_by_the_api(api, omt, vn_chair):
    client = api(vn_chair)
    next_year = in_days(0).year + 1
    decision = rotation(omt.country, next_year).pk
    chair = client.post("/api/chair-terms/", {
        "omt": omt.pk, "role": "chair", "agency": agency("UNICEF").pk,
        "person": user("vn-cochair").pk, "starts_on": f"{next_year}-01-01",
        "decision": decision})
    assert chair.status_code == 201, chair.json()
    assert chair.json()["ends_on"] == f"{next_year}-12-31"  # G2: a calendar year by default

    co_chair = client.post("/api/chair-terms/", {
        "omt": omt.pk, "role": "co_chair", "agency": agency("UNICEF").pk,
        "person": user("vn-alt-unicef").pk, "starts_on": f"{next_year}-01-01",
        "decision": decision})
    error = api_error(co_chair, 400)
    assert "(G2)" in error["fields"]["agency"][0]
    assert not ChairTerm.objects.filter(omt=omt, role="co_chair",
                                        starts_on__year=next_year).exists()


def test_g2_chair_terms_are_history_and_cannot_be_deleted(api, omt, vn_chair):
    term = ChairTerm.objects.filter(omt=omt).first()
    assert api(vn_chair).delete(f"/api/chair-terms/{term.pk}/").status_code == 405
    assert ChairTerm.objects.filter(pk=term.pk).exists()


def test_g10_a_task_forces_coordinating_agency_must_be_an_omt_member(api, omt, vn_chair):
    response = api(vn_chair).post("/api/task-forces/", {
        "omt": omt.pk, "name": "Fleet", "service_line": "logistics",
        "coordinating_agency": agency("ITC").pk, "chair": user("vn-staff").pk,
        "mandate": "Share vehicles.", "starts_on": "2026-01-01", "ends_on": "2026-12-31"})
    error = api_error(response, 400)
    assert "(G10)" in error["fields"]["coordinating_agency"][0]
    assert not TaskForce.objects.filter(name="Fleet").exists()


def test_g10_task_force_members_are_added_and_removed(api, omt, vn_chair):
    client = api(vn_chair)
    task_force = TaskForce.objects.filter(omt=omt).first()
    added = client.post("/api/task-force-members/", {
        "task_force": task_force.pk, "person": user("vn-staff").pk,
        "expertise": "Facility management"})
    assert added.status_code == 201, added.json()
    assert client.delete(f"/api/task-force-members/{added.json()['id']}/").status_code == 204
    assert not TaskForceMember.objects.filter(pk=added.json()["id"]).exists()


def test_g11_only_the_unct_records_its_decisions(api, viet_nam, vn_chair, vn_rc):
    data = {"country": viet_nam.pk, "kind": "approval", "decided_on": "2026-11-02",
            "subject": "Common premises", "text": "Approved."}
    api_error(api(vn_chair).post("/api/unct-decisions/", data), 403)
    recorded = api(vn_rc).post("/api/unct-decisions/", data)
    assert recorded.status_code == 201, recorded.json()
    assert UnctDecision.objects.filter(pk=recorded.json()["id"], country=viet_nam).exists()


def test_g2_a_chair_term_needs_the_unct_decision_through_the_api(api, omt, vn_chair):
    year = omt.country.today().year + 3
    term = {"omt": omt.pk, "role": "chair", "agency": agency("FAO").pk,
            "person": user("vn-omt-fao").pk, "starts_on": f"{year}-01-01"}
    refused = api(vn_chair).post("/api/chair-terms/", term)
    assert "(G2)" in api_error(refused, 400)["fields"]["decision"][0]
    assert not ChairTerm.objects.filter(omt=omt, starts_on__year=year).exists()
    decision = rotation(omt.country, year)
    recorded = api(vn_chair).post("/api/chair-terms/", {**term, "decision": decision.pk})
    assert recorded.status_code == 201, recorded.json()
