"""Generic checks every model gets (NetBox's ViewTestCases, in pytest form).

An app describes each model with a `ModelCase`: its pages, how to make a row owned by Viet
Nam, valid data to create and to edit one, and who may manage it. `model_case_tests(cases)`
then gives a test class with list/detail/create/edit/delete checks for pages and API, with
and without permission, an audit-row check for every write, and query-count checks.

Personas come from the demo world (see conftest.py): `manager` may change the row,
`viewer` may see it but not change it, `outsider` has no role in its country.
"""

import base64
import re
import zlib
from dataclasses import dataclass, field
from typing import Callable

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonops.core.models import AuditEntry, User


@dataclass
class ModelCase:
    pages: type
    make: Callable  # (world) -> a row owned by Viet Nam (or shared reference data)
    create_data: Callable  # (world) -> form data for a new row
    edit_data: Callable  # (obj) -> form data changing the row
    api_basename: str
    manager: str = "vn-chair"  # user name of someone who may manage the row
    viewer: str = "vn-member"  # may see it, may not change it
    outsider: str = "sn-staff"  # no role in Viet Nam
    outsider_sees_it: bool = False  # True for shared reference data (agencies, regions)
    creator: str | None = None  # who may create, if not the manager
    api_create_data: Callable | None = None  # (world) -> JSON for the API, if not create_data
    changed_field: str = "name"  # a field edit_data changes, to find in the audit row
    list_query_budget: int = 12
    # The history names the objects its changes point to: one more query per kind of object
    # referenced (a country, an agency, a person…), however many rows.
    detail_query_budget: int = 18
    extra: dict = field(default_factory=dict)

    @property
    def model(self):
        return self.pages.model

    def url(self, suffix, *args):
        return reverse(f"{self.pages.namespace}:{self.pages.name}_{suffix}", args=args)

    def __str__(self):
        return self.model.__name__


class World:
    """Lookups into the demo world for the cases' callables."""

    def country(self, iso):
        from commonops.core.models import Country

        return Country.objects.get(iso_code=iso)

    def agency(self, acronym):
        from commonops.core.models import Agency

        return Agency.objects.get(acronym=acronym)

    def user(self, username):
        return User.objects.get(username=username)

    def region(self, code):
        from commonops.core.models import Region

        return Region.objects.get(code=code)


def _audit_rows(obj_or_model, pk, action):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj_or_model, for_concrete_model=False),
        object_id=str(pk), action=action,
    )


def _form_value(value):
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, bool):
        return "on" if value else ""
    return value


def as_form(data: dict) -> dict:
    return {key: _form_value(value) for key, value in data.items()
            if not (isinstance(value, bool) and not value)}


