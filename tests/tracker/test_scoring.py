"""Every figure of the scoring module, worked out by hand on small cases.

Over 400 lines: one short test a formula and an edge case (ties, not applicable, weights, no
data); region-level operations are in test_scoring_region.py."""

import ast
import datetime
import math
from decimal import Decimal
from pathlib import Path

import pytest

from softlaw import clock
from tests.factories import make_commitment, make_economy, make_instrument, make_report
from tracker import scoring
from tracker.models import ReviewState, Status, StatusReport
from tracker.scoring import figures, formulas, sums

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def setup():
    """Two economies, one instrument with three economy-scope commitments and one collective."""
    jpn = make_economy("JPN", iso_alpha2="JP")
    sgp = make_economy("SGP", iso_alpha2="SG")
    inst = make_instrument("CBPR")
    c1 = make_commitment(inst, "CBPR-ECON-1")
    c2 = make_commitment(inst, "CBPR-ECON-2")
    c3 = make_commitment(inst, "CBPR-ECON-3")
    make_commitment(inst, "CBPR-COMP-1", scope="collective")
    return jpn, sgp, inst, c1, c2, c3


def score_of(economy, instrument, as_of=None):
    return scoring.score_for_economy(
        economy_id=economy.pk, instrument_id=instrument.pk, as_of=as_of
    )


def test_no_report_is_no_data_not_zero(setup):
    jpn, _, inst, *_ = setup
    score = score_of(jpn, inst)
    assert score.score is None
    assert score.coverage == 0
    assert (score.commitments, score.covered, score.scored) == (3, 0, 0)


def test_score_and_coverage_by_hand(setup):
    jpn, _, inst, c1, c2, _ = setup
    make_report(jpn, c1, "implemented", "2015-01-01")  # 3 points
    make_report(jpn, c2, "pilot", "2015-01-01")  # 1 point
    score = score_of(jpn, inst)
    # 100 × (3 + 1) / (3 + 3) = 66.67; two of three commitments have a status.
    assert score.score == pytest.approx(100 * 4 / 6)
    assert score.coverage == pytest.approx(2 / 3)


def test_as_of_before_any_report_is_no_data(setup):
    jpn, _, inst, c1, *_ = setup
    make_report(jpn, c1, "implemented", "2015-06-01")
    assert score_of(jpn, inst, as_of=D(2015, 5, 31)).score is None
    assert score_of(jpn, inst, as_of=D(2015, 5, 31)).coverage == 0
    # On the effective date itself the report holds.
    assert score_of(jpn, inst, as_of=D(2015, 6, 1)).score == 100


def test_all_not_applicable_is_no_data_with_full_coverage(setup):
    jpn, _, inst, c1, c2, c3 = setup
    for c in (c1, c2, c3):
        make_report(jpn, c, "not_applicable", "2015-01-01")
    score = score_of(jpn, inst)
    assert score.score is None  # nothing assessed is never 100 % (nor 0 %)
    assert score.coverage == 1
    assert score.scored == 0


def test_not_applicable_is_left_out_of_the_score_but_counts_for_coverage(setup):
    jpn, _, inst, c1, c2, _ = setup
    make_report(jpn, c1, "partial", "2015-01-01")  # 2 of 3
    make_report(jpn, c2, "not_applicable", "2015-01-01")
    score = score_of(jpn, inst)
    assert score.score == pytest.approx(100 * 2 / 3)
    assert score.coverage == pytest.approx(2 / 3)


def test_planned_and_not_implemented_score_zero_but_are_data(setup):
    jpn, _, inst, c1, c2, _ = setup
    make_report(jpn, c1, "planned", "2015-01-01", target_date=D(2020, 1, 1))
    make_report(jpn, c2, "not_implemented", "2015-01-01")
    assert score_of(jpn, inst).score == 0


