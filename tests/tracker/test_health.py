"""/healthz answers 200 while the database answers and 503 when it cannot be reached; any
request that fails for that reason is a 503 with Retry-After, never a 500 or a hang."""

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db

REFUSED = OperationalError('connection to server at "127.0.0.1", port 5432 failed: refused')


def database_down():
    """Every query fails as it does while PostgreSQL restarts."""
    return mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=REFUSED)


def test_healthz_is_200_when_the_database_answers(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_unreachable(client):
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_pages_and_api_answer_503_while_the_database_is_unreachable(client):
    with database_down():
        page = client.get("/economies/")
        api = client.get("/api/v1/economies/")
    assert page.status_code == 503
    assert page["Retry-After"] == "5"
    assert "try again in a few seconds" in page.content.decode()
    assert api.status_code == 503
    assert api["Retry-After"] == "5"
    assert api.json() == {
        "detail": "The database is out of reach for a moment; please try again in a few seconds."
    }


def test_other_database_errors_stay_errors(client):
    from django.db import IntegrityError

    client.raise_request_exception = False
    broken = mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=IntegrityError("bug")
    )
    with broken:
        assert client.get("/economies/").status_code == 500