def as_json(data: dict) -> dict:
    out = {}
    for key, value in data.items():
        if hasattr(value, "pk"):
            value = value.pk
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        elif value is not None and not isinstance(value, (bool, int, float, str)):
            value = str(value)
        out[key] = value
    return out


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def model_case_tests(cases: list[ModelCase]):
    """A test class running the generic checks over `cases` (one parametrized test each)."""
    ids = [str(case) for case in cases]
    parametrize = pytest.mark.parametrize("case", cases, ids=ids)

    @pytest.mark.django_db
    class GenericModelTests:
        world = World()

        def _client(self, client, username):
            client.force_login(User.objects.get(username=username))
            return client

        # --- pages: read ---------------------------------------------------------------

        @parametrize
        def test_list_page_shows_the_row_to_those_who_may_see_it(self, client, case):
            obj = case.make(self.world)
            response = self._client(client, case.viewer).get(case.url("list") + "?page_size=500")
            assert response.status_code == 200
            assert obj.get_absolute_url() in response.content.decode()

        @parametrize
        def test_outsider_does_not_find_the_row_in_the_list(self, client, case):
            obj = case.make(self.world)
            response = self._client(client, case.outsider).get(case.url("list"))
            assert response.status_code == 200
            shown = obj.get_absolute_url() in response.content.decode()
            assert shown is case.outsider_sees_it

        @parametrize
        def test_detail_page_is_404_for_an_outsider(self, client, case):
            obj = case.make(self.world)
            assert self._client(client, case.viewer).get(obj.get_absolute_url()).status_code \
                == 200
            status = self._client(client, case.outsider).get(obj.get_absolute_url()).status_code
            assert status == (200 if case.outsider_sees_it else 404)

        @parametrize
        def test_pages_need_a_login(self, client, case):
            obj = case.make(self.world)
            for url in (case.url("list"), obj.get_absolute_url(), case.url("add")):
                response = client.get(url)
                assert response.status_code == 302
                assert response["Location"].startswith(reverse("login"))

        @parametrize
        def test_export_holds_only_visible_rows(self, client, case):
            obj = case.make(self.world)
            # The Kenya OMT chair may export, and has no role in Viet Nam.
            rows = self._client(client, "ke-chair").get(case.url("list") + "?export=csv")
            assert rows.status_code == 200
            exported_ids = {line.split(",")[0] for line in rows.content.decode().splitlines()}
            assert (str(obj.pk) in exported_ids) is case.outsider_sees_it

        # --- pages: write --------------------------------------------------------------

        @parametrize
        def test_export_needs_the_export_right(self, client, case):
            assert self._client(client, "vn-staff").get(
                case.url("list") + "?export=csv").status_code == 403

        @parametrize
        def test_manager_creates_a_row_and_the_trail_records_it(self, client, case):
            creator = case.creator or case.manager
            data = case.create_data(self.world)
            before = set(case.model.objects.values_list("pk", flat=True))
            response = self._client(client, creator).post(case.url("add"), as_form(data))
            assert response.status_code == 302, response.content.decode()[:3000]
            new = set(case.model.objects.values_list("pk", flat=True)) - before
            assert len(new) == 1
            entry = _audit_rows(case.model, new.pop(), "create").get()
            assert entry.actor.username == creator
            assert entry.source == "web"
            assert entry.request_path == case.url("add")

        @parametrize
        def test_viewer_without_the_right_cannot_create(self, client, case):
            data = case.create_data(self.world)
            count = case.model.objects.count()
            response = self._client(client, case.viewer).post(case.url("add"), as_form(data))
            assert response.status_code in (400, 403)
            assert case.model.objects.count() == count

        @parametrize
        def test_outsider_cannot_create_in_another_country(self, client, case):
            data = case.create_data(self.world)
            count = case.model.objects.count()
            response = self._client(client, case.outsider).post(case.url("add"), as_form(data))
            assert response.status_code in (400, 403)
            assert case.model.objects.count() == count

        @parametrize
        def test_manager_edits_and_the_trail_records_before_and_after(self, client, case):
            obj = case.make(self.world)
            data = case.edit_data(obj)
            response = self._client(client, case.manager).post(case.url("edit", obj.pk),
                                                               as_form(data))
            assert response.status_code == 302, response.content.decode()[:3000]
            entry = _audit_rows(case.model, obj.pk, "update").latest("at")
            assert entry.actor.username == case.manager
            before, after = entry.changes[case.changed_field]
            assert before != after
            assert after == as_json({"v": data[case.changed_field]})["v"]

        @parametrize
        def test_viewer_cannot_edit_and_nothing_changes(self, client, case):
            obj = case.make(self.world)
            response = self._client(client, case.viewer).post(case.url("edit", obj.pk),
                                                              as_form(case.edit_data(obj)))
            assert response.status_code == 403
            assert not _audit_rows(case.model, obj.pk, "update").exists()

        @parametrize
        def test_outsider_gets_404_on_edit_and_delete(self, client, case):
            obj = case.make(self.world)
            c = self._client(client, case.outsider)
            expected = 403 if case.outsider_sees_it else 404
            assert c.post(case.url("edit", obj.pk), as_form(case.edit_data(obj))).status_code \
                == expected
            assert c.post(case.url("delete", obj.pk)).status_code == expected
            assert case.model.objects.filter(pk=obj.pk).exists()

        @parametrize
        def test_manager_deletes_and_the_trail_records_it(self, client, case):
            obj = case.make(self.world)
            deleter = case.creator or case.manager
            response = self._client(client, deleter).post(case.url("delete", obj.pk))
            assert response.status_code == 302
            assert not case.model.objects.filter(pk=obj.pk).exists()
            assert _audit_rows(case.model, obj.pk, "delete").get().actor.username == deleter

        @parametrize
        def test_bad_input_gets_a_message_and_changes_nothing(self, client, case):
            obj = case.make(self.world)
            data = as_form(case.edit_data(obj))
            data[case.changed_field] = ""  # a required field left empty
            response = self._client(client, case.manager).post(case.url("edit", obj.pk), data)
            assert response.status_code == 400
            assert "errorlist" in response.content.decode()
            assert not _audit_rows(case.model, obj.pk, "update").exists()

        # --- query counts --------------------------------------------------------------

        @parametrize
        def test_list_and_detail_pages_use_a_constant_number_of_queries(self, client, case):
            obj = case.make(self.world)
            c = self._client(client, case.manager)
            list_queries = count_queries(c, case.url("list"))
            detail_queries = count_queries(c, obj.get_absolute_url())
            assert list_queries <= case.list_query_budget
            assert detail_queries <= case.detail_query_budget
            for _ in range(3):
                case.make(self.world)
            assert count_queries(c, case.url("list")) == list_queries

        # --- API -----------------------------------------------------------------------

        def _api_url(self, case, pk=None):
            if pk is None:
                return reverse(f"{case.api_basename}-list")
            return reverse(f"{case.api_basename}-detail", args=[pk])

        @parametrize
        def test_api_lists_and_reads_within_scope_only(self, api, case):
            obj = case.make(self.world)
            viewer = api(User.objects.get(username=case.viewer))
            assert viewer.get(self._api_url(case, obj.pk)).status_code == 200
            outsider = api(User.objects.get(username=case.outsider))
            response = outsider.get(self._api_url(case) + "?page_size=500")
            assert response.status_code == 200
            ids = {row["id"] for row in response.json()["results"]}
            assert (obj.pk in ids) is case.outsider_sees_it
            status = outsider.get(self._api_url(case, obj.pk)).status_code
            assert status == (200 if case.outsider_sees_it else 404)

        @parametrize
        def test_api_create_edit_delete_through_the_actions_with_audit(self, api, case):
            creator = case.creator or case.manager
            client = api(User.objects.get(username=creator))
            payload = as_json((case.api_create_data or case.create_data)(self.world))
            response = client.post(self._api_url(case), payload, format="json")
            assert response.status_code == 201, response.json()
            pk = response.json()["id"]
            entry = _audit_rows(case.model, pk, "create").get()
            assert (entry.source, entry.actor.username) == ("api", creator)

            obj = case.model.objects.get(pk=pk)
            response = client.patch(self._api_url(case, pk),
                                     as_json({case.changed_field:
                                              case.edit_data(obj)[case.changed_field]}),
                                     format="json")
            assert response.status_code == 200, response.json()
            assert _audit_rows(case.model, pk, "update").get().source == "api"

            response = client.delete(self._api_url(case, pk))
            assert response.status_code == 204
            assert _audit_rows(case.model, pk, "delete").exists()

        @parametrize
        def test_api_refuses_viewer_and_outsider_writes_in_one_error_shape(self, api, case):
            obj = case.make(self.world)
            viewer = api(User.objects.get(username=case.viewer))
            response = viewer.patch(self._api_url(case, obj.pk), as_json(
                {case.changed_field: case.edit_data(obj)[case.changed_field]}), format="json")
            assert response.status_code == 403
            assert response.json()["error"]["status"] == 403
            outsider = api(User.objects.get(username=case.outsider))
            response = outsider.delete(self._api_url(case, obj.pk))
            expected = 403 if case.outsider_sees_it else 404
            assert response.status_code == expected
            assert set(response.json()["error"]) == {"status", "code", "message", "fields"}
            assert case.model.objects.filter(pk=obj.pk).exists()

        @parametrize
        def test_api_bad_input_names_the_field_and_changes_nothing(self, api, case):
            obj = case.make(self.world)
            manager = api(User.objects.get(username=case.manager))
            response = manager.patch(self._api_url(case, obj.pk), {case.changed_field: ""},
                                     format="json")
            assert response.status_code == 400
            assert case.changed_field in response.json()["error"]["fields"]
            assert not _audit_rows(case.model, obj.pk, "update").exists()

    return GenericModelTests