def test_correction_supersedes_earlier_report(setup):
    jpn, _, inst, c1, *_ = setup
    make_report(jpn, c1, "pilot", "2015-01-01")
    make_report(jpn, c1, "implemented", "2018-01-01")
    assert score_of(jpn, inst).score == 100
    assert score_of(jpn, inst, as_of=D(2017, 12, 31)).score == pytest.approx(100 / 3)


def test_tie_on_effective_date_goes_to_latest_published(setup):
    jpn, _, inst, c1, *_ = setup
    first = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    later = datetime.datetime(2020, 2, 1, tzinfo=datetime.UTC)
    # Created in the opposite order to their publication, so creation order cannot decide.
    make_report(jpn, c1, "partial", "2019-01-01", published_at=later)
    make_report(jpn, c1, "pilot", "2019-01-01", published_at=first)
    statuses = scoring.current_statuses()
    assert statuses[(jpn.pk, c1.pk)].status == "partial"
    assert score_of(jpn, inst).score == pytest.approx(100 * 2 / 3)


def test_unpublished_reports_do_not_count(setup):
    jpn, _, inst, c1, *_ = setup
    make_report(jpn, c1, "implemented", "2015-01-01", published=False)
    make_report(
        jpn, c1, "implemented", "2015-01-01", published=False, review_state=ReviewState.SUBMITTED
    )
    assert score_of(jpn, inst).score is None


def test_weights_count(setup):
    jpn, _, inst, c1, c2, _ = setup
    c1.weight = Decimal(3)
    c1.save()
    make_report(jpn, c1, "implemented", "2015-01-01")  # 3 × 3 = 9 of 9
    make_report(jpn, c2, "not_implemented", "2015-01-01")  # 1 × 0 = 0 of 3
    # 100 × 9 / 12 = 75 (unweighted it would be 50).
    assert score_of(jpn, inst).score == pytest.approx(75)


def test_collective_commitments_are_not_scored(setup):
    jpn, _, inst, *_ = setup
    assert score_of(jpn, inst).commitments == 3


def test_instrument_without_economy_commitments_has_no_score(setup):
    jpn, *_ = setup
    collective_only = make_instrument("PRP")
    make_commitment(collective_only, "PRP-ELEM-1", scope="collective")
    scores = scoring.scores_for_region()
    assert (jpn.pk, collective_only.pk) not in scores


def test_regional_figures_by_hand():
    # Scores 0, 50, 100 and one economy with no data.
    figures = scoring.regional_compute([0.0, 50.0, 100.0, None])
    assert figures.economies_with_data == 3
    assert figures.mean == pytest.approx(50)
    assert figures.median == pytest.approx(50)
    assert (figures.min, figures.max) == (0, 100)
    # Population σ = sqrt(((−50)² + 0² + 50²) / 3) = sqrt(5000 / 3).
    assert figures.stdev == pytest.approx(math.sqrt(5000 / 3))
    # Gini = Σi Σj |xi − xj| / (2 n² mean): pairs |0−50|,|0−100|,|50−100| each twice = 400;
    # 400 / (2 × 9 × 50) = 0.4444.
    assert figures.gini == pytest.approx(400 / 900)


def test_regional_single_economy_has_zero_spread():
    figures = scoring.regional_compute([62.5])
    assert figures.economies_with_data == 1
    assert figures.mean == figures.median == figures.min == figures.max == 62.5
    assert figures.stdev == 0
    assert figures.gini == 0


def test_regional_with_no_scores_is_no_data():
    figures = scoring.regional_compute([None, None])
    assert figures.economies_with_data == 0
    assert figures.mean is None and figures.stdev is None and figures.gini is None


def test_regional_all_zero_is_even():
    assert scoring.regional_compute([0.0, 0.0]).gini == 0


def test_gini_even_and_concentrated():
    assert scoring.gini([40.0, 40.0, 40.0, 40.0]) == 0
    # One economy holds everything among four: Σ|xi − xj| = 2 × 3 × 100 = 600;
    # 600 / (2 × 16 × 25) = 0.75 = (n − 1) / n.
    assert scoring.gini([0.0, 0.0, 0.0, 100.0]) == pytest.approx(0.75)


