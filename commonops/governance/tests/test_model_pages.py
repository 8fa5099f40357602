"""Governance models with generic create/edit/delete pages get the generic page, API, access,
audit and query-count checks; the others are covered by the workflow tests named below."""

import importlib
import inspect
import itertools
from datetime import date

import pytest
from django.urls import NoReverseMatch, reverse

from commonops.core.models import Agency, AgencyPresence, User
from commonops.core.testing import ModelCase, _audit_rows, as_form, as_json, model_case_tests
from commonops.governance.models import Membership, Omt, TaskForce, UnctDecision
from commonops.governance.views import omt as views

_seq = itertools.count(1)


def _omt(world):
    return Omt.objects.get(country=world.country("VN"))


def _agency_in_viet_nam(world):
    n = next(_seq)
    agency = Agency.objects.create(acronym=f"GOV{n}", name=f"Governance test agency {n}")
    AgencyPresence.objects.create(country=world.country("VN"), agency=agency)
    return agency


def _person(world, agency):
    n = next(_seq)
    return User.objects.create(username=f"gov-person{n}", first_name="Test",
                               last_name=f"Person {n}", email=f"gov{n}@example.org",
                               duty_country=world.country("VN"), agency=agency)


def _membership(world):
    agency = _agency_in_viet_nam(world)
    return Membership.objects.create(omt=_omt(world), country=world.country("VN"),
                                     agency=agency, member=_person(world, agency),
                                     since=date(2025, 1, 1))


def _membership_data(world):
    agency = _agency_in_viet_nam(world)
    return {"omt": _omt(world), "agency": agency, "member": _person(world, agency),
            "alternate": _person(world, agency), "since": "2026-01-15"}


def _task_force(world):
    n = next(_seq)
    return TaskForce.objects.create(
        omt=_omt(world), country=world.country("VN"), name=f"Fleet task force {n}",
        service_line="logistics", coordinating_agency=world.agency("UNDP"),
        chair=world.user("vn-csm"), mandate="Pool the agencies' vehicles.",
        starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))


def _task_force_data(world):
    return {"omt": _omt(world), "name": "Procurement working group",
            "service_line": "procurement", "coordinating_agency": world.agency("UNICEF"),
            "chair": world.user("vn-cochair"), "mandate": "Joint long-term agreements.",
            "starts_on": "2026-03-01", "ends_on": "2027-02-28"}


def _unct_decision(world):
    n = next(_seq)
    return UnctDecision.objects.create(country=world.country("VN"), kind="other",
                                       decided_on=date.today(), subject=f"Decision {n}",
                                       text="The UNCT agrees.")


MEMBERSHIP = ModelCase(
    pages=views.MembershipPages,
    make=_membership,
    create_data=_membership_data,
    edit_data=lambda obj: {"omt": obj.omt, "agency": obj.agency, "member": obj.member,
                           "alternate": obj.alternate, "since": "2025-06-01"},
    api_basename="membership", changed_field="since",
)
TASK_FORCE = ModelCase(
    pages=views.TaskForcePages,
    make=_task_force,
    create_data=_task_force_data,
    edit_data=lambda obj: {"omt": obj.omt, "name": obj.name + " (renamed)",
                           "service_line": obj.service_line,
                           "coordinating_agency": obj.coordinating_agency,
                           "chair": obj.chair, "mandate": obj.mandate,
                           "starts_on": obj.starts_on.isoformat(),
                           "ends_on": obj.ends_on.isoformat()},
    api_basename="taskforce",
)
UNCT_DECISION = ModelCase(
    pages=views.UnctDecisionPages,
    make=_unct_decision,
    create_data=lambda w: {"country": w.country("VN"), "kind": "approval",
                           "decided_on": "2026-02-05", "subject": "OMT work plan 2026",
                           "text": "The UNCT approves the OMT's annual work plan."},
    edit_data=lambda obj: {"country": obj.country, "kind": obj.kind,
                           "decided_on": obj.decided_on.isoformat(),
                           "subject": obj.subject + " (amended)", "text": obj.text},
    api_basename="unctdecision", changed_field="subject",
    manager="vn-rc",  # recording the UNCT's decisions needs UNCT_DECIDE
)
CASES = [MEMBERSHIP, TASK_FORCE, UNCT_DECISION]


