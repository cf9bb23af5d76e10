"""A report's own address, /reports/<pk>/[?as_of=D], which the instrument matrix, the compare
page, the updates and the Atom feed link to: a redirect to the economy's page on which the
report is shown, whatever the size of the tracker and however far back the report is.

The economy's page shows a report on its own address when the report is on the first page of
its timeline, or (when the page lists every commitment) when it is the current report of its
commitment, whose evidence cell carries its anchor; any other report on the page of the
timeline that holds it (50 a page, newest first); a withdrawn report in the list of withdrawn
reports, whole. Each expected address below is worked out from the report's place in the
timeline, sorted here in Python.
"""

import datetime
import re

import pytest

from economies import selectors
from instruments.models import Commitment
from tests import region as r
from tests.factories import make_commitment, make_report
from tests.pages import page
from tracker.models import ReviewState, StatusReport

pytestmark = pytest.mark.django_db

PER_PAGE = 50


@pytest.fixture
def long_history(region):
    """126 published reports for Japan: the 6 of the region and 120 pilots on AIDER-KFA-02, one
    a day from 1 Jan 2019 to 30 Apr 2019 (the last is A2's current status). Newest first, the
    pilots are 1–120, then A1 and A2 of 2018 (121, 122), C2 implemented 2016 (123, current),
    C3 2014 (124, current), C2 partial 2013 (125, replaced), C1 2012 (126, current): three
    pages of the timeline."""
    for n in range(120):
        make_report(region.jpn, region.a2, "pilot", r.D(2019, 1, 1) + datetime.timedelta(n))
    return region


def newest_first(economy, as_of=None) -> list[StatusReport]:
    """The economy's timeline, sorted in Python: effective date, publication, then number,
    newest first."""
    reports = [
        report
        for report in StatusReport.objects.filter(
            economy=economy, review_state=ReviewState.PUBLISHED
        )
        if as_of is None or report.effective_date <= as_of
    ]
    return sorted(reports, key=lambda r: (r.effective_date, r.published_at, r.pk), reverse=True)


def timeline_page(report, as_of=None) -> int:
    return newest_first(report.economy, as_of).index(report) // PER_PAGE + 1


def the(economy, commitment, status) -> StatusReport:
    return StatusReport.objects.get(economy=economy, commitment=commitment, status=status)


