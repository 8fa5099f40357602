"""The figures behind the C2 measures; a change recomputes the measures it feeds."""

from datetime import date

from django.utils.translation import gettext as _

from commonops.compacts import queries, rules
from commonops.compacts.models import (
    AppealResponse,
    ComplianceFigure,
    DocumentSubmission,
    Office,
    PerformanceMeasure,
    SpendingFigure,
    StaffFigure,
)
from commonops.core.audit import audited_action
from commonops.core.saving import delete_managed, save_managed
from commonops.results import actions as results_actions
from commonops.results.models import Measurement

# --- the figures behind the C2 measures (C2) -------------------------------------------------


def measures_refresh(*, office: Office, year: int, today: date | None = None) -> int:
    """Recompute the standard measures of the office's compacts for `year` from its figures
    (as of the year's end, or today while it runs); how many actuals changed."""
    today = today or office.country.today()
    measures = list(PerformanceMeasure.objects.filter(
        objective__compact__office=office, objective__compact__year=year,
        objective__compact__superseded_by__isnull=True).exclude(standard="")
        .select_related("indicator"))
    if not measures:
        return 0
    figures = queries.office_figures(office, year)
    as_of = rules.as_of_for(year, today)
    changed = 0
    for measure in measures:
        actual = rules.compute_standard(measure.standard, figures, year=year, as_of=as_of)
        before = Measurement.objects.filter(indicator=measure.indicator, year=year, month=0,
                                            agency__isnull=True).values_list(
            "value", "cases", "condition_met").first()
        results_actions.measurement_compute(
            indicator=measure.indicator, year=year, value=actual.value, cases=actual.cases,
            condition_met=actual.condition_met,
            note=_("Computed from the office's figures as of %(day)s.") % {
                "day": as_of.isoformat()})
        after = (None if actual.value is None else
                 (results_actions._cents(actual.value), actual.cases, actual.condition_met))
        changed += before != after
    return changed


def _figure_year(instance) -> int:
    for name in ("year",):
        if getattr(instance, name, None):
            return getattr(instance, name)
    if isinstance(instance, DocumentSubmission):
        return instance.slot_date.year
    return instance.received_on.year


def _figure_save(instance, *, by, data: dict):
    years = {_figure_year(instance)} if instance.pk else set()
    old_office = instance.office if instance.pk else None
    office = data.get("office") or old_office
    if office is not None:
        data = {**data, "country": office.country}
    saved = save_managed(instance, by=by, data=data)
    years.add(_figure_year(saved))
    for year in years:
        measures_refresh(office=saved.office, year=year)
    if old_office is not None and old_office.pk != saved.office_id:
        for year in years:
            measures_refresh(office=old_office, year=year)
    return saved


def _figure_delete(instance, *, by) -> None:
    office, year = instance.office, _figure_year(instance)
    delete_managed(instance, by=by)
    measures_refresh(office=office, year=year)


@audited_action
def staff_figure_create(*, by, data: dict) -> StaffFigure:
    return _figure_save(StaffFigure(), by=by, data=data)


@audited_action
def staff_figure_update(*, staff_figure: StaffFigure, by, data: dict) -> StaffFigure:
    return _figure_save(staff_figure, by=by, data=data)


@audited_action
def staff_figure_delete(*, staff_figure: StaffFigure, by) -> None:
    _figure_delete(staff_figure, by=by)


@audited_action
def compliance_figure_create(*, by, data: dict) -> ComplianceFigure:
    return _figure_save(ComplianceFigure(), by=by, data=data)


@audited_action
def compliance_figure_update(*, compliance_figure: ComplianceFigure, by,
                             data: dict) -> ComplianceFigure:
    return _figure_save(compliance_figure, by=by, data=data)


@audited_action
def compliance_figure_delete(*, compliance_figure: ComplianceFigure, by) -> None:
    _figure_delete(compliance_figure, by=by)


@audited_action
def spending_figure_create(*, by, data: dict) -> SpendingFigure:
    return _figure_save(SpendingFigure(), by=by, data=data)


@audited_action
def spending_figure_update(*, spending_figure: SpendingFigure, by,
                           data: dict) -> SpendingFigure:
    return _figure_save(spending_figure, by=by, data=data)


@audited_action
def spending_figure_delete(*, spending_figure: SpendingFigure, by) -> None:
    _figure_delete(spending_figure, by=by)


@audited_action
def document_submission_create(*, by, data: dict) -> DocumentSubmission:
    return _figure_save(DocumentSubmission(), by=by, data=data)


@audited_action
def document_submission_update(*, document_submission: DocumentSubmission, by,
                               data: dict) -> DocumentSubmission:
    return _figure_save(document_submission, by=by, data=data)


@audited_action
def document_submission_delete(*, document_submission: DocumentSubmission, by) -> None:
    _figure_delete(document_submission, by=by)


@audited_action
def appeal_response_create(*, by, data: dict) -> AppealResponse:
    return _figure_save(AppealResponse(), by=by, data=data)


@audited_action
def appeal_response_update(*, appeal_response: AppealResponse, by,
                           data: dict) -> AppealResponse:
    return _figure_save(appeal_response, by=by, data=data)


@audited_action
def appeal_response_delete(*, appeal_response: AppealResponse, by) -> None:
    _figure_delete(appeal_response, by=by)
