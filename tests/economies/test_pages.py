"""The economy pages: /economies/ and /economies/<code>/, every figure worked out by hand on the
small region of tests/region.py.

Over 400 lines: every figure of both pages by hand; the page at global scale is in
test_pages_at_scale.py."""

import datetime
import math
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import region as r
from tests.factories import make_commitment, make_report
from tests.pages import field, page, row, text
from tracker import scoring
from tracker.models import Status, StatusReport
from tracker.selectors import updates_with_previous

pytestmark = pytest.mark.django_db


def commitment_row(html: str, code: str) -> str:
    match = re.search(rf'<tr id="c-{code}" data-commitment="{code}">(.*?)</tr>', html, re.S)
    assert match, f"no commitment {code}"
    return text(match.group(1)).replace(" ;", ";")


# --- /economies/ -------------------------------------------------------------------------------


def test_economy_list_figures_by_hand(client, region):
    html = page(client, "/economies/")
    jpn, sgp, png = (row(html, "data-economy", c) for c in ("JPN", "SGP", "PNG"))
    # JPN: scores on both instruments; 3 + 2 of 5 commitments covered; latest 1 Jan 2018.
    assert field(jpn, "scored") == "2 of 2"
    assert field(jpn, "coverage") == "100 % (5/5)"
    assert "1 Jan 2018" in jpn
    assert field(jpn, "overdue") == "0"
    # SGP: 1 + 1 of 5 covered; its CBPR pilot is past its 2015 target.
    assert field(sgp, "scored") == "2 of 2"
    assert field(sgp, "coverage") == "40 % (2/5)"
    assert field(sgp, "overdue") == "⚠ 1"
    # PNG: only AIDER, where planned scores 0 — a score; its CBPR draft is not published.
    assert field(png, "scored") == "1 of 2"
    assert field(png, "coverage") == "20 % (1/5)"
    assert "1 Jan 2020" in png


def test_economy_list_as_of_and_subregion_filter(client, region):
    html = page(client, "/economies/?as_of=2015-01-01")
    assert field(row(html, "data-economy", "JPN"), "scored") == "1 of 2"
    assert field(row(html, "data-economy", "JPN"), "coverage") == "60 % (3/5)"
    assert field(row(html, "data-economy", "SGP"), "overdue") == "0"  # target not yet passed
    assert "No data" in row(html, "data-economy", "PNG")
    html = page(client, "/economies/?subregion=Melanesia")
    assert re.findall(r'<tr data-economy="(\w+)">', html) == ["PNG"]


def test_economy_list_bad_subregion_is_a_400(client, region):
    response = client.get("/economies/?subregion=Atlantis")
    assert response.status_code == 400
    assert "subregion must be one of" in response.content.decode()


def test_economy_list_query_count_does_not_grow(client, region, django_assert_num_queries):
    # 1 sub-regions (filter choices), 2 economies, 3 scored instruments, 4 each instrument's
    # economy-scope commitments, 5 the scores summed, 6 each economy's latest status date and
    # overdue count, grouped (no query reads every cell).
    with django_assert_num_queries(6):
        page(client, "/economies/")
    r.add_economies(region, 10)
    with CaptureQueriesContext(connection) as queries:
        html = page(client, "/economies/")
    assert len(queries) == 6
    assert len(re.findall(r"<tr data-economy=", html)) == 13


# --- /economies/<code>/ --------------------------------------------------------------------------


def test_scores_beside_regional_figures_by_hand(client, region):
    html = page(client, "/economies/JPN/")
    cbpr = row(html, "data-instrument", "cbpr")
    assert field(cbpr, "score") == "100.0"
    assert field(cbpr, "coverage") == "100 % (3/3)"
    assert field(cbpr, "mean") == "66.7"  # (100 + 33.3) / 2
    assert field(cbpr, "stdev") == "33.3"
    aider = row(html, "data-instrument", "aider")
    assert field(aider, "score") == "44.4"  # (2·2 + 0) / (2·3 + 3)
    assert field(aider, "coverage") == "100 % (2/2)"
    assert field(aider, "mean") == "48.1"  # (44.4 + 100 + 0) / 3
    assert field(aider, "stdev") == "40.9"


