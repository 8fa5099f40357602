"""Every compacts model gets the generic page, API, access, audit and query-count checks.

Compacts, objectives and measures are drafts of an office made for the test; reviews
belong to a signed compact. The senior manager keeps compacts and recommendations; the
M&E focal point keeps offices and figures; the viewer is an OMT member, who reads only.
"""

import itertools
from datetime import date

from commonops.compacts import actions, rules, views
from commonops.compacts.tests.helpers import (
    compact,
    office,
    recommendation,
    signed,
    user,
    viet_nam,
)
from commonops.core.testing import ModelCase, model_case_tests

_seq = itertools.count(1)
SENIOR = "vn-senior"
DATA = "vn-senior"


def _review(world):
    c = signed(compact())
    return actions.compact_review_create(by=user(SENIOR), data={
        "compact": c, "kind": "mid_year", "reviewed_on": date(2026, 7, 1),
        "self_evaluation": "On track."})


def _staff(world):
    return actions.staff_figure_create(by=user(DATA), data={
        "office": office(), "year": 2026, "kind": rules.POSTS, "count": 40})


def _recommendation(world):
    return recommendation(office(), issued=date(2026, 1, 10), target=date(2026, 6, 30))


OFFICE = ModelCase(
    pages=views.OfficePages, make=lambda w: office(),
    create_data=lambda w: {"country": viet_nam(), "name": f"New office {next(_seq)}",
                           "agency": w.agency("UNFPA")},
    edit_data=lambda obj: {"country": obj.country, "name": obj.name + " (renamed)"},
    api_basename="office", manager=DATA, detail_query_budget=16)
COMPACT = ModelCase(
    pages=views.CompactPages, make=lambda w: compact(),
    create_data=lambda w: {"office": office(), "manager": user(SENIOR),
                           "endorser": user("vn-endorser"), "year": 2026,
                           "budget_reference": "Programme budget 2026."},
    edit_data=lambda obj: {"office": obj.office, "manager": obj.manager, "year": obj.year,
                           "endorser": obj.endorser,
                           "budget_reference": "Programme budget 2026, revised."},
    api_basename="compact", manager=SENIOR, changed_field="budget_reference",
    detail_query_budget=30)
OBJECTIVE = ModelCase(
    pages=views.ObjectivePages, make=lambda w: compact().objectives.first(),
    create_data=lambda w: {"compact": compact(), "section": "programme",
                           "objective": "Deliver the country programme.",
                           "expected_accomplishment": "Delivery on plan.", "position": 1},
    edit_data=lambda obj: {"compact": obj.compact, "section": obj.section, "area": obj.area,
                           "objective": obj.objective + " On time.",
                           "expected_accomplishment": obj.expected_accomplishment,
                           "position": obj.position},
    api_basename="objective", manager=SENIOR, changed_field="objective")
MEASURE = ModelCase(
    pages=views.PerformanceMeasurePages,
    make=lambda w: compact().objectives.first().measures.first(),
    create_data=lambda w: {"objective": compact().objectives.first(),
                           "statement": "At least four town halls a year.",
                           "name": "Town halls held", "unit": "count",
                           "direction": "increase", "target": "4"},
    edit_data=lambda obj: {"objective": obj.objective,
                           "statement": obj.statement + " (revised)",
                           "name": obj.indicator.name, "unit": obj.indicator.unit,
                           "direction": obj.indicator.direction, "target": "6"},
    api_basename="performancemeasure", manager=SENIOR, changed_field="statement")
REVIEW = ModelCase(
    pages=views.CompactReviewPages, make=_review,
    create_data=lambda w: {"compact": signed(compact()), "kind": "end_of_year",
                           "reviewed_on": "2026-12-15", "self_evaluation": "Most met."},
    edit_data=lambda obj: {"compact": obj.compact, "kind": obj.kind,
                           "reviewed_on": obj.reviewed_on.isoformat(),
                           "self_evaluation": obj.self_evaluation + " Revised."},
    api_basename="compactreview", manager=SENIOR, changed_field="self_evaluation")
