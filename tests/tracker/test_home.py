"""The regional heatmap at /: every cell's figures equal the scoring module's."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_commitment, make_economy, make_instrument, make_report
from tracker import scoring

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    jpn = make_economy("JPN", iso_alpha2="JP", name="Japan")
    png = make_economy("PNG", iso_alpha2="PG", name="Papua New Guinea")
    cbpr = make_instrument("CBPR")
    steps = [make_commitment(cbpr, f"CBPR-ECON-{n}") for n in range(1, 5)]
    make_commitment(cbpr, "CBPR-COMP-1", scope="collective")
    make_report(jpn, steps[0], "implemented", "2014-04-25")
    make_report(jpn, steps[1], "partial", "2014-04-25")
    make_report(jpn, steps[2], "implemented", "2019-01-01")
    return jpn, png, cbpr


def cells(html: str) -> dict[str, tuple[str, str]]:
    found = re.findall(
        r'data-economy="(\w+)" data-instrument="\d+" '
        r'data-score="([\d.]*)" data-coverage="([\d.]+)"',
        html,
    )
    return {code: (score, coverage) for code, score, coverage in found}


def test_heatmap_cells_equal_scoring_module(client, region):
    jpn, _png, cbpr = region
    html = client.get("/").content.decode()
    expected = scoring.score_for_economy(economy_id=jpn.pk, instrument_id=cbpr.pk)
    # By hand: (3 + 2 + 3) / (3 × 3) = 88.9; three of four commitments covered.
    assert expected.score == pytest.approx(800 / 9)
    assert cells(html)["JPN"] == ("88.9", "0.750")
    assert "3/4 covered" in html


def test_no_data_is_shown_as_no_data_never_zero(client, region):
    html = client.get("/").content.decode()
    assert cells(html)["PNG"] == ("", "0.000")
    assert "No data" in html


def test_as_of_changes_the_figures(client, region):
    html = client.get("/?as_of=2015-01-01").content.decode()
    # Only the two 2014 reports hold: (3 + 2) / 6 = 83.3, half covered.
    assert cells(html)["JPN"] == ("83.3", "0.500")
    assert "1 January 2015" in html


def test_bad_as_of_is_a_clear_400(client, region):
    response = client.get("/?as_of=2024-02-30")
    assert response.status_code == 400
    assert b"YYYY-MM-DD" in response.content


def test_query_count_does_not_grow_with_rows(client, region, django_assert_num_queries):
    _jpn, _png, cbpr = region
    # 1 sub-regions, 2 themes, 3 forums (filter choices), 4 scored instruments, 5 economies,
    # 6 economy-scope commitments, 7 published reports, 8 latest updates, 9 the statuses they
    # replaced, 10 where the page's cells' statuses come from (the full breakdown is in
    # test_pages_home.py), 11 the reporting rounds open today.
    with django_assert_num_queries(11):
        client.get("/")
    for n in range(10):
        economy = make_economy(iso_alpha2=None)
        for commitment in cbpr.commitments.filter(scope="economy"):
            make_report(economy, commitment, "pilot", datetime.date(2020, 1, 1 + n))
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert len(queries) == 11
