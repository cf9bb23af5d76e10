"""The instrument pages: /instruments/ and /instruments/<slug>/, every figure worked out by hand
on the small region of tests/region.py."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from economies.models import Economy
from softlaw import clock
from tests import region as r
from tests.factories import make_commitment, make_economy, make_report
from tests.pages import field, figure, page, row, text
from tracker import scoring

pytestmark = pytest.mark.django_db


def matrix(html: str) -> list[tuple[str, str, list[str]]]:
    """(economy, data-score, [data-status of each commitment]) in the order shown."""
    body = re.search(r'<table class="matrix">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    rows = re.findall(r'<tr data-economy="(\w+)">(.*?)</tr>', body, re.S)
    return [
        (
            code,
            re.search(r'data-score="([\d.]*)"', cells).group(1),
            re.findall(r'data-status="(\w*)"', cells),
        )
        for code, cells in rows
    ]


def table(html: str, name: str) -> list[list[str]]:
    body = re.search(rf'data-chart-table="{name}">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [
        [text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]
        for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


# --- /instruments/ -------------------------------------------------------------------------------


def test_instrument_list_figures_by_hand(client, region):
    html = page(client, "/instruments/")
    # Oldest first: PRP (2010), CBPR (2011), AIDER (2017).
    assert re.findall(r'<tr data-instrument="([\w-]+)">', html) == ["prp", "cbpr", "aider"]
    cbpr = row(html, "data-instrument", "cbpr")
    assert "3 / 1" in cbpr  # three economy-scope commitments, one collective
    assert field(cbpr, "n") == "2"
    assert field(cbpr, "mean") == "66.7"
    assert field(cbpr, "stdev") == "33.3"
    assert field(cbpr, "gini") == "0.25"
    aider = row(html, "data-instrument", "aider")
    assert "2 / 0" in aider
    assert (field(aider, "n"), field(aider, "mean"), field(aider, "stdev")) == ("3", "48.1", "40.9")
    prp = row(html, "data-instrument", "prp")
    assert "Not scored: collective commitments only" in prp
    assert "November 2011" in cbpr and "ECSG" in cbpr and "Privacy" in cbpr


def test_instrument_list_oldest_first_unknown_dates_last(client, region):
    region.prp.adopted_on = None
    region.prp.adopted_precision = "unknown"
    region.prp.save()
    html = page(client, "/instruments/")
    assert re.findall(r'<tr data-instrument="([\w-]+)">', html) == ["cbpr", "aider", "prp"]
    # The API lists them in the same order, and commitments by it, on every database.
    api = client.get("/api/v1/instruments/").json()["results"]
    assert [i["slug"] for i in api] == ["cbpr", "aider", "prp"]
    commitments = client.get("/api/v1/commitments/?page_size=100").json()["results"]
    assert list(dict.fromkeys(c["instrument"] for c in commitments)) == ["cbpr", "aider", "prp"]


def test_instrument_list_filters_and_as_of(client, region):
    html = page(client, "/instruments/?theme=privacy")
    assert re.findall(r'<tr data-instrument="([\w-]+)">', html) == ["cbpr"]
    html = page(client, "/instruments/?forum=ECSG")
    assert set(re.findall(r'<tr data-instrument="([\w-]+)">', html)) == {"cbpr", "prp"}
    html = page(client, "/instruments/?as_of=2015-01-01")
    cbpr = row(html, "data-instrument", "cbpr")
    # JPN 83.3 and SGP 33.3: mean 58.3, σ 25.0.
    assert (field(cbpr, "mean"), field(cbpr, "stdev")) == ("58.3", "25.0")
    assert field(row(html, "data-instrument", "aider"), "mean") == "no data"
    response = client.get("/instruments/?forum=XYZ")
    assert (
        response.status_code == 400 and "forum: Select a valid choice" in response.content.decode()
    )


def test_instrument_list_query_count_does_not_grow(client, region, django_assert_num_queries):
    # 1 themes, 2 forums (filter choices), 3 instruments with forum and commitment counts,
    # 4 their themes, 5 economies, 6 economy-scope commitments, 7 current statuses.
    with django_assert_num_queries(7):
        page(client, "/instruments/")
    r.add_economies(region, 10)
    with CaptureQueriesContext(connection) as queries:
        page(client, "/instruments/")
    assert len(queries) == 7


# --- /instruments/<slug>/ ------------------------------------------------------------------------


def test_what_it_is_and_where_it_comes_from(client, region):
    html = page(client, "/instruments/cbpr/")
    assert "APEC Cross-Border Privacy Rules System" in html
    assert "Voluntary certification of privacy practices." in html
    assert "November 2011" in html
    assert "Electronic Commerce Steering Group (ECSG)" in html
    # Commitments with their prerequisites, and the collective one apart.
    assert "CBPR-COMP-1" in html and "Collective commitments (APEC-level, not scored)" in html


def test_prerequisite_chain_in_stages(client, region):
    html = page(client, "/instruments/cbpr/")
    pipeline = re.search(r'<ol class="pipeline">(.*?)</ol>', html, re.S).group(1)
    stages = re.findall(r"Stage (\d)</span>\s*<ul>(.*?)</ul>", pipeline, re.S)
    assert [(n, re.findall(r">(CBPR-ECON-\d)<", items)) for n, items in stages] == [
        ("1", ["CBPR-ECON-1"]),
        ("2", ["CBPR-ECON-2"]),
        ("3", ["CBPR-ECON-3"]),
    ]
    # AIDER's commitments do not depend on each other: no pipeline.
    assert 'class="pipeline"' not in page(client, "/instruments/aider/")


def test_regional_figures_by_hand(client, region):
    html = page(client, "/instruments/cbpr/")
    assert figure(html, "n") == "2 of 3"
    assert figure(html, "mean") == "66.7"
    assert figure(html, "median") == "66.7"
    assert figure(html, "range") == "33–100"
    assert figure(html, "stdev") == "33.3"
    assert figure(html, "gini") == "0.25"


def test_matrix_leaders_first_no_data_last_with_statuses(client, region):
    html = page(client, "/instruments/cbpr/")
    assert matrix(html) == [
        ("JPN", "100.0", ["implemented", "implemented", "not_applicable"]),
        ("SGP", "33.3", ["pilot", "", ""]),
        ("PNG", "", ["", "", ""]),  # the draft is not published: no data
    ]
    sgp = row(html, "data-economy", "SGP")
    assert "Overdue" in sgp  # pilot past its 2015 target
    assert "No data" in row(html, "data-economy", "PNG")
    for code, score, _ in matrix(html):
        economy = {"JPN": region.jpn, "SGP": region.sgp, "PNG": region.png}[code]
        expected = scoring.score_for_economy(economy_id=economy.pk, instrument_id=region.cbpr.pk)
        assert score == ("" if expected.score is None else f"{expected.score:.1f}")


def test_distribution_by_hand(client, region):
    response = client.get("/instruments/cbpr/")
    html = response.content.decode()
    # SGP 33.3 in "20 to under 40", JPN 100 in "80 to 100", PNG no data.
    assert table(html, "distribution") == [
        ["0 to under 20", "0"],
        ["20 to under 40", "1"],
        ["40 to under 60", "0"],
        ["60 to under 80", "0"],
        ["80 to 100", "1"],
        ["No data", "1"],
    ]
    chart = response.context["charts"]["distribution"]
    assert chart["kind"] == "bar" and chart["series"][0]["data"] == [0, 1, 0, 0, 1, 1]


def test_mean_and_sigma_over_time_by_hand(client, region):
    response = client.get("/instruments/cbpr/")
    html = response.content.decode()
    rows = {year: rest for year, *rest in table(html, "trend")}
    # Years from the first report (2012): JPN alone, then JPN and SGP from 2014.
    assert rows["2012"] == ["1", "100.0", "0.0", "0.00"]
    assert rows["2013"] == ["1", "83.3", "0.0", "0.00"]  # (3 + 2) / 6
    assert rows["2014"] == ["2", "58.3", "25.0", "0.21"]  # 83.3 and 33.3
    assert rows["2016"] == ["2", "66.7", "33.3", "0.25"]  # 100 and 33.3
    this_year = str(clock.today().year)
    assert rows[this_year] == ["2", "66.7", "33.3", "0.25"]
    # σ from 25.0 (2014, the first year with two scores) to 33.3: diverging.
    assert "σ went from 25.0 points (2014) to 33.3" in text(html)
    assert "diverging" in html
    chart = response.context["charts"]["trend"]
    assert chart["categories"][:3] == [2012, 2013, 2014]
    assert chart["series"][0]["data"][:3] == [100.0, 83.3, 58.3]
    assert chart["series"][1]["data"][:3] == [0.0, 0.0, 25.0]


def test_subregion_filter_and_as_of(client, region):
    html = page(client, "/instruments/cbpr/?subregion=Eastern+Asia")
    assert [code for code, _, _ in matrix(html)] == ["JPN"]
    assert figure(html, "n") == "1 of 1"
    html = page(client, "/instruments/cbpr/?as_of=2013-06-30")
    assert matrix(html)[0] == ("JPN", "83.3", ["implemented", "partial", ""])
    assert figure(html, "mean") == "83.3"
    assert [year for year, *_ in table(html, "trend")] == ["2012", "2013"]


def test_instrument_with_collective_commitments_only_has_no_score(client, region):
    html = page(client, "/instruments/prp/")
    assert "has no commitment each economy carries out, so it has no score" in html
    assert "PRP-ELEM-1" in html
    assert 'class="matrix"' not in html and "vendor/chartjs" not in html


def test_unknown_instrument_is_404_and_bad_filter_400(client, region):
    assert client.get("/instruments/nope/").status_code == 404
    response = client.get("/instruments/cbpr/?subregion=Nowhere")
    assert response.status_code == 400
    assert "subregion must be one of" in response.content.decode()


def test_detail_query_count_does_not_grow(client, region, django_assert_num_queries):
    # 1 instrument with forum, parent forum and successor, 2 sub-regions (filter choices),
    # 3 commitments, 4 their prerequisites, 5 economies, 6 economy-scope commitments,
    # 7 current statuses, 8 first year with a report, 9 commitments and 10 reports for the
    # series over time, 11 themes, 12 instruments it supersedes; 13 where each status comes from
    # (tracker.selectors.cell_origins: the latest report of each origin, one range read).
    with django_assert_num_queries(13):
        page(client, "/instruments/cbpr/")
    r.add_economies(region, 10)
    extra = make_commitment(region.cbpr, "CBPR-ECON-4")
    make_report(region.jpn, extra, "implemented", "2022-01-01")
    with CaptureQueriesContext(connection) as queries:
        html = page(client, "/instruments/cbpr/")
    assert len(queries) == 13
    assert len(matrix(html)) == 13
    # Many more economies than a page of the matrix holds: the same queries.
    many_economies(region, 60)
    for url in ("/instruments/cbpr/", "/instruments/cbpr/?page=2&as_of=2021-06-30"):
        with CaptureQueriesContext(connection) as queries:
            html = page(client, url)
        assert len(queries) == 13, url
        assert 0 < len(matrix(html)) <= 50


# --- the matrix a page of economies at a time ----------------------------------------------------


def many_economies(region, n: int) -> list:
    """n more economies, each with a report on CBPR's first commitment; their statuses cycle
    so that their scores differ."""
    statuses = ["implemented", "partial", "pilot", "not_implemented"]
    economies = []
    for i in range(n):
        economy = make_economy(subregion="Polynesia" if i % 2 else "Eastern Asia")
        make_report(economy, region.c1, statuses[i % 4], r.D(2020, 1, 1) + datetime.timedelta(i))
        economies.append(economy)
    return economies


def test_matrix_is_paged_leaders_first_with_figures_over_every_economy(client, region):
    many_economies(region, 60)  # 63 economies: 50 on the first page, 13 on the second
    first = page(client, "/instruments/cbpr/")
    second = page(client, "/instruments/cbpr/?page=2")
    rows = matrix(first) + matrix(second)
    assert [len(matrix(first)), len(matrix(second))] == [50, 13]
    expected = []
    for economy in Economy.objects.all():
        score = scoring.score_for_economy(economy_id=economy.pk, instrument_id=region.cbpr.pk)
        expected.append((score.score is None, -(score.score or 0), economy.name, economy.code))
    assert [code for code, _, _ in rows] == [code for *_, code in sorted(expected)]
    assert not set(code for code, _, _ in matrix(first)) & set(
        code for code, _, _ in matrix(second)
    )
    # The figures, the distribution and the trend are over all 63, on every page.
    for html in (first, second):
        assert figure(html, "n") == "62 of 63"  # PNG has no data
        assert table(html, "distribution")[-1] == ["No data", "1"]
        assert sum(int(n) for _, n in table(html, "distribution")) == 63
    assert "Economies 51–63 of 63" in text(second)


def test_matrix_pages_keep_filters_and_as_of(client, region):
    many_economies(region, 120)
    html = page(client, "/instruments/cbpr/?subregion=Polynesia&as_of=2021-06-30")
    assert figure(html, "n") == "60 of 60"
    nav = re.search(r'<nav class="pagination"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert 'href="?subregion=Polynesia&amp;as_of=2021-06-30&amp;page=2#matrix-title"' in nav
    html = page(client, "/instruments/cbpr/?subregion=Polynesia&as_of=2021-06-30&page=2")
    assert len(matrix(html)) == 10
    assert 'href="?subregion=Polynesia&amp;as_of=2021-06-30&amp;page=1#matrix-title"' in html
    # Each cell links to its report on the same date (which lands on the economy's page).
    assert re.search(r'href="/reports/\d+/\?as_of=2021-06-30"', html)


def test_twenty_one_economies_fit_on_one_page_without_a_pager(client, region):
    many_economies(region, 18)
    html = page(client, "/instruments/cbpr/")
    assert len(matrix(html)) == 21
    assert 'class="pagination"' not in html


@pytest.mark.parametrize("value", ["3", "0", "x"])
def test_a_page_of_the_matrix_that_does_not_exist_is_a_clear_400(client, region, value):
    many_economies(region, 60)
    response = client.get(f"/instruments/cbpr/?page={value}")
    assert response.status_code == 400
    assert f"page must be a whole number from 1 to 2, not &#x27;{value}&#x27;." in (
        response.content.decode()
    )
