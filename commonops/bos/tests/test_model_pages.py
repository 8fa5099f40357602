"""Every BOS model gets the generic page, API, access, audit and query-count checks.

Content rows (stock-take, opportunities, CBA lines, outcomes, activities) live in a draft
BOS of Viet Nam made for the test (Viet Nam's demo BOS is signed off and read-only, B1);
annual results belong to the signed-off demo BOS (B7: reported after sign-off). The
manager is the OMT chair (BOS_EDIT, BOS_KICKOFF); the viewer is a UNCT member, who reads
but does not write the BOS.
"""

import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from commonops.bos import views
from commonops.bos.models import (
    Activity,
    AnnualResult,
    Bos,
    CbaEntry,
    GradeRate,
    Opportunity,
    Outcome,
    StocktakeEntry,
)
from commonops.core.models import Agency, AgencyPresence, User
from commonops.core.testing import ModelCase, World, _audit_rows, as_form, model_case_tests

_seq = itertools.count(1)
VIEWER = "vn-unct"


def _free_year(country) -> int:
    """A first year no BOS of the country uses yet (one BOS per country per cycle, B1)."""
    taken = set(Bos.objects.filter(country=country).values_list("start_year", flat=True))
    return next(year for year in range(2095, 2000, -1) if year not in taken)


def _draft_bos(world):
    n = next(_seq)
    year = _free_year(world.country("VN"))
    return Bos.objects.create(country=world.country("VN"), title=f"Test BOS {n}",
                              start_year=year, end_year=year + 4,
                              service_lines=["ict", "procurement", "logistics"],
                              kickoff_on=date(2026, 1, 10))


def _agency_pks(*acronyms):
    return [a.pk for a in Agency.objects.filter(acronym__in=acronyms)]


def _bos_data(world):
    n = next(_seq)
    return {"country": world.country("VN"), "title": f"BOS made in a test {n}",
            "start_year": _free_year(world.country("VN")),
            "end_year": _free_year(world.country("VN")) + 4,
            "service_lines": ["ict", "finance"], "discount_rate": "0.03",
            "participating_agencies": _agency_pks("UNDP", "WHO")}


def _bos_edit(obj):
    return {"country": obj.country, "title": obj.title + " (renamed)",
            "start_year": obj.start_year, "end_year": obj.end_year,
            "service_lines": list(obj.service_lines), "discount_rate": "0",
            "participating_agencies": _agency_pks("UNDP")}


def _stocktake(world):
    n = next(_seq)
    entry = StocktakeEntry.objects.create(
        country=world.country("VN"), bos=_draft_bos(world), name=f"Cleaning {n}",
        service_line="ict", modality="outsourced", implemented_since=2015, action="continue")
    entry.managing_agencies.set([world.agency("UNDP")])
    return entry


def _stocktake_data(world):
    return {"bos": _draft_bos(world), "name": "Mail room", "service_line": "logistics",
            "modality": "in_house", "managing_agencies": _agency_pks("UNICEF"),
            "participating_agencies": _agency_pks("WHO", "UNFPA"),
            "implemented_since": 2018, "action": "scale_up", "comments": "Works well."}


def _stocktake_edit(obj):
    return {"bos": obj.bos, "name": obj.name + " (renamed)", "service_line": obj.service_line,
            "modality": obj.modality, "managing_agencies": _agency_pks("UNDP"),
            "implemented_since": obj.implemented_since, "action": obj.action}


def _opportunity(world, bos=None):
    n = next(_seq)
    bos = bos or _draft_bos(world)
    opportunity = Opportunity.objects.create(
        country=world.country("VN"), bos=bos, name=f"Joint LTA {n}",
        service_line="procurement", approach="exact", implementation_start=bos.start_year)
    opportunity.managing_agencies.set([world.agency("UNICEF")])
    return opportunity


def _opportunity_data(world):
    return {"bos": _draft_bos(world), "name": "Common connectivity", "service_line": "ict",
            "description": "One fibre link.", "managing_agencies": _agency_pks("UNDP"),
            "participating_agencies": _agency_pks("WHO"), "approach": "estimated",
            "data_sources": "Figures from Lao PDR"}


