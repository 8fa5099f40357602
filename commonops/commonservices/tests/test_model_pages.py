"""Common-services models with generic pages get the generic page, API, access, audit and
query-count checks; allocations (made and recomputed, never edited) and fixed shares (set
together on the key's percentages page) are covered by test_allocation.py."""

import importlib
import inspect
import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Model

from commonops.commonservices import views
from commonops.commonservices.models import (
    Agreement,
    BudgetLine,
    CommonService,
    Contract,
    CostSharingKey,
    ExchangeRate,
    Expenditure,
    Headcount,
    Occupancy,
    Payment,
    Premises,
    Usage,
)
from commonops.core.models import Agency, AgencyPresence
from commonops.core.testing import ModelCase, model_case_tests

_seq = itertools.count(1)
MANAGER = "vn-csm"


def _vn(world):
    return world.country("VN")


def _service(world, **extra):
    n = next(_seq)
    service = CommonService.objects.create(country=_vn(world), name=f"Test service {n}",
                                           service_line="ict", **extra)
    service.client_agencies.set([world.agency("UNDP"), world.agency("WHO")])
    return service


def _premises(world):
    n = next(_seq)
    return Premises.objects.create(country=_vn(world), name=f"Test premises {n}",
                                   address="Hanoi", area_m2=Decimal(1000), desk_capacity=50,
                                   desks_occupied=10)


def _new_agency(world):
    n = next(_seq)
    agency = Agency.objects.create(acronym=f"CS{n}", name=f"Common-services test agency {n}")
    AgencyPresence.objects.create(country=_vn(world), agency=agency)
    return agency


SERVICE = ModelCase(
    pages=views.CommonServicePages, make=_service,
    create_data=lambda w: {"country": _vn(w), "name": f"Shuttle bus {next(_seq)}",
                           "service_line": "logistics", "modality": "outsourced",
                           "status": "planned", "start_date": "2026-03-01"},
    edit_data=lambda o: {"country": o.country, "name": o.name + " (renamed)",
                         "service_line": o.service_line, "modality": o.modality,
                         "status": o.status},
    api_basename="commonservice", manager=MANAGER)
AGREEMENT = ModelCase(
    pages=views.AgreementPages,
    make=lambda w: Agreement.objects.create(
        country=_vn(w), kind="mou", title=f"Test MOU {next(_seq)}",
        provider=w.agency("UNDP"), starts_on=date(2025, 1, 1), ends_on=date(2027, 1, 1)),
    create_data=lambda w: {"country": _vn(w), "kind": "sla", "title": "Cleaning SLA",
                           "provider": w.agency("UNDP"), "starts_on": "2026-01-01",
                           "ends_on": "2026-12-31", "cost_sharing_key": "floor_area",
                           "performance_metrics": "Offices cleaned daily."},
    edit_data=lambda o: {"country": o.country, "kind": o.kind, "title": o.title + " (v2)",
                         "provider": o.provider, "starts_on": o.starts_on.isoformat(),
                         "ends_on": o.ends_on.isoformat(),
                         "cost_sharing_key": o.cost_sharing_key},
    api_basename="agreement", manager=MANAGER, changed_field="title")
