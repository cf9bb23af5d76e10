"""One filter set per question, shared by the page and the API that answer it: the regional
picture (/, /api/v1/scores/, /api/v1/regional/), trends (/trends/) and economies compared
(/compare/) read the same parameters and refuse a bad value with the same 400 message."""

import html

import pytest

from tests.pages import figure, page

pytestmark = pytest.mark.django_db

REGIONAL_APIS = ("/api/v1/scores/", "/api/v1/regional/")
SUBREGIONS = "subregion must be one of Eastern Asia, Melanesia, South-eastern Asia; not 'Atlantis'."


def page_message(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 400
    return html.unescape(response.content.decode())


def api_message(client, url: str, parameter: str) -> str:
    response = client.get(url)
    assert response.status_code == 400
    (message,) = response.json()["errors"][parameter]
    return message


@pytest.mark.parametrize("api", REGIONAL_APIS)
def test_an_unknown_subregion_is_the_same_400_on_the_dashboard_and_the_api(client, region, api):
    assert api_message(client, f"{api}?subregion=Atlantis", "subregion") == SUBREGIONS
    assert SUBREGIONS in page_message(client, "/?subregion=Atlantis")


@pytest.mark.parametrize("api", REGIONAL_APIS)
@pytest.mark.parametrize(
    ("parameter", "value"),
    [("theme", "nope"), ("forum", "NOPE"), ("as_of", "2024-02-30"), ("economy", "XXX")],
)
def test_every_bad_value_is_the_same_400_on_the_dashboard_and_the_api(
    client, region, api, parameter, value
):
    message = api_message(client, f"{api}?{parameter}={value}", parameter)
    shown = page_message(client, f"/?{parameter}={value}")
    assert message in shown
    assert message.startswith(parameter) or f"{parameter}: {message}" in shown


def test_the_dashboard_reads_the_api_parameters(client, region):
    # ?economy= and ?instrument= narrow the dashboard as they narrow the scores.
    html_ = page(client, "/?economy=JPN,PNG&instrument=cbpr")
    assert figure(html_, "economies") == "2"
    assert figure(html_, "instruments") == "1"
    scores = client.get("/api/v1/scores/?economy=JPN,PNG&instrument=cbpr").json()["results"]
    assert {(row["economy"], row["instrument"]) for row in scores} == {
        ("JPN", "cbpr"),
        ("PNG", "cbpr"),
    }
    # The filter form keeps them.
    assert '<input type="hidden" name="economy" value="JPN,PNG">' in html_
    assert '<input type="hidden" name="instrument" value="cbpr">' in html_


def test_a_subregion_in_any_case_is_the_same_on_the_page_and_in_the_api(client, region):
    html_ = page(client, "/?subregion=eastern+asia")
    assert figure(html_, "economies") == "1"
    assert '<option value="Eastern Asia" selected>' in html_
    scores = client.get("/api/v1/scores/?subregion=eastern+asia").json()["results"]
    assert {row["economy"] for row in scores} == {"JPN"}


def test_an_unknown_subregion_is_a_400_on_the_trends(client, region):
    assert SUBREGIONS in page_message(client, "/trends/?subregion=Atlantis")
    message = api_message(client, "/api/v1/regional/?theme=nope", "theme")
    assert f"theme: {message}" in page_message(client, "/trends/?theme=nope")


def test_a_bad_value_is_a_400_on_the_comparison(client, region):
    assert (
        "economies must be ISO alpha-3 codes of APEC economies, separated by commas (such as "
        "JPN,SGP,PNG); unknown: ATL." in page_message(client, "/compare/?economies=JPN,atl")
    )
    for parameter, value in (("theme", "nope"), ("forum", "NOPE"), ("as_of", "20240101")):
        message = api_message(client, f"/api/v1/scores/?{parameter}={value}", parameter)
        assert message in page_message(client, f"/compare/?economies=JPN&{parameter}={value}")


def test_the_comparison_keeps_the_order_asked_once_each(client, region):
    html_ = page(client, "/compare/?economies=png,JPN,PNG")
    assert "<title>Compare PNG, JPN" in html_


@pytest.mark.parametrize(
    "url",
    ["/api/v1/economies/", "/api/v1/status/", "/api/v1/reports/", *REGIONAL_APIS],
)
def test_an_unknown_subregion_is_a_400_in_every_api_list(client, region, url):
    # Not an empty 200: a typo must not look like "no data".
    assert api_message(client, f"{url}?subregion=Atlantis", "subregion") == SUBREGIONS
