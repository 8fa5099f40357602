"""The action tracker (G7) and escalations to the UNCT (G11)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from commonops.core import access
from commonops.core.audit import audited_action
from commonops.core.roles import Perm
from commonops.core.saving import apply_fields, validated_save
from commonops.governance import rules
from commonops.governance.actions.common import require, without_fixed
from commonops.governance.actions.minutes import check_editable
from commonops.governance.actions.omt import unct_decision_create
from commonops.governance.models import (
    Action,
    ActionStatus,
    Escalation,
    EscalationStatus,
    Membership,
    MinutesItem,
    UnctDecisionKind,
)

# --- actions (G7) ----------------------------------------------------------------------------


def _check_one_responsible_and_a_deadline(action: Action) -> None:
    """G7: one responsible (a person or an agency) and a deadline, each said on its field."""
    problems = rules.action_problems(owner_person_id=action.owner_person_id,
                                     owner_agency_id=action.owner_agency_id,
                                     due=action.due_on)
    errors = {}
    if "owner" in problems:
        errors["owner_person"] = _("Name the person or the agency responsible (G7).")
    if "one_owner" in problems:
        errors["owner_agency"] = _("Name one responsible: a person or an agency, not both.")
    if "due" in problems:
        errors["due_on"] = _("Give the deadline (G7).")
    if errors:
        raise ValidationError(errors)


def _omt_id_of(source) -> int:
    if isinstance(source, MinutesItem):
        return source.minutes.meeting.omt_id
    return source.omt_id


@audited_action
def action_create(*, by, data: dict) -> Action:
    """G7: an action from the minutes (its meeting follows from the item), a meeting or a
    task force of the same OMT, with one responsible and a deadline."""
    omt = data["omt"]
    require(by, Perm.GOVERN, omt.country_id)
    action = Action(country_id=omt.country_id)
    apply_fields(action, data)
    _check_one_responsible_and_a_deadline(action)
    foreign = {name: _("This belongs to another OMT.")
               for name in ("minutes_item", "meeting", "task_force")
               if getattr(action, name) is not None
               and _omt_id_of(getattr(action, name)) != omt.pk}
    if foreign:
        raise ValidationError(foreign)
    if action.minutes_item is not None:
        check_editable(action.minutes_item.minutes)
        action.meeting = action.minutes_item.minutes.meeting
    return validated_save(action)


@audited_action
def action_update(*, action: Action, by, data: dict) -> Action:
    """Change an open action's text, responsible or deadline (still G7)."""
    require(by, Perm.GOVERN, action.country_id)
    if action.status == ActionStatus.DONE:
        raise ValidationError(_("A done action is not changed."))
    apply_fields(action, without_fixed(action, data, "omt", "minutes_item"))
    if rules.action_problems(owner_person_id=action.owner_person_id,
                             owner_agency_id=action.owner_agency_id, due=action.due_on):
        raise ValidationError(_("An action has one responsible (a person or an agency) and "
                                "a deadline (G7)."))
    return validated_save(action)


def may_complete_action(by, action: Action) -> bool:
    """The person responsible, the member for the responsible agency, or whoever runs the
    OMT (its chair, its secretary) closes an action."""
    if access.can(by, Perm.GOVERN, action.country_id):
        return True
    if action.owner_person_id is not None and action.owner_person_id == by.pk:
        return True
    return action.owner_agency_id is not None and Membership.objects.filter(
        omt_id=action.omt_id, agency_id=action.owner_agency_id, member=by).exists()


@audited_action
def action_complete(*, action: Action, by, note: str, today: date | None = None) -> Action:
    """Done, with a note on how."""
    if not may_complete_action(by, action):
        raise PermissionDenied(_("Only the person responsible or the OMT's chair or secretary "
                                 "may close this action."))
    if not rules.may_complete(action.status):
        raise ValidationError(_("This action is already done."))
    if not (note or "").strip():
        raise ValidationError({"done_note": _("Say how it was done.")})
    action.status = ActionStatus.DONE
    action.done_on = today or action.country.today()
    action.done_note = note
    return validated_save(action)


# --- escalations (G11) -----------------------------------------------------------------------


@audited_action
def escalation_create(*, by, data: dict) -> Escalation:
    """G11: any OMT member may take a disagreement to the UNCT, from the minutes or not."""
    omt = data["omt"]
    require(by, Perm.COMMENT_MINUTES, omt.country_id)
    item = data.get("minutes_item")
    if item is not None and item.minutes.meeting.omt_id != omt.pk:
        raise ValidationError({"minutes_item": _("The item must be from this OMT's minutes.")})
    return validated_save(Escalation(country_id=omt.country_id, raised_by=by), data)


@audited_action
def escalation_decide(*, escalation: Escalation, by, decided_on: date,
                      text: str) -> Escalation:
    """G11: the UNCT decides; the decision is recorded and closes the escalation."""
    require(by, Perm.UNCT_DECIDE, escalation.country_id)
    escalation = Escalation.objects.select_for_update().select_related("country").get(
        pk=escalation.pk)
    if not rules.may_decide(escalation.status):
        raise ValidationError(_("The UNCT has already decided this escalation."))
    escalation.decision = unct_decision_create(by=by, data={
        "country": escalation.country, "kind": UnctDecisionKind.ESCALATION,
        "decided_on": decided_on, "subject": escalation.subject, "text": text})
    escalation.status = EscalationStatus.DECIDED
    return validated_save(escalation)