def _login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


TestMembershipPages = model_case_tests([MEMBERSHIP])


_task_force_only = pytest.mark.parametrize("case", [TASK_FORCE], ids=["TaskForce"])


class TestTaskForcePages(model_case_tests([TASK_FORCE])):
    """A task force ends on its end date and stays as the record of its work: there is no
    delete action, page or endpoint. The delete checks become checks that none exists."""

    @_task_force_only
    def test_manager_deletes_and_the_trail_records_it(self, client, case):
        obj = case.make(self.world)
        with pytest.raises(NoReverseMatch):
            case.url("delete", obj.pk)
        response = _login(client, case.manager).post(obj.get_absolute_url() + "delete/")
        assert response.status_code == 404
        assert TaskForce.objects.filter(pk=obj.pk).exists()

    @_task_force_only
    def test_outsider_gets_404_on_edit_and_delete(self, client, case):
        obj = case.make(self.world)
        response = _login(client, case.outsider).post(case.url("edit", obj.pk),
                                                      as_form(case.edit_data(obj)))
        assert response.status_code == 404
        assert TaskForce.objects.get(pk=obj.pk).name == obj.name

    @_task_force_only
    def test_api_create_edit_delete_through_the_actions_with_audit(self, api, case):
        client = api(User.objects.get(username=case.manager))
        response = client.post(reverse("taskforce-list"), as_json(case.create_data(self.world)),
                               format="json")
        assert response.status_code == 201, response.json()
        pk = response.json()["id"]
        response = client.patch(reverse("taskforce-detail", args=[pk]),
                                {"name": "Renamed through the API"}, format="json")
        assert response.status_code == 200, response.json()
        assert client.delete(reverse("taskforce-detail", args=[pk])).status_code == 405
        assert TaskForce.objects.filter(pk=pk).exists()

    @_task_force_only
    def test_api_refuses_viewer_and_outsider_writes_in_one_error_shape(self, api, case):
        obj = case.make(self.world)
        viewer = api(User.objects.get(username=case.viewer))
        response = viewer.patch(reverse("taskforce-detail", args=[obj.pk]),
                                {"name": "Not mine to rename"}, format="json")
        assert response.status_code == 403
        assert set(response.json()["error"]) == {"status", "code", "message", "fields"}
        outsider = api(User.objects.get(username=case.outsider))
        response = outsider.patch(reverse("taskforce-detail", args=[obj.pk]),
                                  {"name": "Not mine to rename"}, format="json")
        assert response.status_code == 404
        assert TaskForce.objects.get(pk=obj.pk).name == obj.name


_decision_only = pytest.mark.parametrize("case", [UNCT_DECISION], ids=["UnctDecision"])