# --- reading a PDF back, to compare its figures with the page's -----------------------------


def _objects(data: bytes) -> dict[int, bytes]:
    return {int(number): body for number, body in
            re.findall(rb"\n(\d+) 0 obj\n(.*?)\nendobj", data, re.S)}


def _stream(body: bytes) -> bytes:
    length = int(re.search(rb"/Length (\d+)", body).group(1))
    start = re.search(rb"stream\r?\n", body).end()
    raw = body[start:start + length]
    if b"/ASCII85Decode" in body:
        raw = base64.a85decode(re.sub(rb"\s", b"", raw).removesuffix(b"~>"))
    if b"/FlateDecode" in body:
        raw = zlib.decompress(raw)
    return raw


def _unescape(literal: bytes) -> bytes:
    def one(match):
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}.get(code, code)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, literal, flags=re.S)


def pdf_text(data: bytes) -> str:
    """The words of the pages in drawing order, separated by single spaces."""
    objects = _objects(data)
    decoders = {}
    for body in objects.values():
        name = re.search(rb"/Name /(\S+)", body)
        if b"/Type /Font" not in body or name is None:
            continue
        cmap = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if cmap is None:
            decoders[name.group(1)] = lambda raw: raw.decode("cp1252")
            continue
        table = {int(code, 16): chr(int(char, 16)) for code, char in re.findall(
            rb"<([0-9A-F]{2})> <([0-9A-F]{4})>", _stream(objects[int(cmap.group(1))]))}
        decoders[name.group(1)] = lambda raw, table=table: "".join(table[b] for b in raw)
    words = []
    for number in sorted(objects):
        body = objects[number]
        if b"stream" not in body or b"/Type" in body.split(b"stream")[0]:
            continue
        content = _stream(body)
        if b" Tf" not in content:
            continue
        font = None
        for switch, literal in re.findall(
                rb"/(\S+) [\d.]+ Tf|\(((?:[^()\\]|\\.)*)\) Tj", content, re.S):
            if switch:
                font = switch
            else:
                words.append(decoders[font](_unescape(literal)))
    return " ".join(" ".join(words).split())
