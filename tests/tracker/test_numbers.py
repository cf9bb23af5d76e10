"""One way to print a number (softlaw/numbers.py): half up on the figure's decimal value, the
same on every path — template filters, the tables built in Python, chart data, the data
package's CSV — with 62.5, 0.05 and 99.95, figures that binary rounding gets wrong."""

import csv
import io
import json
import re
import zipfile
from decimal import Decimal

import pytest
from django.template import Context, Template

from softlaw import numbers
from tests.factories import make_commitment, make_economy, make_instrument, make_report
from tests.pages import page, text
from tracker import datapackage
from tracker.templatetags import tracker_tags as tags


def test_the_rule_is_half_up_on_the_decimal_value():
    assert numbers.number(62.5, 0) == "63"
    assert numbers.number(61.5, 0) == "62"  # not to even
    assert numbers.number(0.05, 1) == "0.1"  # the float is 0.05000000000000000277…
    assert numbers.number(99.95, 1) == "100.0"  # the float is 99.9500000000000028…
    assert (
        numbers.number(2.675, 2) == "2.68"
    )  # the float is 2.67499999999999982236431605997495353221893310546875
    assert numbers.number(0.0, 1) == "0.0"
    assert numbers.number(100, 0) == "100"
    assert numbers.number(Decimal("0.125"), 2) == "0.13"
    assert numbers.share(0.575) == "58"  # 57.49999… if multiplied as floats
    assert numbers.rounded(0.05) == 0.1 and numbers.rounded(99.95) == 100.0
    assert numbers.rounded(None) is None
    assert numbers.trimmed(Decimal("1.00")) == "1" and numbers.trimmed(Decimal("0.50")) == "0.5"


def test_template_filters_print_by_the_rule():
    def render(source, **context):
        return Template("{% load tracker_tags %}" + source).render(Context(context))

    assert render("{{ v|figure:0 }} {{ v|figure }}", v=62.5) == "63 62.5"
    assert render("{{ v|figure }}", v=0.05) == "0.1"
    assert render("{{ v|figure }} {{ v|figure:0 }}", v=99.95) == "100.0 100"
    assert render("{{ v|percent }}", v=0.625) == "63 %"
    assert tags.figure(None) == "no data"


# --- one economy whose scores are exactly 62.5, 99.95 and 0.05 ----------------------------------


@pytest.fixture
def scores(db):
    """Scores by hand, 100 × Σ w·points / Σ w·3:
    FIVE8: eight commitments of weight 1, five implemented, three not: 100 × 15 / 24 = 62.5.
    NEAR: implemented at weight 19.97 and partial at 0.03: 100 × 59.97 / 60 = 99.95.
    FAINT: pilot at weight 0.03 and not implemented at 19.97: 100 × 0.03 / 60 = 0.05."""
    jpn = make_economy("JPN", iso_alpha2="JP", name="Japan")
    five8 = make_instrument("FIVE8", slug="five8")
    for n in range(8):
        status = "implemented" if n < 5 else "not_implemented"
        make_report(jpn, make_commitment(five8, f"FIVE8-{n}"), status, "2020-01-01")
    near = make_instrument("NEAR", slug="near")
    make_report(
        jpn, make_commitment(near, "NEAR-A", weight=Decimal("19.97")), "implemented", "2020-01-01"
    )
    make_report(
        jpn, make_commitment(near, "NEAR-B", weight=Decimal("0.03")), "partial", "2020-01-01"
    )
    faint = make_instrument("FAINT", slug="faint")
    make_report(
        jpn, make_commitment(faint, "FAINT-A", weight=Decimal("0.03")), "pilot", "2020-01-01"
    )
    make_report(
        jpn,
        make_commitment(faint, "FAINT-B", weight=Decimal("19.97")),
        "not_implemented",
        "2020-01-01",
    )
    return {"FIVE8": 62.5, "NEAR": 99.95, "FAINT": 0.05}


ONE_DECIMAL = {"FIVE8": "62.5", "NEAR": "100.0", "FAINT": "0.1"}
NO_DECIMAL = {"FIVE8": "63", "NEAR": "100", "FAINT": "0"}


def test_the_scores_are_what_the_fixture_says(client, scores):
    rows = client.get("/api/v1/scores/?economy=JPN").json()["results"]
    # The API gives the figures unrounded (it formats nothing).
    assert {row["instrument"]: row["score"] for row in rows} == {
        "five8": 62.5,
        "near": pytest.approx(99.95, abs=1e-12),
        "faint": pytest.approx(0.05, abs=1e-12),
    }


def test_dashboard_tables_built_in_python_print_by_the_rule(client, scores):
    html = page(client, "/")
    cells = re.findall(
        r'<td class="cell [^"]*" data-economy="JPN" data-instrument="\d+" data-score="([^"]*)"'
        r'[^>]*><a [^>]*><span class="score">([^<]*)</span>',
        html,
    )
    # Heatmap columns by adoption date then name: all adopted on the same day, so by name.
    assert cells == [(ONE_DECIMAL[name], NO_DECIMAL[name]) for name in ("FAINT", "FIVE8", "NEAR")]
    regional = dict(re.findall(r'data-regional="(\w+)">([^<]*)<', html))
    assert {slug: shown.strip() for slug, shown in regional.items()} == {
        name.lower(): NO_DECIMAL[name] for name in scores
    }
    for name in scores:
        row = re.search(rf'<tr data-instrument="{name.lower()}">(.*?)</tr>', html, re.S).group(1)
        mean = re.search(r'data-field="mean">([^<]*)<', row).group(1)
        assert mean == ONE_DECIMAL[name]
    # The map's tile (of the instrument chosen by default) by the same rule.
    tile = re.search(r'data-economy="JPN" data-score="([^"]*)".*?tile-score">([^<]*)<', html, re.S)
    assert tile.groups() in {(ONE_DECIMAL[n], NO_DECIMAL[n]) for n in scores}


def test_economy_page_scores_and_chart_data_print_by_the_rule(client, scores):
    html = page(client, "/economies/JPN/")
    for name in scores:
        row = re.search(rf'<tr data-instrument="{name.lower()}">(.*?)</tr>', html, re.S).group(1)
        assert text(re.search(r'data-field="score">(.*?)</td>', row).group(1)) == ONE_DECIMAL[name]
    chart = json.loads(
        re.search(
            r'<script id="economy-scores-data" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    last = {series["name"]: series["data"][-1] for series in chart["series"]}
    assert last == {name: float(ONE_DECIMAL[name]) for name in scores}


def test_instrument_page_template_prints_by_the_rule(client, scores):
    for name in scores:
        html = page(client, f"/instruments/{name.lower()}/")
        assert re.search(r'data-figure="mean">([^<]*)<', html).group(1) == ONE_DECIMAL[name]
        row = re.search(r'<tr data-economy="JPN">(.*?)</tr>', html, re.S).group(1)
        assert re.search(r'data-score="([^"]*)">([^<]*)<', row).groups() == (
            ONE_DECIMAL[name],
            NO_DECIMAL[name],
        )


def test_data_package_scores_print_by_the_rule(scores):
    with zipfile.ZipFile(io.BytesIO(datapackage.build())) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("data/scores.csv").decode("utf-8"))))
    assert {row["instrument"]: row["score"] for row in rows} == ONE_DECIMAL
