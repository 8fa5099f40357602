"""The BOS, its kick-off and its workflow (B1, B2): submit, clear, return, endorse, sign off."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from commonops.bos import rules
from commonops.bos.actions.common import _check_draft, _check_lines, _require
from commonops.bos.models import (
    Bos,
    CbaEntry,
    Opportunity,
)
from commonops.core import access
from commonops.core.audit import audited_action
from commonops.core.roles import Perm
from commonops.core.saving import validated_save
from commonops.results.models import Indicator, Target

# --- the BOS and its kick-off (B1, B2) ----------------------------------------------------


@audited_action
def bos_create(*, by, data: dict) -> Bos:
    """B1: start a BOS for a cycle; the kick-off belongs to the OMT chair and the RC."""
    bos = Bos()
    data = dict(data)
    data.pop("expected_version", None)
    country = data.get("country")
    _require(by, Perm.BOS_KICKOFF, country)
    data["service_lines"] = _check_lines(data.get("service_lines"))
    return validated_save(bos, data)


@audited_action
def bos_update(*, bos: Bos, by, data: dict) -> Bos:
    """B1: edit the kick-off (title, cycle, scope, lines, agencies) of a draft BOS."""
    instance = bos
    _require(by, Perm.BOS_KICKOFF, instance.country_id)
    _check_draft(instance)
    data = dict(data)
    expected = data.pop("expected_version", None)
    if expected is not None and expected != instance.version:
        raise ValidationError(_("Someone else changed this BOS since you opened it: reload "
                                "the page and make your change again."))
    if "country" in data and data["country"] != instance.country:
        raise ValidationError({"country": _("A BOS stays in its country.")})
    if "service_lines" in data:
        data["service_lines"] = _check_lines(data["service_lines"])
    if ("start_year" in data or "end_year" in data):
        last_year = data.get("end_year", instance.end_year) - data.get(
            "start_year", instance.start_year) + 1
        longest = CbaEntry.objects.filter(opportunity__bos=instance).order_by("-year") \
            .values_list("year", flat=True).first()
        if longest and longest > last_year:
            raise ValidationError({"end_year": _(
                "Some CBA lines reach horizon year %(year)s: the cycle cannot be shorter.")
                % {"year": longest}})
    instance.version += 1
    return validated_save(instance, data)


@audited_action
def bos_delete(*, bos: Bos, by) -> None:
    _require(by, Perm.BOS_KICKOFF, bos.country_id)
    _check_draft(bos)
    bos.delete()


def _locked(bos: Bos) -> Bos:
    """Re-read the BOS under a row lock so two people cannot take the same step at once."""
    return Bos.objects.select_for_update().select_related("country").get(pk=bos.pk)


def _step(bos: Bos, step: str) -> str:
    """B1: the state `step` leads to; the same rule decides whether its button shows."""
    if not rules.step_allowed(bos.status, step):
        raise ValidationError(_("This step is not possible: the BOS is %(status)s.")
                              % {"status": bos.get_status_display().lower()})
    return rules.next_state(bos.status, step)


def submission_problems(bos: Bos) -> list[str]:
    """B2, B5: what stands in the way of submitting a BOS for quality assurance."""
    problems = []
    if len(bos.service_lines or []) < rules.MIN_SERVICE_LINES:
        problems.append(_("The BOS covers fewer than two service lines."))
    if not bos.kickoff_on:
        problems.append(_("The kick-off date is missing."))
    if not bos.participating_agencies.exists():
        problems.append(_("No participating agencies are named."))
    services = list(Opportunity.objects.filter(bos=bos, selected=True).order_by("name"))
    if not services:
        problems.append(_("No opportunity is selected into the plan."))
    kinds: dict[int, set[str]] = {}
    opportunity_type = ContentType.objects.get_for_model(Opportunity)
    indicators = Indicator.objects.filter(subject_type=opportunity_type,
                                          subject_id__in=[s.pk for s in services])
    for subject_id, kind in indicators.values_list("subject_id", "kind"):
        kinds.setdefault(subject_id, set()).add(kind)
    lacking = [s.name for s in services if rules.missing_kpi_kinds(kinds.get(s.pk, ()))]
    if lacking:  # B5
        problems.append(_("These services lack a cost-avoidance KPI and a quality KPI: "
                          "%(services)s.") % {"services": ", ".join(lacking)})
    without_target = list(indicators.exclude(
        pk__in=Target.objects.values("indicator_id")).values_list("name", flat=True))
    if without_target:
        problems.append(_("These KPIs have no target: %(kpis)s.")
                        % {"kpis": ", ".join(without_target)})
    return problems


@audited_action
def bos_submit(*, bos: Bos, by, today: date | None = None) -> Bos:
    """B1: send a draft for quality assurance; the ten-working-day QA clock starts."""
    bos = _locked(bos)
    _require(by, Perm.BOS_EDIT, bos.country_id)
    bos.status = _step(bos, "submit")
    problems = submission_problems(bos)
    if problems:
        raise ValidationError(problems)
    today = today or bos.country.today()
    bos.submitted_on = today
    bos.qa_due_on = rules.qa_due(today, bos.country.calendar())
    bos.cleared_on = bos.endorsed_on = bos.signed_off_on = None
    bos.version += 1
    return validated_save(bos)


@audited_action
def bos_clear(*, bos: Bos, by, today: date | None = None) -> Bos:
    """B1: the regional focal point clears the BOS in quality assurance."""
    bos = _locked(bos)
    _require(by, Perm.BOS_QUALITY_ASSURE, bos.country_id)
    bos.status = _step(bos, "clear")
    bos.cleared_on = today or bos.country.today()
    bos.return_reason = ""
    bos.version += 1
    return validated_save(bos)


@audited_action
def bos_return(*, bos: Bos, by, reason: str) -> Bos:
    """B1: return to draft with a reason (QA, the UNCT, or the RC before signing)."""
    bos = _locked(bos)
    if not may_return(by, bos):
        raise PermissionDenied(_("Your roles do not allow this."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the BOS goes back to draft.")})
    bos.status = _step(bos, "return")
    bos.return_reason = reason.strip()
    bos.cleared_on = bos.endorsed_on = None
    bos.version += 1
    return validated_save(bos)


@audited_action
def bos_endorse(*, bos: Bos, by, today: date | None = None) -> Bos:
    """B1: record the UNCT's endorsement of a cleared BOS."""
    bos = _locked(bos)
    _require(by, Perm.BOS_ENDORSE, bos.country_id)
    bos.status = _step(bos, "endorse")
    bos.endorsed_on = today or bos.country.today()
    bos.version += 1
    return validated_save(bos)


def may_sign_off(by, bos: Bos) -> bool:
    """B1: sign-off belongs to the Resident Coordinator's office in the country: held
    through a country role (the RC's), not through superuser or global rights."""
    return access.holds(by, Perm.BOS_SIGN_OFF, bos.country_id)


def may_return(by, bos: Bos) -> bool:
    """B1: QA, the UNCT or the RC (before signing) may send a BOS back to draft."""
    return any(access.can(by, perm, bos.country_id) for perm in RETURNERS)


RETURNERS = (Perm.BOS_QUALITY_ASSURE, Perm.BOS_ENDORSE, Perm.BOS_SIGN_OFF)


@audited_action
def bos_sign_off(*, bos: Bos, by, today: date | None = None) -> Bos:
    """B1: only the Resident Coordinator signs off; the BOS is read-only afterwards."""
    bos = _locked(bos)
    if not may_sign_off(by, bos):
        raise PermissionDenied(_("Only the Resident Coordinator signs off the BOS."))
    bos.status = _step(bos, "sign_off")
    bos.signed_off_on = today or bos.country.today()
    bos.version += 1
    return validated_save(bos)
