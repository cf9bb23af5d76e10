"""The economy page of a global tracker: above economies.selectors.EVERY_ROW_UP_TO commitments,
each instrument shows its figures and opens on demand (?instrument=, plain links that work
without JavaScript), a page of its commitments at a time, and only the open instrument's rows
are read. The small region of tests/region.py (5 commitments) stands in for a global tracker by
lowering the threshold."""

import datetime
import html as htmllib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from economies import selectors
from tests import region as r
from tests.factories import make_commitment, make_instrument, make_report
from tests.pages import page, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(region, monkeypatch):
    """The region, with its page's commitments (5) above the threshold: one instrument at a
    time."""
    monkeypatch.setattr(selectors, "EVERY_ROW_UP_TO", 4)
    return region


def block(html: str, instrument) -> str:
    match = re.search(
        rf'<section class="instrument-block[^"]*" id="instrument-{instrument.pk}".*?</section>',
        html,
        re.S,
    )
    assert match, f"no block for {instrument.short_name}"
    return match.group(0)


def rows_shown(html: str) -> list[str]:
    return re.findall(r'<tr id="c-([\w-]+)" data-commitment=', html)


def href(fragment: str, label: str) -> str:
    match = re.search(rf'<a href="([^"]*)"[^>]*>{label}</a>', fragment)
    assert match, f"no link {label!r}"
    return htmllib.unescape(match.group(1))


# --- a small tracker: every commitment, as always -----------------------------------------------


def test_a_small_tracker_lists_every_commitment_with_no_link_to_open(client, region):
    html = page(client, "/economies/JPN/")
    cbpr = ["CBPR-ECON-1", "CBPR-ECON-2", "CBPR-ECON-3"]
    assert rows_shown(html) == [*cbpr, "AIDER-KFA-01", "AIDER-KFA-02"]
    assert "Every commitment, with its status and evidence" in html
    assert "Show its" not in html and "Hide its" not in html and "instrument_page" not in html


def test_a_small_tracker_stays_open_when_an_instrument_is_asked(client, region):
    # A link made for a global tracker still lands on every row of a small one.
    asked = page(client, "/economies/JPN/?instrument=aider")
    assert rows_shown(asked) == rows_shown(page(client, "/economies/JPN/"))


# --- a global tracker: closed, then one instrument opened ---------------------------------------


def test_closed_blocks_show_their_figures_and_a_link_to_open(client, closed):
    html = page(client, "/economies/JPN/")
    assert rows_shown(html) == []
    assert "5 commitments on 2 instruments: open one instrument at a time" in text(html)
    cbpr = block(html, closed.cbpr)
    assert "Score 100.0, coverage 100 % (3 of 3 commitments); regional mean 66.7." in text(
        cbpr
    ).replace(" ,", ",")
    assert href(cbpr, "Show its 3 commitments") == f"?instrument=cbpr#instrument-{closed.cbpr.pk}"
    aider = block(html, closed.aider)
    assert "Score 44.4, coverage 100 % (2 of 2 commitments); regional mean 48.1." in text(
        aider
    ).replace(" ,", ",")
    assert "Show its 2 commitments" in aider
    # The figures above stay whole: the scores table and the score over time.
    assert re.findall(r'<tr data-instrument="(\w+)">', html) == ["cbpr", "aider"]
    assert 'data-chart-table="economy-scores"' in html


def test_the_link_to_open_keeps_the_date_and_the_filters(client, closed):
    html = page(client, "/economies/JPN/?as_of=2020-12-31&page=1")
    assert (
        href(block(html, closed.cbpr), "Show its 3 commitments")
        == f"?as_of=2020-12-31&page=1&instrument=cbpr#instrument-{closed.cbpr.pk}"
    )


