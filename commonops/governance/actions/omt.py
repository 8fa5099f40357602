"""The OMT, its members (G1) and chairs (G2), task forces (G10) and the UNCT's decisions.

Membership and the current chair terms give the people the roles that carry their rights
(`_sync_roles`), so every change to them re-reads who holds which seat.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from commonops.core import access
from commonops.core.audit import audited_action
from commonops.core.models import AgencyPresence, RoleAssignment, User
from commonops.core.roles import Perm, Role
from commonops.core.saving import apply_fields, validated_save
from commonops.governance import rules
from commonops.governance.actions.common import require, without_fixed
from commonops.governance.models import (
    ChairRole,
    ChairTerm,
    Membership,
    Omt,
    TaskForce,
    TaskForceMember,
    UnctDecision,
)

# --- the OMT ---------------------------------------------------------------------------------


@audited_action
def omt_create(*, by, data: dict) -> Omt:
    """The OMT of a country team (one per country), set up by whoever runs OMTs there."""
    require(by, Perm.GOVERN, data.get("country"))
    return validated_save(Omt(), data)


@audited_action
def omt_update(*, omt: Omt, by, data: dict) -> Omt:
    """The OMT's settings: G6 comment period, G12 secretariat and secretary, its place."""
    require(by, Perm.GOVERN, omt.country_id)
    return validated_save(omt, without_fixed(omt, data, "country"))


# --- members (G1) ----------------------------------------------------------------------------


def _sync_roles(omt: Omt, today: date) -> None:
    """Membership and current chair terms give the roles that carry their rights."""
    wanted: set[tuple[int, str]] = set()
    for member_id, alternate_id in omt.memberships.values_list("member_id", "alternate_id"):
        wanted.add((member_id, Role.OMT_MEMBER))
        if alternate_id:
            wanted.add((alternate_id, Role.OMT_ALTERNATE))
    for person_id, role in omt.chair_terms.filter(starts_on__lte=today, ends_on__gte=today) \
            .values_list("person_id", "role"):
        wanted.add((person_id, Role.OMT_CHAIR if role == ChairRole.CHAIR else Role.OMT_CO_CHAIR))
    roles = (Role.OMT_MEMBER, Role.OMT_ALTERNATE, Role.OMT_CHAIR, Role.OMT_CO_CHAIR)
    have = {(a.user_id, a.role): a for a in RoleAssignment.objects.filter(
        country_id=omt.country_id, role__in=roles)}
    for key, assignment in have.items():
        if key not in wanted:
            assignment.delete()
    for user_id, role in wanted - set(have):
        RoleAssignment.objects.create(user_id=user_id, role=role, country_id=omt.country_id)
    for user in User.objects.filter(pk__in={u for u, _r in wanted | set(have)}):
        access.forget(user)


def _save_membership(membership: Membership, data: dict) -> Membership:
    apply_fields(membership, data)
    if not AgencyPresence.objects.filter(country_id=membership.country_id,
                                         agency_id=membership.agency_id).exists():
        raise ValidationError({"agency": _("This agency is not present in the country.")})
    validated_save(membership)
    _sync_roles(membership.omt, membership.omt.country.today())
    return membership


@audited_action
def membership_create(*, by, data: dict) -> Membership:
    """G1: an agency's seat: one member per agency, with a designated alternate (a member
    without one is flagged)."""
    omt = data["omt"]
    require(by, Perm.GOVERN, omt.country_id)
    return _save_membership(Membership(country_id=omt.country_id), data)


@audited_action
def membership_update(*, membership: Membership, by, data: dict) -> Membership:
    require(by, Perm.GOVERN, membership.country_id)
    return _save_membership(membership, without_fixed(membership, data, "omt"))


@audited_action
def membership_delete(*, membership: Membership, by) -> None:
    """G1: the agency leaves the OMT; its member and alternate lose the seat's roles."""
    require(by, Perm.GOVERN, membership.country_id)
    omt = membership.omt
    membership.delete()
    _sync_roles(omt, omt.country.today())


# --- chairs (G2) -----------------------------------------------------------------------------


