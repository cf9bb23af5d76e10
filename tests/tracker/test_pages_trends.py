"""/trends/: regional mean and σ per instrument per year, worked out by hand on
tests/region.py."""

import datetime
import math
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from softlaw import clock, numbers
from tests import region as r
from tests.factories import make_report
from tests.pages import text
from tracker import scoring

pytestmark = pytest.mark.django_db
THIS_YEAR = clock.today().year


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response, response.content.decode()


def series_table(html: str, slug: str) -> dict[str, list[str]]:
    body = re.search(rf'data-chart-table="{slug}">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    rows = re.findall(r'<th scope="row">(\d{4})</th>(.*?)</tr>', body, re.S)
    return {
        year: [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", cells)] for year, cells in rows
    }


def verdict(html: str, slug: str) -> str:
    return text(re.search(rf'<tr data-instrument="{slug}">(.*?)</tr>', html, re.S).group(1))


def test_mean_and_sigma_per_year_by_hand(client, region):
    _, html = get(client, "/trends/")
    cbpr = series_table(html, "cbpr")
    assert next(iter(cbpr)) == "2012" and list(cbpr)[-1] == str(THIS_YEAR)
    assert cbpr["2012"] == ["1", "100.0", "0.0"]  # JPN alone
    assert cbpr["2014"] == ["2", "58.3", "25.0"]  # JPN 83.3, SGP 33.3
    assert cbpr["2016"] == ["2", "66.7", "33.3"]  # JPN 100, SGP 33.3
    aider = series_table(html, "aider")
    assert next(iter(aider)) == "2018"  # before, no economy had a score: left out, not 0
    assert aider["2018"] == ["1", "44.4", "0.0"]
    assert aider["2019"] == ["2", "72.2", "27.8"]  # 44.4 and 100
    assert aider["2020"] == ["3", "48.1", "40.9"]  # 44.4, 100 and 0


def test_verdicts_by_hand(client, region):
    _, html = get(client, "/trends/")
    # CBPR: σ 25.0 in 2014, the first year with two scores, to 33.3 now.
    assert verdict(html, "cbpr") == f"CBPR ↗ Diverging +8.3 σ 25.0 (2014) σ 33.3 ({THIS_YEAR})"
    # AIDER: σ 27.8 in 2019 (44.4 and 100) to 40.9 (44.4, 100 and 0).
    assert verdict(html, "aider") == f"AIDER ↗ Diverging +13.1 σ 27.8 (2019) σ 40.9 ({THIS_YEAR})"


def test_a_falling_sigma_is_converging(client, region):
    # PNG implements A1 (weight 2) in 2021: (2·3 + 0) / 9 = 66.7; the region becomes 44.4,
    # 100 and 66.7, whose σ is below the 27.8 of 2019.
    make_report(region.png, region.a1, "implemented", "2021-03-01")
    values = [400 / 9, 100.0, 600 / 9]
    mean = sum(values) / 3
    sd = math.sqrt(sum((x - mean) ** 2 for x in values) / 3)
    assert (f"{mean:.1f}", f"{sd:.1f}") == ("70.4", "22.8")
    _, html = get(client, "/trends/")
    assert series_table(html, "aider")["2021"] == ["3", "70.4", "22.8"]
    change = sd - 250 / 9  # σ of 44.4 and 100 is (100 − 44.4) / 2 = 27.8
    assert f"{change:.1f}" == "-4.9"
    assert verdict(html, "aider") == f"AIDER ↘ Converging -4.9 σ 27.8 (2019) σ 22.8 ({THIS_YEAR})"


def test_chart_data_matches_the_tables(client, region):
    response, _ = get(client, "/trends/")
    charts = response.context["charts"]
    years = charts["regional_mean"]["categories"]
    assert years == list(range(2012, THIS_YEAR + 1))
    mean = {s["name"]: s["data"] for s in charts["regional_mean"]["series"]}
    sd = {s["name"]: s["data"] for s in charts["regional_sd"]["series"]}
    assert mean["CBPR"][:3] == [100.0, 83.3, 58.3]
    assert mean["AIDER"][:6] == [None] * 6  # 2012–2017: gaps, never 0
    assert mean["AIDER"][6:9] == [44.4, 72.2, 48.1]
    assert sd["CBPR"][2] == 25.0
    # The same figures as tracker.scoring at a year-end.
    figures = scoring.regional_for_instruments(as_of=datetime.date(2019, 12, 31))
    assert mean["AIDER"][7] == numbers.rounded(figures[region.aider.pk].mean)
    assert sd["AIDER"][7] == numbers.rounded(figures[region.aider.pk].stdev)


def test_as_of_ends_the_trend_on_that_date(client, region):
    _, html = get(client, "/trends/?as_of=2019-06-30")
    aider = series_table(html, "aider")
    assert list(aider) == ["2018", "2019"]
    assert aider["2019"] == ["2", "72.2", "27.8"]  # SGP's 2019-01-01 report holds, PNG's not
    cbpr = series_table(html, "cbpr")
    assert list(cbpr)[-1] == "2019"
    _, html = get(client, "/trends/?as_of=2013-01-01")
    assert series_table(html, "cbpr") == {
        "2012": ["1", "100.0", "0.0"],
        "2013": ["1", "100.0", "0.0"],
    }
    assert "No data" in series_table_raw(html, "aider")


def series_table_raw(html: str, slug: str) -> str:
    return re.search(rf'data-chart-table="{slug}">(.*?)</table>', html, re.S).group(1)


def test_filters(client, region):
    _, html = get(client, "/trends/?subregion=Eastern+Asia")
    # JPN alone: no spread to compare.
    assert "Too few years with two or more scores" in verdict(html, "cbpr")
    assert series_table(html, "cbpr")["2016"] == ["1", "100.0", "0.0"]
    _, html = get(client, "/trends/?forum=DESG")
    assert 'data-chart-table="cbpr"' not in html and 'data-chart-table="aider"' in html
    response = client.get("/trends/?theme=unknown")
    assert response.status_code == 400


def test_no_reports_means_no_trend(client, db):
    _, html = get(client, "/trends/")
    assert "there is no trend to show" in html and "vendor/chartjs" not in html


def test_query_count_does_not_grow(client, region, django_assert_num_queries):
    # 1 sub-regions, 2 themes, 3 forums (filter choices), 4 scored instruments, 5 economies,
    # 6 first year with a report, 7 commitments and 8 reports replayed to each year-end,
    # 9 commitments and 10 current statuses for this year's point.
    with django_assert_num_queries(10):
        get(client, "/trends/")
    r.add_economies(region, 10)
    with CaptureQueriesContext(connection) as queries:
        get(client, "/trends/")
    assert len(queries) == 10
