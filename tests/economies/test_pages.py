"""The economy pages: /economies/ and /economies/<code>/, every figure worked out by hand on the
small region of tests/browser/region.py."""

import math
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.browser import region as r
from tests.factories import make_report
from tests.pages import field, page, row, text
from tracker import scoring

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    return r.build_region()


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
    # 1 sub-regions (filter choices), 2 economies, 3 scored instruments, 4 economy-scope
    # commitments, 5 published reports (current statuses).
    with django_assert_num_queries(5):
        page(client, "/economies/")
    r.add_economies(region, 10)
    with CaptureQueriesContext(connection) as queries:
        html = page(client, "/economies/")
    assert len(queries) == 5
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
    # 1 economy, 2 themes, 3 forums (filter choices), 4 scored instruments, 5 economy-scope
    # commitments, 6 the region's economies, 7 current statuses of the region, 8 the economy's
    # published reports (timeline and evidence), 9 the statuses they replaced; score over time:
    # 10 commitments, 11 year-end sums, 12 commitment counts and 13 today's sums for the year
    # still running; 14 the commitments' titles.
    with django_assert_num_queries(14):
        page(client, "/economies/JPN/")
    r.add_economies(region, 10)
    for n in range(10):
        make_report(region.jpn, region.a2, "pilot", r.D(2019, 1, 1 + n))
    with CaptureQueriesContext(connection) as queries:
        html = page(client, "/economies/JPN/")
    assert len(queries) == 14
    assert len(re.findall(r'<li id="report-\d+">', html)) == 16
