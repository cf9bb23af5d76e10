"""/compare/: economies side by side, worked out by hand on tests/region.py."""

import datetime
import html as htmllib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import region as r
from tests.factories import make_report
from tests.pages import page
from tracker.models import Origin

pytestmark = pytest.mark.django_db


def scores(html: str) -> dict[str, list[str]]:
    """instrument slug → [data-score of each economy, in order] + [regional mean text]."""
    table = re.search(r'<table class="compare">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    result = {}
    for slug, cells in re.findall(r'<tr data-instrument="([\w-]+)">(.*?)</tr>', table, re.S):
        values = re.findall(r'data-score="([\d.]*)"', cells)
        regional = re.findall(r'<td class="num">(.*?)</td>', cells, re.S)[-1]
        result[slug] = [*values, " ".join(re.sub(r"<[^>]+>", " ", regional).split())]
    return result


def statuses(html: str, code: str) -> list[str]:
    match = re.search(rf"<span class=\"code\">{code}</span>.*?</tr>", html, re.S)
    return re.findall(r'data-economy="\w+" data-status="(\w*)"', match.group(0))


def test_scores_side_by_side_with_regional_mean_by_hand(client, region):
    html = page(client, "/compare/?economies=JPN,SGP,PNG")
    assert scores(html) == {
        # JPN 100, SGP 33.3, PNG no data; mean (100 + 33.3) / 2 = 67, σ 33.
        "cbpr": ["100.0", "33.3", "", "67 (σ 33)"],
        # JPN 44.4, SGP 100, PNG 0 (planned: a score); mean 48, σ 41.
        "aider": ["44.4", "100.0", "0.0", "48 (σ 41)"],
    }
    assert re.findall(r'<th scope="col"><a href="/economies/(\w+)/">', html) == [
        "JPN",
        "SGP",
        "PNG",
    ]


def test_commitment_by_commitment(client, region):
    html = page(client, "/compare/?economies=JPN,SGP,PNG")
    assert statuses(html, "CBPR-ECON-1") == ["implemented", "pilot", ""]
    assert statuses(html, "CBPR-ECON-3") == ["not_applicable", "", ""]
    assert statuses(html, "AIDER-KFA-02") == ["not_implemented", "", "planned"]
    sgp_c1 = re.search(r'data-economy="SGP" data-status="pilot">.*?</td>', html, re.S).group(0)
    assert "Overdue" in sgp_c1


def test_each_cell_says_where_its_status_comes_from_and_where_sources_disagree(client, region):
    # An independent assessment finds less than the secretariat's research on Japan's CBPR-ECON-1
    # (implemented since 2012), and dates it earlier: the figure keeps the latest, and the cell
    # says both.
    make_report(
        region.jpn,
        region.c1,
        "not_implemented",
        "2011-01-01",
        origin=Origin.INDEPENDENT,
        assessor="Example assessor",
        assessed_on=datetime.date(2011, 1, 1),
    )
    html = page(client, "/compare/?economies=JPN,SGP,PNG")
    jpn_c1 = re.search(r'data-economy="JPN" data-status="implemented">.*?</td>', html, re.S)
    cell = jpn_c1.group(0)
    assert 'title="Secretariat research"' in cell
    assert "Disagrees:" in cell
    assert "Independent assessment: Example assessor, snapshot 1 Jan 2011" in cell
    sgp_c1 = re.search(r'data-economy="SGP" data-status="pilot">.*?</td>', html, re.S).group(0)
    assert 'title="Secretariat research"' in sgp_c1 and "Disagrees" not in sgp_c1


def test_order_as_asked_once_each_and_the_checkbox_form(client, region):
    html = page(client, "/compare/?economies=png,JPN,png")
    assert scores(html)["cbpr"] == ["", "100.0", "67 (σ 33)"]
    # The no-JavaScript form sends one parameter per ticked box.
    html = page(client, "/compare/?economies=SGP&economies=JPN")
    assert scores(html)["aider"][:2] == ["100.0", "44.4"]
    assert 'value="JPN" id="pick-JPN" checked' in html


def test_regional_mean_is_over_the_whole_region(client, region):
    html = page(client, "/compare/?economies=PNG")
    assert scores(html)["aider"] == ["0.0", "48 (σ 41)"]


def test_as_of_and_theme_filter(client, region):
    html = page(client, "/compare/?economies=JPN,SGP&as_of=2015-01-01")
    assert scores(html)["cbpr"] == ["83.3", "33.3", "58 (σ 25)"]
    assert scores(html)["aider"] == ["", "", "no data"]
    html = page(client, "/compare/?economies=JPN,SGP&theme=privacy")
    assert list(scores(html)) == ["cbpr"]


def test_without_economies_shows_the_picker(client, region):
    html = page(client, "/compare/")
    assert 'type="checkbox" name="economies" value="JPN"' in html
    assert "/compare/?economies=JPN,SGP,PNG" in html
    assert '<table class="compare">' not in html


def test_unknown_economy_is_a_clear_400(client, region):
    response = client.get("/compare/?economies=JPN,XYZ,<b>")
    assert response.status_code == 400
    body = response.content.decode()
    assert "unknown: XYZ, &lt;B&gt;" in body and "<b>" not in body.split("<main")[1]


def test_query_count_does_not_grow(client, region, django_assert_num_queries):
    # 1 all economies (picker and codes), 2 themes, 3 forums (filter choices), 4 scored
    # instruments; the region's scores summed in the database: 5 its economies, 6 each
    # instrument's commitments, 7 the sums; the compared economies' cells: 8 economy-scope
    # commitments, 9 their current statuses; 10 where those statuses come from
    # (selectors.cell_origins: the latest report of each origin, one range read), 11 the
    # commitments' titles.
    with django_assert_num_queries(11):
        page(client, "/compare/?economies=JPN,SGP")
    r.add_economies(region, 10)
    with CaptureQueriesContext(connection) as queries:
        page(client, "/compare/?economies=JPN,SGP,PNG,QQA,QQB,QQC")
    assert len(queries) == 11


# --- a global tracker: one instrument at a time --------------------------------------------------


@pytest.fixture
def closed(region, monkeypatch):
    """The region, its 5 commitments above the threshold: a global tracker's comparison, each
    instrument opened alone."""
    from tracker.selectors import comparison

    monkeypatch.setattr(comparison, "EVERY_ROW_UP_TO", 4)
    return region


def test_a_global_comparison_opens_one_instrument_at_a_time(client, closed):
    with CaptureQueriesContext(connection) as queries:
        html = page(client, "/compare/?economies=JPN,SGP,PNG")
    # The scores of every instrument, as on a small tracker; no status is read or listed.
    assert scores(html)["cbpr"] == ["100.0", "33.3", "", "67 (σ 33)"]
    assert "compare-matrix" not in html and "data-status=" not in html
    assert not any("tracker_statusreport" in q["sql"] for q in queries.captured_queries)
    assert len(queries) == 7  # the first 7 of the pinned 11: nothing cell by cell
    assert "2 instruments: open one at a time to compare its commitments." in html
    links = dict(
        (label, htmllib.unescape(href))
        for href, label in re.findall(
            r'<a href="([^"]*)"[^>]*>(Compare its \d+ commitments?)</a>', html
        )
    )
    assert set(links) == {"Compare its 3 commitments", "Compare its 2 commitments"}
    # A plain link: the page filtered to that instrument, the economies kept.
    link = links["Compare its 3 commitments"]
    assert link == "?economies=JPN%2CSGP%2CPNG&instrument=cbpr#compare-cbpr"
    opened = page(client, "/compare/" + link.split("#")[0])
    assert list(scores(opened)) == ["cbpr"]
    assert statuses(opened, "CBPR-ECON-1") == ["implemented", "pilot", ""]
    assert "AIDER-KFA-01" not in opened
    back = re.search(r'<a href="([^"]*)">Compare on every instrument</a>', opened).group(1)
    assert "instrument=" not in htmllib.unescape(back)


def test_a_small_comparison_has_no_link_to_open(client, region):
    html = page(client, "/compare/?economies=JPN,SGP,PNG")
    assert "Compare its" not in html and "open one at a time" not in html
    assert "Compare on every instrument" not in html
