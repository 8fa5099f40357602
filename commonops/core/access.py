"""Access in one place: which rows a user may see and what they may do.

Rules (DESIGN.md, "Access in one place"):
- A country-owned row is visible to people with a role in that country, a role in its region
  (regional roles) or a role held everywhere (HQ analysts, auditors, administrators).
- What a role may do comes from `roles.ROLE_PERMISSIONS`; a permission counts only in the
  scope where the role is held.
- Outsiders are answered 404, never 403, for another country's objects, so that the
  existence of a row is not disclosed (`get_visible_or_404`).

A user's role assignments are read once per request and kept on the user object, so any
number of checks on a page costs at most two queries.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from commonops.core import rules
from commonops.core.roles import (
    ALL_PERMISSIONS,
    GLOBAL_ROLES,
    REGION_ROLES,
    ROLE_PERMISSIONS,
    Perm,
)

_CACHE_ATTR = "_commonops_access"


@dataclass(frozen=True)
class CountryScope:
    """The countries in which a user holds a permission."""

    everywhere: bool
    country_ids: frozenset

    def covers(self, country_id) -> bool:
        return self.everywhere or country_id in self.country_ids

    @property
    def is_empty(self) -> bool:
        return not self.everywhere and not self.country_ids


NOWHERE = CountryScope(everywhere=False, country_ids=frozenset())
EVERYWHERE = CountryScope(everywhere=True, country_ids=frozenset())


class _UserAccess:
    """Role assignments of one user, loaded once, with a scope per permission."""

    def __init__(self, user):
        from commonops.core.models import Country, RoleAssignment

        self.assignments = list(
            RoleAssignment.objects.filter(user_id=user.pk).values_list(
                "role", "country_id", "region_id"
            )
        )
        region_ids = {region for role, _c, region in self.assignments if role in REGION_ROLES}
        self.countries_by_region: dict[int, set[int]] = {}
        if region_ids:
            for country_id, region_id in Country.objects.filter(
                region_id__in=region_ids
            ).values_list("id", "region_id"):
                self.countries_by_region.setdefault(region_id, set()).add(country_id)
        self._scopes: dict[str, CountryScope] = {}

    def scope(self, perm: str) -> CountryScope:
        if perm not in self._scopes:
            everywhere = False
            ids: set[int] = set()
            for role, country_id, region_id in self.assignments:
                if perm not in ROLE_PERMISSIONS.get(role, ()):
                    continue
                if role in GLOBAL_ROLES:
                    everywhere = True
                elif role in REGION_ROLES:
                    ids |= self.countries_by_region.get(region_id, set())
                else:
                    ids.add(country_id)
            self._scopes[perm] = CountryScope(everywhere, frozenset(ids))
        return self._scopes[perm]

    def roles_in(self, country_id) -> set[str]:
        return {role for role, c, _r in self.assignments if c == country_id}


def _access(user) -> _UserAccess:
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _UserAccess(user)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user) -> None:
    """Drop the cached roles of `user` (after its role assignments change)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope_for(user, perm: str = Perm.VIEW) -> CountryScope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOWHERE
    if user.is_superuser:
        return EVERYWHERE
    return _access(user).scope(perm)


def roles_in(user, country_id) -> set[str]:
    """The country-level roles `user` holds in one country."""
    if user is None or not user.is_authenticated:
        return set()
    return _access(user).roles_in(country_id)