def test_regional_from_database_by_hand(setup):
    jpn, sgp, inst, c1, c2, c3 = setup
    make_economy("PNG", iso_alpha2="PG")  # no data: left out, not counted as 0
    for c in (c1, c2, c3):
        make_report(jpn, c, "implemented", "2015-01-01")  # 100
    make_report(sgp, c1, "partial", "2015-01-01")  # 2 of 3 → 66.67
    regional = scoring.regional_for_instruments()[inst.pk]
    assert regional.economies_with_data == 2
    assert regional.mean == pytest.approx((100 + 200 / 3) / 2)
    assert regional.stdev == pytest.approx((100 - 200 / 3) / 2)
    assert regional.min == pytest.approx(200 / 3)
    # Gini of two values a < b: 2(b − a) / (2 × 4 × mean) = (b − a) / (4 × mean) … with
    # Σ|xi − xj| = 2(b − a).
    mean = (100 + 200 / 3) / 2
    assert regional.gini == pytest.approx(2 * (100 - 200 / 3) / (2 * 4 * mean))


def test_convergence_series_by_year_end(setup):
    jpn, sgp, inst, c1, *_ = setup
    make_report(jpn, c1, "implemented", "2015-12-31")  # counts at the 2015 year-end
    make_report(sgp, c1, "not_implemented", "2016-01-01")
    make_report(sgp, c1, "implemented", "2017-06-30")
    series = dict(scoring.convergence_series(years=[2014, 2015, 2016, 2017])[inst.pk])
    assert series[2014].economies_with_data == 0
    assert (series[2015].economies_with_data, series[2015].mean, series[2015].stdev) == (1, 100, 0)
    # 2016: scores 100 and 0 → mean 50, σ 50: the region diverges.
    assert series[2016].mean == 50 and series[2016].stdev == 50
    # 2017: both 100 → σ 0: converged.
    assert series[2017].mean == 100 and series[2017].stdev == 0


def test_convergence_matches_as_of_scores(setup):
    jpn, sgp, inst, c1, c2, _ = setup
    make_report(jpn, c1, "pilot", "2016-03-01")
    make_report(jpn, c2, "partial", "2017-03-01")
    make_report(sgp, c1, "implemented", "2017-05-01")
    make_report(jpn, c1, "implemented", "2018-01-01")
    series = dict(scoring.convergence_series(years=range(2015, 2020))[inst.pk])
    for year in range(2015, 2020):
        direct = scoring.regional_for_instruments(as_of=D(year, 12, 31))[inst.pk]
        assert series[year] == direct


def test_overdue_target_dates():
    today = D(2026, 11, 28)
    assert scoring.is_overdue(status="planned", target_date=D(2026, 1, 1), today=today)
    assert not scoring.is_overdue(status="implemented", target_date=D(2026, 1, 1), today=today)
    assert not scoring.is_overdue(status="planned", target_date=D(2026, 12, 1), today=today)
    assert not scoring.is_overdue(status="partial", target_date=None, today=today)


