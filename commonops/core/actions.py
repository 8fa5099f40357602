"""State-changing use cases for the organisation. Pages, API, admin and imports call these.

One signature for every entity: `<entity>_create(*, by, data)`,
`<entity>_update(*, <entity>, by, data)`, `<entity>_delete(*, <entity>, by)`. Each checks that
`by` may do it (through `core.access`), validates the whole object (`full_clean`, which also
checks the database constraints' messages), saves it in one transaction (`core.saving`) and
leaves the audit row to `core.audit`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from commonops.core import access, rules
from commonops.core.audit import audited_action
from commonops.core.models import (
    Agency,
    AgencyPresence,
    Country,
    PublicHoliday,
    Region,
    RoleAssignment,
    User,
)
from commonops.core.roles import GLOBAL_ROLES, REGION_ROLES, ROLE_PERMISSIONS, Perm
from commonops.core.saving import (
    apply_fields,
    delete_managed,
    require_manage,
    save_managed,
    validated_save,
)

# --- shared reference data and a country's calendar ------------------------------------------


@audited_action
def region_create(*, by, data: dict) -> Region:
    return save_managed(Region(), by=by, data=data)


@audited_action
def region_update(*, region: Region, by, data: dict) -> Region:
    return save_managed(region, by=by, data=data)


@audited_action
def region_delete(*, region: Region, by) -> None:
    delete_managed(region, by=by)


@audited_action
def agency_create(*, by, data: dict) -> Agency:
    return save_managed(Agency(), by=by, data=data)


@audited_action
def agency_update(*, agency: Agency, by, data: dict) -> Agency:
    return save_managed(agency, by=by, data=data)


@audited_action
def agency_delete(*, agency: Agency, by) -> None:
    delete_managed(agency, by=by)


@audited_action
def agency_presence_create(*, by, data: dict) -> AgencyPresence:
    return save_managed(AgencyPresence(), by=by, data=data)


@audited_action
def agency_presence_update(*, agency_presence: AgencyPresence, by,
                           data: dict) -> AgencyPresence:
    return save_managed(agency_presence, by=by, data=data)


@audited_action
def agency_presence_delete(*, agency_presence: AgencyPresence, by) -> None:
    delete_managed(agency_presence, by=by)


@audited_action
def public_holiday_create(*, by, data: dict) -> PublicHoliday:
    return save_managed(PublicHoliday(), by=by, data=data)


@audited_action
def public_holiday_update(*, public_holiday: PublicHoliday, by, data: dict) -> PublicHoliday:
    return save_managed(public_holiday, by=by, data=data)


@audited_action
def public_holiday_delete(*, public_holiday: PublicHoliday, by) -> None:
    delete_managed(public_holiday, by=by)


# --- country teams --------------------------------------------------------------------------


def _save_country(country: Country, data: dict) -> Country:
    apply_fields(country, data)
    # B8: the typology follows the expenditure when it is known.
    if country.un_expenditure is not None:
        country.typology = rules.typology_for(country.un_expenditure)
    return validated_save(country)


@audited_action
def country_create(*, by, data: dict) -> Country:
    if not access.scope_for(by, Perm.CHANGE_COUNTRY).everywhere:
        raise PermissionDenied(_("Only administrators may add a country team."))
    return _save_country(Country(), data)


@audited_action
def country_update(*, country: Country, by, data: dict) -> Country:
    require_manage(by, country)
    new_region = data.get("region", country.region)
    if getattr(new_region, "pk", new_region) != country.region_id:
        if not access.scope_for(by, Perm.CHANGE_COUNTRY).everywhere:
            raise PermissionDenied(_("Only administrators may move a country to another region."))
    return _save_country(country, data)


@audited_action
def country_delete(*, country: Country, by) -> None:
    if not access.scope_for(by, Perm.CHANGE_COUNTRY).everywhere:
        raise PermissionDenied(_("Only administrators may remove a country team."))
    country.delete()


# --- people and their roles -----------------------------------------------------------------


@audited_action
def person_create(*, by, data: dict) -> User:
    """A person; `data` may hold a first `password` (else they cannot log in yet)."""
    data = dict(data)
    password = data.pop("password", None)
    person = User()
    apply_fields(person, data)
    require_manage(by, person)
    person.full_clean(exclude=["password"])
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.save()
    return person


@audited_action
def person_update(*, person: User, by, data: dict) -> User:
    data = dict(data)
    if "is_superuser" in data and data["is_superuser"] != person.is_superuser:
        raise PermissionDenied(_("Superuser status is changed in the admin only."))
    password = data.pop("password", None)
    require_manage(by, person)
    apply_fields(person, data)
    require_manage(by, person)  # also in the duty country the person moves to
    person.full_clean(exclude=["password"])
    if password:
        person.set_password(password)
    person.save()
    return person


@audited_action
def person_delete(*, person: User, by) -> None:
    delete_managed(person, by=by)


def _check_grant(by, role: str, country, region) -> None:
    """The granter needs MANAGE_PEOPLE at the role's scope and every permission it carries."""
    role_perms = ROLE_PERMISSIONS[role]
    if role in GLOBAL_ROLES or role in REGION_ROLES:
        # Only someone who manages people everywhere gives regional or global roles.
        if not access.scope_for(by, Perm.MANAGE_PEOPLE).everywhere:
            raise PermissionDenied(_("Only administrators may give regional or global roles."))
        return
    if country is None:
        return  # full_clean reports the missing country
    if not access.can(by, Perm.MANAGE_PEOPLE, country):
        raise PermissionDenied(_("You may not change the roles of this country team."))
    granted_there = frozenset(p for p in role_perms if access.can(by, p, country))
    if not rules.may_grant(granted_there, role_perms):
        raise PermissionDenied(_("You may not give a role with rights you do not have."))


@audited_action
def role_assignment_create(*, by, data: dict) -> RoleAssignment:
    """Give a person a role at its scope: a country, a region or everywhere."""
    role = data.get("role")
    if role not in ROLE_PERMISSIONS:
        raise ValidationError({"role": _("Unknown role.")})
    _check_grant(by, role, data.get("country"), data.get("region"))
    assignment = validated_save(RoleAssignment(), data)
    access.forget(assignment.user)
    return assignment


@audited_action
def role_assignment_update(*, role_assignment: RoleAssignment, by,
                           data: dict) -> RoleAssignment:
    assignment = role_assignment
    _check_grant(by, assignment.role, assignment.country, assignment.region)
    apply_fields(assignment, data)
    _check_grant(by, assignment.role, assignment.country, assignment.region)
    validated_save(assignment)
    access.forget(assignment.user)
    return assignment


@audited_action
def role_assignment_delete(*, role_assignment: RoleAssignment, by) -> None:
    _check_grant(by, role_assignment.role, role_assignment.country, role_assignment.region)
    role_assignment.delete()
    access.forget(role_assignment.user)


@audited_action
def profile_update(*, user: User, data: dict) -> User:
    """A person changes their own name, e-mail, job title and languages."""
    allowed = {"first_name", "last_name", "email", "job_title", "languages"}
    return validated_save(user, {k: v for k, v in data.items() if k in allowed},
                          exclude=["password"])


@audited_action
def api_token_renew(*, user: User):
    """Replace the user's API token (the same tokens `drf_create_token` makes)."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@audited_action
def api_token_revoke(*, user: User) -> None:
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