def redirect(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 302, response.content[:300]
    return response["Location"]


def lands_on(client, url, report) -> str:
    """Follow the report's address to the economy's page, which must show the report's anchor
    exactly once; the page's HTML."""
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert len(response.redirect_chain) == 1
    html = response.content.decode()
    assert html.count(f'id="report-{report.pk}"') == 1, url
    return html


# --- a regional tracker: every commitment listed --------------------------------------------------


def test_a_report_on_the_first_page_of_the_timeline_is_on_the_pages_own_address(
    client, long_history
):
    newest = newest_first(long_history.jpn)[0]
    assert timeline_page(newest) == 1
    url = f"/reports/{newest.pk}/"
    assert redirect(client, url) == f"/economies/JPN/#report-{newest.pk}"
    assert f'<li id="report-{newest.pk}">' in lands_on(client, url, newest)


def test_a_current_report_far_back_is_on_the_pages_own_address(client, long_history):
    # C2 implemented in 2016: 123rd of the timeline (page 3), and C2's current report, whose
    # evidence cell on the first page carries its anchor: today's address, unchanged.
    c2 = the(long_history.jpn, long_history.c2, "implemented")
    assert timeline_page(c2) == 3
    url = f"/reports/{c2.pk}/"
    assert redirect(client, url) == f"/economies/JPN/#report-{c2.pk}"
    assert f'<td class="evidence" id="report-{c2.pk}">' in lands_on(client, url, c2)


def test_a_replaced_report_far_back_is_on_the_timeline_page_that_holds_it(client, long_history):
    # C2 partial of 2013, replaced in 2016: 125th of the timeline, on page 3 only.
    partial = the(long_history.jpn, long_history.c2, "partial")
    assert newest_first(long_history.jpn).index(partial) == 124
    url = f"/reports/{partial.pk}/"
    assert redirect(client, url) == f"/economies/JPN/?page=3#report-{partial.pk}"
    assert f'<li id="report-{partial.pk}">' in lands_on(client, url, partial)
    assert f'id="report-{partial.pk}"' not in page(client, "/economies/JPN/")


def test_a_replaced_report_on_page_two(client, long_history):
    pilot = newest_first(long_history.jpn)[60]  # the 61st: page 2
    assert pilot.commitment == long_history.a2 and pilot.status == "pilot"
    url = f"/reports/{pilot.pk}/"
    assert redirect(client, url) == f"/economies/JPN/?page=2#report-{pilot.pk}"
    lands_on(client, url, pilot)


def test_the_date_is_kept_and_the_page_is_the_timelines_at_that_date(client, long_history):
    # On 1 Mar 2019, 60 pilots were in force (31 + 28 + 1 days): C2 partial is the 65th of 66.
    as_of = r.D(2019, 3, 1)
    partial = the(long_history.jpn, long_history.c2, "partial")
    assert newest_first(long_history.jpn, as_of).index(partial) == 64
    url = f"/reports/{partial.pk}/?as_of=2019-03-01"
    assert redirect(client, url) == f"/economies/JPN/?as_of=2019-03-01&page=2#report-{partial.pk}"
    lands_on(client, url, partial)
    # A current report on that date: the page's own address, with the date.
    c1 = the(long_history.jpn, long_history.c1, "implemented")
    url = f"/reports/{c1.pk}/?as_of=2019-03-01"
    assert redirect(client, url) == f"/economies/JPN/?as_of=2019-03-01#report-{c1.pk}"
    lands_on(client, url, c1)


def test_a_report_not_yet_in_force_by_the_date_is_not_found(client, long_history):
    newest = newest_first(long_history.jpn)[0]  # effective 30 Apr 2019
    assert client.get(f"/reports/{newest.pk}/?as_of=2019-04-29").status_code == 404
    assert client.get(f"/reports/{newest.pk}/?as_of=2019-04-30").status_code == 302


# --- a global tracker: instruments closed, one opened at a time ---------------------------------


@pytest.fixture
def closed(long_history, monkeypatch):
    """The long history, with the page's commitments (5) above the threshold: each instrument
    closed, so only the timeline carries reports' anchors."""
    monkeypatch.setattr(selectors, "EVERY_ROW_UP_TO", 4)
    return long_history


def test_at_scale_a_current_report_far_back_is_on_its_timeline_page(client, closed):
    c2 = the(closed.jpn, closed.c2, "implemented")
    assert f'id="report-{c2.pk}"' not in page(client, "/economies/JPN/")  # closed: no row
    url = f"/reports/{c2.pk}/"
    assert redirect(client, url) == f"/economies/JPN/?page=3#report-{c2.pk}"
    assert f'<li id="report-{c2.pk}">' in lands_on(client, url, c2)


def test_at_scale_the_date_is_kept(client, closed):
    # On 31 Dec 2018 Japan had its 6 reports of the region: all on the first page.
    c2 = the(closed.jpn, closed.c2, "implemented")
    url = f"/reports/{c2.pk}/?as_of=2018-12-31"
    assert redirect(client, url) == f"/economies/JPN/?as_of=2018-12-31#report-{c2.pk}"
    lands_on(client, url, c2)
    # On 28 Feb 2019 (59 pilots more) it is the 62nd of 65: page 2.
    assert newest_first(closed.jpn, r.D(2019, 2, 28)).index(c2) == 61
    url = f"/reports/{c2.pk}/?as_of=2019-02-28"
    assert redirect(client, url) == f"/economies/JPN/?as_of=2019-02-28&page=2#report-{c2.pk}"
    lands_on(client, url, c2)


def test_a_global_trackers_count_of_commitments_closes_the_page(client, long_history):
    # 201 economy-scope commitments, the real threshold: C2's current report is then on the
    # timeline's page only.
    for n in range(196):
        make_commitment(long_history.aider, f"AIDER-X-{n:03d}", order=10_000 + n)
    assert Commitment.objects.economy_scope().count() == selectors.EVERY_ROW_UP_TO + 1
    c2 = the(long_history.jpn, long_history.c2, "implemented")
    url = f"/reports/{c2.pk}/"
    assert redirect(client, url) == f"/economies/JPN/?page=3#report-{c2.pk}"
    lands_on(client, url, c2)


def test_the_matrix_links_land_on_the_report_at_scale(client, closed):
    # The instrument's matrix links each cell to its report's address; followed, it lands on
    # the timeline page that holds it.
    html = page(client, "/instruments/cbpr/?as_of=2019-02-28")
    c2 = the(closed.jpn, closed.c2, "implemented")
    assert f'href="/reports/{c2.pk}/?as_of=2019-02-28"' in html
    url = f"/reports/{c2.pk}/?as_of=2019-02-28"
    assert re.search(r"&page=2#", redirect(client, url))
    lands_on(client, url, c2)


# --- withdrawn, unpublished, unknown, bad dates ------------------------------------------------


def test_a_withdrawn_report_is_on_the_list_of_withdrawn_reports(client, long_history):
    withdrawn = make_report(
        long_history.jpn,
        long_history.c1,
        "partial",
        "2010-01-01",
        published=False,
        review_state=ReviewState.WITHDRAWN,
    )
    url = f"/reports/{withdrawn.pk}/"
    assert redirect(client, url) == f"/economies/JPN/#report-{withdrawn.pk}"
    assert f'<li id="report-{withdrawn.pk}" data-withdrawn=' in lands_on(client, url, withdrawn)
    # With a date: kept, whole list; before the report's effective date, not found.
    url = f"/reports/{withdrawn.pk}/?as_of=2015-01-01"
    assert redirect(client, url) == f"/economies/JPN/?as_of=2015-01-01#report-{withdrawn.pk}"
    lands_on(client, url, withdrawn)
    assert client.get(f"/reports/{withdrawn.pk}/?as_of=2009-12-31").status_code == 404


@pytest.mark.parametrize("state", [ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.RETURNED])
def test_a_report_never_published_is_not_found(client, region, state):
    report = make_report(
        region.png, region.c2, "implemented", "2019-01-01", published=False, review_state=state
    )
    response = client.get(f"/reports/{report.pk}/")
    assert response.status_code == 404
    assert "Location" not in response


def test_an_unknown_report_is_not_found(client, region):
    missing = StatusReport.objects.order_by("-pk").first().pk + 1
    assert client.get(f"/reports/{missing}/").status_code == 404


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2019-13-01", "as_of must be a date written YYYY-MM-DD, such as 2020-12-31"),
        ("20190101", "as_of must be a date written YYYY-MM-DD, not &#x27;20190101&#x27;."),
        ("2999-01-01", "as_of 2999-01-01 is after today"),
    ],
)
def test_a_bad_date_is_a_400_that_says_why(client, region, value, message):
    report = the(region.jpn, region.c1, "implemented")
    response = client.get(f"/reports/{report.pk}/?as_of={value}")
    assert response.status_code == 400
    assert message in response.content.decode()