def test_an_opened_instrument_shows_its_rows_only(client, closed):
    html = page(client, "/economies/JPN/?instrument=cbpr")
    assert rows_shown(html) == ["CBPR-ECON-1", "CBPR-ECON-2", "CBPR-ECON-3"]
    assert "Show its 2 commitments" in block(html, closed.aider)
    cbpr = block(html, closed.cbpr)
    assert href(cbpr, "Hide its commitments") == f"?#instrument-{closed.cbpr.pk}"
    # The rows are those of a small tracker's page, figure for figure.
    everything = page(client, "/economies/JPN/?instrument=aider")
    assert rows_shown(everything) == ["AIDER-KFA-01", "AIDER-KFA-02"]
    assert "score 44.4 → 66.7" in text(everything)


def test_opened_rows_equal_the_small_trackers(client, region, monkeypatch):
    def rows(html):
        return re.findall(r'<tr id="c-[\w-]+".*?</tr>', html, re.S)

    every = rows(page(client, "/economies/SGP/?as_of=2021-06-30"))
    monkeypatch.setattr(selectors, "EVERY_ROW_UP_TO", 4)
    opened = [
        row
        for slug in ("cbpr", "aider")
        for row in rows(page(client, f"/economies/SGP/?as_of=2021-06-30&instrument={slug}"))
    ]
    assert opened == every


def test_without_javascript_the_links_open_and_close_an_instrument(client, closed):
    # Follow the plain links, as a browser with no script does.
    html = page(client, "/economies/JPN/?as_of=2020-12-31")
    opened_url = "/economies/JPN/" + href(block(html, closed.aider), "Show its 2 commitments")
    assert opened_url.endswith(f"#instrument-{closed.aider.pk}")
    opened = page(client, opened_url.split("#")[0])
    assert rows_shown(opened) == ["AIDER-KFA-01", "AIDER-KFA-02"]
    assert f'id="instrument-{closed.aider.pk}"' in opened  # the fragment lands on the block
    shut = "/economies/JPN/" + href(block(opened, closed.aider), "Hide its commitments")
    assert shut == f"/economies/JPN/?as_of=2020-12-31#instrument-{closed.aider.pk}"
    assert rows_shown(page(client, shut.split("#")[0])) == []


# --- anchors that other pages link to ------------------------------------------------------------


def test_links_to_an_instrument_land_on_its_block_when_closed(client, closed):
    # The heatmap's cells, the map's tiles and the instrument matrix link to
    # /economies/<code>/#instrument-<pk>: each closed block carries the anchor, with its figures
    # and the link that opens it.
    home = page(client, "/")
    assert f'href="/economies/JPN/#instrument-{closed.cbpr.pk}"' in home
    html = page(client, "/economies/JPN/")
    for instrument in (closed.cbpr, closed.aider):
        assert html.count(f'id="instrument-{instrument.pk}"') == 1
        assert f'<a href="#instrument-{instrument.pk}">' in html  # the scores table's links
        assert "Show its" in block(html, instrument)


def test_report_anchors_are_on_the_opened_instrument(client, closed):
    # A report's link (the matrix, the comparison, the updates) lands on the timeline's entry or,
    # once its instrument is open, on the evidence of its commitment.
    for n in range(60):
        make_report(closed.jpn, closed.a2, "pilot", r.D(2019, 1, 1) + datetime.timedelta(n))
    c2 = closed.jpn.reports.filter(commitment=closed.c2, status="implemented").get()
    assert f'id="report-{c2.pk}"' not in page(client, "/economies/JPN/")  # page 2 of the timeline
    html = page(client, "/economies/JPN/?instrument=cbpr")
    assert f'<td class="evidence" id="report-{c2.pk}">' in html
    # Its history link opens the timeline's page that holds it, the instrument still open.
    assert f'href="?instrument=cbpr&amp;page=2#report-{c2.pk}">history</a>' in html


# --- a page of an instrument's commitments at a time --------------------------------------------


@pytest.fixture
def long_instrument(closed):
    """AIDER with 57 commitments: A1, A2 and 55 more (no report)."""
    for n in range(55):
        make_commitment(closed.aider, f"AIDER-X-{n:02d}", order=10_000 + n)
    return closed


