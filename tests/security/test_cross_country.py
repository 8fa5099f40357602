"""The cross-country probe: every object type × every outsider × pages, API and exports.

An outsider is signed in with real rights in another country (a staff member, an OMT chair
who manages people, a Resident Coordinator who searches the audit trail, a regional focal
point of another region). For one row of Viet Nam of every country-owned model (found in the
demo world), every page route naming that kind of object, every API resource and every CSV
export must answer the outsider exactly as for a row that does not exist, show no link to a
row they may not see, and change nothing. Models, routes and endpoints are discovered
(`discovery.py`), so a new app is probed as soon as it is merged.
"""

import re
from collections import defaultdict
from datetime import date

import pytest
from django.db import models, transaction
from django.urls import Resolver404, resolve
from django.utils import translation

from commonops.core import access
from commonops.core.models import AuditEntry, Country, RoleAssignment, User
from tests.security import discovery

pytestmark = [pytest.mark.django_db, pytest.mark.probe]

OUTSIDERS = ("sn-staff", "ke-chair", "jo-rc", "as-focal")
MISSING_PK = 2_000_000_000


def _viet_nam():
    return Country.objects.get(iso_code="VN")


def _outsiders():
    return [User.objects.get(username=name) for name in OUTSIDERS]


def _make(model, rows, viet_nam):
    """A bare row of `model` in Viet Nam, for a kind the demo world has none of (files):
    required references point at the probe's other Viet Nam rows, text is a placeholder."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.null or field.has_default() or getattr(
                field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if field.is_relation:
            target = field.related_model
            values[field.name] = viet_nam if target is Country else rows.get(target)
            if values[field.name] is None:
                return None
        elif isinstance(field, models.FileField):
            values[field.name] = "probe/probe.txt"
        elif isinstance(field, (models.CharField, models.TextField)):
            values[field.name] = "probe"
        elif isinstance(field, (models.IntegerField, models.DecimalField)):
            values[field.name] = 1
        elif isinstance(field, models.DateField):
            values[field.name] = date(2025, 1, 1)
    try:
        with transaction.atomic():
            return model.objects.create(**values)
    except Exception:  # a constraint this placeholder does not meet: reported as missing
        return None


def _in_viet_nam_only(model, queryset):
    """Rows filed under Viet Nam that no outsider may see, told from the data alone (not
    from `core.access`, which is what is being probed): a person counts only while every
    role they hold is in Viet Nam."""
    viet_nam = _viet_nam()
    rows = queryset.filter(**{model.country_lookup: viet_nam.pk})
    if model is User:
        rows = rows.exclude(pk__in=RoleAssignment.objects.exclude(country=viet_nam)
                            .values("user_id")).exclude(is_superuser=True)
    return rows


def _probe_rows() -> tuple[dict, list]:
    """One Viet Nam row per country-owned model (made for a kind the demo world has none
    of); and the models for which there is none."""
    viet_nam = _viet_nam()
    rows, lacking = {}, []
    for model in discovery.country_owned_models():
        row = _in_viet_nam_only(model, model.objects.order_by("pk")).first()
        if row is None:
            lacking.append(model)
        else:
            rows[model] = row
    missing = []
    for model in lacking:
        row = _make(model, rows, viet_nam)
        if row is None:
            missing.append(model._meta.label)
        else:
            rows[model] = row
    return rows, missing


def test_the_outsiders_have_no_role_in_viet_nam():
    viet_nam = _viet_nam()
    for outsider in _outsiders():
        held = RoleAssignment.objects.filter(user=outsider)
        assert not held.filter(country=viet_nam).exists(), outsider
        assert not held.filter(region=viet_nam.region).exists(), outsider
        assert not held.filter(country=None, region=None).exists(), outsider
        assert not outsider.is_superuser
        assert access.scope_for(outsider).country_ids, outsider  # but rights elsewhere


def test_every_country_owned_model_has_a_viet_nam_row_to_probe():
    rows, missing = _probe_rows()
    assert not missing, f"The demo world has no Viet Nam row of {missing} to probe."
    assert len(rows) >= 50


def test_every_object_route_names_its_model():
    unnamed = [route.path for route, model in discovery.object_routes() if model is None]
    assert not unnamed, f"Cannot tell which model these routes' <int:pk> names: {unnamed}"


def _audit_count():
    return AuditEntry.objects.count()


def _status(response):
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    return response.status_code, re.sub(r"\d+", "N", location)


@pytest.mark.parametrize("username", OUTSIDERS)
def test_an_outsider_meets_every_viet_nam_object_on_pages_as_if_it_did_not_exist(
        client, username):
    rows, _missing = _probe_rows()
    outsider = User.objects.get(username=username)
    client.force_login(outsider)
    before = _audit_count()
    leaks = []
    for route, model in discovery.object_routes():
        row = rows.get(model)
        if row is None:
            continue
        for method in ("get", "post"):
            seen = getattr(client, method)(route.url(pk=row.pk))
            if seen.status_code == 404:
                continue
            unknown = getattr(client, method)(route.url(pk=MISSING_PK))
            if _status(seen) != _status(unknown) or seen.status_code < 300:
                leaks.append(f"{method.upper()} {route.path} ({model.__name__}): "
                             f"{seen.status_code}, for a missing row {unknown.status_code}")
    assert not leaks, "\n".join(leaks)
    assert _audit_count() == before


def _hidden(model, ids) -> set:
    """Those of `ids` that are rows of Viet Nam's alone (no outsider may see them)."""
    if getattr(model, "country_lookup", None) is None:
        return set()
    return set(_in_viet_nam_only(model, model.objects.filter(pk__in=ids))
               .values_list("pk", flat=True))


