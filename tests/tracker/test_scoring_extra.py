"""The scoring module's additions for the public pages, each figure worked out by hand."""

import datetime

import pytest

from tests.factories import make_commitment, make_economy, make_instrument, make_report
from tracker import scoring

D = datetime.date


def test_band_index_bands_are_closed_below_open_above():
    assert scoring.band_index(None) is None
    assert [scoring.band_index(s) for s in (0, 19.99, 20, 39.9, 40, 60, 79.99, 80, 100)] == [
        0,
        0,
        1,
        1,
        2,
        3,
        3,
        4,
        4,
    ]


def test_distribution_counts_no_data_apart_never_as_zero():
    dist = scoring.distribution_compute([0, 10, 20, 55, 100, 100, None])
    assert [n for _label, n in dist.bands] == [2, 1, 1, 0, 2]
    assert dist.no_data == 1
    assert dist.bands[0][0] == "0 to under 20"


def test_coverage_overall_by_hand():
    scores = [
        scoring.Score(1, 1, 50.0, 0.75, commitments=4, covered=3, scored=3),
        scoring.Score(2, 1, None, 0.0, commitments=4, covered=0, scored=0),
        scoring.Score(1, 2, 100.0, 1.0, commitments=2, covered=2, scored=2),
    ]
    # (3 + 0 + 2) / (4 + 4 + 2) = 0.5
    assert scoring.coverage_overall(scores) == pytest.approx(0.5)
    assert scoring.coverage_overall([]) is None


def figures(n, stdev):
    return scoring.RegionalFigures(n, 50.0, 50.0, 0.0, 100.0, stdev, 0.1)


def test_sigma_change_uses_years_with_two_or_more_scores():
    series = [
        (2009, scoring.NO_FIGURES),
        (2010, figures(1, 0.0)),  # one economy alone has no spread to compare
        (2011, figures(2, 30.0)),
        (2012, figures(3, 20.0)),
        (2013, figures(3, 10.0)),
    ]
    change = scoring.sigma_change(series)
    assert (change.first_year, change.first_stdev) == (2011, 30.0)
    assert (change.last_year, change.last_stdev) == (2013, 10.0)
    assert change.change == pytest.approx(-20.0)
    assert change.direction == "converging"


def test_sigma_change_directions_and_too_short_series():
    assert scoring.sigma_change([(2010, figures(2, 5.0))]) is None
    assert scoring.sigma_change([(2010, figures(1, 0.0)), (2011, figures(2, 5.0))]) is None
    up = scoring.sigma_change([(2010, figures(2, 5.0)), (2011, figures(2, 9.0))])
    assert up.direction == "diverging"
    flat = scoring.sigma_change([(2010, figures(2, 5.0)), (2011, figures(2, 5.004))])
    assert flat.direction == "unchanged"


@pytest.fixture
def region(db):
    """JPN and SGP on one instrument of three economy-scope commitments."""
    jpn = make_economy("JPN", iso_alpha2="JP")
    sgp = make_economy("SGP", iso_alpha2="SG")
    png = make_economy("PNG", iso_alpha2="PG")
    inst = make_instrument("CBPR")
    c1, c2, c3 = (make_commitment(inst, f"CBPR-ECON-{n}") for n in (1, 2, 3))
    make_commitment(inst, "CBPR-COMP-1", scope="collective")
    return jpn, sgp, png, inst, c1, c2, c3


def test_score_series_replays_year_ends(region):
    jpn, sgp, _png, inst, c1, c2, _c3 = region
    make_report(jpn, c1, "pilot", "2012-06-01")
    make_report(jpn, c1, "implemented", "2014-01-01")  # supersedes the pilot
    make_report(jpn, c2, "partial", "2014-12-31")  # holds on the year-end itself
    make_report(sgp, c2, "not_implemented", "2015-01-01")
    series = scoring.score_series(
        years=[2011, 2012, 2013, 2014, 2015], economy_ids=[jpn.pk, sgp.pk]
    )
    jpn_scores = [(year, s.score, s.covered) for year, s in series[(jpn.pk, inst.pk)]]
    assert jpn_scores == [
        (2011, None, 0),
        (2012, pytest.approx(100 * 1 / 3), 1),  # pilot: 1 of 3 points
        (2013, pytest.approx(100 * 1 / 3), 1),
        (2014, pytest.approx(100 * 5 / 6), 2),  # (3 + 2) / 6
        (2015, pytest.approx(100 * 5 / 6), 2),
    ]
    assert [s.score for _y, s in series[(sgp.pk, inst.pk)]] == [None, None, None, None, 0.0]
    # The same figures as the as-of scores on each year-end.
    for year, score in series[(jpn.pk, inst.pk)]:
        assert score == scoring.score_for_economy(
            economy_id=jpn.pk, instrument_id=inst.pk, as_of=D(year, 12, 31)
        )


