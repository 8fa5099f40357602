"""Oversight recommendations (C3) and their history."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from commonops.compacts import rules
from commonops.compacts.actions.common import _require
from commonops.compacts.actions.figures import measures_refresh
from commonops.compacts.models import (
    OversightRecommendation,
    RecommendationEvent,
    RecommendationStatus,
)
from commonops.core.audit import audited_action
from commonops.core.roles import Perm
from commonops.core.saving import delete_managed, save_managed, validated_save

# --- oversight recommendations (C3) ----------------------------------------------------------


def _recommendation_refresh(recommendation: OversightRecommendation, *years) -> None:
    for year in {y for y in years if y}:
        measures_refresh(office=recommendation.office, year=year)


def _event(recommendation, *, status, on, by, note="", evidence="") -> RecommendationEvent:
    return validated_save(RecommendationEvent(
        country_id=recommendation.country_id, recommendation=recommendation, status=status,
        on=on, note=note, evidence=evidence, by=by))


@audited_action
def oversight_recommendation_create(*, by, data: dict) -> OversightRecommendation:
    office = data.get("office")
    data = {**data, "country": office.country} if office is not None else data
    recommendation = save_managed(OversightRecommendation(), by=by, data=data)
    _event(recommendation, status=RecommendationStatus.OPEN, on=recommendation.issued_on,
           by=by, note=_("Issued by %(body)s in %(report)s.") % {
               "body": recommendation.get_source_body_display(),
               "report": recommendation.report})
    _recommendation_refresh(recommendation, recommendation.target_date.year)
    return recommendation


@audited_action
def oversight_recommendation_update(*, oversight_recommendation: OversightRecommendation, by,
                                    data: dict) -> OversightRecommendation:
    recommendation = oversight_recommendation
    old_year = recommendation.target_date.year
    office = data.get("office")
    if office is not None and office.pk != recommendation.office_id:
        raise ValidationError({"office": _("A recommendation stays with its office.")})
    saved = save_managed(recommendation, by=by, data=data)  # the constraints check dates
    # A moved target date is a new key for the reminders: they go out again (C3).
    _recommendation_refresh(saved, old_year, saved.target_date.year)
    return saved


@audited_action
def oversight_recommendation_delete(*, oversight_recommendation: OversightRecommendation,
                                    by) -> None:
    recommendation = oversight_recommendation
    office, year = recommendation.office, recommendation.target_date.year
    delete_managed(recommendation, by=by)
    measures_refresh(office=office, year=year)


def _moved(recommendation: OversightRecommendation, *, by, to: str) -> OversightRecommendation:
    locked = OversightRecommendation.objects.select_for_update().select_related(
        "country", "office").get(pk=recommendation.pk)
    _require(by, Perm.OVERSIGHT_MANAGE, locked.country_id)
    if not rules.may_move(locked.status, to):
        raise ValidationError(_("A recommendation that is %(status)s cannot become "
                                "%(to)s.") % {
            "status": locked.get_status_display().lower(),
            "to": RecommendationStatus(to).label.lower()})
    return locked


@audited_action
def recommendation_start(*, oversight_recommendation, by, note: str = "",
                         today: date | None = None):
    r = _moved(oversight_recommendation, by=by, to=RecommendationStatus.IN_PROGRESS)
    r.status, r.implemented_on = RecommendationStatus.IN_PROGRESS, None
    validated_save(r)
    _event(r, status=r.status, on=today or r.country.today(), by=by, note=note)
    return r


IMPLEMENTATION_MESSAGES = {
    "missing": "Give the day it was implemented.",
    "before_issued": "A recommendation cannot be implemented before it was issued "
                     "(%(issued)s).",
    "in_future": "The day it was implemented cannot be in the future.",
}


@audited_action
def recommendation_implement(*, oversight_recommendation, by, implemented_on: date,
                             evidence: str, note: str = "", today: date | None = None):
    """C3: implemented on a day, with its evidence; the rates and the compact's measures
    follow."""
    r = _moved(oversight_recommendation, by=by, to=RecommendationStatus.IMPLEMENTED)
    today = today or r.country.today()
    problem = rules.implementation_problem(issued_on=r.issued_on,
                                           implemented_on=implemented_on, today=today)
    if problem:
        raise ValidationError({"implemented_on": _(IMPLEMENTATION_MESSAGES[problem]) % {
            "issued": r.issued_on.isoformat()}})
    if not (evidence or "").strip():
        raise ValidationError({"evidence": _("Say what shows it is implemented.")})
    r.status, r.implemented_on, r.evidence = (RecommendationStatus.IMPLEMENTED,
                                              implemented_on, evidence.strip())
    validated_save(r)
    _event(r, status=r.status, on=implemented_on, by=by, note=note, evidence=r.evidence)
    _recommendation_refresh(r, r.target_date.year)
    return r


@audited_action
def recommendation_close(*, oversight_recommendation, by, note: str,
                         today: date | None = None):
    """C3: closed by the oversight body: verified once implemented, or withdrawn."""
    r = _moved(oversight_recommendation, by=by, to=RecommendationStatus.CLOSED)
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why it is closed.")})
    r.status = RecommendationStatus.CLOSED
    validated_save(r)
    _event(r, status=r.status, on=today or r.country.today(), by=by, note=note.strip())
    _recommendation_refresh(r, r.target_date.year)
    return r


@audited_action
def recommendation_reopen(*, oversight_recommendation, by, note: str,
                          today: date | None = None):
    """C3: an implementation the body did not accept: back in progress."""
    r = _moved(oversight_recommendation, by=by, to=RecommendationStatus.IN_PROGRESS)
    if r.status != RecommendationStatus.IMPLEMENTED:
        raise ValidationError(_("Only an implemented recommendation is reopened."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why it is reopened.")})
    r.status, r.implemented_on = RecommendationStatus.IN_PROGRESS, None
    validated_save(r)
    _event(r, status=r.status, on=today or r.country.today(), by=by, note=note.strip())
    _recommendation_refresh(r, r.target_date.year)
    return r