def test_todays_scores_from_the_table_equal_the_history_rule(monkeypatch):
    """Today's scores are summed in the database; they must equal the formula over the history."""
    import random

    rng = random.Random(11)
    economies = [make_economy() for _ in range(5)]
    instruments = [make_instrument() for _ in range(3)]
    commitments = [
        make_commitment(i, weight=Decimal(rng.choice(["1", "2", "0.5"])))
        for i in instruments
        for _ in range(4)
    ]
    make_commitment(instruments[0], scope="collective")
    statuses = [*scoring.POINTS, "not_applicable"]
    for _ in range(150):
        make_report(
            rng.choice(economies),
            rng.choice(commitments),
            rng.choice(statuses),
            D(2010 + rng.randint(0, 8), rng.randint(1, 12), 1),
            published=rng.random() < 0.85,
        )
    today = scoring.scores_for_region()
    replayed = scoring.scores_for_region(as_of=D(9999, 12, 31))
    # Whole numbers summed, then divided once: equal to the last digit, report counts included.
    assert today == replayed
    assert sum(s.reports for s in today.values()) == StatusReport.objects.published().count()
    # The same for a chosen economy and instrument.
    one = scoring.score_for_economy(economy_id=economies[0].pk, instrument_id=instruments[1].pk)
    assert one == today[(economies[0].pk, instruments[1].pk)]
    # Some of the economies and instruments, whether the database or the loop leaves the
    # others out (up to FEW of them the database does).
    some_economies = [e.pk for e in economies[1:4]]
    some_instruments = [i.pk for i in instruments[:2]]
    expected = {(e, i): today[(e, i)] for e in some_economies for i in some_instruments}
    for few in (sums.FEW, 1):
        monkeypatch.setattr(sums, "FEW", few)
        assert (
            scoring.scores_for_region(economy_ids=some_economies, instrument_ids=some_instruments)
            == expected
        )


def replayed(as_of, economy_ids=None):
    """Scores as of a date by the definition: each cell's current status replayed from the
    history, then the formula (no table of current statuses or year-end sums involved)."""
    from economies.models import Economy

    if economy_ids is None:
        economy_ids = list(Economy.objects.values_list("pk", flat=True))
    return scoring.scores_from_statuses(
        statuses=scoring.current_statuses(as_of=as_of, economy_ids=economy_ids),
        commitments=scoring.scored_commitments(),
        economy_ids=economy_ids,
    )


def test_convergence_equals_the_as_of_rule_on_random_histories(monkeypatch):
    """The year-end sums are kept one economy and instrument at a time as reports are
    published; read back, they must give the as-of figures exactly."""
    import random

    rng = random.Random(5)
    economies = [make_economy() for _ in range(6)]
    instruments = [make_instrument() for _ in range(2)]
    commitments = [
        make_commitment(i, weight=Decimal(rng.choice(["1", "0.22", "0.58", "2.5"])))
        for i in instruments
        for _ in range(4)
    ]
    statuses = [*scoring.POINTS, "not_applicable"]
    for _ in range(200):
        make_report(
            rng.choice(economies),
            rng.choice(commitments),
            rng.choice(statuses),
            D(2012 + rng.randint(0, 8), rng.randint(1, 12), rng.randint(1, 28)),
            published=rng.random() < 0.9,
        )
    years = range(2011, 2022)
    series = scoring.convergence_series(years=years)
    for instrument in instruments:
        by_year = dict(series[instrument.pk])
        for year in years:
            direct = scoring.regional_from_scores(replayed(D(year, 12, 31)))[instrument.pk]
            assert by_year[year] == direct, (instrument, year)
            # A year-end view reads the year-end sums: the same figures.
            assert scoring.scores_for_region(as_of=D(year, 12, 31)) == replayed(D(year, 12, 31))
    # Every economy's score at every year-end, for some economies and all (the database or the
    # loop picks them out), and a last year standing on a date inside it.
    for few in (sums.FEW, 1):
        monkeypatch.setattr(sums, "FEW", few)
        chosen = [e.pk for e in economies[:3]]
        until = D(2020, 6, 30)
        scores = scoring.score_series(years=range(2011, 2021), economy_ids=chosen, until=until)
        for year in range(2011, 2021):
            direct = replayed(min(D(year, 12, 31), until), chosen)
            for key, score in direct.items():
                assert dict(scores[key])[year] == score, (key, year)
        # The regional figures of some economies on one instrument, at year-ends with gaps
        # between them (a row between two year-ends stands at the later one).
        some_years = [2011, 2013, 2016, 2017, 2021]
        first = instruments[0].pk
        series = scoring.convergence_series(
            years=some_years, economy_ids=chosen, instrument_ids=[first]
        )
        assert list(series) == [first]
        for year, found in series[first]:
            direct = scoring.regional_from_scores(replayed(D(year, 12, 31), chosen))[first]
            assert found == direct, (few, year)