def _opportunity_edit(obj):
    return {"bos": obj.bos, "name": obj.name + " (renamed)", "service_line": obj.service_line,
            "managing_agencies": _agency_pks("UNICEF"), "approach": obj.approach}


def _cba_line(world):
    opportunity = _opportunity(world)
    return CbaEntry.objects.create(country=opportunity.country, opportunity=opportunity,
                                   year=1, side="cost", kind="monetary", nature="one_time",
                                   amount=Decimal("1000.00"), description="Set-up")


def _outcome(world):
    return Outcome.objects.create(country=world.country("VN"), bos=_draft_bos(world),
                                  service_line="ict", statement="One desk for all.")


def _activity(world):
    outcome = _outcome(world)
    return Activity.objects.create(
        country=outcome.country, outcome=outcome, name=f"Tender {next(_seq)}",
        owner=world.agency("UNDP"), starts_on=date(outcome.bos.start_year, 2, 1),
        ends_on=date(outcome.bos.start_year, 6, 30), budget=Decimal("5000"),
        funded=Decimal("1000"))


def _activity_data(world):
    outcome = _outcome(world)
    return {"outcome": outcome, "name": "Train focal points", "owner": world.agency("WHO"),
            "starts_on": f"{outcome.bos.start_year}-03-01",
            "ends_on": f"{outcome.bos.start_year}-05-31", "budget": "8000.00",
            "funded": "2000.00"}


def _grade_rate(world):
    return GradeRate.objects.create(country=world.country("VN"), year=2030 + next(_seq),
                                    grade="P-2", hourly_rate=Decimal("50.00"))


def _signed_off_service(world):
    return Opportunity.objects.get(bos__country__iso_code="VN", bos__status="signed_off",
                                   name="Common ICT service desk")


def _annual_result(world):
    n = next(_seq)
    agency = Agency.objects.create(acronym=f"BOSAG{n}", name=f"BOS test agency {n}")
    AgencyPresence.objects.create(country=world.country("VN"), agency=agency)
    service = _signed_off_service(world)
    service.participating_agencies.add(agency)
    return AnnualResult.objects.create(
        country=service.country, opportunity=service, agency=agency, year=2026,
        realised_cost_avoidance=Decimal("1000.00"), funds_spent=Decimal("100.00"))


def _annual_result_data(world):
    n = next(_seq)
    agency = Agency.objects.create(acronym=f"BOSNEW{n}", name=f"BOS new agency {n}")
    AgencyPresence.objects.create(country=world.country("VN"), agency=agency)
    service = _signed_off_service(world)
    service.participating_agencies.add(agency)
    return {"opportunity": service, "agency": agency, "year": 2026,
            "realised_cost_avoidance": "2500.00", "funds_spent": "300.00",
            "feedback": "Quicker tickets."}


BOS = ModelCase(
    pages=views.BosPages, make=_draft_bos, create_data=_bos_data, edit_data=_bos_edit,
    api_basename="bos", changed_field="title", viewer=VIEWER, detail_query_budget=30)
STOCKTAKE = ModelCase(
    pages=views.StocktakeEntryPages, make=_stocktake, create_data=_stocktake_data,
    edit_data=_stocktake_edit, api_basename="stocktakeentry", viewer=VIEWER)
OPPORTUNITY = ModelCase(
    pages=views.OpportunityPages, make=_opportunity, create_data=_opportunity_data,
    edit_data=_opportunity_edit, api_basename="opportunity", viewer=VIEWER,
    detail_query_budget=20)
CBA_LINE = ModelCase(
    pages=views.CbaEntryPages, make=_cba_line,
    create_data=lambda w: {"opportunity": _opportunity(w), "year": 2, "side": "benefit",
                           "kind": "monetary", "nature": "recurring", "amount": "1500.00",
                           "description": "Lower prices"},
    edit_data=lambda obj: {"opportunity": obj.opportunity, "year": obj.year,
                           "side": obj.side, "kind": obj.kind, "nature": obj.nature,
                           "amount": "1200.00", "description": "Set-up (revised)"},
    api_basename="cbaentry", changed_field="amount", viewer=VIEWER)