def test_an_opened_instrument_is_paged(client, long_instrument):
    aider = long_instrument.aider
    html = page(client, "/economies/JPN/?as_of=2020-12-31&instrument=aider")
    assert len(rows_shown(html)) == 50
    assert rows_shown(html)[:2] == ["AIDER-KFA-01", "AIDER-KFA-02"]
    assert "Commitments 1–50 of 57; page 1 of 2." in text(html)
    nav = block(html, aider)
    assert (
        href(nav, "Next commitments")
        == f"?as_of=2020-12-31&instrument=aider&instrument_page=2#instrument-{aider.pk}"
    )
    second = page(client, "/economies/JPN/?as_of=2020-12-31&instrument=aider&instrument_page=2")
    assert rows_shown(second) == [f"AIDER-X-{n:02d}" for n in range(48, 55)]
    assert (
        href(block(second, aider), "Previous commitments")
        == f"?as_of=2020-12-31&instrument=aider&instrument_page=1#instrument-{aider.pk}"
    )
    # The figures are the instrument's, not the page's: 2 of 57 covered.
    assert "coverage 4 % (2 of 57 commitments)" in text(block(second, aider)).replace(" ,", ",")


@pytest.mark.parametrize("value", ["3", "0", "x"])
def test_a_page_of_an_instrument_that_does_not_exist_is_a_400(client, long_instrument, value):
    response = client.get(f"/economies/JPN/?instrument=aider&instrument_page={value}")
    assert response.status_code == 400
    assert "instrument_page must be a whole number from 1 to 2" in response.content.decode()


# --- bad ?instrument= ----------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["region", "closed"])
def test_an_unknown_instrument_is_a_clear_400(client, request, fixture):
    request.getfixturevalue(fixture)
    response = client.get("/economies/JPN/?instrument=nope")
    assert response.status_code == 400
    assert "no instrument is &#x27;nope&#x27;" in response.content.decode()


def test_an_instrument_not_on_the_page_is_a_clear_400(client, closed):
    # PRP carries nothing economies are scored on; the theme leaves AIDER out.
    for url in ("/economies/JPN/?instrument=prp", "/economies/JPN/?theme=privacy&instrument=aider"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "is not on this page" in response.content.decode()


# --- what the page costs -------------------------------------------------------------------------


def add_instruments(region, n: int) -> None:
    for i in range(n):
        instrument = make_instrument(f"EXTRA{i}")
        for j in range(3):
            commitment = make_commitment(instrument, f"EXTRA{i}-{j}")
            make_report(region.jpn, commitment, "partial", "2019-01-01")


def test_closed_query_count_is_the_same_with_many_instruments(client, closed):
    # The page of a small tracker (20 queries, tests/economies/test_pages.py) without the rows:
    # no commitments' codes, statuses one by one, current reports or origins. 1 economy, 2
    # themes, 3 forums (filter choices), 4 scored instruments, 5 the timeline's count, 6 the
    # region's economies, 7 commitments per instrument and 8 the region's scores, 9 the first
    # effective date; score over time: 10 commitments, 11 year-end sums, 12 commitment counts
    # and 13 today's sums; 14 a page of the timeline, 15 the withdrawn reports.
    with CaptureQueriesContext(connection) as queries:
        page(client, "/economies/JPN/")
    assert len(queries) == 15
    add_instruments(closed, 12)
    with CaptureQueriesContext(connection) as queries:
        html = page(client, "/economies/JPN/")
    assert len(queries) == 15
    assert html.count("Show its 3 commitments") == 13  # CBPR and the 12 added


def test_opened_query_count_is_the_same_with_many_instruments(client, closed):
    # The same 20 queries as a small tracker's page, read for the open instrument only.
    with CaptureQueriesContext(connection) as queries:
        html = page(client, "/economies/JPN/?instrument=cbpr")
    assert len(queries) == 20
    assert len(rows_shown(html)) == 3
    add_instruments(closed, 12)
    with CaptureQueriesContext(connection) as queries:
        html = page(client, "/economies/JPN/?instrument=cbpr")
    assert len(queries) == 20
    assert len(rows_shown(html)) == 3