def test_what_if_equals_recomputing_the_region_with_the_status_changed():
    import random

    rng = random.Random(3)
    economies = [make_economy() for _ in range(5)]
    instrument = make_instrument()
    commitments = [make_commitment(instrument, weight=Decimal("1.5")) for _ in range(4)]
    for _ in range(40):
        make_report(
            rng.choice(economies),
            rng.choice(commitments),
            rng.choice([*scoring.POINTS, "not_applicable"]),
            D(2015, rng.randint(1, 12), 1),
        )
    statuses = scoring.current_statuses()
    scored = scoring.scored_commitments()
    ids = [e.pk for e in economies]
    scores = scoring.scores_from_statuses(statuses=statuses, commitments=scored, economy_ids=ids)
    for economy in economies:
        for commitment in commitments:
            answer = scoring.what_if_implemented(
                statuses=statuses,
                commitments=scored,
                economy_ids=ids,
                economy_id=economy.pk,
                commitment_id=commitment.pk,
                before=scores,
            )
            changed = dict(statuses)
            changed[(economy.pk, commitment.pk)] = scoring.CellStatus(
                economy_id=economy.pk,
                commitment_id=commitment.pk,
                report_id=0,
                status="implemented",
                effective_date=D(2015, 1, 1),
                target_date=None,
            )
            after = scoring.scores_from_statuses(
                statuses=changed, commitments=scored, economy_ids=ids
            )
            regional = scoring.regional_from_scores(after)[instrument.pk]
            assert answer.score_after == after[(economy.pk, instrument.pk)].score
            assert answer.stdev_after == regional.stdev
            assert answer.mean_after == regional.mean


def test_regional_figures_agree_with_the_statistics_module():
    import random
    import statistics

    rng = random.Random(11)
    for n in (1, 2, 3, 20, 201):
        values = [round(rng.uniform(0, 100), 3) for _ in range(n)]
        figures = scoring.regional_compute([*values, None])
        assert figures.economies_with_data == n
        assert figures.mean == pytest.approx(statistics.fmean(values), abs=1e-9)
        assert figures.median == statistics.median(values)
        assert figures.stdev == pytest.approx(statistics.pstdev(values), abs=1e-9)
        assert (figures.min, figures.max) == (min(values), max(values))
    # Equal scores have no spread at all, exactly.
    assert scoring.regional_compute([100 / 3] * 7).stdev == 0.0
    assert scoring.regional_compute([100 / 3] * 7).gini == 0.0


def test_as_of_today_reads_the_current_table(django_assert_num_queries):
    economy = make_economy()
    commitment = make_commitment(make_instrument())
    make_report(economy, commitment, "partial", D(2015, 1, 1))
    make_report(economy, commitment, "implemented", D(2016, 1, 1))
    today = scoring.scores_for_region()
    # The table, not the history: the same figures by the same (few) queries.
    with django_assert_num_queries(3):  # economies, commitment counts, the aggregate
        assert scoring.scores_for_region(as_of=clock.today()) == today
    assert scoring.current_statuses(as_of=clock.today()) == scoring.current_statuses()
    # A past date still replays the history.
    assert (
        scoring.scores_for_region(as_of=D(2015, 6, 1))[(economy.pk, commitment.instrument_id)].score
        == 100 * 2 / 3
    )


def test_formulas_know_the_models_statuses_and_need_no_django():
    # The formulas name the statuses by their plain values: the model's, every one of them.
    assert set(scoring.POINTS) | scoring.UNSCORED == set(Status.values)
    # Plain Python: the formulas and the figures import the standard library and each other.
    for module in (formulas, figures):
        imported = set()
        for node in ast.walk(ast.parse(Path(module.__file__).read_text())):
            if isinstance(node, ast.ImportFrom):
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
        standard = {"collections", "collections.abc", "dataclasses", "datetime", "decimal"}
        assert imported <= standard | {"math", "typing", "tracker.scoring.formulas"}, module
