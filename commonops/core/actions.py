"""State-changing use cases for the organisation. Pages, API, admin and imports call these.

Each action checks that `by` may do it (through `core.access`), validates the whole object
(`full_clean`, which also checks the database constraints' messages), saves it in one
transaction and leaves the audit row to `core.audit`.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


NOT_ANOTHERS_PASSWORD = gettext_lazy(
    "Nobody sets another person's password: send them a link to set it themselves.")


@audited_action
def person_create(*, by, data: dict) -> User:
    """A new account has no password: its owner sets one through a reset link
    (`password_reset_send`), so nobody else ever knows it."""
    if data.get("password"):
        raise ValidationError({"password": NOT_ANOTHERS_PASSWORD})
    data = {k: v for k, v in data.items() if k != "password"}
    if data.get("is_superuser") or data.get("is_staff"):
        raise PermissionDenied(_("Administrator accounts are made in the admin only."))
    person = User()
    _apply(person, data)
    _require_manage(by, person)
    person.full_clean(exclude=["password"])
    person.set_unusable_password()
    person.save()
    return person


@audited_action
def person_update(*, person: User, by, data: dict) -> User:
    if "is_superuser" in data and data["is_superuser"] != person.is_superuser:
        raise PermissionDenied(_("Superuser status is changed in the admin only."))
    if data.get("password"):
        raise ValidationError({"password": NOT_ANOTHERS_PASSWORD})
    data = {k: v for k, v in data.items() if k != "password"}
    _require_manage(by, person)  # holds every right the person holds (access.can_manage)
    _apply(person, data)
    _require_manage(by, person)  # also in the duty country the person moves to
    person.full_clean(exclude=["password"])
    person.save()
    return person


@audited_action
def person_delete(*, person: User, by) -> None:
    _require_manage(by, person)
    person.delete()


def password_reset_send(*, person: User, by) -> None:
    """Send `person` Django's password-reset e-mail: a one-time link to set their password.

    What a people manager does for someone who forgot their password or has a new account;
    the manager never sees the link. Needs the right to change the person (every right the
    person holds) and an e-mail address.
    """
    _require_manage(by, person)
    if not person.is_active:
        raise ValidationError(_("This account is not active."))
    if not person.email:
        raise ValidationError({"email": _("This person has no e-mail address.")})
    site = urlsplit(settings.SITE_URL)
    context = {
        "email": person.email, "domain": site.netloc, "site_name": "CommonOps",
        "uid": urlsafe_base64_encode(force_bytes(person.pk)), "user": person,
        "token": default_token_generator.make_token(person), "protocol": site.scheme or "https",
        "sent_by": by,
    }
    PasswordResetForm().send_mail(
        "registration/password_reset_subject.txt", "registration/password_reset_email.html",
        context, None, person.email)


@audited_action
def password_change(*, user: User, current_password: str, new_password: str) -> User:
    """A person changes their own password: the current one, then Django's validators."""
    if not user.check_password(current_password):
        raise ValidationError({"current_password": _("This is not your current password.")})
    try:
        password_validation.validate_password(new_password, user=user)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from None
    user.set_password(new_password)
    user.save()
    return user


def check_grant(by, role: str, country, region) -> None:
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


def may_grant_role(by, assignment: RoleAssignment) -> bool:
    try:
        check_grant(by, assignment.role, assignment.country, assignment.region)
    except PermissionDenied:
        return False
    return True


@audited_action
def role_assign(*, by, user: User, role: str, country=None, region=None) -> RoleAssignment:
    if role not in ROLE_PERMISSIONS:
        raise ValidationError({"role": _("Unknown role.")})
    check_grant(by, role, country, region)
    assignment = RoleAssignment(user=user, role=role, country=country, region=region)
    assignment.full_clean()
    assignment.save()
    access.forget(user)
    return assignment


@audited_action
def role_update(*, assignment: RoleAssignment, by, data: dict) -> RoleAssignment:
    check_grant(by, assignment.role, assignment.country, assignment.region)
    _apply(assignment, data)
    check_grant(by, assignment.role, assignment.country, assignment.region)
    assignment.full_clean()
    assignment.save()
    access.forget(assignment.user)
    return assignment


@audited_action
def role_revoke(*, assignment: RoleAssignment, by) -> None:
    check_grant(by, assignment.role, assignment.country, assignment.region)
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
