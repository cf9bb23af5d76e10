"""?as_of= in the API follows the public pages' rule, with the same words: a date written
YYYY-MM-DD, today at the latest. The tracker shows what was published, not the future."""

import datetime

import pytest
from django.test import RequestFactory

from softlaw import clock
from softlaw.pages import BadParameter, parse_as_of

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/api/v1/status/", "/api/v1/scores/", "/api/v1/regional/"]


def page_says(raw: str) -> str:
    """What a public page answers to ?as_of=raw (its 400 message)."""
    with pytest.raises(BadParameter) as refused:
        parse_as_of(RequestFactory().get("/", {"as_of": raw}))
    return str(refused.value)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_future_as_of_is_a_400_with_the_pages_words(api, dataset, endpoint):
    tomorrow = (clock.today() + datetime.timedelta(days=1)).isoformat()
    response = api.get(endpoint, {"as_of": tomorrow})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    message = page_says(tomorrow)
    assert "after today" in message
    assert response.json() == {
        "detail": f"Invalid request. as_of: {message}",
        "errors": {"as_of": [message]},
    }


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_future_as_of_is_json_even_when_csv_was_asked(api, dataset, endpoint):
    response = api.get(endpoint, {"as_of": "2999-12-31", "format": "csv"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"] == {"as_of": [page_says("2999-12-31")]}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_today_is_the_latest_as_of(api, dataset, endpoint):
    today = clock.today().isoformat()
    response = api.get(endpoint, {"as_of": today})
    assert response.status_code == 200, response.content
    assert {row["as_of"] for row in response.json()["results"]} == {today}


@pytest.mark.parametrize("raw", ["12/31/2019", "20191231", "2019-02-30", "soon"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_badly_written_as_of_is_refused_as_on_the_pages(api, dataset, endpoint, raw):
    response = api.get(endpoint, {"as_of": raw})
    assert response.status_code == 400
    assert response.json()["errors"] == {"as_of": [page_says(raw)]}
