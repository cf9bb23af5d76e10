"""Anonymous API reads come from the page cache (softlaw/page_cache.py), kept apart by query
string and format, never stale after a publish, with the same ETag, Last-Modified and 304 as the
view's own; a signed-in client always reaches the view."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_report
from tests.pages import API_DATA_LISTS

pytestmark = pytest.mark.django_db

LISTS = [*API_DATA_LISTS, "rounds"]


@pytest.fixture
def cached_api(settings, monkeypatch):
    """The cache on, and the version raised as each write returns (as in test_page_cache)."""
    from softlaw import changes

    settings.PAGE_CACHE_SECONDS = 300
    monkeypatch.setattr(changes.transaction, "on_commit", lambda callback, **kwargs: callback())
    cache.clear()
    yield settings
    cache.clear()


def uncached(settings, client, address: str, **headers):
    """The view's own answer, with the cache off."""
    seconds, settings.PAGE_CACHE_SECONDS = settings.PAGE_CACHE_SECONDS, 0
    try:
        return client.get(address, **headers)
    finally:
        settings.PAGE_CACHE_SECONDS = seconds


def api_keys() -> list[str]:
    from tests.tracker.test_page_cache import cached_page_keys

    assert cached_page_keys  # same store; the API's entries are named api:
    if hasattr(cache, "_cache") and isinstance(cache._cache, dict):
        keys = list(cache._cache)
    else:
        client = cache._cache.get_client()
        keys = [key.decode() for key in client.scan_iter(match=f"{cache.key_prefix}:*")]
    return [key for key in keys if "api:" in key]


@pytest.mark.parametrize("resource", LISTS)
def test_a_repeated_anonymous_read_is_served_from_the_cache(api, dataset, cached_api, resource):
    first = api.get(f"/api/v1/{resource}/")
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        second = api.get(f"/api/v1/{resource}/")
    assert len(queries) == 1  # the state of the data, to name the cache entry
    assert second.content == first.content
    for header in ("Content-Type", "ETag", "Last-Modified", "Cache-Control"):
        assert second.get(header) == first.get(header), header
    assert second.content == uncached(cached_api, api, f"/api/v1/{resource}/").content


def test_query_strings_and_formats_are_kept_apart(api, dataset, cached_api):
    addresses = [
        ("/api/v1/reports/", {}),
        ("/api/v1/reports/?economy=JPN", {}),
        ("/api/v1/reports/?format=csv", {}),
        ("/api/v1/reports/", {"HTTP_ACCEPT": "text/csv"}),
        ("/api/v1/scores/?ordering=-score", {}),
        ("/api/v1/scores/?ordering=-score&format=csv", {}),
    ]
    for address, headers in addresses * 2:  # the second round from the cache
        answer = api.get(address, **headers)
        expected = uncached(cached_api, api, address, **headers)
        assert answer.status_code == 200
        assert answer.content == expected.content, address
        assert answer["Content-Type"] == expected["Content-Type"], address
        assert answer["ETag"] == expected["ETag"], address
        assert answer.get("Content-Disposition") == expected.get("Content-Disposition")
    assert len(api_keys()) == 2 * len(addresses)  # as it is, and gzipped


def test_a_publish_shows_in_the_api_at_once(api, dataset, cached_api, officer_jpn, api_reviewer):
    import datetime

    from tracker import services

    address = "/api/v1/scores/?economy=JPN"
    before = api.get(address).json()["results"]
    report = services.report_create(
        user=officer_jpn,
        economy=dataset.jpn,
        commitment=dataset.kfa1,
        status="implemented",
        effective_date=datetime.date(2021, 1, 1),
        evidence="Law in force.",
    )
    services.report_submit(report=report, user=officer_jpn)
    # A draft or a submission changes nothing public: still the same entry.
    assert api.get(address).json()["results"] == before
    assert (
        api_reviewer.post(f"/api/v1/reports/{report.pk}/publish/", {}, format="json").status_code
        == 200
    )
    after = api.get(address).json()["results"]
    assert after != before
    assert 100.0 in [row["score"] for row in after]
    assert after == uncached(cached_api, api, address).json()["results"]


