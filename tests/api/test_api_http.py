"""HTTP behaviour a syncing client relies on: conditional GET, CSV, throttling, offline docs."""

import csv
import io
import re

import pytest
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from tests.factories import make_report
from tests.pages import API_DATA_LISTS

pytestmark = pytest.mark.django_db

LISTS = API_DATA_LISTS


# --- ETag / Last-Modified ----------------------------------------------------------------------


@pytest.mark.parametrize("resource", LISTS)
def test_unchanged_list_answers_304_to_its_etag(api, dataset, resource):
    first = api.get(f"/api/v1/{resource}/")
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('W/"')
    again = api.get(f"/api/v1/{resource}/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_if_modified_since_answers_304_until_a_change(api, dataset):
    first = api.get("/api/v1/reports/")
    stamp = first["Last-Modified"]
    assert api.get("/api/v1/reports/", HTTP_IF_MODIFIED_SINCE=stamp).status_code == 304
    make_report(dataset.png, dataset.econ5, "planned", "2023-01-01")
    changed = api.get("/api/v1/reports/", HTTP_IF_MODIFIED_SINCE="Thu, 01 Jan 1970 00:00:00 GMT")
    assert changed.status_code == 200


def test_a_new_report_changes_the_etag(api, dataset):
    etag = api.get("/api/v1/status/")["ETag"]
    make_report(dataset.png, dataset.econ5, "planned", "2023-01-01")
    response = api.get("/api/v1/status/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_a_deleted_draft_changes_the_officers_etag(api_officer_jpn, dataset):
    etag = api_officer_jpn.get("/api/v1/reports/")["ETag"]
    dataset.jpn_draft.delete()
    assert api_officer_jpn.get("/api/v1/reports/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_etag_differs_by_query_format_and_user(api, api_officer_jpn, dataset):
    tags = {
        api.get("/api/v1/reports/")["ETag"],
        api.get("/api/v1/reports/?economy=JPN")["ETag"],
        api.get("/api/v1/reports/?format=csv")["ETag"],
        api_officer_jpn.get("/api/v1/reports/")["ETag"],
    }
    assert len(tags) == 4


def test_report_etag_carries_its_version(api, dataset):
    report = dataset.jpn_econ5
    etag = api.get(f"/api/v1/reports/{report.pk}/")["ETag"]
    assert re.fullmatch(rf'W/"report-{report.pk}-v1-[0-9a-f]+"', etag)
    assert api.get(f"/api/v1/reports/{report.pk}/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_responses_vary_on_credentials(api, dataset):
    response = api.get("/api/v1/status/")
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Accept", "Authorization", "Cookie"} <= vary
    assert "no-cache" in response["Cache-Control"]


# --- CSV ------------------------------------------------------------------------------------------


def read_csv(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("resource", LISTS)
def test_every_list_downloads_as_csv_with_the_json_rows(api, dataset, resource):
    as_json = api.get(f"/api/v1/{resource}/").json()["results"]
    response = api.get(f"/api/v1/{resource}/?format=csv")
    rows = read_csv(response)
    assert response["Content-Disposition"] == f'attachment; filename="{resource}.csv"'
    assert len(rows) == len(as_json) > 0
    assert list(rows[0]) == list(as_json[0])


def test_csv_cells_match_json_and_are_spreadsheet_safe(api, dataset):
    rows = {
        (r["economy"], r["commitment"]): r for r in read_csv(api.get("/api/v1/status/?format=csv"))
    }
    jpn = rows[("JPN", "CBPR-ECON-5")]
    assert jpn["source_urls"] == "https://cbprs.org/ https://www.ppc.go.jp/"
    assert jpn["overdue"] == "false" and jpn["target_date"] == ""
    assert (
        jpn["published_at"]
        == api.get(f"/api/v1/reports/{dataset.jpn_econ5.pk}/").json()["published_at"]
    )
    # Evidence starting with = would run as a formula: it gets a leading apostrophe.
    assert rows[("SGP", "CBPR-ECON-6")]["evidence"] == '\'=HYPERLINK("http://evil.example")'


def test_csv_scores_keep_no_data_empty_not_zero(api, dataset):
    rows = {
        (r["economy"], r["instrument"]): r for r in read_csv(api.get("/api/v1/scores/?format=csv"))
    }
    assert rows[("PNG", "cbpr")]["score"] == ""
    assert float(rows[("JPN", "cbpr")]["score"]) == pytest.approx(500 / 9)


def test_empty_csv_still_has_its_header(api, dataset):
    response = api.get("/api/v1/status/?format=csv&instrument=aider")
    assert response.content.decode().splitlines() == [
        "economy,commitment,instrument,status,effective_date,target_date,overdue,origin,"
        "assessor,assessed_on,evidence,source_urls,report,published_at,updated_at,as_of"
    ]


def test_csv_pages_link_to_the_next_page(api, dataset):
    response = api.get("/api/v1/status/?format=csv&page_size=2")
    assert len(read_csv(response)) == 2
    assert response["Link"] == (
        '<http://testserver/api/v1/status/?format=csv&page=2&page_size=2>; rel="next"'
    )


# --- throttling -----------------------------------------------------------------------------------


def test_anonymous_client_past_the_rate_gets_429(api, dataset, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    codes = [api.get("/api/v1/economies/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = api.get("/api/v1/economies/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "throttled" in response.json()["detail"]


def test_authenticated_client_has_its_own_rate(api_officer_jpn, dataset, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute"})
    codes = [api_officer_jpn.get("/api/v1/reports/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_default_rates_are_generous_and_set_from_the_environment(settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates == {"anon": "1200/minute", "user": "3000/minute"}


def test_bad_rate_in_the_environment_stops_start_up(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from softlaw.settings import env_rate

    monkeypatch.setenv("API_ANON_RATE", "lots")
    with pytest.raises(ImproperlyConfigured, match="API_ANON_RATE"):
        env_rate("API_ANON_RATE", "1200/minute")
    monkeypatch.setenv("API_ANON_RATE", "60/hour")
    assert env_rate("API_ANON_RATE", "1200/minute") == "60/hour"


# --- schema and offline docs ----------------------------------------------------------------------


def test_schema_is_openapi_3_with_every_resource(api):
    response = api.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for resource in LISTS:
        assert f"/api/v1/{resource}/" in paths
    assert "/api/v1/reports/{id}/publish/" in paths


@pytest.mark.parametrize("page", ["docs", "redoc"])
def test_docs_pages_load_nothing_from_another_host(client, page):
    response = client.get(f"/api/v1/{page}/")
    assert response.status_code == 200
    html = response.content.decode()
    addresses = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    addresses += re.findall(r"""["'](https?://[^"']+)["']""", html)
    assert addresses, "the page should load its scripts"
    external = [a for a in addresses if re.match(r"^(https?:)?//", a)]
    assert external == []
    # Anything the bundles would still fetch from elsewhere is stopped in the browser.
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "img-src 'self' data:" in policy
    # The scripts it names are served by the project.
    for address in addresses:
        if address.startswith("/static/"):
            assert client.get(address).status_code == 200, address