def test_every_commitment_with_status_dates_evidence_and_sources(client, region):
    html = page(client, "/economies/JPN/")
    c1 = commitment_row(html, "CBPR-ECON-1")
    assert "Fully implemented" in c1 and "1 Jun 2012" in c1 and "Japan joined APEC in 1989." in c1
    c2 = commitment_row(html, "CBPR-ECON-2")
    # The correction of 2016 is the current report, with its source.
    assert "Fully implemented" in c2 and "1 Jan 2016" in c2
    assert 'href="https://example.org/cpea"' in html
    assert "Not applicable" in commitment_row(html, "CBPR-ECON-3")
    # PRP's collective commitments are not the economy's to carry out.
    assert "PRP-ELEM-1" not in html


def test_no_data_commitment_is_shown_as_no_data(client, region):
    html = page(client, "/economies/PNG/")
    c1 = commitment_row(html, "CBPR-ECON-1")
    assert "No data" in c1 and "No published report." in c1  # the draft is not shown
    assert field(row(html, "data-instrument", "cbpr"), "score") == "No data"
    assert field(row(html, "data-instrument", "aider"), "score") == "0.0"


def test_overdue_target_is_flagged(client, region):
    html = page(client, "/economies/SGP/")
    c1 = commitment_row(html, "CBPR-ECON-1")
    assert "Pilot stage" in c1 and "31 Dec 2015" in c1 and "Overdue" in c1
    assert "Overdue" not in commitment_row(
        page(client, "/economies/SGP/?as_of=2015-12-31"), "CBPR-ECON-1"
    )


def test_what_if_by_hand(client, region):
    html = page(client, "/economies/JPN/")
    # A1 (partial, weight 2) fully implemented: JPN (2·3 + 0) / 9 = 66.7; the region becomes
    # 66.7, 100, 0.
    after = [600 / 9, 100.0, 0.0]
    mean = sum(after) / 3
    sd = math.sqrt(sum((x - mean) ** 2 for x in after) / 3)
    assert f"score 44.4 → {600 / 9:.1f}; regional σ 40.9 → {sd:.1f}" in commitment_row(
        html, "AIDER-KFA-01"
    )
    # A2 (not implemented) fully implemented: (2·2 + 3) / 9 = 77.8.
    after = [700 / 9, 100.0, 0.0]
    mean = sum(after) / 3
    sd = math.sqrt(sum((x - mean) ** 2 for x in after) / 3)
    assert f"score 44.4 → 77.8; regional σ 40.9 → {sd:.1f}" in commitment_row(html, "AIDER-KFA-02")
    # Nothing to gain where it is already implemented or not applicable.
    assert commitment_row(html, "CBPR-ECON-1").endswith("—")
    assert commitment_row(html, "CBPR-ECON-3").endswith("—")


def score_table(html: str) -> dict[str, list[str]]:
    body = re.search(r'data-chart-table="economy-scores">.*?<tbody>(.*?)</tbody>', html, re.S)
    rows = re.findall(r'<th scope="row">(\d{4})</th>(.*?)</tr>', body.group(1), re.S)
    return {
        year: [
            re.sub(r" <span.*", "", cell)
            for cell in re.findall(r'<td class="num">(.*?)</td>', cells)
        ]
        for year, cells in rows
    }


def test_score_over_time_by_hand_with_chart_data(client, region):
    response = client.get("/economies/JPN/")
    html = response.content.decode()
    table = score_table(html)
    # Columns CBPR, AIDER; years from the first report (2012) to today.
    assert table["2012"] == ["100.0", "no data"]  # C1 only
    assert table["2013"] == ["83.3", "no data"]  # C2 partial: (3 + 2) / 6
    assert table["2015"] == ["83.3", "no data"]  # C3 not applicable changes nothing
    assert table["2016"] == ["100.0", "no data"]  # C2 implemented
    assert table["2018"] == ["100.0", "44.4"]
    # Coverage beside every score: on 31 Dec 2013, JPN had a status on C1 and C2 of CBPR.
    assert '83.3 <span class="sd">(2/3)</span>' in html
    chart = response.context["score_chart"]
    assert chart["categories"][0] == 2012
    assert [s["name"] for s in chart["series"]] == ["CBPR", "AIDER"]
    assert chart["series"][0]["data"][:5] == [100.0, 83.3, 83.3, 83.3, 100.0]
    assert chart["series"][1]["data"][5:7] == [None, 44.4]  # 2017 no data (a gap), 2018
    assert 'id="economy-scores-data" type="application/json"' in html
    # The same figures as the scoring module's on each year-end.
    for year, (cbpr, _aider) in table.items():
        expected = scoring.score_for_economy(
            economy_id=region.jpn.pk,
            instrument_id=region.cbpr.pk,
            as_of=min(r.D(int(year), 12, 31), r.D.today()),
        )
        assert cbpr == f"{expected.score:.1f}"


