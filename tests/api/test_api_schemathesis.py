"""Property-based checks of the API against its own OpenAPI schema (schemathesis).

Generated requests go to every operation, anonymous and with an officer's token, through the
WSGI app on the test database. Any 5xx, any response that breaks the schema (body, status code,
content type or documented headers) fails the test. The number of cases per operation is
SCHEMATHESIS_MAX_EXAMPLES (CI runs a few hundred cases in all; the default keeps the everyday
suite quick). Cases are derandomized, so a failure in CI reproduces locally.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "4"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app():
    # The WSGI handler closes the database connection after each request; in a test that would
    # end the transaction holding the test data (Django's own test client does the same).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def run_operations(app, headers, *, methods, mode=GenerationMode.POSITIVE):
    """Fuzz each operation; returns {"METHOD /path": cases sent}."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app)
    ran = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() not in methods:
            continue
        name = f"{operation.method.upper()} {operation.path}"
        ran[name] = 0

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            ran[case.operation.method.upper() + " " + case.operation.path] += 1
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

        check()
    print(f"schemathesis: {sum(ran.values())} cases over {len(ran)} operations")
    return ran


def test_anonymous_reads_conform_to_the_schema(dataset, wsgi_app):
    ran = run_operations(wsgi_app, {}, methods={"GET"})
    assert len(ran) == 17  # 10 lists and 7 records


def test_officer_requests_conform_to_the_schema(dataset, officer_jpn, wsgi_app):
    token = Token.objects.create(user=officer_jpn)
    ran = run_operations(
        wsgi_app,
        {"Authorization": f"Token {token.key}"},
        methods={"GET", "POST", "PATCH", "DELETE"},
    )
    assert "POST /api/v1/reports/" in ran and "PATCH /api/v1/reports/{id}/" in ran
    assert len(ran) == 23


def test_invalid_requests_get_a_4xx_that_conforms(dataset, officer_jpn, wsgi_app):
    """Requests that break the schema (a page of -1, a date that is not one, a body of the
    wrong type) must be refused with a documented 4xx, never a 5xx."""
    token = Token.objects.create(user=officer_jpn)
    ran = run_operations(
        wsgi_app,
        {"Authorization": f"Token {token.key}"},
        methods={"GET", "POST", "PATCH"},
        mode=GenerationMode.NEGATIVE,
    )
    assert sum(ran.values()) > 0