@pytest.mark.parametrize("resource", ["economies", "status", "scores", "reports"])
def test_a_cached_read_answers_304_as_the_view_does(api, dataset, cached_api, resource):
    address = f"/api/v1/{resource}/"
    first = api.get(address)
    view = uncached(cached_api, api, address, HTTP_IF_NONE_MATCH=first["ETag"])
    with CaptureQueriesContext(connection) as queries:
        again = api.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert len(queries) == 1
    assert again.status_code == view.status_code == 304
    assert again.content == view.content == b""
    for header in ("ETag", "Last-Modified", "Cache-Control"):
        assert again.get(header) == view.get(header), header
    # The cached copy adds Accept-Encoding: it is kept gzipped too.
    assert again["Vary"] == view["Vary"] + ", Accept-Encoding"
    since = api.get(address, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    # Another copy, or a change since, gets the whole answer.
    assert api.get(address, HTTP_IF_NONE_MATCH='W/"other"').status_code == 200
    # After a change, the cached answer is the view's (a new report changes every list but the
    # economies).
    make_report(dataset.png, dataset.econ5, "planned", "2023-01-01")
    changed = api.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    view = uncached(cached_api, api, address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == view.status_code == (304 if resource == "economies" else 200)
    assert changed.content == view.content


def test_a_failed_if_match_is_answered_by_the_view(api, dataset, cached_api):
    api.get("/api/v1/economies/")
    response = api.get("/api/v1/economies/", HTTP_IF_MATCH='"something-else"')
    assert response.status_code == 412
    assert "If-Match" in response.json()["detail"]


def test_signed_in_reads_always_reach_the_view(api_officer_jpn, dataset, cached_api):
    first = api_officer_jpn.get("/api/v1/reports/")
    with CaptureQueriesContext(connection) as queries:
        second = api_officer_jpn.get("/api/v1/reports/")
    assert len(queries) > 1
    assert second.content == first.content
    assert not api_keys()


def test_a_session_cookie_reaches_the_view(client, officer_jpn, dataset, cached_api):
    client.force_login(officer_jpn)
    drafts = client.get("/api/v1/reports/?review_state=draft").json()["results"]
    assert drafts  # the officer's own draft, which no cached anonymous answer may hold
    assert not api_keys()


REFERENCE_LISTS = ["economies", "forums", "themes", "instruments", "commitments"]


def test_a_publish_leaves_the_reference_lists_cached_and_nothing_else(api, dataset, cached_api):
    from softlaw import page_cache

    # The lists that read the catalogue only, and nothing else (rounds read reports too).
    scoped = {
        resource
        for resource in LISTS
        if page_cache._cache_kind(api.get(f"/api/v1/{resource}/").wsgi_request)[1] == 2
    }
    assert scoped == set(REFERENCE_LISTS)
    before = {resource: api.get(f"/api/v1/{resource}/").content for resource in LISTS}
    make_report(dataset.png, dataset.econ5, "implemented", "2023-01-01")  # a publish
    for resource in LISTS:
        with CaptureQueriesContext(connection) as queries:
            after = api.get(f"/api/v1/{resource}/")
        count = len(queries)  # read before the next request empties Django's log
        assert after.content == uncached(cached_api, api, f"/api/v1/{resource}/").content
        if resource in REFERENCE_LISTS:
            assert count == 1, resource  # still the cached answer
        else:
            assert count > 1, resource  # rendered again for the new state
    assert api.get("/api/v1/status/").content != before["status"]


def test_a_catalogue_change_shows_in_the_reference_lists_at_once(api, dataset, cached_api):
    api.get("/api/v1/economies/")
    api.get("/api/v1/instruments/")
    dataset.png.name = "Papua New Guinea (renamed)"
    dataset.png.save()
    assert "Papua New Guinea (renamed)" in api.get("/api/v1/economies/").content.decode()
    dataset.aider.themes.add(dataset.theme)  # a many-to-many change
    aider = [
        row
        for row in api.get("/api/v1/instruments/").json()["results"]
        if row["slug"] == dataset.aider.slug
    ]
    assert aider[0]["themes"] == [dataset.theme.slug]
    # A round's change raises the whole data's version, not the catalogue's.
    from softlaw import changes

    catalogue = changes.page_version(changes.CATALOGUE)
    everything = changes.page_version()
    dataset.jpn_draft.evidence = "Still a draft."
    dataset.jpn_draft.save()  # a draft: nothing public moves
    assert changes.page_version() == everything
    make_report(dataset.png, dataset.kfa1, "pilot", "2023-01-01")
    assert changes.page_version() > everything
    assert changes.page_version(changes.CATALOGUE) == catalogue
