"""Administrative budgets get the generic page, API, access, audit and query-count checks;
subscriptions (created from report pages, never edited) are covered by
test_subscriptions.py, and prepared reports (not audited: produced documents) by
test_reports.py."""

import importlib
import inspect
import itertools
from decimal import Decimal

from django.db.models import Model

from commonops.core.testing import ModelCase, model_case_tests
from commonops.reports import views
from commonops.reports.models import AdminBudget

_years = itertools.count(2030)  # after any year the demo has budgets for


def _budget(world):
    return AdminBudget.objects.create(country=world.country("VN"),
                                      agency=world.agency("UNDP"), year=next(_years),
                                      amount=Decimal("250000.00"))


ADMIN_BUDGET = ModelCase(
    pages=views.AdminBudgetPages,
    make=_budget,
    create_data=lambda w: {"country": w.country("VN"), "agency": w.agency("WHO"),
                           "year": next(_years), "amount": "180000.00", "source": "Test"},
    edit_data=lambda o: {"country": o.country, "agency": o.agency, "year": o.year,
                         "amount": str(o.amount + 1000), "source": o.source},
    api_basename="adminbudget", manager="vn-chair", changed_field="amount")

CASES = [ADMIN_BUDGET]
TestReportsPages = model_case_tests(CASES)

COVERED_ELSEWHERE = {"Subscription"}


def test_every_audited_model_of_the_app_has_a_case():
    models = importlib.import_module("commonops.reports.models")
    audited = {name for name, cls in inspect.getmembers(models, inspect.isclass)
               if cls.__module__ == models.__name__ and issubclass(cls, Model)
               and not cls._meta.abstract and getattr(cls, "audited", False)}
    covered = {case.model.__name__ for case in CASES} | COVERED_ELSEWHERE
    assert audited - covered == set()