# --- the cost -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_redirect_costs_the_same_few_queries_for_a_small_or_large_economy(
    client, region, django_assert_num_queries, size
):
    if size == "large":
        for n in range(500):
            make_report(region.jpn, region.a2, "pilot", r.D(2019, 1, 1) + datetime.timedelta(n))
    partial = the(region.jpn, region.c2, "partial")
    c2 = the(region.jpn, region.c2, "implemented")
    page_of_partial = 1 if size == "small" else 11  # the 6th of 6, or the 506th of 506
    # 1 the report with its economy and commitment, 2 the scored instruments, 3 its place in
    # the timeline (row number, and rank on its commitment: one window query), 4 how many
    # commitments the page lists (all of them up to EVERY_ROW_UP_TO).
    with django_assert_num_queries(4):
        location = redirect(client, f"/reports/{partial.pk}/")
    page = "" if page_of_partial == 1 else f"?page={page_of_partial}"
    assert location == f"/economies/JPN/{page}#report-{partial.pk}"
    with django_assert_num_queries(4):
        assert redirect(client, f"/reports/{c2.pk}/") == f"/economies/JPN/#report-{c2.pk}"
    # A withdrawn report: 1 the report, 2 the scored instruments, 3 whether the page lists it.
    withdrawn = make_report(
        region.jpn, region.a1, "pilot", "2017-01-01", published=False, review_state="withdrawn"
    )
    with django_assert_num_queries(3):
        redirect(client, f"/reports/{withdrawn.pk}/")


def test_the_redirect_goes_past_the_page_cache_and_follows_each_publish(
    client, region, settings, django_assert_num_queries
):
    # The page cache keeps 200s only: the redirect is not routed through it (no look at the
    # state of the data, no lock), and a report pushed back by new ones is followed at once.
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    partial = the(region.jpn, region.c2, "partial")
    url = f"/reports/{partial.pk}/"
    with django_assert_num_queries(4):  # the view's own, as without the cache
        assert redirect(client, url) == f"/economies/JPN/#report-{partial.pk}"
    for n in range(50):
        make_report(region.jpn, region.a2, "pilot", r.D(2019, 1, 1) + datetime.timedelta(n))
    assert redirect(client, url) == f"/economies/JPN/?page=2#report-{partial.pk}"
    cache.clear()
