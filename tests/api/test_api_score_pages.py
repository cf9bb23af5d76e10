"""/api/v1/scores/ a page at a time: a page computes the scores of its own economies only
(tracker.api.rows.ScorePages), and every page holds exactly the rows the whole grid has there,
for today, a past date and a year-end; ?ordering= and ?updated_since= still see every row."""

import pytest

from tests.api.conftest import JPN_CBPR, SGP_CBPR
from tracker import scoring
from tracker.api import rows

pytestmark = pytest.mark.django_db


def every_page(api, url, size):
    results, page = [], 1
    while True:
        body = api.get(f"{url}{'&' if '?' in url else '?'}page_size={size}&page={page}").json()
        results += body["results"]
        if not body["next"]:
            return body["count"], results
        page += 1


@pytest.mark.parametrize("as_of", ["", "2019-06-30", "2020-12-31"])
@pytest.mark.parametrize("size", [1, 2, 3, 5, 1000])
def test_pages_hold_the_whole_grid_in_order(api, dataset, as_of, size):
    url = f"/api/v1/scores/?as_of={as_of}" if as_of else "/api/v1/scores/"
    whole = api.get(f"{url}{'&' if as_of else '?'}page_size=1000").json()["results"]
    count, paged = every_page(api, url, size)
    assert count == len(whole) == len(paged)
    assert paged == whole
    # The grid itself, by hand: economies by name (Japan, Papua New Guinea, Singapore), each on
    # CBPR then AIDER (adoption order).
    assert [(r["economy"], r["instrument"]) for r in whole] == [
        (e, i) for e in ("JPN", "PNG", "SGP") for i in ("cbpr", "aider")
    ]
    if not as_of:
        scores = {(r["economy"], r["instrument"]): r["score"] for r in whole}
        assert scores[("JPN", "cbpr")] == pytest.approx(JPN_CBPR)
        assert scores[("SGP", "cbpr")] == pytest.approx(SGP_CBPR)
        assert scores[("PNG", "cbpr")] is None


def test_a_page_reads_the_scores_of_its_own_economies_only(api, dataset, monkeypatch):
    asked = []
    real = scoring.region_scores

    def spy(**kwargs):
        asked.append(sorted(kwargs["economy_ids"]))
        return real(**kwargs)

    monkeypatch.setattr(rows.scoring, "region_scores", spy)
    # Two instruments an economy: rows 3-4 (page 2 of 2) are Papua New Guinea's alone.
    body = api.get("/api/v1/scores/?page_size=2&page=2").json()
    assert [r["economy"] for r in body["results"]] == ["PNG", "PNG"]
    assert asked == [[dataset.png.pk]]
    # A page across two economies reads those two.
    asked.clear()
    body = api.get("/api/v1/scores/?page_size=3&page=1").json()
    assert [r["economy"] for r in body["results"]] == ["JPN", "JPN", "PNG"]
    assert asked == [sorted([dataset.jpn.pk, dataset.png.pk])]
    # Sorted by score, every economy's score is needed.
    asked.clear()
    api.get("/api/v1/scores/?page_size=2&ordering=-score")
    assert asked == [sorted([dataset.jpn.pk, dataset.png.pk, dataset.sgp.pk])]


def test_score_pages_behave_as_a_sequence(dataset):
    instruments = [dataset.cbpr, dataset.aider]
    economies = [dataset.jpn, dataset.png, dataset.sgp]
    pages = rows.ScorePages(economies=economies, instruments=instruments, as_of=None)
    whole = rows.score_rows(economies=economies, instruments=instruments, as_of=None)
    assert len(pages) == 6
    assert pages[0:6] == whole
    assert pages[1:5] == whole[1:5]
    assert pages[4] == whole[4]
    assert pages[-1] == whole[-1]
    assert pages[5:5] == []
    with pytest.raises(IndexError):
        pages[6]
