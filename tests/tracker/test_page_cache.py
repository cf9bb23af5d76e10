"""The page cache serves repeat visits without work, and never a stale figure after a publish."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_report
from tracker import services


@pytest.fixture
def cached_pages(settings, monkeypatch):
    """The page cache on, and the version raised as each write returns, as the commit of the
    write's own transaction does in the running site (a test's transaction never commits;
    test_a_commit_raises_the_version does commit)."""
    from softlaw import changes

    settings.PAGE_CACHE_SECONDS = 300
    monkeypatch.setattr(changes.transaction, "on_commit", lambda callback, **kwargs: callback())
    cache.clear()
    yield
    cache.clear()


def test_repeat_visit_is_served_from_the_cache(client, cached_pages, jpn, commitment):
    make_report(jpn, commitment, "partial", "2020-01-01")
    first = client.get("/")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/")
    assert second.content == first.content
    assert len(queries) == 1  # the state of the data, to name the cache entry


def test_each_host_gets_its_own_page(client, cached_pages, settings, jpn, commitment):
    # The page prints its own permanent link with the host it was asked for: a copy cached for
    # one name of the site must not be served under another.
    settings.ALLOWED_HOSTS = ["tracker.example.org", "mirror.example.org"]
    make_report(jpn, commitment, "partial", "2020-01-01")
    first = client.get("/", HTTP_HOST="tracker.example.org").content.decode()
    second = client.get("/", HTTP_HOST="mirror.example.org").content.decode()
    assert ">tracker.example.org/" in first and "mirror.example.org" not in first
    assert ">mirror.example.org/" in second and "tracker.example.org" not in second


def test_a_publish_shows_at_once(client, cached_pages, officer_jpn, reviewer, jpn, commitment):
    make_report(jpn, commitment, "pilot", "2020-01-01")
    before = client.get(f"/economies/{jpn.code}/").content.decode()
    assert "Pilot" in before
    report = services.report_create(
        user=officer_jpn,
        economy=jpn,
        commitment=commitment,
        status="implemented",
        effective_date=datetime.date(2021, 1, 1),
        evidence="Law in force.",
    )
    services.report_submit(report=report, user=officer_jpn)
    # A draft or a submission changes nothing public, but a publish does, at once.
    services.report_publish(report=report, reviewer=reviewer)
    after = client.get(f"/economies/{jpn.code}/").content.decode()
    assert after != before
    home = client.get("/").content.decode()
    assert 'data-score="100.0"' in home


def test_a_deleted_report_shows_at_once(client, cached_pages, jpn, commitment):
    report = make_report(jpn, commitment, "implemented", "2020-01-01")
    assert 'data-score="100.0"' in client.get("/").content.decode()
    report.delete()
    assert 'data-score="100.0"' not in client.get("/").content.decode()


def test_bad_requests_are_not_cached(client, cached_pages, db):
    assert client.get("/?as_of=2024-02-30").status_code == 400
    assert client.get("/?as_of=2024-02-30").status_code == 400


def test_a_cached_page_carries_the_same_headers(client, cached_pages, jpn, commitment):
    make_report(jpn, commitment, "partial", "2020-01-01")
    first = client.get("/")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/")
    assert len(queries) == 1
    assert second.content == first.content
    for header in (
        "Content-Type",
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "X-Frame-Options",
    ):
        assert second[header] == first[header], header
    assert not second.cookies


def cached_page_keys() -> list[str]:
    """The page cache's entries, in local memory or in Redis (CI runs the suite with both)."""
    if hasattr(cache, "_cache") and isinstance(cache._cache, dict):
        keys = list(cache._cache)
    else:
        client = cache._cache.get_client()
        keys = [key.decode() for key in client.scan_iter(match=f"{cache.key_prefix}:*")]
    return [key for key in keys if "page:" in key]


def test_only_public_pages_are_cached(client, cached_pages, jpn, commitment, admin_client):
    make_report(jpn, commitment, "partial", "2020-01-01")
    client.get("/api/v1/economies/")
    admin_client.get("/admin/")
    assert not cached_page_keys()
    client.get("/methodology/")
    assert len(cached_page_keys()) == 2  # as it is, and gzipped


