"""The current-status table always equals the report history, after every kind of write."""

import datetime
import io
import random
from decimal import Decimal

import pytest
from django.core.management import call_command

from softlaw import clock
from tests.factories import make_commitment, make_economy, make_instrument, make_report
from tracker import current_status, scoring
from tracker.models import YEAR_END_ROW, CurrentStatus, ReviewState, StatusReport, YearEndScore

pytestmark = pytest.mark.django_db


def table() -> dict[tuple[int, int], tuple[int, str]]:
    return {
        (c.economy_id, c.commitment_id): (c.report_id, c.status)
        for c in CurrentStatus.objects.all()
    }


def from_history() -> dict[tuple[int, int], tuple[int, str]]:
    # The as-of rule with a date after every report is the definition of "current".
    statuses = scoring.current_statuses(as_of=datetime.date(9999, 12, 31))
    return {key: (s.report_id, s.status) for key, s in statuses.items()}


def year_ends() -> set[tuple]:
    return set(YearEndScore.objects.values_list(*YEAR_END_ROW))


def year_ends_rebuilt() -> set[tuple]:
    """What a rebuild from the whole history gives, leaving the table as it was found."""
    kept = year_ends()
    current_status.year_end_rebuild()
    rebuilt = year_ends()
    assert rebuilt == kept
    return rebuilt


def test_table_follows_publish_correction_and_delete(officer_jpn, reviewer, jpn, commitment):
    from tracker import services

    first = make_report(jpn, commitment, "pilot", "2015-01-01")
    assert table() == {(jpn.pk, commitment.pk): (first.pk, "pilot")}
    correction = make_report(jpn, commitment, "implemented", "2018-01-01")
    assert table() == {(jpn.pk, commitment.pk): (correction.pk, "implemented")}
    # A draft, even with a later date, changes nothing until it is published.
    draft = services.report_create(
        user=officer_jpn,
        economy=jpn,
        commitment=commitment,
        status="partial",
        effective_date=datetime.date(2020, 1, 1),
        evidence="Draft.",
    )
    assert table()[(jpn.pk, commitment.pk)][0] == correction.pk
    services.report_submit(report=draft, user=officer_jpn)
    services.report_publish(report=draft, reviewer=reviewer)
    assert table()[(jpn.pk, commitment.pk)] == (draft.pk, "partial")
    draft.delete()
    assert table()[(jpn.pk, commitment.pk)] == (correction.pk, "implemented")
    StatusReport.objects.all().delete()
    assert table() == {}


def test_points_are_left_out_for_not_applicable(jpn, commitment):
    make_report(jpn, commitment, "not_applicable", "2015-01-01")
    assert CurrentStatus.objects.get().points is None


def test_moving_a_commitment_moves_its_cells(jpn, commitment):
    make_report(jpn, commitment, "implemented", "2015-01-01")
    other = make_instrument("AIDER")
    before = year_ends()
    assert {(row[1], row[2]) for row in before} == {(commitment.instrument_id, 2015)}
    commitment.instrument = other
    commitment.save()
    assert CurrentStatus.objects.get().instrument_id == other.pk
    # The year-end sums leave the old instrument for the new one.
    assert {(row[1], row[2]) for row in year_ends()} == {(other.pk, 2015)}
    year_ends_rebuilt()


def test_cells_carry_their_sums_in_hundredths_of_a_weight(jpn, commitment):
    commitment.weight = Decimal("1.25")
    commitment.save()
    make_report(jpn, commitment, "partial", "2015-01-01")
    cell = CurrentStatus.objects.get()
    assert (cell.earned, cell.scored_weight) == (2 * 125, 125)
    make_report(jpn, commitment, "not_applicable", "2016-01-01")
    cell = CurrentStatus.objects.get()
    assert (cell.earned, cell.scored_weight) == (None, None)


def test_reweighing_a_commitment_moves_today_s_scores(jpn, commitment):
    light = make_commitment(commitment.instrument)
    make_report(jpn, commitment, "implemented", "2015-01-01")
    make_report(jpn, light, "not_implemented", "2015-01-01")
    key = (jpn.pk, commitment.instrument_id)
    assert scoring.scores_for_region()[key].score == 50.0
    commitment.weight = Decimal("3")
    commitment.save()
    # 100 × (3 × 3 + 1 × 0) / ((3 + 1) × 3) = 75, as the history replay has it.
    assert scoring.scores_for_region()[key].score == 75.0
    assert scoring.scores_for_region(as_of=clock.today())[key].score == 75.0
    cell = CurrentStatus.objects.get(commitment=commitment)
    assert (cell.earned, cell.scored_weight) == (900, 300)
    # The year-end sums follow the weight too: 3 × 3 (× 100) earned of (3 + 1) × 100 weight.
    assert year_ends() == {(jpn.pk, commitment.instrument_id, 2015, 900, 400, 2, 2, 2)}
    year_ends_rebuilt()