CONTRACT = ModelCase(
    pages=views.ContractPages,
    make=lambda w: Contract.objects.create(
        country=_vn(w), reference=f"T-{next(_seq)}", vendor="Test vendor",
        value=Decimal(1000), value_usd=Decimal(1000), starts_on=date(2025, 1, 1),
        ends_on=date(2026, 12, 31)),
    create_data=lambda w: {"country": _vn(w), "reference": f"NEW-{next(_seq)}",
                           "vendor": "Hanoi Taxi", "value": "12000.00", "currency": "USD",
                           "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
    edit_data=lambda o: {"country": o.country, "reference": o.reference,
                         "vendor": o.vendor + " Ltd", "value": str(o.value),
                         "currency": o.currency, "starts_on": o.starts_on.isoformat(),
                         "ends_on": o.ends_on.isoformat()},
    api_basename="contract", manager=MANAGER, changed_field="vendor")
EXCHANGE_RATE = ModelCase(
    pages=views.ExchangeRatePages,
    make=lambda w: ExchangeRate.objects.create(currency=f"X{chr(65 + next(_seq) % 26)}A",
                                               month=date(2000 + next(_seq) % 90, 1, 1),
                                               rate=Decimal(3)),
    create_data=lambda w: {"currency": "EUR", "month": f"{2030 + next(_seq) % 60}-02-01",
                           "rate": "0.920000"},
    edit_data=lambda o: {"currency": "JPY", "month": o.month.isoformat(), "rate": str(o.rate)},
    api_basename="exchangerate", manager="admin", viewer="vn-csm", outsider_sees_it=True,
    changed_field="currency")
BUDGET_LINE = ModelCase(
    pages=views.BudgetLinePages,
    make=lambda w: BudgetLine.objects.create(country=_vn(w), service=_service(w), year=2026,
                                             line="Staff", amount=Decimal(5000)),
    create_data=lambda w: {"service": _service(w), "year": 2026, "line": "Equipment",
                           "amount": "1200.00"},
    edit_data=lambda o: {"service": o.service, "year": o.year, "line": o.line + " and travel",
                         "amount": str(o.amount)},
    api_basename="budgetline", manager=MANAGER, changed_field="line")
KEY = ModelCase(
    pages=views.CostSharingKeyPages,
    make=lambda w: CostSharingKey.objects.create(country=_vn(w), service=_service(w),
                                                 year=2026, method="equal"),
    create_data=lambda w: {"service": _service(w), "year": 2026, "method": "headcount",
                           "usage_source": "entered"},
    edit_data=lambda o: {"service": o.service, "year": o.year, "method": "usage",
                         "usage_source": o.usage_source, "usage_unit": "tickets"},
    api_basename="costsharingkey", manager=MANAGER, changed_field="method")
HEADCOUNT = ModelCase(
    pages=views.HeadcountPages,
    make=lambda w: Headcount.objects.create(country=_vn(w), agency=_new_agency(w),
                                            year=2026, headcount=10),
    create_data=lambda w: {"country": _vn(w), "agency": _new_agency(w), "year": 2026,
                           "headcount": 12},
    edit_data=lambda o: {"country": o.country, "agency": o.agency, "year": o.year,
                         "headcount": o.headcount + 5},
    api_basename="headcount", manager=MANAGER, changed_field="headcount")
USAGE = ModelCase(
    pages=views.UsagePages,
    make=lambda w: Usage.objects.create(country=_vn(w), service=_service(w),
                                        agency=w.agency("UNDP"), year=2026, units=5),
    create_data=lambda w: {"service": _service(w), "agency": w.agency("WHO"), "year": 2026,
                           "units": "40.00"},
    edit_data=lambda o: {"service": o.service, "agency": o.agency, "year": o.year,
                         "units": str(o.units + 1)},
    api_basename="usage", manager=MANAGER, changed_field="units")
EXPENDITURE = ModelCase(
    pages=views.ExpenditurePages,
    make=lambda w: Expenditure.objects.create(
        country=_vn(w), service=_service(w), spent_on=date(2026, 2, 3), year=2026,
        budget_line="Staff", amount_local=Decimal(100), currency="USD", rate=1,
        amount_usd=Decimal(100)),
    create_data=lambda w: {"service": _service(w), "spent_on": "2025-06-10",
                           "budget_line": "Staff", "amount_local": "2500000.00",
                           "currency": "VND"},
    edit_data=lambda o: {"service": o.service, "spent_on": o.spent_on.isoformat(),
                         "budget_line": o.budget_line + " (salaries)",
                         "amount_local": str(o.amount_local), "currency": o.currency},
    api_basename="expenditure", manager=MANAGER, changed_field="budget_line")
PAYMENT = ModelCase(
    pages=views.PaymentPages,
    make=lambda w: Payment.objects.create(country=_vn(w), agency=w.agency("UNDP"), year=2026,
                                          received_on=date(2026, 4, 1), amount=Decimal(10)),
    create_data=lambda w: {"country": _vn(w), "agency": w.agency("WHO"), "year": 2026,
                           "received_on": "2026-05-02", "amount": "1500.00",
                           "reference": "WHO-2026-1"},
    edit_data=lambda o: {"country": o.country, "agency": o.agency, "year": o.year,
                         "received_on": o.received_on.isoformat(),
                         "amount": str(o.amount + 5), "reference": "corrected"},
    api_basename="payment", manager=MANAGER, changed_field="amount")
PREMISES = ModelCase(
    pages=views.PremisesPages, make=_premises,
    create_data=lambda w: {"country": _vn(w), "name": f"Da Nang office {next(_seq)}",
                           "address": "Da Nang", "area_m2": "800.00", "desk_capacity": 40,
                           "desks_occupied": 30, "ownership": "leased"},
    edit_data=lambda o: {"country": o.country, "name": o.name + " (annex)",
                         "address": o.address, "area_m2": str(o.area_m2),
                         "desk_capacity": o.desk_capacity,
                         "desks_occupied": o.desks_occupied, "ownership": o.ownership},
    api_basename="premises", manager=MANAGER)
OCCUPANCY = ModelCase(
    pages=views.OccupancyPages,
    make=lambda w: Occupancy.objects.create(country=_vn(w), premises=_premises(w),
                                            agency=w.agency("UNDP"), area_m2=Decimal(100)),
    create_data=lambda w: {"premises": _premises(w), "agency": w.agency("WHO"),
                           "area_m2": "250.00", "desks": 12},
    edit_data=lambda o: {"premises": o.premises, "agency": o.agency,
                         "area_m2": str(o.area_m2 + 10), "desks": o.desks},
    api_basename="occupancy", manager=MANAGER, changed_field="area_m2")

CASES = [SERVICE, AGREEMENT, CONTRACT, EXCHANGE_RATE, BUDGET_LINE, KEY, HEADCOUNT, USAGE,
         EXPENDITURE, PAYMENT, PREMISES, OCCUPANCY]
TestCommonServicesPages = model_case_tests(CASES)

# Covered by the workflow tests in test_allocation.py (made by an explicit action, never
# edited through a form).
WORKFLOW_MODELS = {"Allocation", "AllocationShare", "FixedShare"}


def test_every_audited_model_of_the_app_has_a_case():
    models = importlib.import_module("commonops.commonservices.models")
    audited = {name for name, cls in inspect.getmembers(models, inspect.isclass)
               if cls.__module__ == models.__name__ and issubclass(cls, Model)
               and not cls._meta.abstract and getattr(cls, "audited", False)}
    covered = {case.model.__name__ for case in CASES} | WORKFLOW_MODELS
    assert audited - covered == set()


@pytest.fixture(autouse=True)
def _vnd_rate(db):
    ExchangeRate.objects.get_or_create(currency="VND", month=date(2025, 6, 1),
                                       defaults={"rate": Decimal(25000)})
