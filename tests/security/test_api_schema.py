"""The API does what its OpenAPI schema says (issue: security 6), checked by Schemathesis.

Every operation of `/api/schema/` (so every endpoint of every app, found from the router) is
called with generated input, valid and invalid, as Viet Nam's OMT chair, in-process through
the WSGI application and inside the test's transaction (nothing it writes survives). No
response may be a 5xx, and every response (status, headers, body) must be one the schema
documents. `SCHEMATHESIS_MAX_EXAMPLES` bounds the examples per operation (CI's default: 4).
"""

import os

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token

from commonops.core.models import User

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "4"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def _schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(document)
    schema.app = get_wsgi_application()
    return schema


@pytest.fixture
def in_test_transaction():
    """Calls straight into the WSGI application, kept inside the test's transaction: as
    Django's test client does, the request signals must not close the connection (which,
    on PostgreSQL, would end the test's transaction at the first request)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.probe
@pytest.mark.usefixtures("in_test_transaction")
def test_every_operation_answers_as_its_schema_says():
    token, _ = Token.objects.get_or_create(user=User.objects.get(username="vn-chair"))
    # identity: the checks read the body as the schema describes it, not gzipped (pages and
    # the API are compressed when the client asks, see test_static_files)
    headers = {"Authorization": f"Token {token.key}", "Accept-Encoding": "identity"}
    failures = []
    operations = 0
    for result in _schema().get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def call(case):
            # each call in a savepoint: on PostgreSQL one database error would otherwise
            # abort the test's transaction and fail every call after it
            with transaction.atomic():
                case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            call()
        except (Exception, BaseExceptionGroup) as error:  # every operation's, reported at once
            failures.append(f"{operation.method.upper()} {operation.path}: "
                            f"{' | '.join(str(error).strip().splitlines()[:14])[:900]}")
    assert operations >= 100
    assert not failures, f"{len(failures)} operations:\n" + "\n".join(failures)


def test_an_unauthenticated_call_is_a_401_naming_the_scheme(client):
    response = client.get("/api/countries/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert response.json()["error"]["status"] == 401


def test_ticket_events_are_paginated_as_documented(api):
    from commonops.servicedesk.models import Ticket

    ticket = Ticket.objects.filter(country__iso_code="VN").first()
    body = api(User.objects.get(username="vn-sdm")).get(f"/api/tickets/{ticket.pk}/events/")
    assert body.status_code == 200
    assert {"count", "next", "previous", "results"} <= set(body.json())