def test_as_of_changes_the_figures(client, region):
    html = page(client, "/economies/JPN/?as_of=2015-01-01")
    assert field(row(html, "data-instrument", "cbpr"), "score") == "83.3"
    assert field(row(html, "data-instrument", "aider"), "score") == "No data"
    assert "Partially implemented" in commitment_row(html, "CBPR-ECON-2")
    assert list(score_table(html)) == ["2012", "2013", "2014", "2015"]
    assert len(re.findall(r'<li id="report-\d+">', html)) == 3
    assert 'href="/instruments/cbpr/?as_of=2015-01-01"' in html


def test_timeline_lists_every_report_with_the_status_it_replaced(client, region):
    html = page(client, "/economies/JPN/")
    entries = re.findall(r'<li id="report-\d+">(.*?)</li>', html, re.S)
    assert len(entries) == 6
    assert "1 Jan 2018" in entries[0]  # newest first
    correction = text(next(e for e in entries if "1 Jan 2016" in e))
    assert "Partial" in correction and "changed to" in correction
    assert "Fully implemented" in correction


def test_theme_filter_limits_the_instruments(client, region):
    html = page(client, "/economies/JPN/?theme=privacy")
    assert re.findall(r'<tr data-instrument="(\w+)">', html) == ["cbpr"]
    assert "AIDER-KFA-01" not in html


def test_unknown_economy_is_404_and_code_is_case_insensitive(client, region):
    assert client.get("/economies/XXX/").status_code == 404
    assert client.get("/economies/jpn/").status_code == 200
    # Not a code at all (PostgreSQL refuses a NUL byte in a query): 404, not 500.
    assert client.get("/economies/%00/").status_code == 404
    assert client.get("/economies/JAPAN/").status_code == 404


def test_bad_as_of_is_a_clear_400(client, region):
    response = client.get("/economies/JPN/?as_of=yesterday")
    assert response.status_code == 400
    assert "as_of must be a date written YYYY-MM-DD" in response.content.decode()


def test_detail_query_count_does_not_grow(client, region, django_assert_num_queries):
    # 1 economy, 2 themes, 3 forums (filter choices), 4 scored instruments, 5 reports in the
    # timeline (its pager's count), 6 economy-scope commitments, 7 the region's economies,
    # 8 commitments per instrument and 9 the region's scores summed over the current statuses,
    # 10 the economy's current statuses, 11 their reports (evidence, sources, place in the
    # timeline), 12 the first effective date (years of the score over time); score over time:
    # 13 commitments, 14 year-end sums, 15 commitment counts and 16 today's sums for the year
    # still running; 17 the commitments' codes and titles, 18 a page of the timeline with the
    # status each report replaced; 19 where each status comes from (tracker.selectors.
    # cell_origins: the latest report of each origin, one range read); 20 the reports withdrawn
    # after publication (kept in the cells' history).
    with django_assert_num_queries(20):
        page(client, "/economies/JPN/")
    r.add_economies(region, 10)
    for n in range(60):
        make_report(region.jpn, region.a2, "pilot", r.D(2019, 1, 1) + datetime.timedelta(n))
    with CaptureQueriesContext(connection) as queries:
        html = page(client, "/economies/JPN/")
    assert len(queries) == 20
    assert len(re.findall(r'<li id="report-\d+">', html)) == 50  # a page of 66 reports
    # As of a year-end the score over time needs no sums of today: two fewer.
    with CaptureQueriesContext(connection) as queries:
        html = page(client, "/economies/JPN/?page=2&as_of=2020-12-31")
    assert len(queries) == 18
    assert len(re.findall(r'<li id="report-\d+">', html)) == 16


# --- the timeline a page at a time ---------------------------------------------------------------


@pytest.fixture
def long_history(region):
    """66 published reports for Japan: the 6 of the region and 60 pilots on AIDER-KFA-02, one a
    day from 1 Jan 2019 (the last one, on 1 Mar 2019, is the current status)."""
    for n in range(60):
        make_report(region.jpn, region.a2, "pilot", r.D(2019, 1, 1) + datetime.timedelta(n))
    return region


