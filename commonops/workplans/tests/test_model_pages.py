"""Every work-plan model gets the generic page, API, access, audit and query-count checks.

Plans and activities are drafts of Viet Nam made for the test in years nothing else uses
(a plan changes only as a draft, G9); progress reports belong to an approved plan and are
written by the M&E focal point. The viewer is an OMT member, who reads but does not write.
"""

import itertools
from datetime import date

from commonops.core.models import Agency
from commonops.core.testing import ModelCase, model_case_tests
from commonops.workplans import actions, views
from commonops.workplans.models import ServiceVerdict
from commonops.workplans.tests.helpers import (
    activity,
    approved,
    free_year,
    plan,
    report,
    signed_off_bos,
    user,
    vn_omt,
)

_seq = itertools.count(1)


def _plan_data(world):
    return {"omt": vn_omt(), "year": free_year(), "title": f"Plan made in a test {next(_seq)}",
            "retreat_on": "2025-12-05"}


def _activity_data(world):
    p = plan()
    return {"plan": p, "name": "Common cleaning tender", "owner_agency": world.agency("WHO"),
            "starts_on": f"{p.year}-03-01", "ends_on": f"{p.year}-05-31",
            "budget": "8000.00", "funding_source": "donor"}


def _activity_edit(obj):
    return {"plan": obj.plan, "name": obj.name + " (renamed)", "owner_agency": obj.owner_agency,
            "starts_on": obj.starts_on.isoformat(), "ends_on": obj.ends_on.isoformat(),
            "budget": "8000.00", "funding_source": obj.funding_source}


def _report(world):
    p = plan()
    a = activity(p)
    approved(p)
    return report(a, quarter=1, progress=10)


def _report_data(world):
    p = plan()
    a = activity(p)
    approved(p)
    return {"activity": a, "quarter": 2, "status": "in_progress", "progress": 35,
            "spent": "1200.00", "note": "Bids received."}


def _evaluation(world):
    return actions.bos_evaluation_create(by=user("vn-chair"), data={
        "bos": signed_off_bos(), "summary": "Most targets met."})


def _verdict(world):
    return ServiceVerdict.objects.filter(evaluation=_evaluation(world)).first()


def _verdict_data(world):
    evaluation = _evaluation(world)
    entry = evaluation.bos.stocktake.first()
    evaluation.verdicts.filter(stocktake_entry=entry).delete()
    return {"evaluation": evaluation, "stocktake_entry": entry, "action": "modify",
            "comments": "Renegotiate the contract."}


WORK_PLAN = ModelCase(
    pages=views.WorkPlanPages, make=lambda w: plan(), create_data=_plan_data,
    edit_data=lambda obj: {"omt": obj.omt, "year": obj.year, "title": obj.title + " (new)"},
    api_basename="workplan", changed_field="title", detail_query_budget=20)
ACTIVITY = ModelCase(
    pages=views.PlanActivityPages, make=lambda w: activity(plan()),
    create_data=_activity_data, edit_data=_activity_edit, api_basename="planactivity",
    detail_query_budget=20)
PROGRESS = ModelCase(
    pages=views.ProgressUpdatePages, make=_report, create_data=_report_data,
    edit_data=lambda obj: {"activity": obj.activity, "quarter": obj.quarter,
                           "status": "in_progress", "progress": 20, "spent": "0",
                           "note": obj.note},
    api_basename="progressupdate", changed_field="progress", manager="vn-me")
EVALUATION = ModelCase(
    pages=views.BosEvaluationPages, make=_evaluation,
    create_data=lambda w: {"bos": signed_off_bos(), "summary": "A good cycle.",
                           "evaluated_on": date(2026, 11, 1).isoformat()},
    edit_data=lambda obj: {"bos": obj.bos, "summary": obj.summary + " Mostly."},
    api_basename="bosevaluation", changed_field="summary", detail_query_budget=40)
VERDICT = ModelCase(
    pages=views.ServiceVerdictPages, make=_verdict, create_data=_verdict_data,
    edit_data=lambda obj: {"evaluation": obj.evaluation, "opportunity": obj.opportunity,
                           "stocktake_entry": obj.stocktake_entry, "action": "scale_up",
                           "comments": obj.comments},
    api_basename="serviceverdict", changed_field="action")

CASES = [WORK_PLAN, ACTIVITY, PROGRESS, EVALUATION, VERDICT]

TestWorkplanModels = model_case_tests(CASES)


def test_every_audited_workplans_model_has_page_tests():
    """A model without a case would go untested for access and audit."""
    from django.apps import apps

    audited = {m.__name__ for m in apps.get_app_config("workplans").get_models()
               if getattr(m, "audited", False)}
    assert audited - {case.model.__name__ for case in CASES} == set()


__all__ = ["Agency", "TestWorkplanModels"]
