"""The HTML built in Python (tracker.tables, tracker.markup) is safe whatever the data holds:
markup in any text field is escaped and no address other than http/https becomes a link.

Every field of every builder gets `<"'&` between two markers, every source address a hostile
one; the output must hold the markers only around the escaped form, and no such link.
"""

import datetime
import inspect
import re
from types import SimpleNamespace as NS

import pytest
from django.test import RequestFactory

from tracker import markup, tables
from tracker.scoring import RegionalFigures
from tracker.selectors import CellOrigins, OriginStatus, ScoreOrigins

EVIL = "ZQ<\"'&ZQ"
ESCAPED = "ZQ&lt;&quot;&#x27;&amp;ZQ"
ENCODED = "ZQ%3C%22%27%26ZQ"
HOSTILE_URLS = [
    "javascript:alert(1)",
    " JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "/relative/ZQ<\"'&ZQ",
    "//evil.example/",
    "https:no-host",
    f"https://example.org/{EVIL}",  # a web address, its quote escaped in the href
]
DAY = datetime.date(2020, 1, 2)
AS_OF = datetime.date(2021, 3, 4)


def assert_safe(html: str) -> None:
    # The markers stand only around the escaped form (or, in a query string, the encoded one).
    assert "ZQ" not in html.replace(ESCAPED, "").replace(ENCODED, ""), html
    for href in re.findall(r"""href\s*=\s*["']?([^"'>\s]*)""", html, re.I):
        assert href.startswith(("https://", "http://", "/", "#", "?")), href
        assert not href.startswith("//"), href
    assert "<script" not in html and " src=" not in html


@pytest.fixture(autouse=True)
def unchecked_addresses(monkeypatch):
    """Page addresses straight from the data (a real URLconf would refuse most of these codes
    and slugs), so that the builders' own escaping is what is tested."""
    monkeypatch.setattr(
        markup, "public_url", lambda name, *args: f"/{name}/{'/'.join(map(str, args))}/"
    )


def economy():
    return NS(code=EVIL, name=EVIL, grid_row=1, grid_col=2)


def instrument(pk=7):
    return NS(pk=pk, slug=EVIL, title=EVIL, short_name=EVIL)


def origin_status(origin, status, report_id, *, current=False):
    return OriginStatus(report_id, origin, status, DAY, current, EVIL, DAY)


# Three origins that disagree, each with a hostile assessor.
DISAGREEING = CellOrigins(
    (
        origin_status("self_reported", "partial", 1),
        origin_status("secretariat", "planned", 2),
        origin_status("independent", "implemented", 3, current=True),
    )
)
FIGURES = RegionalFigures(2, 50.0, 50.0, 25.0, 75.0, 25.0, 0.25)


def report(**fields):
    values = dict(
        pk=11,
        position=30,
        status="partial",
        effective_date=DAY,
        target_date=DAY,
        evidence=EVIL,
        source_urls="\n".join(HOSTILE_URLS),
        origin="independent",
        assessor=EVIL,
        assessed_on=DAY,
        is_illustrative=True,
        published_at=datetime.datetime(2020, 1, 3, tzinfo=datetime.UTC),
        entered_by_officer=True,
        economy_name=EVIL,
        commitment=NS(code=EVIL, title=EVIL, instrument=instrument()),
    )
    return NS(**(values | fields))


def score_cell(score=50.0):
    return NS(
        score=score, coverage=0.5, covered=1, commitments=2, instrument_id=7, economy=economy()
    )