def timeline_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li id="report-(\d+)">', html)]


def newest_first(economy, as_of=None) -> list[StatusReport]:
    return list(
        StatusReport.objects.published()
        .effective_by(as_of)
        .filter(economy=economy)
        .order_by("-effective_date", "-published_at", "-pk")
    )


def test_timeline_is_paged_newest_first(client, long_history):
    reports = newest_first(long_history.jpn)
    first = page(client, "/economies/JPN/")
    assert timeline_ids(first) == [r.pk for r in reports[:50]]
    assert "66 reports, newest first; page 1 of 2." in text(first)
    second = page(client, "/economies/JPN/?page=2")
    assert timeline_ids(second) == [r.pk for r in reports[50:]]
    # The rest of the page is the same on every page of the timeline.
    assert commitment_row(first, "CBPR-ECON-2") == commitment_row(second, "CBPR-ECON-2")
    # A2 is now a pilot: (2·2 + 1) / 9.
    assert field(row(second, "data-instrument", "aider"), "score") == "55.6"


def test_timeline_pages_keep_as_of_and_filters(client, long_history):
    html = page(client, "/economies/JPN/?as_of=2020-12-31&theme=paperless-trade")
    nav = re.search(
        r'<nav class="pagination" aria-label="Pages of the timeline">(.*?)</nav>', html, re.S
    )
    assert nav, "no pager"
    assert (
        'href="?as_of=2020-12-31&amp;theme=paperless-trade&amp;page=2#timeline-title"'
        in nav.group(1)
    )
    assert "Reports 1–50 of 62" in text(nav.group(1))  # AIDER only: 2 + 60
    html = page(client, "/economies/JPN/?as_of=2020-12-31&theme=paperless-trade&page=2")
    assert len(timeline_ids(html)) == 12
    assert 'href="?as_of=2020-12-31&amp;theme=paperless-trade&amp;page=1#timeline-title"' in html
    assert "CBPR-ECON-1" not in html


def test_each_entry_shows_the_status_it_replaced_across_pages(client, long_history):
    # The same statuses as on /updates/, also where the report replaced is on another page.
    reports = newest_first(long_history.jpn)
    expected = {u.report.pk: u.previous_status for u in updates_with_previous(reports)}
    for number in (1, 2):
        html = page(client, f"/economies/JPN/?page={number}")
        for pk, entry in re.findall(r'<li id="report-(\d+)">(.*?)</li>', html, re.S):
            change = re.search(r'<p class="update-change">(.*?)</p>', entry, re.S).group(1)
            previous = expected[int(pk)]
            if previous is None:
                assert "First report:" in change, pk
            else:
                assert f'visually-hidden">{Status(previous).label}<' in change, pk
    # The oldest pilot (page 2) replaced A2's "not implemented" of 2018.
    oldest_pilot = reports[-7]
    assert expected[oldest_pilot.pk] == "not_implemented"
    assert f'<li id="report-{oldest_pilot.pk}">' in page(client, "/economies/JPN/?page=2")


def test_history_link_opens_the_timeline_page_that_holds_the_report(client, long_history):
    jpn_c2 = newest_first(long_history.jpn)[-4]  # CBPR-ECON-2 implemented 2016: on page 2
    assert (jpn_c2.commitment.code, jpn_c2.status) == ("CBPR-ECON-2", "implemented")
    first = page(client, "/economies/JPN/?as_of=2020-12-31")
    c2 = re.search(r'<tr id="c-CBPR-ECON-2".*?</tr>', first, re.S).group(0)
    assert f'href="?as_of=2020-12-31&amp;page=2#report-{jpn_c2.pk}">history</a>' in c2
    # Not on this page of the timeline: its evidence cell holds the report's anchor, so that a
    # link to the report (from the instrument's matrix) still lands on it.
    assert f'<td class="evidence" id="report-{jpn_c2.pk}">' in c2
    second = page(client, "/economies/JPN/?as_of=2020-12-31&page=2")
    c2 = re.search(r'<tr id="c-CBPR-ECON-2".*?</tr>', second, re.S).group(0)
    assert f'href="#report-{jpn_c2.pk}">history</a>' in c2
    assert '<td class="evidence">' in c2 and f'<li id="report-{jpn_c2.pk}">' in second
    # The newest report is on page 1: its link stays on the page.
    a2 = re.search(r'<tr id="c-AIDER-KFA-02".*?</tr>', first, re.S).group(0)
    assert f'href="#report-{newest_first(long_history.jpn)[0].pk}">history</a>' in a2