def test_year_end_sums_by_hand(jpn, commitment):
    other = make_commitment(commitment.instrument, weight=Decimal("2"))
    make_report(jpn, commitment, "pilot", "2015-03-01")
    make_report(jpn, other, "not_applicable", "2015-06-01")
    make_report(jpn, commitment, "implemented", "2017-01-01")
    make_report(jpn, other, "partial", "2017-05-01")
    make_report(jpn, other, "planned", "2017-05-01")  # same day, published later: it wins
    key = (jpn.pk, commitment.instrument_id)
    # 2015: pilot (1 × 100) and N/A: earned 100 of weight 100, 2 covered, 1 scored, 2 reports.
    # 2017: implemented (3 × 100) and planned (0 × 200): 300 of 300, 2 covered, 2 scored, 5.
    assert year_ends() == {(*key, 2015, 100, 100, 2, 1, 2), (*key, 2017, 300, 300, 2, 2, 5)}
    series = scoring.score_series(years=[2014, 2015, 2016, 2017], economy_ids=[jpn.pk])[key]
    assert [(year, s.score, s.covered, s.reports) for year, s in series] == [
        (2014, None, 0, 0),
        (2015, 100 * 100 / 300, 2, 2),
        (2016, 100 * 100 / 300, 2, 2),  # no change in 2016: it stands where 2015 ended
        (2017, 100 * 300 / 900, 2, 5),
    ]


def test_random_histories_match_the_as_of_rule():
    rng = random.Random(7)
    economies = [make_economy() for _ in range(4)]
    instrument = make_instrument("RND")
    commitments = [make_commitment(instrument) for _ in range(5)]
    statuses = [*scoring.POINTS, "not_applicable"]
    for _ in range(120):
        make_report(
            rng.choice(economies),
            rng.choice(commitments),
            rng.choice(statuses),
            datetime.date(2010 + rng.randint(0, 5), rng.randint(1, 12), 1),
            published=rng.random() < 0.8,
        )
    assert table() == from_history()
    year_ends_rebuilt()
    # Deleting reports, published or not, keeps both tables in step.
    for report in rng.sample(list(StatusReport.objects.all()), 30):
        report.delete()
    assert table() == from_history()
    year_ends_rebuilt()
    CurrentStatus.objects.all().delete()
    assert current_status.current_status_rebuild() == len(from_history())
    assert table() == from_history()


def test_reference_data_load_fills_the_table():
    call_command("load_reference_data", stdout=io.StringIO())
    assert table() == from_history()
    assert CurrentStatus.objects.count() > 100


def test_synthetic_generation_fills_the_table_and_marks_everything():
    call_command(
        "generate_synthetic",
        economies=3,
        instruments=2,
        commitments=3,
        years=4,
        seed=1,
        stdout=io.StringIO(),
    )
    assert table() == from_history()
    assert not StatusReport.objects.filter(is_illustrative=False).exists()
    assert StatusReport.objects.filter(review_state=ReviewState.PUBLISHED).count() > 10


def test_synthetic_refuses_a_database_with_real_data():
    call_command("load_reference_data", stdout=io.StringIO())
    with pytest.raises(Exception, match="separate database"):
        call_command("generate_synthetic", scale="region")


def test_withdrawing_a_published_report_takes_it_out_of_the_table_and_year_end_sums(
    jpn, commitment
):
    first = make_report(jpn, commitment, "partial", "2015-06-30")
    later = make_report(jpn, commitment, "implemented", "2018-06-30")
    assert table() == {(jpn.pk, commitment.pk): (later.pk, "implemented")}
    later.review_state = ReviewState.WITHDRAWN
    later.withdrawn_reason = "The source was misread."
    later.withdrawn_at = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    later.save()
    # The cell falls back to the earlier report; 2018 no longer changes the score.
    assert table() == from_history() == {(jpn.pk, commitment.pk): (first.pk, "partial")}
    assert CurrentStatus.objects.get().reports == 1
    instrument = commitment.instrument_id
    # partial: 2 points of 3 at a weight of 1 (hundredths), one cell, one report.
    assert year_ends() == year_ends_rebuilt() == {(jpn.pk, instrument, 2015, 200, 100, 1, 1, 1)}
    first.review_state = ReviewState.WITHDRAWN
    first.withdrawn_reason = "Also misread."
    first.save()
    assert table() == {} and year_ends() == set()


def test_a_cell_without_a_target_carries_its_commitment_s_deadline(jpn, commitment):
    report = make_report(jpn, commitment, "not_implemented", "2010-06-30")
    own = make_report(make_economy("SGP"), commitment, "planned", "2010-06-30")
    own.target_date = datetime.date(2030, 1, 1)
    own.save()
    commitment.target_date = datetime.date(2003, 10, 31)
    commitment.save()
    targets = dict(CurrentStatus.objects.values_list("report_id", "target_date"))
    assert targets == {report.pk: datetime.date(2003, 10, 31), own.pk: datetime.date(2030, 1, 1)}
    cell = scoring.current_statuses()[(jpn.pk, commitment.pk)]
    assert cell.is_overdue(datetime.date(2026, 12, 1))
    current_status.current_status_rebuild()
    assert dict(CurrentStatus.objects.values_list("report_id", "target_date")) == targets
    commitment.target_date = None
    commitment.save()
    assert CurrentStatus.objects.get(report=report).target_date is None