BUILT = {
    "economy_codes": lambda: tables.economy_codes(
        [economy(), economy()], instrument(), as_of=AS_OF, shown=1
    ),
    "heatmap_columns": lambda: tables.heatmap_columns(NS(instruments=[instrument()]), as_of=AS_OF),
    "heatmap_regional": lambda: tables.heatmap_regional(
        NS(instruments=[instrument()], regional={7: FIGURES})
    ),
    "heatmap_cells": lambda: tables.heatmap_cells(
        NS(
            economy=economy(),
            cells=[score_cell(), score_cell(None)],
            origins=[ScoreOrigins(("self_reported", "independent"), 2), None],
        ),
        as_of=AS_OF,
    ),
    "unevenness_rows": lambda: tables.unevenness_rows(
        [
            NS(instrument=instrument(), figures=FIGURES, laggards=[economy()], leaders=[economy()]),
            NS(instrument=instrument(), figures=RegionalFigures(0, *[None] * 6)),
        ],
        3,
        as_of=AS_OF,
    ),
    "map_tiles": lambda: tables.map_tiles(
        NS(
            tiles=[
                NS(economy=economy(), score=score_cell()),
                NS(economy=economy(), score=score_cell(None)),
            ]
        ),
        as_of=AS_OF,
    ),
    "commitment_rows": lambda: tables.commitment_rows(
        [
            NS(
                commitment=report().commitment,
                report=report(),
                overdue=True,
                origins=DISAGREEING,
                what_if=NS(score_before=1.0, score_after=2.0, stdev_before=3.0, stdev_after=4.0),
            ),
            NS(
                commitment=report().commitment,
                report=None,
                overdue=False,
                origins=None,
                what_if=None,
            ),
        ],
        NS(paginator=NS(per_page=10), number=1),
        cells=markup.Cells(),
        page_links=markup.PageLinks(RequestFactory().get("/", {EVIL: EVIL})),
    ),
    "series_cells": lambda: tables.series_cells([score_cell(), score_cell(None)]),
    "matrix_cells": lambda: tables.matrix_cells(
        NS(
            economy=economy(),
            cells=[
                NS(
                    status=NS(status="partial", report_id=1, effective_date=DAY),
                    overdue=True,
                    origins=DISAGREEING,
                ),
                NS(status=None, overdue=False, origins=None),
            ],
        ),
        as_of=AS_OF,
    ),
    "compare_rows": lambda: tables.compare_rows(
        NS(
            commitments=[
                NS(
                    commitment=NS(code=EVIL, title=EVIL),
                    cells=[
                        NS(
                            economy=economy(),
                            status=NS(status="partial", report_id=1, effective_date=DAY),
                            overdue=True,
                            origins=DISAGREEING,
                        ),
                        NS(economy=economy(), status=None, overdue=False, origins=None),
                    ],
                )
            ]
        ),
        as_of=AS_OF,
    ),
    "score_rows": lambda: tables.score_rows(
        [
            NS(instrument=instrument(), score=score_cell(), regional=FIGURES),
            NS(
                instrument=instrument(),
                score=score_cell(None),
                regional=RegionalFigures(0, *[None] * 6),
            ),
        ]
    ),
    "timeline_items": lambda: tables.timeline_items(
        [
            NS(report=report(), previous_status="planned", overdue=True),
            NS(
                report=report(target_date=None, published_at=None),
                previous_status="",
                overdue=False,
            ),
        ]
    ),
    "update_items": lambda: tables.update_items(
        [
            NS(report=report(economy=economy()), previous_status="planned", overdue=True),
            NS(
                report=report(economy=economy(), target_date=None),
                previous_status="",
                overdue=False,
            ),
        ],
        as_of=AS_OF,
    ),
    "cell_origins": lambda: markup.cell_origins(DISAGREEING),
    "origin_abbr": lambda: markup.origin_abbr("independent", assessor=EVIL, assessed_on=DAY),
}


def test_every_builder_is_fed_hostile_values():
    builders = {
        name
        for name, function in inspect.getmembers(tables, inspect.isfunction)
        if function.__module__ == tables.__name__ and not name.startswith("_")
    }
    assert builders <= set(BUILT)


@pytest.mark.parametrize("name", list(BUILT))
def test_builder_escapes_every_field(name):
    html = BUILT[name]()
    assert name == "series_cells" or ESCAPED in html  # series_cells writes numbers only
    assert_safe(html)


@pytest.mark.parametrize("field", ["covered", "commitments", "instrument_id"])
def test_counts_and_ids_must_be_numbers(field):
    cell = score_cell()
    setattr(cell, field, EVIL)
    with pytest.raises(ValueError):
        tables.heatmap_cells(NS(economy=economy(), cells=[cell], origins=None))
    with pytest.raises(ValueError):
        tables.map_tiles(NS(tiles=[NS(economy=economy(), score=cell)]))


def test_source_links_only_for_web_addresses():
    html = BUILT["commitment_rows"]()
    links = re.findall(r'<li><a href="([^"]*)" rel="external noopener">', html)
    assert links == [f"https://example.org/{ESCAPED}"]
    # The others show as text, not links.
    assert "<li>javascript:alert(1)</li>" in html
    timeline = BUILT["timeline_items"]()
    assert timeline.count('rel="external noopener">source 9</a>') == 2
    assert " · source 1 · source 2" in timeline


@pytest.mark.parametrize("url", HOSTILE_URLS[:-1])
def test_safe_url_refuses_anything_but_web_addresses(url):
    assert markup.safe_url(url) is None


def test_safe_url_keeps_web_addresses():
    assert markup.safe_url(" https://example.org/a?b=1 ") == "https://example.org/a?b=1"
    assert markup.safe_url("HTTP://example.org") == "HTTP://example.org"


@pytest.mark.parametrize("code", ["", "partial", "not_applicable"])
def test_badges_and_legend_are_escaped_markup(code):
    for html in (markup.badge(code, overdue=True, compact=True), markup.badge(code)):
        assert_safe(html)
    for key, _label in markup.status_legend():
        assert_safe(key)