HREF = re.compile(r'href="(/[^"?#]*)')


def _linked_objects(html: str, index) -> dict:
    """The objects a page links to: {model: {pk, …}}, read from its hrefs."""
    found = defaultdict(set)
    for href in set(HREF.findall(html)):
        try:
            match = resolve(href)
        except Resolver404:
            continue
        pk = match.kwargs.get("pk")
        if pk is None or set(match.kwargs) != {"pk"}:
            continue
        model = index.get(match.route)
        if model is not None:
            found[model].add(pk)
    return found


@pytest.mark.parametrize("username", OUTSIDERS)
def test_no_page_or_export_shows_an_outsider_a_row_they_may_not_see(client, username):
    outsider = User.objects.get(username=username)
    client.force_login(outsider)
    index = {route.pattern.pattern._route: model
             for route, model in discovery.object_routes() if model is not None}
    leaks = []
    with translation.override("en"):
        for route in discovery.plain_routes():
            response = client.get(route.url())
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for model, pks in _linked_objects(response.content.decode(), index).items():
                hidden = _hidden(model, pks)
                if hidden:
                    leaks.append(f"{route.path} links to {model.__name__} {sorted(hidden)}")
            export = client.get(route.url() + "?export=csv")
            if "text/csv" not in export.get("Content-Type", ""):
                continue
            model = route.pages.model if route.pages else discovery.route_model(
                discovery.Route(route.path + "<int:pk>/", route.name, route.pattern))
            body = (b"".join(export.streaming_content) if export.streaming
                    else export.content)  # a long table (the audit trail) is streamed
            lines = body.decode().splitlines()[1:]
            ids = {int(line.split(",")[0]) for line in lines if line.split(",")[0].isdigit()}
            if model is None:
                if lines:
                    leaks.append(f"{route.path}?export=csv: cannot tell the model of its rows")
                continue
            hidden = _hidden(model, ids)
            if hidden:
                leaks.append(f"{route.path}?export=csv exports {model.__name__} {sorted(hidden)}")
    assert not leaks, "\n".join(leaks)


def _api_paths(prefix, viewset):
    """(url template with {pk}, methods) of a viewset's detail routes, extra actions too."""
    detail = [(f"/api/{prefix}/{{pk}}/", ("get", "patch", "put", "delete"))]
    for extra in viewset.get_extra_actions():
        if extra.detail:
            detail.append((f"/api/{prefix}/{{pk}}/{extra.url_path}/",
                           tuple(m.lower() for m in extra.mapping)))
    return detail


@pytest.mark.parametrize("username", OUTSIDERS)
def test_the_api_answers_an_outsider_as_if_viet_nams_rows_did_not_exist(api, username):
    rows, _missing = _probe_rows()
    outsider = User.objects.get(username=username)
    client = api(outsider)
    viet_nam = _viet_nam()
    before = _audit_count()
    leaks = []
    for prefix, _basename, viewset in discovery.api_viewsets():
        model = discovery.viewset_model(viewset)
        if model is None:
            # a computed resource (KPIs, statements, reports) named by a country
            response = client.get(f"/api/{prefix}/?country={viet_nam.pk}")
            if response.status_code == 200 and str(viet_nam.pk) in str(
                    response.json().get("country", "")):
                leaks.append(f"/api/{prefix}/?country=VN answers 200")
            continue
        listing = client.get(f"/api/{prefix}/?page_size=500")
        if listing.status_code == 200:
            body = listing.json()
            ids = {item["id"] for item in (body["results"] if isinstance(body, dict)
                                           else body) if "id" in item}
            hidden = _hidden(model, ids)
            if hidden:
                leaks.append(f"/api/{prefix}/ lists {model.__name__} {sorted(hidden)}")
        row = rows.get(model)
        if row is None:
            continue
        for template, methods in _api_paths(prefix, viewset):
            for method in methods:
                seen = getattr(client, method)(template.format(pk=row.pk), {}, format="json")
                if seen.status_code == 404:
                    continue
                unknown = getattr(client, method)(template.format(pk=MISSING_PK), {},
                                                  format="json")
                if seen.status_code != unknown.status_code or seen.status_code < 300:
                    leaks.append(f"{method.upper()} {template} ({model.__name__}): "
                                 f"{seen.status_code}, for a missing row "
                                 f"{unknown.status_code}")
    assert not leaks, "\n".join(leaks)
    assert _audit_count() == before
