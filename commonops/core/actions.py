"""State-changing use cases for the organisation. Pages, API, admin and imports call these.

Each action checks that `by` may do it (through `core.access`), validates the whole object
(`full_clean`, which also checks the database constraints' messages), saves it in one
transaction and leaves the audit row to `core.audit`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from commonops.core import access, rules
from commonops.core.audit import audited_action
from commonops.core.models import Country, RoleAssignment, User
from commonops.core.roles import GLOBAL_ROLES, REGION_ROLES, ROLE_PERMISSIONS, Perm


def _require_manage(by, obj_or_model, country=None) -> None:
    if not access.can_manage(by, obj_or_model, country):
        raise PermissionDenied(_("You may not change this."))


def _apply(instance, data: dict) -> None:
    for name, value in data.items():
        setattr(instance, name, value)


@audited_action
def object_create(*, model, by, data: dict):
    """Create a row of a model without rules of its own beyond its fields and constraints."""
    instance = model()
    _apply(instance, data)
    _require_manage(by, instance)
    instance.full_clean()
    instance.save()
    return instance


@audited_action
def object_update(*, instance, by, data: dict):
    _require_manage(by, instance)  # in the country it belongs to now ...
    _apply(instance, data)
    _require_manage(by, instance)  # ... and in the one it is moved to
    instance.full_clean()
    instance.save()
    return instance


@audited_action
def object_delete(*, instance, by) -> None:
    _require_manage(by, instance)
    instance.delete()


def _save_country(country: Country, data: dict) -> Country:
    _apply(country, data)
    # B8: the typology follows the expenditure when it is known.
    if country.un_expenditure is not None:
        country.typology = rules.typology_for(country.un_expenditure)
    country.full_clean()
    country.save()
    return country


@audited_action
def country_create(*, by, data: dict) -> Country:
    if not access.scope_for(by, Perm.CHANGE_COUNTRY).everywhere:
        raise PermissionDenied(_("Only administrators may add a country team."))
    return _save_country(Country(), data)


@audited_action
def country_update(*, country: Country, by, data: dict) -> Country:
    _require_manage(by, country)
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


@audited_action
def person_create(*, by, data: dict, password: str | None = None) -> User:
    person = User()
    _apply(person, data)
    _require_manage(by, person)
    person.full_clean(exclude=["password"])
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.save()
    return person


@audited_action
def person_update(*, person: User, by, data: dict) -> User:
    if "is_superuser" in data and data["is_superuser"] != person.is_superuser:
        raise PermissionDenied(_("Superuser status is changed in the admin only."))
    password = data.pop("password", None)
    _require_manage(by, person)
    _apply(person, data)
    _require_manage(by, person)  # also in the duty country the person moves to
    person.full_clean(exclude=["password"])
    if password:
        person.set_password(password)
    person.save()
    return person


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
def role_assign(*, by, user: User, role: str, country=None, region=None) -> RoleAssignment:
    if role not in ROLE_PERMISSIONS:
        raise ValidationError({"role": _("Unknown role.")})
    _check_grant(by, role, country, region)
    assignment = RoleAssignment(user=user, role=role, country=country, region=region)
    assignment.full_clean()
    assignment.save()
    access.forget(user)
    return assignment


@audited_action
def role_update(*, assignment: RoleAssignment, by, data: dict) -> RoleAssignment:
    _check_grant(by, assignment.role, assignment.country, assignment.region)
    _apply(assignment, data)
    _check_grant(by, assignment.role, assignment.country, assignment.region)
    assignment.full_clean()
    assignment.save()
    access.forget(assignment.user)
    return assignment


@audited_action
def role_revoke(*, assignment: RoleAssignment, by) -> None:
    _check_grant(by, assignment.role, assignment.country, assignment.region)
    assignment.delete()
    access.forget(assignment.user)


@audited_action
def profile_update(*, user: User, data: dict) -> User:
    """A person changes their own name, e-mail, job title and languages."""
    allowed = {"first_name", "last_name", "email", "job_title", "languages"}
    _apply(user, {k: v for k, v in data.items() if k in allowed})
    user.full_clean(exclude=["password"])
    user.save()
    return user


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
