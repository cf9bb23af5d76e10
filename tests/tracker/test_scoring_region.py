"""The scoring package's dispatch on the date and its region operations, worked out by hand."""

import datetime

import pytest

from softlaw import clock
from tests.factories import make_commitment, make_economy, make_instrument, make_report
from tracker import scoring
from tracker.scoring import Source

D = datetime.date


def test_the_date_picks_the_source(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: D(2026, 6, 15))
    assert scoring.source_for(None) is Source.CURRENT_TABLE
    assert scoring.source_for(D(2026, 6, 15)) is Source.CURRENT_TABLE  # today
    assert scoring.source_for(D(2030, 1, 1)) is Source.CURRENT_TABLE  # nothing lies ahead
    assert scoring.source_for(D(2025, 12, 31)) is Source.YEAR_END_SUMS
    assert scoring.source_for(D(2026, 6, 14)) is Source.HISTORY
    assert scoring.source_for(D(2025, 12, 30)) is Source.HISTORY


@pytest.fixture
def region(db):
    """JPN, SGP and PNG on one instrument of two economy-scope commitments, and one instrument
    with nothing each economy carries out."""
    jpn = make_economy("JPN", iso_alpha2="JP")
    sgp = make_economy("SGP", iso_alpha2="SG")
    png = make_economy("PNG", iso_alpha2="PG")
    cbpr = make_instrument("CBPR")
    c1, c2 = (make_commitment(cbpr, f"CBPR-ECON-{n}") for n in (1, 2))
    collective = make_instrument("PSU")
    make_commitment(collective, "PSU-1", scope="collective")
    make_report(jpn, c1, "implemented", "2014-03-01")
    make_report(jpn, c2, "pilot", "2015-05-01")
    make_report(sgp, c1, "partial", "2015-02-01")
    make_report(sgp, c1, "not_implemented", "2016-02-01")  # a correction
    return jpn, sgp, png, cbpr, collective, c1, c2


def test_region_snapshot_by_hand(region):
    jpn, sgp, png, cbpr, collective, c1, c2 = region
    snapshot = scoring.region_snapshot(as_of=D(2015, 6, 30))
    assert sorted(snapshot.economy_ids) == sorted([jpn.pk, sgp.pk, png.pk])
    assert {c.commitment_id for c in snapshot.commitments} == {c1.pk, c2.pk}
    assert snapshot.statuses[(sgp.pk, c1.pk)].status == "partial"  # the correction comes later
    # JPN: (3 + 1) / 6; SGP: 2 / 3; PNG: no data.
    assert snapshot.score_of(jpn.pk, cbpr.pk).score == pytest.approx(100 * 4 / 6)
    assert snapshot.score_of(sgp.pk, cbpr.pk).score == pytest.approx(100 * 2 / 3)
    assert snapshot.score_of(png.pk, cbpr.pk).score is None
    figures = snapshot.figures_of(cbpr.pk)
    assert (figures.economies_with_data, figures.mean) == (2, pytest.approx(100 * 4 / 6))
    # Nothing each economy carries out: no score, no coverage, no figures.
    nothing = snapshot.score_of(jpn.pk, collective.pk)
    assert (nothing.score, nothing.coverage, nothing.commitments) == (None, None, 0)
    assert snapshot.figures_of(collective.pk) == scoring.NO_FIGURES


@pytest.mark.parametrize("as_of", [None, D(2015, 6, 30), D(2015, 12, 31)])
def test_region_snapshot_and_region_scores_agree(region, as_of):
    # Cell by cell, or summed by the source the date calls for: the same figures.
    snapshot = scoring.region_snapshot(as_of=as_of)
    summed = scoring.region_scores(as_of=as_of)
    assert snapshot.scores == summed.scores
    assert snapshot.regional == summed.regional


def test_convergence_until_ends_on_the_views_date(region):
    jpn, sgp, png, cbpr, *_ = region
    economy_ids = [jpn.pk, sgp.pk, png.pk]
    as_of = D(2016, 6, 30)
    convergence = scoring.convergence_until(
        as_of=as_of, economy_ids=economy_ids, instrument_ids=[cbpr.pk]
    )
    assert convergence.years == [2014, 2015, 2016]
    series = convergence.of(cbpr.pk)
    assert [year for year, _figures in series] == [2014, 2015, 2016]
    # The year-ends, then the view's own date for the year it falls in.
    expected = [
        scoring.regional_for_instruments(as_of=day, instrument_ids=[cbpr.pk])[cbpr.pk]
        for day in (D(2014, 12, 31), D(2015, 12, 31), as_of)
    ]
    assert [figures for _year, figures in series] == expected
    # 2016: JPN (3 + 1) / 6, SGP corrected to 0 / 3.
    assert series[-1][1].mean == pytest.approx((100 * 4 / 6 + 0) / 2)
    # Given the figures on the view's date, it reads them no more and uses them.
    given = {cbpr.pk: scoring.NO_FIGURES}
    mine = scoring.convergence_until(
        as_of=as_of, economy_ids=economy_ids, instrument_ids=[cbpr.pk], latest=given
    )
    assert mine.of(cbpr.pk) == [*series[:-1], (2016, scoring.NO_FIGURES)]


def test_convergence_until_starts_at_the_first_year_with_a_score(region):
    _jpn, sgp, png, cbpr, *_ = region
    # PNG alone has no report: no years at all.
    alone = scoring.convergence_until(as_of=None, economy_ids=[png.pk], instrument_ids=[cbpr.pk])
    assert (alone.years, alone.of(cbpr.pk)) == ([], [])
    # SGP's first report is of 2015: the series starts there.
    sgp_only = scoring.convergence_until(
        as_of=D(2016, 6, 30), economy_ids=[sgp.pk], instrument_ids=[cbpr.pk]
    )
    assert sgp_only.years == [2015, 2016]
    assert [year for year, _f in sgp_only.of(cbpr.pk)] == [2015, 2016]