OUTCOME = ModelCase(
    pages=views.OutcomePages, make=_outcome,
    create_data=lambda w: {"bos": _draft_bos(w), "service_line": "logistics",
                           "statement": "Agencies share a fleet."},
    edit_data=lambda obj: {"bos": obj.bos, "service_line": obj.service_line,
                           "statement": obj.statement + " And connectivity."},
    api_basename="bosoutcome", changed_field="statement", viewer=VIEWER)
ACTIVITY = ModelCase(
    pages=views.ActivityPages, make=_activity, create_data=_activity_data,
    edit_data=lambda obj: {"outcome": obj.outcome, "name": obj.name + " (renamed)",
                           "owner": obj.owner, "starts_on": obj.starts_on.isoformat(),
                           "ends_on": obj.ends_on.isoformat(), "budget": "5000.00",
                           "funded": "1000.00"},
    api_basename="bosactivity", viewer=VIEWER)
GRADE_RATE = ModelCase(
    pages=views.GradeRatePages, make=_grade_rate,
    create_data=lambda w: {"country": w.country("VN"), "year": 2035, "grade": "NO-D",
                           "hourly_rate": "52.75"},
    edit_data=lambda obj: {"country": obj.country, "year": obj.year, "grade": obj.grade,
                           "hourly_rate": "55.25"},
    api_basename="graderate", changed_field="hourly_rate", viewer=VIEWER)
ANNUAL_RESULT = ModelCase(
    pages=views.AnnualResultPages, make=_annual_result, create_data=_annual_result_data,
    edit_data=lambda obj: {"opportunity": obj.opportunity, "agency": obj.agency,
                           "year": obj.year, "realised_cost_avoidance": "1100.00",
                           "funds_spent": "100.00", "feedback": "Revised figures."},
    api_basename="annualresult", changed_field="realised_cost_avoidance", viewer=VIEWER)

CASES = [BOS, STOCKTAKE, OPPORTUNITY, CBA_LINE, OUTCOME, ACTIVITY, GRADE_RATE, ANNUAL_RESULT]

# Cases whose create data holds lists (service lines, agencies): their API test posts JSON
# lists itself, since as_json flattens lists to text.
WITH_LISTS = [BOS, STOCKTAKE, OPPORTUNITY]
PLAIN = [c for c in CASES if c not in WITH_LISTS]


def _json(data: dict) -> dict:
    out = {}
    for key, value in data.items():
        if hasattr(value, "pk"):
            value = value.pk
        out[key] = value
    return out


TestPlainBosModels = model_case_tests(PLAIN)


class TestBosModelsWithLists(model_case_tests(WITH_LISTS)):
    @pytest.mark.parametrize("case", WITH_LISTS, ids=[str(c) for c in WITH_LISTS])
    def test_api_create_edit_delete_through_the_actions_with_audit(self, api, case):
        client = api(User.objects.get(username=case.manager))
        response = client.post(reverse(f"{case.api_basename}-list"),
                               _json(case.create_data(self.world)), format="json")
        assert response.status_code == 201, response.json()
        pk = response.json()["id"]
        entry = _audit_rows(case.model, pk, "create").get()
        assert (entry.source, entry.actor.username) == ("api", case.manager)
        detail = reverse(f"{case.api_basename}-detail", args=[pk])
        response = client.patch(detail, {case.changed_field: "Renamed by the API"},
                                format="json")
        assert response.status_code == 200, response.json()
        assert _audit_rows(case.model, pk, "update").get().source == "api"
        assert client.delete(detail).status_code == 204
        assert _audit_rows(case.model, pk, "delete").exists()


@pytest.mark.django_db
def test_the_kickoff_form_keeps_service_lines_and_agencies(client):
    client.force_login(User.objects.get(username="vn-chair"))
    data = as_form(_bos_data(World()))
    response = client.post(reverse("bos:bos_add"), data)
    assert response.status_code == 302
    bos = Bos.objects.get(title=data["title"])
    assert bos.service_lines == ["finance", "ict"]
    assert {a.acronym for a in bos.participating_agencies.all()} == {"UNDP", "WHO"}


def test_every_audited_bos_model_has_page_tests():
    """A model without a case would go untested for access and audit."""
    from django.apps import apps

    audited = {m.__name__ for m in apps.get_app_config("bos").get_models()
               if getattr(m, "audited", False)}
    assert audited - {case.model.__name__ for case in CASES} == set()