def test_the_database_out_of_reach_is_a_503_not_a_cached_page(client, cached_pages, db):
    from tests.tracker.test_health import database_down

    assert client.get("/economies/").status_code == 200
    with database_down():
        response = client.get("/economies/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


def test_a_cached_page_travels_compressed_to_those_who_accept_it(
    client, cached_pages, jpn, commitment
):
    import gzip

    make_report(jpn, commitment, "partial", "2020-01-01")
    plain = client.get("/")
    assert "Accept-Encoding" in plain["Vary"]
    packed = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 3
    assert gzip.decompress(packed.content) == plain.content
    # Without gzip in Accept-Encoding, the page as it is.
    again = client.get("/", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in again
    assert again.content == plain.content


@pytest.mark.django_db(transaction=True)
def test_a_commit_raises_the_version(settings):
    from softlaw import changes
    from tests.factories import make_commitment, make_economy, make_instrument

    settings.PAGE_CACHE_SECONDS = 300
    economy = make_economy()
    commitment = make_commitment(make_instrument())
    before = changes.page_version()
    make_report(economy, commitment, "partial", "2020-01-01")
    assert changes.page_version() > before


def test_no_number_is_given_twice_even_by_a_database_made_afresh(cached_pages, jpn, commitment):
    # Each raise takes the number to at least the clock's microseconds: a database created
    # again (the numbers back at their start) or restored from a backup (back at an older
    # number) goes on above every number given before, so a shared cache that outlived it can
    # hold no page under the numbers it gives.
    import time

    from softlaw import changes
    from tracker.models import DataVersion, ScopeVersion

    before = time.time_ns() // 1000
    make_report(jpn, commitment, "partial", "2020-01-01")
    first = changes.page_version()
    scope = f"instrument:{commitment.instrument.slug}"
    first_scoped = changes.scoped_versions((scope,))
    assert first >= before
    assert first_scoped[1] >= before
    DataVersion.objects.update(version=1)
    ScopeVersion.objects.update(version=1)
    make_report(jpn, commitment, "implemented", "2021-01-01")
    assert changes.page_version() > first
    assert changes.scoped_versions((scope,))[1] > first_scoped[1]
    # Raised twice within one microsecond of the clock, the number still moves.
    frozen = time.time_ns()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(changes.time, "time_ns", lambda: frozen)
        make_report(jpn, commitment, "partial", "2022-01-01")
        once = changes.page_version()
        make_report(jpn, commitment, "pilot", "2023-01-01")
        assert changes.page_version() > once


def test_every_kind_of_change_raises_the_version(cached_pages, jpn, commitment):
    from softlaw import changes
    from tracker import services
    from tracker.models import StatusReport

    seen = [changes.page_version()]

    def raised():
        seen.append(changes.page_version())
        return seen[-1] > seen[-2]

    report = make_report(jpn, commitment, "partial", "2020-01-01")
    assert raised()
    jpn.name = "Japan (renamed)"
    jpn.save()
    assert raised()
    commitment.instrument.themes.clear()
    assert raised()
    # A bulk write sends no signal; the cells it refreshes raise the version.
    StatusReport.objects.filter(pk=report.pk).update(status="implemented")
    assert not raised()
    from tracker.current_status import current_status_refresh

    current_status_refresh(pairs={(jpn.pk, commitment.pk)})
    assert raised()
    report.delete()
    assert raised()
    assert services  # the workflow's writes are saves: covered by the signals above


def test_a_raise_lost_after_its_commit_leaves_no_stale_page(
    client, cached_pages, monkeypatch, jpn, commitment
):
    # The database goes away between a publish's commit and the raise of the number: the
    # pages cached for the older data go, and the number is raised before it is read again.
    from django.db import OperationalError

    from softlaw import changes

    make_report(jpn, commitment, "pilot", "2020-01-01")
    assert 'data-score="33.3"' in client.get("/").content.decode()
    before = changes.page_version()
    raise_for_real = changes._raise

    def database_gone(scopes):
        raise OperationalError("server closed the connection unexpectedly")

    committed = []  # the raises the commit runs, once the whole write is done
    monkeypatch.setattr(
        changes.transaction, "on_commit", lambda callback, **k: committed.append(callback)
    )
    make_report(jpn, commitment, "implemented", "2021-01-01")
    monkeypatch.setattr(changes, "_raise", database_gone)
    for callback in committed:
        with pytest.raises(OperationalError):
            callback()
    monkeypatch.setattr(changes, "_raise", raise_for_real)
    assert not cached_page_keys()
    assert 'data-score="100.0"' in client.get("/").content.decode()
    assert changes.page_version() > before
    assert not changes._unraised