@pytest.mark.parametrize("value", ["3", "0", "two", "-1"])
def test_a_page_of_the_timeline_that_does_not_exist_is_a_clear_400(client, long_history, value):
    response = client.get(f"/economies/JPN/?page={value}")
    assert response.status_code == 400
    assert f"page must be a whole number from 1 to 2, not &#x27;{value}&#x27;." in (
        response.content.decode()
    )


def test_a_short_timeline_has_no_pager(client, region):
    html = page(client, "/economies/JPN/")
    assert len(timeline_ids(html)) == 6
    assert 'class="pagination"' not in html and "newest first; page" not in html
    # Every report is on the page: each history link stays on it, no evidence cell borrows an id.
    assert "?page=" not in html and '<td class="evidence" id=' not in html


# --- what full implementation would change, and the rows built in Python -------------------------


def test_what_if_equals_the_scoring_module_asked_with_every_status(client, region):
    # Commitments of one weight and one status ask the scoring module one question between them:
    # each row still shows what the scoring module answers for that commitment.
    extra = [make_commitment(region.aider, f"AIDER-KFA-0{n}") for n in (3, 4, 5)]
    make_report(region.jpn, extra[0], "pilot", "2018-01-01")
    make_report(region.jpn, extra[1], "pilot", "2018-01-01")
    make_report(region.sgp, extra[0], "partial", "2019-01-01")
    html = page(client, "/economies/JPN/")
    economy_ids = [region.jpn.pk, region.sgp.pk, region.png.pk]
    commitments = scoring.scored_commitments()
    statuses = scoring.current_statuses(economy_ids=economy_ids)
    for commitment in [region.a1, region.a2, *extra]:
        w = scoring.what_if_implemented(
            statuses=statuses,
            commitments=commitments,
            economy_ids=economy_ids,
            economy_id=region.jpn.pk,
            commitment_id=commitment.pk,
        )
        expected = (
            f"score {w.score_before:.1f} → {w.score_after:.1f}; "
            f"regional σ {w.stdev_before:.1f} → {w.stdev_after:.1f}"
        )
        assert commitment_row(html, commitment.code).endswith(expected), commitment.code


def test_commitment_rows_escape_what_officers_and_editors_typed(client, region):
    region.c1.title = "Be a <member> & more"
    region.c1.save()
    make_report(
        region.sgp,
        region.c1,
        "partial",
        "2016-01-01",
        evidence='Law <b>passed</b> "quoted"',
        source_urls="https://example.org/a?x=1&y=2\nhttps://example.org/" + "long/" * 20,
        is_illustrative=True,
    )
    html = page(client, "/economies/SGP/")
    c1 = re.search(r'<tr id="c-CBPR-ECON-1".*?</tr>', html, re.S).group(0)
    assert "Be a &lt;member&gt; &amp; more" in c1
    assert "Law &lt;b&gt;passed&lt;/b&gt; &quot;quoted&quot;" in c1
    assert 'href="https://example.org/a?x=1&amp;y=2"' in c1
    # Shown cut to 70 characters, as by the truncatechars filter.
    assert ">https://example.org/" + "long/" * 9 + "long…</a>" in c1
    assert "<strong>illustrative, not a real statement</strong>" in c1
    assert "Secretariat research" in c1


def test_timeline_names_who_entered_each_report_by_role_never_by_name(
    client, jpn, commitment, officer_jpn, reviewer
):
    by_officer = make_report(jpn, commitment, "pilot", "2020-01-01", entered_by=officer_jpn)
    by_reviewer = make_report(jpn, commitment, "partial", "2021-01-01", entered_by=reviewer)
    html = client.get(f"/economies/{jpn.code}/").content.decode()
    officer_entry = html[html.index(f'id="report-{by_officer.pk}"') :]
    reviewer_entry = html[html.index(f'id="report-{by_reviewer.pk}"') :]
    assert "entered by economy officer, Japan" in officer_entry[: officer_entry.index("</li>")]
    assert "entered by secretariat" in reviewer_entry[: reviewer_entry.index("</li>")]
    assert "officer_jpn" not in html and ">reviewer<" not in html