class TestUnctDecisionPages(model_case_tests([UNCT_DECISION])):
    """A UNCT decision is recorded and then kept as it was (G11: "the decision is
    recorded"): no edit or delete action, page or endpoint. Those checks become checks that
    none exists; bad input is checked on the form that records one."""

    def _no_route(self, case, client, obj):
        for suffix in ("edit", "delete"):
            with pytest.raises(NoReverseMatch):
                case.url(suffix, obj.pk)
            assert client.post(obj.get_absolute_url() + f"{suffix}/").status_code == 404

    @_decision_only
    def test_manager_edits_and_the_trail_records_before_and_after(self, client, case):
        obj = case.make(self.world)
        self._no_route(case, _login(client, case.manager), obj)
        assert not _audit_rows(UnctDecision, obj.pk, "update").exists()

    @_decision_only
    def test_viewer_cannot_edit_and_nothing_changes(self, client, case):
        obj = case.make(self.world)
        self._no_route(case, _login(client, case.viewer), obj)

    @_decision_only
    def test_outsider_gets_404_on_edit_and_delete(self, client, case):
        obj = case.make(self.world)
        self._no_route(case, _login(client, case.outsider), obj)

    @_decision_only
    def test_manager_deletes_and_the_trail_records_it(self, client, case):
        obj = case.make(self.world)
        self._no_route(case, _login(client, case.manager), obj)
        assert UnctDecision.objects.filter(pk=obj.pk).exists()

    @_decision_only
    def test_bad_input_gets_a_message_and_changes_nothing(self, client, case):
        data = as_form(case.create_data(self.world))
        data["subject"] = ""
        count = UnctDecision.objects.count()
        response = _login(client, case.manager).post(case.url("add"), data)
        assert response.status_code == 400
        assert "errorlist" in response.content.decode()
        assert UnctDecision.objects.count() == count

    @_decision_only
    def test_the_omt_chair_may_not_record_the_unct_decisions(self, client, case):
        data = as_form(case.create_data(self.world))
        count = UnctDecision.objects.count()
        c = _login(client, "vn-chair")
        assert c.get(case.url("add")).status_code == 403
        assert c.post(case.url("add"), data).status_code == 403
        assert UnctDecision.objects.count() == count

    @_decision_only
    def test_api_create_edit_delete_through_the_actions_with_audit(self, api, case):
        client = api(User.objects.get(username=case.manager))
        response = client.post(reverse("unctdecision-list"),
                               as_json(case.create_data(self.world)), format="json")
        assert response.status_code == 201, response.json()
        pk = response.json()["id"]
        entry = _audit_rows(UnctDecision, pk, "create").get()
        assert (entry.source, entry.actor.username) == ("api", case.manager)
        detail = reverse("unctdecision-detail", args=[pk])
        assert client.patch(detail, {"subject": "Changed"}, format="json").status_code == 405
        assert client.delete(detail).status_code == 405
        assert UnctDecision.objects.get(pk=pk).subject == "OMT work plan 2026"

    @_decision_only
    def test_api_refuses_viewer_and_outsider_writes_in_one_error_shape(self, api, case):
        viewer = api(User.objects.get(username=case.viewer))
        response = viewer.post(reverse("unctdecision-list"),
                               as_json(case.create_data(self.world)), format="json")
        assert response.status_code in (400, 403)
        assert set(response.json()["error"]) == {"status", "code", "message", "fields"}

    @_decision_only
    def test_api_bad_input_names_the_field_and_changes_nothing(self, api, case):
        manager = api(User.objects.get(username=case.manager))
        payload = as_json(case.create_data(self.world))
        payload["subject"] = ""
        count = UnctDecision.objects.count()
        response = manager.post(reverse("unctdecision-list"), payload, format="json")
        assert response.status_code == 400
        assert "subject" in response.json()["error"]["fields"]
        assert UnctDecision.objects.count() == count


# Models whose pages are workflows rather than generic create/edit/delete, with the test
# module that covers their pages (access, bad input, workflow steps).
COVERED_BY_WORKFLOW_TESTS = {
    "Omt": "commonops.governance.tests.test_omt_pages",
    "ChairTerm": "commonops.governance.tests.test_omt_pages",  # recorded, never deleted (G2)
    "TaskForceMember": "commonops.governance.tests.test_omt_pages",
    "Meeting": "commonops.governance.tests.test_meeting_pages",
    "AgendaItem": "commonops.governance.tests.test_meeting_pages",
    "AgendaPaper": "commonops.governance.tests.test_meeting_pages",
    "Attendance": "commonops.governance.tests.test_meeting_pages",
    "Minutes": "commonops.governance.tests.test_minutes_pages",
    "MinutesItem": "commonops.governance.tests.test_minutes_pages",
    "MinutesComment": "commonops.governance.tests.test_minutes_pages",
    "Action": "commonops.governance.tests.test_tracker_pages",
    "Escalation": "commonops.governance.tests.test_tracker_pages",
}


def test_every_audited_governance_model_has_page_tests():
    """A model without a case, or without a named workflow test module that exercises it,
    would go untested for access and audit."""
    from django.apps import apps

    audited = {m.__name__ for m in apps.get_app_config("governance").get_models()
               if getattr(m, "audited", False)}
    by_case = {case.model.__name__ for case in CASES}
    assert audited - by_case - set(COVERED_BY_WORKFLOW_TESTS) == set()
    for model_name, module_name in COVERED_BY_WORKFLOW_TESTS.items():
        source = inspect.getsource(importlib.import_module(module_name))
        assert model_name in source, f"{module_name} does not exercise {model_name}"
