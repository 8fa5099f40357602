"""Actions (G7) and escalations (G11) as the actions apply the rules."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonops.core.models import Agency
from commonops.governance import actions, queries
from commonops.governance.models import ActionStatus
from commonops.governance.tests.helpers import held_meeting_minutes, user

pytestmark = pytest.mark.django_db


def test_g7_an_action_without_owner_or_deadline_is_rejected(omt, secretary):
    minutes = held_meeting_minutes(omt, secretary)
    item = minutes.items.first()
    with pytest.raises(ValidationError) as error:
        actions.action_create(by=secretary, data={
            "omt": omt, "minutes_item": item, "title": "Do it", "due_on": None})
    assert set(error.value.message_dict) == {"owner_person", "due_on"}
    with pytest.raises(ValidationError):
        actions.action_create(by=secretary, data={
            "omt": omt, "minutes_item": item, "title": "Do it", "due_on": date(2026, 4, 1),
            "owner_person": user("vn-csm"), "owner_agency": Agency.objects.get(acronym="FAO")})
    assert not item.actions.exists()


def test_the_owner_closes_an_action_with_a_note(omt, secretary):
    csm = user("vn-csm")
    action = actions.action_create(by=secretary, data={
        "omt": omt, "title": "Renew the contract", "due_on": date(2026, 12, 1),
        "owner_person": csm})
    with pytest.raises(ValidationError):
        actions.action_complete(action=action, by=csm, note="  ")
    with pytest.raises(PermissionDenied):
        actions.action_complete(action=action, by=user("vn-staff"), note="Done")
    actions.action_complete(action=action, by=csm, note="Signed on 1 Dec.")
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_an_agencys_member_closes_the_agencys_action(omt, secretary):
    action = actions.action_create(by=secretary, data={
        "omt": omt, "title": "Share the pipeline", "due_on": date(2026, 12, 1),
        "owner_agency": Agency.objects.get(acronym="FAO")})
    actions.action_complete(action=action, by=user("vn-omt-fao"), note="Shared.")
    assert omt.actions.get(pk=action.pk).status == ActionStatus.DONE


def test_actions_appear_for_their_owners(vn_member):
    owned = queries.actions_of(vn_member, today=date(2026, 11, 23))
    assert all(a.owner_person_id == vn_member.pk or a.owner_agency.acronym == "WHO"
               for a in owned)


def test_g11_only_the_unct_decides_and_the_decision_is_recorded(omt, vn_chair, vn_rc):
    escalation = actions.escalation_create(by=user("vn-omt-fao"), data={
        "omt": omt, "subject": "Key", "positions": "A or B"})
    with pytest.raises(PermissionDenied):
        actions.escalation_decide(escalation=escalation, by=vn_chair,
                                  decided_on=date(2026, 11, 1), text="A")
    decided = actions.escalation_decide(escalation=escalation, by=vn_rc,
                                        decided_on=date(2026, 11, 1), text="A")
    assert decided.decision.text == "A" and decided.status == "decided"
    with pytest.raises(ValidationError, match="already decided"):
        actions.escalation_decide(escalation=decided, by=vn_rc,
                                  decided_on=date(2026, 11, 2), text="B")