STAFF = ModelCase(
    pages=views.StaffFigurePages, make=_staff,
    create_data=lambda w: {"office": office(), "year": 2026, "kind": rules.SELECTION,
                           "level": "professional", "gender": "female", "count": 5},
    edit_data=lambda obj: {"office": obj.office, "year": obj.year, "kind": obj.kind,
                           "count": 44},
    api_basename="stafffigure", manager=DATA, changed_field="count")
COMPLIANCE = ModelCase(
    pages=views.ComplianceFigurePages,
    make=lambda w: actions.compliance_figure_create(by=user(DATA), data={
        "office": office(), "year": 2026, "kind": rules.APPRAISALS, "required": 40,
        "completed": 30}),
    create_data=lambda w: {"office": office(), "year": 2026, "kind": rules.TRAININGS,
                           "required": 20, "completed": 18},
    edit_data=lambda obj: {"office": obj.office, "year": obj.year, "kind": obj.kind,
                           "required": obj.required, "completed": obj.required - 1},
    api_basename="compliancefigure", manager=DATA, changed_field="completed")
SPENDING = ModelCase(
    pages=views.SpendingFigurePages,
    make=lambda w: actions.spending_figure_create(by=user(DATA), data={
        "office": office(), "year": 2026, "month": 3, "planned": "1000.00",
        "actual": "990.00"}),
    create_data=lambda w: {"office": office(), "year": 2026, "month": 4,
                           "planned": "1200.00", "actual": "1250.00"},
    edit_data=lambda obj: {"office": obj.office, "year": obj.year, "month": obj.month,
                           "planned": "1000.00", "actual": "1010.00"},
    api_basename="spendingfigure", manager=DATA, changed_field="actual")
DOCUMENT = ModelCase(
    pages=views.DocumentSubmissionPages,
    make=lambda w: actions.document_submission_create(by=user(DATA), data={
        "office": office(), "reference": f"Board paper {next(_seq)}",
        "slot_date": date(2026, 3, 1), "submitted_on": date(2026, 2, 27)}),
    create_data=lambda w: {"office": office(), "reference": "Annual report",
                           "slot_date": "2026-04-01"},
    edit_data=lambda obj: {"office": obj.office, "reference": obj.reference + " (final)",
                           "slot_date": obj.slot_date.isoformat()},
    api_basename="documentsubmission", manager=DATA, changed_field="reference")
APPEAL = ModelCase(
    pages=views.AppealResponsePages,
    make=lambda w: actions.appeal_response_create(by=user(DATA), data={
        "office": office(), "reference": f"Appeal {next(_seq)}",
        "received_on": date(2026, 3, 1)}),
    create_data=lambda w: {"office": office(), "reference": "Appeal 7",
                           "received_on": "2026-04-01", "answered_on": "2026-04-15"},
    edit_data=lambda obj: {"office": obj.office, "reference": obj.reference + " (merged)",
                           "received_on": obj.received_on.isoformat()},
    api_basename="appealresponse", manager=DATA, changed_field="reference")
RECOMMENDATION = ModelCase(
    pages=views.OversightRecommendationPages, make=_recommendation,
    create_data=lambda w: {"office": office(), "source_body": "board",
                           "report": "Board report 2026", "text": "Review the LTAs.",
                           "risk": "medium", "owner": user(SENIOR), "issued_on": "2026-02-01",
                           "target_date": "2026-09-30"},
    edit_data=lambda obj: {"office": obj.office, "source_body": obj.source_body,
                           "report": obj.report + " (final)", "text": obj.text,
                           "risk": obj.risk, "owner": obj.owner,
                           "issued_on": obj.issued_on.isoformat(),
                           "target_date": obj.target_date.isoformat()},
    api_basename="oversightrecommendation", manager=SENIOR, changed_field="report",
    detail_query_budget=18)

CASES = [OFFICE, COMPACT, OBJECTIVE, MEASURE, REVIEW, STAFF, COMPLIANCE, SPENDING, DOCUMENT,
         APPEAL, RECOMMENDATION]

TestCompactsModels = model_case_tests(CASES)


def test_every_audited_compacts_model_has_page_tests():
    """A model without a case would go untested for access and audit."""
    from django.apps import apps

    audited = {m.__name__ for m in apps.get_app_config("compacts").get_models()
               if getattr(m, "audited", False)}
    assert audited - {case.model.__name__ for case in CASES} == set()
