"""Knowledge items, experts and templates get the generic page, API, access, audit and
query-count checks. They are shared by every country (K1–K3), so an outsider sees them;
only those who keep the shared knowledge change them (vn-chair does, vn-member does not).
Documents, their versions and requests carry files and D1: their own tests are named
below."""

import importlib
import inspect
import itertools

from commonops.core.testing import ModelCase, model_case_tests
from commonops.documents import actions, views

_seq = itertools.count(1)


def _knowledge(world):
    return actions.knowledge_item_create(by=world.user("vn-chair"), data={
        "title": f"Shared canteen {next(_seq)}", "country": world.country("VN"),
        "service_line": "administration", "year": 2024, "summary": "One canteen."})


def _expert(world):
    return actions.expert_create(by=world.user("vn-chair"), data={
        "name": f"Expert {next(_seq)}", "region": world.region("AP"), "skills": "fleet",
        "service_lines": "logistics", "languages": "en"})


def _template(world):
    return actions.template_create(by=world.user("vn-chair"), data={
        "title": f"Checklist {next(_seq)}", "kind": "other", "area": "omt"})


KNOWLEDGE = ModelCase(
    pages=views.KnowledgeItemPages, make=_knowledge,
    create_data=lambda w: {"title": "Common cleaning", "country": w.country("VN"),
                           "service_line": "administration", "year": 2025,
                           "summary": "One contract."},
    edit_data=lambda obj: {"title": obj.title + " (revised)", "country": obj.country,
                           "service_line": obj.service_line, "year": obj.year,
                           "summary": obj.summary},
    api_basename="knowledgeitem", changed_field="title", outsider_sees_it=True,
)
EXPERT = ModelCase(
    pages=views.ExpertPages, make=_expert,
    create_data=lambda w: {"name": "Pat Lee", "region": w.region("AP"), "skills": "ICT",
                           "service_lines": "ict", "languages": "en",
                           "availability": "available"},
    api_create_data=lambda w: {"name": "Pat Lee", "region": w.region("AP"), "skills": "ICT",
                               "service_lines": "ict", "languages": "en"},
    edit_data=lambda obj: {"name": obj.name + " Jr", "region": obj.region,
                           "skills": obj.skills, "service_lines": "logistics",
                           "languages": obj.languages, "availability": obj.availability},
    api_basename="expert", changed_field="name", outsider_sees_it=True,
)
TEMPLATE = ModelCase(
    pages=views.TemplatePages, make=_template,
    create_data=lambda w: {"title": "Retreat agenda", "kind": "other", "area": "omt"},
    edit_data=lambda obj: {"title": obj.title + " (2)", "kind": obj.kind, "area": obj.area},
    api_basename="template", changed_field="title", outsider_sees_it=True,
)
CASES = [KNOWLEDGE, EXPERT, TEMPLATE]

TestDocumentsModelPages = model_case_tests(CASES)

COVERED_BY_OWN_TESTS = {
    "Document": "commonops.documents.tests.test_access",
    "DocumentVersion": "commonops.documents.tests.test_actions",
    "DocumentRequest": "commonops.documents.tests.test_actions",
    "FileClassification": "commonops.documents.tests.test_access",
    "SupportRequest": "commonops.documents.tests.test_actions",
    "TemplateVersion": "commonops.documents.tests.test_actions",
}


def test_every_audited_documents_model_has_page_tests():
    from django.apps import apps

    audited = {m.__name__ for m in apps.get_app_config("documents").get_models()
               if getattr(m, "audited", False)}
    assert audited - {c.model.__name__ for c in CASES} - set(COVERED_BY_OWN_TESTS) == set()
    for model_name, module_name in COVERED_BY_OWN_TESTS.items():
        assert model_name in inspect.getsource(importlib.import_module(module_name))
