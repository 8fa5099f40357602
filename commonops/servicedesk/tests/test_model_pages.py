"""Desk models with generic create/edit/delete pages get the generic page, API, access,
audit and query-count checks; the others are covered by the workflow tests named below."""

import importlib
import inspect
import itertools
from decimal import Decimal

from commonops.core.testing import ModelCase, World, model_case_tests
from commonops.servicedesk import views
from commonops.servicedesk.models import Agent, Category, SlaPolicy, Team

_seq = itertools.count(1)


def _team(world):
    return Team.objects.create(country=world.country("VN"), name=f"Team {next(_seq)}",
                               lead=world.user("vn-sdm"))


def _category(world):
    return Category.objects.create(country=world.country("VN"), name=f"Cat {next(_seq)}",
                                   team=Team.objects.get(country=world.country("VN"),
                                                         name="ICT"))


def _agent(world):
    return Agent.objects.create(country=world.country("VN"), team=_team(world),
                                user=world.user("vn-agent1"))


def _policy(world):
    # the demo has P1–P4; a test country row needs a free priority, so remove one first
    country = world.country("VN")
    SlaPolicy.objects.filter(country=country, priority="P4").delete()
    return SlaPolicy.objects.create(country=country, priority="P4",
                                    first_response_hours=Decimal("8"),
                                    resolution_hours=Decimal("40"))


def _policy_data(world):
    SlaPolicy.objects.filter(country=world.country("VN"), priority="P4").delete()
    return {"country": world.country("VN"), "priority": "P4", "first_response_hours": "6",
            "resolution_hours": "30"}


TEAM = ModelCase(
    pages=views.TeamPages, make=_team,
    create_data=lambda w: {"country": w.country("VN"), "name": "Logistics desk",
                           "lead": w.user("vn-sdm"), "email": "logistics@example.org"},
    edit_data=lambda obj: {"country": obj.country, "name": obj.name + " (renamed)",
                           "lead": obj.lead, "email": obj.email},
    api_basename="deskteam", manager="vn-sdm", viewer="vn-agent1")

CATEGORY = ModelCase(
    pages=views.CategoryPages, make=_category,
    create_data=lambda w: {"country": w.country("VN"), "name": "Telephones",
                           "team": Team.objects.get(country=w.country("VN"), name="ICT")},
    edit_data=lambda obj: {"country": obj.country, "name": obj.name + " (renamed)",
                           "team": obj.team},
    api_basename="deskcategory", manager="vn-sdm", viewer="vn-agent1")

AGENT = ModelCase(
    pages=views.AgentPages, make=_agent,
    create_data=lambda w: {"country": w.country("VN"), "team": _team(w),
                           "user": w.user("vn-agent2"), "available": True},
    edit_data=lambda obj: {"country": obj.country, "team": _team(World()), "user": obj.user,
                           "available": obj.available},
    api_basename="deskagent", manager="vn-sdm", viewer="vn-agent1", changed_field="team")

SLA_POLICY = ModelCase(
    pages=views.SlaPolicyPages, make=_policy, create_data=_policy_data,
    edit_data=lambda obj: {"country": obj.country, "priority": obj.priority,
                           "first_response_hours": "7.00", "resolution_hours": "35.00"},
    api_basename="slapolicy", manager="vn-sdm", viewer="vn-agent1",
    changed_field="resolution_hours")


CASES = [TEAM, CATEGORY, AGENT, SLA_POLICY]


class TestDeskModels(model_case_tests(CASES)):
    pass


# Models whose pages are workflows rather than generic create/edit/delete, with the test
# module that covers them (access, bad input, workflow steps).
COVERED_BY_WORKFLOW_TESTS = {
    "Ticket": "commonops.servicedesk.tests.test_pages",
    "Attachment": "commonops.servicedesk.tests.test_pages",
    "Rating": "commonops.servicedesk.tests.test_pages",
    "InboundMail": "commonops.servicedesk.tests.test_mail",
}


def test_every_audited_desk_model_has_page_tests():
    from django.apps import apps

    audited = {m.__name__ for m in apps.get_app_config("servicedesk").get_models()
               if getattr(m, "audited", False)}
    by_case = {case.model.__name__ for case in CASES}
    assert audited - by_case - set(COVERED_BY_WORKFLOW_TESTS) == set()
    for model_name, module_name in COVERED_BY_WORKFLOW_TESTS.items():
        source = inspect.getsource(importlib.import_module(module_name))
        assert model_name in source, f"{module_name} does not exercise {model_name}"