def _save_term(term: ChairTerm, data: dict) -> ChairTerm:
    """G2: a term decided by the UNCT. The co-chair's agency differs from the chair's in
    every overlapping term; one chair and one co-chair at a time."""
    apply_fields(term, data)
    omt = term.omt
    if term.starts_on is not None and term.ends_on is None:
        term.ends_on = rules.default_term_end(term.starts_on)
    if term.decision is None:
        raise ValidationError({"decision": _(
            "A chair term is decided by the UNCT: name the UNCT's decision on the chair "
            "rotation (G2).")})
    if term.decision.country_id != omt.country_id:
        raise ValidationError({"decision": _("The decision must be this country's UNCT's.")})
    if not rules.term_decided(term.decision.kind):
        raise ValidationError({"decision": _(
            "Name the UNCT's decision on the chair rotation, not one on another matter (G2).")})
    others = ChairTerm.objects.filter(omt=omt).exclude(pk=term.pk)
    for other in others:
        if not rules.terms_overlap(term.starts_on, term.ends_on, other.starts_on,
                                   other.ends_on):
            continue
        if other.role == term.role:
            raise ValidationError(_("%(term)s already covers part of this period.")
                                  % {"term": other})
        chair_agency, co_agency = ((term.agency_id, other.agency_id)
                                   if term.role == ChairRole.CHAIR
                                   else (other.agency_id, term.agency_id))
        if not rules.co_chair_allowed(chair_agency, co_agency):
            raise ValidationError({"agency": _(
                "The co-chair must come from another agency than the chair (G2).")})
    if not Membership.objects.filter(omt=omt, agency_id=term.agency_id).exists():
        raise ValidationError({"agency": _("The agency must be a member of the OMT.")})
    validated_save(term)
    _sync_roles(omt, omt.country.today())
    return term


@audited_action
def chair_term_create(*, by, data: dict) -> ChairTerm:
    """G2: record a chair or co-chair term; it ends with the calendar year unless given."""
    omt = data["omt"]
    require(by, Perm.GOVERN, omt.country_id)
    return _save_term(ChairTerm(country_id=omt.country_id), data)


@audited_action
def chair_term_update(*, chair_term: ChairTerm, by, data: dict) -> ChairTerm:
    """G2: correct a term. Terms are never deleted: they are the history of who chaired."""
    require(by, Perm.GOVERN, chair_term.country_id)
    return _save_term(chair_term, without_fixed(chair_term, data, "omt"))


# --- task forces (G10) -----------------------------------------------------------------------


def _save_task_force(task_force: TaskForce, data: dict) -> TaskForce:
    apply_fields(task_force, data)
    task_force.full_clean()
    # G10: the coordinating agency must be an OMT member agency.
    if not Membership.objects.filter(omt_id=task_force.omt_id,
                                     agency_id=task_force.coordinating_agency_id).exists():
        raise ValidationError({"coordinating_agency": _(
            "The coordinating agency must be a member agency of the OMT (G10).")})
    task_force.save()
    return task_force


@audited_action
def task_force_create(*, by, data: dict) -> TaskForce:
    omt = data["omt"]
    require(by, Perm.GOVERN, omt.country_id)
    return _save_task_force(TaskForce(country_id=omt.country_id), data)


@audited_action
def task_force_update(*, task_force: TaskForce, by, data: dict) -> TaskForce:
    """A task force is changed, never deleted: it ends on its end date and stays as the
    record of its work."""
    require(by, Perm.GOVERN, task_force.country_id)
    return _save_task_force(task_force, without_fixed(task_force, data, "omt"))


@audited_action
def task_force_member_create(*, by, data: dict) -> TaskForceMember:
    """G10: a member chosen for competence; the role lets them work on the BOS content."""
    task_force = data["task_force"]
    require(by, Perm.GOVERN, task_force.country_id)
    member = validated_save(TaskForceMember(country_id=task_force.country_id), data)
    RoleAssignment.objects.get_or_create(user=member.person, role=Role.TASK_FORCE_MEMBER,
                                         country_id=task_force.country_id)
    access.forget(member.person)
    return member


@audited_action
def task_force_member_delete(*, task_force_member: TaskForceMember, by) -> None:
    require(by, Perm.GOVERN, task_force_member.country_id)
    task_force_member.delete()


# --- the UNCT's decisions (G2, G11) ----------------------------------------------------------


@audited_action
def unct_decision_create(*, by, data: dict) -> UnctDecision:
    """Recorded by the UNCT (the RC, the heads of agency), then kept as it was."""
    require(by, Perm.UNCT_DECIDE, data.get("country"))
    return validated_save(UnctDecision(), data)
