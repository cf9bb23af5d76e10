"""An instrument's page is keyed on the catalogue and its own reports: a change to another
instrument's reports leaves it cached, and every change it shows makes a new page at once."""

import datetime

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from tests.factories import make_commitment, make_instrument, make_report
from tests.tracker import test_page_cache
from tracker import services
from tracker.choices import ReviewState
from tracker.models import StatusReport

CBPR = "/instruments/cbpr/"
AIDER = "/instruments/aider/"

# The page cache on, the version raised as each write returns (test_page_cache's fixture).
cached_pages = test_page_cache.cached_pages


@pytest.fixture
def aider(db):
    """A second instrument, with one commitment each economy carries out."""
    return make_commitment(make_instrument("AIDER"), "AIDER-KFA-01")


def visit(client, address: str) -> tuple[str, bool]:
    """The page, and whether it came from the cache (a hit reads one query: the numbers that
    name its state)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return response.content.decode(), len(queries) == 1


def both_cached(client) -> dict[str, str]:
    pages = {address: visit(client, address)[0] for address in (CBPR, AIDER)}
    for address, content in pages.items():
        assert visit(client, address) == (content, True), address
    return pages


def test_a_publish_on_one_instrument_leaves_the_others_page_cached(
    client, cached_pages, officer_jpn, reviewer, jpn, commitment, aider
):
    make_report(jpn, commitment, "pilot", "2020-01-01")
    make_report(jpn, aider, "partial", "2020-01-01")
    before = both_cached(client)
    home = client.get("/").content.decode()
    report = services.report_create(
        user=officer_jpn,
        economy=jpn,
        commitment=commitment,
        status="implemented",
        effective_date=datetime.date(2021, 1, 1),
        evidence="Law in force.",
    )
    services.report_submit(report=report, user=officer_jpn)
    # A draft and a submission change no page; the publish changes CBPR's at once.
    assert visit(client, CBPR) == (before[CBPR], True)
    services.report_publish(report=report, reviewer=reviewer)
    after, hit = visit(client, CBPR)
    assert not hit and after != before[CBPR]
    assert 'data-score="100.0"' in after and 'data-score="100.0"' not in before[CBPR]
    # AIDER's page is the same bytes, from the cache; the dashboard changes with any publish.
    assert visit(client, AIDER) == (before[AIDER], True)
    assert client.get("/").content.decode() != home


def test_a_catalogue_change_changes_every_instrument_page(
    client, cached_pages, jpn, commitment, aider
):
    make_report(jpn, commitment, "pilot", "2020-01-01")
    make_report(jpn, aider, "partial", "2020-01-01")
    both_cached(client)
    jpn.name = "Japan (renamed)"
    jpn.save()
    for address in (CBPR, AIDER):
        content, hit = visit(client, address)
        assert not hit and "Japan (renamed)" in content, address


def withdraw(report: StatusReport) -> None:
    report.review_state = ReviewState.WITHDRAWN
    report.withdrawn_reason = "Published in error."
    report.save()


def correct(report: StatusReport) -> None:
    # Published reports are never edited: a correction is a new report.
    make_report(report.economy, report.commitment, "implemented", "2022-01-01")


def import_reports(report: StatusReport, reviewer) -> None:
    new = StatusReport(
        economy=report.economy,
        commitment=report.commitment,
        status="not_implemented",
        effective_date=datetime.date(2023, 1, 1),
        evidence="Imported.",
        origin=report.origin,
    )
    services.reports_create_bulk(reports=[new], user=None, publish=True, reviewer=reviewer)


def reference_load(report: StatusReport) -> None:
    # The reference data's new reports are bulk-created, then their cells refreshed.
    from django.utils import timezone

    from tracker.current_status import current_status_refresh

    StatusReport.objects.bulk_create(
        [
            StatusReport(
                economy=report.economy,
                commitment=report.commitment,
                status="implemented",
                effective_date=datetime.date(2024, 1, 1),
                evidence="Reference data.",
                origin=report.origin,
                review_state=ReviewState.PUBLISHED,
                published_at=timezone.now(),
            )
        ]
    )
    current_status_refresh(pairs={(report.economy_id, report.commitment_id)})


@pytest.mark.parametrize("change", ["withdraw", "correct", "import", "reference", "delete"])
def test_each_change_to_an_instruments_reports_changes_its_page_only(
    client, cached_pages, reviewer, jpn, commitment, aider, change
):
    make_report(jpn, commitment, "not_implemented", "2019-01-01")
    report = make_report(jpn, commitment, "pilot", "2020-01-01")
    make_report(jpn, aider, "partial", "2020-01-01")
    before = both_cached(client)
    if change == "withdraw":
        withdraw(report)
    elif change == "correct":
        correct(report)
    elif change == "import":
        import_reports(report, reviewer)
    elif change == "reference":
        reference_load(report)
    else:
        report.delete()
    after, hit = visit(client, CBPR)
    assert not hit and after != before[CBPR]
    assert visit(client, AIDER) == (before[AIDER], True)


def test_a_rebuild_or_a_fixture_changes_every_instrument_page(
    client, cached_pages, jpn, commitment, aider
):
    from tracker.current_status import current_status_rebuild

    report = make_report(jpn, commitment, "pilot", "2020-01-01")
    make_report(jpn, aider, "partial", "2020-01-01")
    both_cached(client)
    current_status_rebuild()
    assert not any(visit(client, address)[1] for address in (CBPR, AIDER))
    both_cached(client)
    # A fixture's row (a raw save) goes round current_status: every page is new.
    post_save.send(sender=StatusReport, instance=report, raw=True, created=False)
    assert not any(visit(client, address)[1] for address in (CBPR, AIDER))


def test_a_commitment_moved_to_another_instrument_changes_both_pages(
    client, cached_pages, jpn, commitment, aider
):
    make_report(jpn, commitment, "pilot", "2020-01-01")
    make_report(jpn, aider, "implemented", "2020-01-01")
    before = both_cached(client)
    assert "AIDER-KFA-01" in before[AIDER] and "AIDER-KFA-01" not in before[CBPR]
    aider.instrument = commitment.instrument
    aider.save()
    cbpr, cbpr_hit = visit(client, CBPR)
    other, aider_hit = visit(client, AIDER)
    assert not cbpr_hit and not aider_hit
    assert "AIDER-KFA-01" in cbpr and "AIDER-KFA-01" not in other


def test_scoped_numbers_are_raised_by_name(cached_pages, db):
    from softlaw import changes

    catalogue, one, other = changes.scoped_versions(("instrument:one", "instrument:other"))
    assert (one, other) == (0, 0)  # never raised
    changes.data_changed(catalogue=False, scopes=["instrument:one"])
    same, one, other = changes.scoped_versions(("instrument:one", "instrument:other"))
    assert (same, other) == (catalogue, 0)
    assert one > 0
    changes.data_changed(catalogue=True)
    raised, other = changes.scoped_versions(("instrument:other",))
    assert raised > catalogue
    assert other == 0


def test_an_uncached_instrument_page_costs_one_query_more_than_its_view(
    client, cached_pages, settings, jpn, commitment
):
    # The middleware names the page's state in one query (the catalogue's number and the
    # instrument's, together), as it named the whole data's before.
    make_report(jpn, commitment, "pilot", "2020-01-01")
    settings.PAGE_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as plain:
        client.get(CBPR)
    settings.PAGE_CACHE_SECONDS = 300
    with CaptureQueriesContext(connection) as cached:
        client.get(CBPR)
    assert len(cached) == len(plain) + 1


@pytest.mark.parametrize("as_of", ["", "?as_of=2025-06-30"])
def test_another_instruments_earlier_report_leaves_the_page_as_it_was(
    client, jpn, sgp, commitment, aider, as_of
):
    # The one thing the page reads across instruments: the years its series could start from
    # (every report's). A year before its own first score is dropped from its series, so an
    # earlier report on another instrument changes nothing the page shows (the cache off here:
    # rendered afresh each time).
    make_report(jpn, commitment, "pilot", "2018-03-01")
    make_report(sgp, commitment, "implemented", "2021-03-01")
    before = client.get(CBPR + as_of).content
    assert b'<th scope="row">2018</th>' in before  # its series starts at its first score
    assert b'<th scope="row">2017</th>' not in before
    make_report(jpn, aider, "implemented", "2005-01-01")
    make_report(sgp, aider, "partial", "2012-01-01")
    assert client.get(CBPR + as_of).content == before
    assert client.get(AIDER + as_of).content != before
