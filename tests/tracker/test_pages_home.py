"""The regional dashboard at /: every figure worked out by hand on the small region of
tests/region.py, and checked against tracker.scoring."""

import math
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import region as r
from tests.pages import field, figure, page, row
from tracker import scoring

pytestmark = pytest.mark.django_db


def cells(html: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(economy code, instrument id) → (data-score, data-coverage) of the heatmap."""
    found = re.findall(
        r'data-economy="(\w+)" data-instrument="(\d+)" '
        r'data-score="([\d.]*)" data-coverage="([\d.]+)"',
        html,
    )
    return {(code, inst): (score, coverage) for code, inst, score, coverage in found}


def test_headline_figures_by_hand(client, region):
    html = page(client)
    assert figure(html, "economies") == "3"
    assert figure(html, "instruments") == "2"  # PRP has collective commitments only
    # Published reports: JPN 4 on CBPR + 2 on AIDER, SGP 1 + 1, PNG 1 (its draft does not count).
    assert figure(html, "reports") == "9"
    # Pairs with a status: JPN 3 + 2, SGP 1 + 1, PNG 0 + 1 = 8 of 3 × (3 + 2) = 15 → 53 %.
    assert figure(html, "coverage") == "53 %"
    # AIDER's σ (40.9) is larger than CBPR's (33.3).
    assert figure(html, "most-uneven") == "AIDER"
    assert figure(html, "latest") == "1 Jan 2020"


def test_leaders_laggards_and_unevenness_by_hand(client, region):
    html = page(client)
    cbpr = row(html, "data-instrument", "cbpr")
    # CBPR: JPN 100, SGP 33.3; PNG has no data and is left out.
    assert field(cbpr, "n") == "2 of 3"
    assert field(cbpr, "min") == "33.3 SGP"
    assert field(cbpr, "max") == "100.0 JPN"
    assert field(cbpr, "mean") == "66.7"  # (100 + 33.3) / 2
    assert field(cbpr, "median") == "66.7"
    assert field(cbpr, "stdev") == "33.3"  # each score is 33.3 from the mean
    assert field(cbpr, "gini") == "0.25"  # 2 × 66.7 / (2 × 2² × 66.7)

    aider = row(html, "data-instrument", "aider")
    scores = [r.JPN_AIDER, r.SGP_AIDER, r.PNG_AIDER]
    mean = sum(scores) / 3
    sd = math.sqrt(sum((x - mean) ** 2 for x in scores) / 3)
    gini = sum(abs(x - y) for x in scores for y in scores) / (2 * 9 * mean)
    assert field(aider, "n") == "3 of 3"
    assert field(aider, "min") == "0.0 PNG"  # planned scores 0: a score, not no data
    assert field(aider, "max") == "100.0 SGP"
    assert field(aider, "mean") == f"{mean:.1f}" == "48.1"
    assert field(aider, "median") == "44.4"
    assert field(aider, "stdev") == f"{sd:.1f}" == "40.9"
    assert field(aider, "gini") == f"{gini:.2f}" == "0.46"


def test_heatmap_cells_by_hand_and_equal_to_scoring(client, region):
    html = page(client)
    cbpr, aider = str(region.cbpr.pk), str(region.aider.pk)
    assert cells(html) == {
        ("JPN", cbpr): ("100.0", "1.000"),
        ("SGP", cbpr): ("33.3", "0.333"),
        ("PNG", cbpr): ("", "0.000"),  # no data, never 0
        ("JPN", aider): ("44.4", "1.000"),
        ("SGP", aider): ("100.0", "0.500"),
        ("PNG", aider): ("0.0", "0.500"),
    }
    for (code, instrument_id), (score, coverage) in cells(html).items():
        economy = {"JPN": region.jpn, "SGP": region.sgp, "PNG": region.png}[code]
        expected = scoring.score_for_economy(
            economy_id=economy.pk, instrument_id=int(instrument_id)
        )
        assert score == ("" if expected.score is None else f"{expected.score:.1f}")
        assert coverage == f"{expected.coverage:.3f}"


def test_no_data_is_shown_as_no_data_and_zero_as_zero(client, region):
    html = page(client)
    png_cbpr = re.search(
        rf'data-economy="PNG" data-instrument="{region.cbpr.pk}".*?</td>', html, re.S
    ).group(0)
    assert "No data" in png_cbpr and "0/3 covered" in png_cbpr
    png_aider = re.search(
        rf'data-economy="PNG" data-instrument="{region.aider.pk}".*?</td>', html, re.S
    ).group(0)
    assert '<span class="score">0</span>' in png_aider and "No data" not in png_aider
    # The regional mean row: (100 + 33.3) / 2 = 67 (σ 33) and 48 (σ 41).
    assert re.search(r'data-regional="cbpr">67 <span class="sd">\(σ 33\)', html)
    assert re.search(r'data-regional="aider">48 <span class="sd">\(σ 41\)', html)


def test_as_of_changes_the_figures_and_every_link_keeps_it(client, region):
    html = page(client, "/?as_of=2015-01-01")
    cbpr, aider = str(region.cbpr.pk), str(region.aider.pk)
    # On 1 January 2015: JPN C1 implemented, C2 still partial, C3 not applicable → 5/6 = 83.3.
    assert cells(html)[("JPN", cbpr)] == (f"{r.JPN_CBPR_2015:.1f}", "1.000")
    assert cells(html)[("SGP", cbpr)] == ("33.3", "0.333")
    # AIDER was adopted in 2017: no data anywhere, never 0.
    assert {cells(html)[(c, aider)] for c in ("JPN", "SGP", "PNG")} == {("", "0.000")}
    assert figure(html, "reports") == "4"  # JPN C1, C2 (partial), C3; SGP C1
    assert figure(html, "latest") == "1 May 2014"
    assert 'as it stood on <strong><time datetime="2015-01-01">1 January 2015' in html
    links = re.findall(
        r'href="(/(?:economies|instruments|compare|trends|updates|methodology|data)[^"]*)"', html
    )
    # The Atom feed is the one exception: a feed reader wants what is new, not a past view.
    pages = [link for link in links if link != "/updates/feed/"]
    assert len(pages) > 20 and all("as_of=2015-01-01" in link for link in pages)


def test_overdue_target_is_flagged_in_latest_updates(client, region):
    html = page(client)
    updates = re.findall(r'<li class="update" id="update-\d+">(.*?)</li>', html, re.S)
    assert len(updates) == 8  # the latest 8 of 9
    sgp_pilot = next(u for u in updates if "Singapore" in u and "CBPR-ECON-1" in u)
    assert "Overdue" in sgp_pilot  # pilot, target 31 Dec 2015, now past
    png_planned = next(u for u in updates if "Papua New Guinea" in u)
    assert "Overdue" not in png_planned  # target 2030
    # Before the target date the same report is not overdue.
    earlier = page(client, "/?as_of=2015-06-01")
    assert "Overdue" not in earlier
    # A correction shows the status it replaced.
    jpn_c2 = next(u for u in updates if "Japan" in u and "CBPR-ECON-2" in u and "2016" in u)
    assert "Partial" in jpn_c2 and "Fully implemented" in jpn_c2


def test_filters_narrow_rows_and_columns(client, region):
    html = page(client, "/?subregion=Eastern+Asia")
    assert {code for code, _ in cells(html)} == {"JPN"}
    assert figure(html, "economies") == "1"
    html = page(client, "/?theme=privacy")
    assert {inst for _, inst in cells(html)} == {str(region.cbpr.pk)}
    html = page(client, "/?forum=DESG")
    assert {inst for _, inst in cells(html)} == {str(region.aider.pk)}
    html = page(client, "/?theme=paperless-trade&forum=ECSG")
    assert cells(html) == {} and "No instrument matches these filters." in html


def test_tile_map_defaults_to_instrument_with_most_data_and_takes_a_choice(client, region):
    html = page(client)
    tiles = dict(re.findall(r'data-economy="(\w+)" data-score="([\d.]*)">\s*<a', html))
    # AIDER: three economies with a score (CBPR has two).
    assert "Map of the region: AIDER" in html
    assert tiles == {"JPN": "44.4", "SGP": "100.0", "PNG": "0.0"}
    html = page(client, "/?map=cbpr")
    tiles = dict(re.findall(r'data-economy="(\w+)" data-score="([\d.]*)">\s*<a', html))
    assert tiles == {"JPN": "100.0", "SGP": "33.3", "PNG": ""}
    # Each tile sits on the economy's grid position, through CSS classes (no inline style).
    assert re.search(r'class="tile gr-4 gc-3 no-data" data-economy="PNG"', html)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("as_of=2024-02-30", "as_of must be a date written YYYY-MM-DD"),
        ("as_of=20240101", "as_of must be a date written YYYY-MM-DD"),
        ("as_of=2999-01-01", "is after today"),
        ("theme=nope", "theme: Select a valid choice"),
        ("forum=NOPE", "forum: Select a valid choice"),
        ("subregion=Mars", "subregion must be one of Eastern Asia, Melanesia, South-eastern Asia"),
        ("map=zzz", "map must be the short name of a scored instrument"),
        ("map=prp", "map must be the short name of a scored instrument"),
        ("theme=%00", "The address contains a null character"),
        ("subregion=%00", "The address contains a null character"),
    ],
)
def test_bad_parameter_is_a_clear_400(client, region, query, message):
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_post_is_refused(client, region):
    assert client.post("/").status_code == 405


def test_permalink_carries_the_filters_and_the_date(client, region):
    html = page(client, "/?theme=privacy")
    assert re.search(r'href="/\?theme=privacy&amp;as_of=\d{4}-\d\d-\d\d"', html)


def test_query_count_is_pinned_and_does_not_grow(client, region, django_assert_num_queries):
    # 1 sub-regions (filter choices), 2 themes, 3 forums, 4 scored instruments, 5 economies,
    # 6 economy-scope commitments, 7 published reports (current statuses), 8 latest updates
    # with economy and commitment, 9 the statuses those updates replaced. (The count of
    # published reports comes with the scores: each current status counts its cell's reports.)
    # 10 where the statuses of the page's cells come from, and where two origins disagree, read
    # from the current-status table (tracker.selectors.origins_today). 11 the reporting rounds
    # open today (linked above the filters).
    with django_assert_num_queries(11):
        page(client)
    r.add_economies(region, 10)
    with CaptureQueriesContext(connection) as queries:
        html = page(client)
    assert len(queries) == 11
    assert figure(html, "economies") == "13"
    # With a filter, one more query checks the theme exists; a past date asks for no rounds,
    # and reads the origins from the history (tracker.selectors.heatmap_rows): the heatmap's
    # commitments, and the latest report of each origin on the date (one range read).
    with django_assert_num_queries(12):
        page(client, "/?theme=privacy&subregion=Eastern+Asia&as_of=2020-01-01")


def test_the_heatmap_shows_its_economies_a_page_at_a_time(client, region, monkeypatch):
    from economies.models import Economy
    from tracker import views

    r.add_economies(region, 3)
    everyone = list(Economy.objects.order_by("name").values_list("code", flat=True))
    monkeypatch.setattr(views, "HEATMAP_ROWS", 2)
    pages = math.ceil(len(everyone) / 2)
    shown = []
    for number in range(1, pages + 1):
        html = page(client, f"/?page={number}")
        codes = list(dict.fromkeys(code for code, _ in cells(html)))
        assert len(codes) == (2 if number < pages else len(everyone) - 2 * (pages - 1))
        shown += codes
        # Every figure around the table is over all the economies, whatever the page.
        assert figure(html, "economies") == str(len(everyone))
        assert f"Economies {2 * number - 1}–{2 * number - 2 + len(codes)} of" in html
        assert ('rel="next"' in html) == (number < pages)
        assert ('rel="prev"' in html) == (number > 1)
    assert shown == everyone
    # The tile map still has every economy.
    assert len(re.findall(r'<li class="tile ', page(client, "/?page=2"))) == len(everyone)
    # The pager keeps the filters and the date.
    html = page(client, "/?as_of=2020-01-01&page=1")
    assert 'href="?as_of=2020-01-01&amp;page=2#heatmap-title"' in html


def test_a_page_of_the_heatmap_that_does_not_exist_is_a_400(client, region):
    for bad in ("0", "99", "two"):
        response = client.get(f"/?page={bad}")
        assert response.status_code == 400
        assert "page must be a whole number from 1 to 1" in response.content.decode()


def test_the_whole_region_fits_on_one_page_without_a_pager(client, region):
    assert 'class="pagination"' not in page(client)