def assignments(user) -> list[tuple[str, int | None, int | None]]:
    """Every (role, country id, region id) `user` holds, read once per request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    return _access(user).assignments


def _country_id(country):
    return getattr(country, "pk", country)


def can(user, perm: str, country=None) -> bool:
    """May `user` use `perm` in `country` (a Country or its id)?

    With no country, the question is whether the user holds `perm` anywhere; that is what
    counts for shared reference data such as agencies and regions.
    """
    scope = scope_for(user, perm)
    if country is None:
        return not scope.is_empty
    return scope.covers(_country_id(country))


def can_manage(user, obj_or_model, country=None) -> bool:
    """May `user` add, change or delete this object (or, given a model class, add one)?

    Country-owned data needs the model's manage permission in the row's country; a row of a
    country-owned kind that has no country (an HQ person, a role held everywhere) needs it
    everywhere; shared reference data needs it anywhere.
    """
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    if not isinstance(obj_or_model, type) and model._meta.label == "core.User":
        # Changing a person (their e-mail, their "active" flag, a reset link) is as good as
        # holding their account: only someone holding every right they hold may do it.
        if not holds_every_right_of(user, obj_or_model):
            return False
    perm = model.manage_permission
    if model.country_lookup is None:
        return can(user, perm)
    if not isinstance(obj_or_model, type):
        country = obj_or_model.owning_country_id()
    if country is None:
        if isinstance(obj_or_model, type):
            return can(user, perm)
        return scope_for(user, perm).everywhere
    return can(user, perm, country)


def rights_of(user, *, as_manager=False) -> dict:
    """Every permission `user` holds, as `{perm: (everywhere, country_ids)}`.

    A person's rights are read from their role assignments even while their account is
    inactive (whoever reactivates it hands those rights back); a manager's only count while
    their own account is active.
    """
    if user is None or (as_manager and (not user.is_authenticated or not user.is_active)):
        return {}
    if user.is_superuser:
        return {perm: (True, frozenset()) for perm in ALL_PERMISSIONS}
    if user.pk is None:
        return {}
    rights = {}
    for perm in ALL_PERMISSIONS:
        scope = _access(user).scope(perm)
        if not scope.is_empty:
            rights[perm] = (scope.everywhere, scope.country_ids)
    return rights


def holds_every_right_of(user, person) -> bool:
    """May `user` change `person`'s account? Only holding every right the person holds."""
    if person.is_superuser and not getattr(user, "is_superuser", False):
        return False
    if user is not None and user.pk is not None and user.pk == person.pk:
        return True
    return rules.holds_every_right(rights_of(user, as_manager=True), rights_of(person))


def require(user, perm: str, country=None, message: str = "") -> None:
    """Refuse (PermissionDenied, with `message` for the person) unless `user` may."""
    if not can(user, perm, country):
        raise PermissionDenied(message)


def holds(user, perm: str, country) -> bool:
    """Does `user` hold `perm` through a role in this country itself (not through a
    regional or global role, nor superuser rights)? For acts that belong to a person's
    office there, such as the Resident Coordinator's sign-off (B1)."""
    return any(perm in ROLE_PERMISSIONS[role] for role in roles_in(user, _country_id(country)))


def scope_queryset(queryset, user, perm: str = Perm.VIEW):
    """Narrow `queryset` to the rows `user` may see (with `perm`, VIEW by default)."""
    model = queryset.model
    lookup = getattr(model, "country_lookup", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if lookup is None:
        return queryset
    scope = scope_for(user, perm)
    if scope.everywhere:
        return queryset
    ids = scope.country_ids
    from commonops.core.models import RoleAssignment, User

    if model is User:
        has_role_there = RoleAssignment.objects.filter(user=OuterRef("pk"), country_id__in=ids)
        return queryset.filter(Q(duty_country_id__in=ids) | Q(Exists(has_role_there)) | Q(
            pk=user.pk))
    if model is RoleAssignment:
        return queryset.filter(Q(country_id__in=ids) | Q(user_id=user.pk))
    return queryset.filter(**{f"{lookup}__in": ids})


def get_visible_or_404(queryset, user, **lookup):
    """The object if `user` may see it; 404 otherwise, whether it exists or not."""
    try:
        return scope_queryset(queryset, user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def visible_countries(user):
    from commonops.core.models import Country

    return scope_queryset(Country.objects.all(), user)


def region_ids(user, perm: str):
    """The regions in which `user` holds `perm` through a regional role; None when they hold
    it everywhere (a global role or superuser rights). For pages about a whole region."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser or scope_for(user, perm).everywhere:
        return None
    return frozenset(region for role, _c, region in _access(user).assignments
                     if role in REGION_ROLES and perm in ROLE_PERMISSIONS.get(role, ()))