def test_score_series_last_point_stands_on_until(region):
    jpn, _sgp, _png, inst, c1, c2, _c3 = region
    make_report(jpn, c1, "implemented", "2014-03-01")
    make_report(jpn, c2, "not_implemented", "2014-09-01")  # after the view's date
    series = scoring.score_series(years=[2013, 2014], economy_ids=[jpn.pk], until=D(2014, 6, 30))
    # On 30 June 2014 only the March report holds: 3 / 3 = 100, not (3 + 0) / 6 = 50.
    assert [s.score for _y, s in series[(jpn.pk, inst.pk)]] == [None, 100.0]


def test_score_series_with_no_years_or_economies_is_empty(region):
    jpn, *_ = region
    assert scoring.score_series(years=[], economy_ids=[jpn.pk]) == {}
    assert scoring.score_series(years=[2020], economy_ids=[]) == {}


def what_if(region_ids, statuses_commitments, economy, commitment):
    statuses, commitments = statuses_commitments
    return scoring.what_if_implemented(
        statuses=statuses,
        commitments=commitments,
        economy_ids=region_ids,
        economy_id=economy.pk,
        commitment_id=commitment.pk,
    )


def test_what_if_full_implementation_moves_score_mean_and_sigma(region):
    jpn, sgp, _png, inst, c1, c2, c3 = region
    make_report(jpn, c1, "implemented", "2015-01-01")
    make_report(jpn, c2, "pilot", "2015-01-01")
    make_report(sgp, c1, "partial", "2015-01-01")
    ids = [jpn.pk, sgp.pk]
    data = (scoring.current_statuses(economy_ids=ids), scoring.scored_commitments())
    # Before: JPN (3 + 1) / 6 = 66.67, SGP 2 / 3 = 66.67: mean 66.67, σ 0.
    upgrade = what_if(ids, data, jpn, c2)
    assert upgrade.instrument_id == inst.pk
    assert upgrade.score_before == pytest.approx(200 / 3)
    assert upgrade.stdev_before == pytest.approx(0)
    # After JPN implements c2: (3 + 3) / 6 = 100; mean (100 + 66.67) / 2 = 83.33; σ 16.67.
    assert upgrade.score_after == pytest.approx(100)
    assert upgrade.mean_after == pytest.approx(250 / 3)
    assert upgrade.stdev_after == pytest.approx(50 / 3)
    # c3 has no data yet: (3 + 1 + 3) / 9 = 77.78; mean 72.22; σ 5.56.
    new = what_if(ids, data, jpn, c3)
    assert new.score_after == pytest.approx(700 / 9)
    assert new.mean_after == pytest.approx((700 / 9 + 200 / 3) / 2)
    assert new.stdev_after == pytest.approx((700 / 9 - 200 / 3) / 2)
    # Nothing is changed in the statuses passed in.
    assert data[0][(jpn.pk, c2.pk)].status == "pilot"


def test_what_if_for_an_economy_with_no_data_adds_it_to_the_region(region):
    jpn, sgp, png, _inst, c1, _c2, _c3 = region
    make_report(jpn, c1, "implemented", "2015-01-01")
    make_report(sgp, c1, "not_implemented", "2015-01-01")
    ids = [jpn.pk, sgp.pk, png.pk]
    data = (scoring.current_statuses(economy_ids=ids), scoring.scored_commitments())
    result = what_if(ids, data, png, c1)
    # Before: PNG has no score; region = JPN 100, SGP 0 → mean 50, σ 50.
    assert result.score_before is None
    assert (result.mean_before, result.stdev_before) == (pytest.approx(50), pytest.approx(50))
    # After: PNG 100 → mean 66.67, σ = sqrt(((100-66.67)² × 2 + 66.67²) / 3) = 47.14.
    assert result.score_after == pytest.approx(100)
    assert result.mean_after == pytest.approx(200 / 3)
    assert result.stdev_after == pytest.approx(47.1405, abs=1e-4)
