"""State-changing use cases for the organisation. Pages, API, admin and imports call these.

One signature for every entity: `<entity>_create(*, by, data)`,
`<entity>_update(*, <entity>, by, data)`, `<entity>_delete(*, <entity>, by)`. Each checks that
`by` may do it (through `core.access`), validates the whole object (`full_clean`, which also
checks the database constraints' messages), saves it in one transaction (`core.saving`) and
leaves the audit row to `core.audit`.
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
    apply_fields(person, data)
    require_manage(by, person)
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
    require_manage(by, person)  # holds every right the person holds (access.can_manage)
    apply_fields(person, data)
    require_manage(by, person)  # also in the duty country the person moves to
    person.full_clean(exclude=["password"])
    person.save()
    return person


@audited_action
def person_delete(*, person: User, by) -> None:
    delete_managed(person, by=by)


def password_reset_send(*, person: User, by) -> None:
    """Send `person` Django's password-reset e-mail: a one-time link to set their password.

    What a people manager does for someone who forgot their password or has a new account;
    the manager never sees the link. Needs the right to change the person (every right the
    person holds) and an e-mail address.
    """
    require_manage(by, person)
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
def role_assignment_create(*, by, data: dict) -> RoleAssignment:
    """Give a person a role at its scope: a country, a region or everywhere."""
    role = data.get("role")
    if role not in ROLE_PERMISSIONS:
        raise ValidationError({"role": _("Unknown role.")})
    check_grant(by, role, data.get("country"), data.get("region"))
    assignment = validated_save(RoleAssignment(), data)
    access.forget(assignment.user)
    return assignment


@audited_action
def role_assignment_update(*, role_assignment: RoleAssignment, by,
                           data: dict) -> RoleAssignment:
    assignment = role_assignment
    check_grant(by, assignment.role, assignment.country, assignment.region)
    apply_fields(assignment, data)
    check_grant(by, assignment.role, assignment.country, assignment.region)
    validated_save(assignment)
    access.forget(assignment.user)
    return assignment


@audited_action
def role_assignment_delete(*, role_assignment: RoleAssignment, by) -> None:
    check_grant(by, role_assignment.role, role_assignment.country, role_assignment.region)
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
