"""Upgrading a live site: `load_reference_data` on a database loaded with the previous reference
data (tests/fixtures/reference_data_245c110/, reference_data/ as of commit 245c110) brings it to
the new state, with nothing duplicated and nothing lost from history."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from economies.models import Economy
from instruments.models import Commitment, Instrument
from tracker import scoring
from tracker.current_status import current_status_rebuild
from tracker.models import (
    STATEMENT_FIELDS,
    YEAR_END_ROW,
    CurrentStatus,
    ReviewState,
    StatusReport,
    YearEndScore,
)

pytestmark = pytest.mark.django_db

OLD = Path(__file__).resolve().parent.parent / "fixtures" / "reference_data_245c110"
MIRROR = "https://dev2.ts-export.com/carview.php?tsp=https%3A%2F%2Fcbprs.org%2Fdocuments%2F"


def load(directory=None) -> str:
    out = io.StringIO()
    options = {"directory": directory} if directory else {}
    call_command("load_reference_data", stdout=out, **options)
    return out.getvalue()


def statements():
    """What the published reports state, as a multiset."""
    return sorted(
        StatusReport.objects.filter(review_state=ReviewState.PUBLISHED).values_list(
            "economy__code", "commitment__code", *STATEMENT_FIELDS
        )
    )


def derived_tables():
    cells = sorted(
        CurrentStatus.objects.values_list(
            "economy__code",
            "commitment__code",
            "status",
            "earned",
            "scored_weight",
            "reports",
            "is_scored",
            "effective_date",
            "target_date",
        )
    )
    year_ends = sorted(
        YearEndScore.objects.values_list("economy__code", "instrument__slug", *YEAR_END_ROW[2:])
    )
    return cells, year_ends


@pytest.fixture
def old_site():
    load(OLD)
    assert StatusReport.objects.filter(review_state=ReviewState.PUBLISHED).count() == 323


def test_upgrade_counts(old_site):
    output = load()
    assert "commitments: 1 created, 2 updated, 82 unchanged" in output
    # Withdrawn: 21 CBPR ECON-1 reports and Chile's 9 planned ones. Corrected in place: the 35
    # reports whose source or evidence named the mirror, and Brunei's 9 (their evidence now
    # says what the new entry-into-force row changes). Added: Chile's two partial series (18),
    # Brunei in force (9), two Global CBPR agents, 18 AIDER strategies, 54 UNCTAD assessments.
    assert "reports: 101 created, 44 updated, 249 unchanged, 30 withdrawn" in output
    assert StatusReport.objects.count() == 323 + 101
    assert StatusReport.objects.filter(review_state=ReviewState.PUBLISHED).count() == 394
    assert StatusReport.objects.filter(review_state=ReviewState.WITHDRAWN).count() == 30


def test_upgraded_site_states_and_scores_what_a_fresh_one_does(old_site):
    load()
    upgraded = statements(), derived_tables()
    # The derived tables kept in step report by report equal a rebuild from scratch...
    current_status_rebuild()
    assert derived_tables() == upgraded[1]
    # ...and a fresh database loaded with the new data only.
    StatusReport.history.all().delete()
    CurrentStatus.objects.all().delete()
    YearEndScore.objects.all().delete()
    StatusReport.objects.all().delete()
    load()
    assert (statements(), derived_tables()) == upgraded


def test_second_upgrade_run_changes_nothing(old_site):
    load()
    history = StatusReport.history.count()
    output = load()
    assert "reports: 0 created, 0 updated, 394 unchanged" in output
    assert "withdrawn" not in output
    assert StatusReport.history.count() == history


def test_withdrawn_reports_keep_their_history_and_leave_every_figure(old_site):
    png = Economy.objects.get(code="PNG")
    cbpr = Instrument.objects.get(slug="cbpr")
    econ_1 = Commitment.objects.get(code="CBPR-ECON-1")
    report = StatusReport.objects.get(economy=png, commitment=econ_1)
    # Before: membership counted as a step: 3 points of 9 (ECON-1 of ECON-1, 2 and 5).
    assert scoring.score_for_economy(economy_id=png.pk, instrument_id=cbpr.pk).score == (
        pytest.approx(100 / 3)
    )
    year_end_before = YearEndScore.objects.get(economy=png, instrument=cbpr, year=2011)
    # Sums in hundredths of a weight: 3 points on ECON-1, 0 on ECON-2 and ECON-5, weight 1 each.
    assert (year_end_before.earned, year_end_before.scored_weight) == (300, 300)

    load()
    report.refresh_from_db()
    assert report.review_state == ReviewState.WITHDRAWN
    assert report.withdrawn_reason.startswith("Rule R1 (audit of 2026-12)")
    assert report.withdrawn_at is not None
    history = list(report.history.order_by("history_date"))
    assert [h.review_state for h in history] == [ReviewState.PUBLISHED, ReviewState.WITHDRAWN]
    assert history[-1].history_change_reason.startswith("Withdrawn: Rule R1")
    # Out of every figure: today, as of a past date, and in the year-end sums.
    assert not CurrentStatus.objects.filter(report=report).exists()
    assert scoring.score_for_economy(economy_id=png.pk, instrument_id=cbpr.pk).score == 0
    past = scoring.score_for_economy(
        economy_id=png.pk, instrument_id=cbpr.pk, as_of=datetime.date(2015, 6, 30)
    )
    assert past.score == 0
    year_end = YearEndScore.objects.get(economy=png, instrument=cbpr, year=2011)
    # ECON-2 and ECON-5 not implemented: 0 points over a weight of 2.
    assert (year_end.earned, year_end.scored_weight, year_end.covered) == (0, 200, 2)


def test_chile_planned_is_withdrawn_and_partial_takes_its_place(old_site):
    chile = Economy.objects.get(code="CHL")
    privacy = Instrument.objects.get(slug="privacy-fw")
    assert scoring.score_for_economy(economy_id=chile.pk, instrument_id=privacy.pk).score == 0
    load()
    planned = StatusReport.objects.filter(economy=chile, status="planned")
    assert planned.count() == 9
    assert {r.review_state for r in planned} == {ReviewState.WITHDRAWN}
    assert all("Rule R2" in r.withdrawn_reason for r in planned)
    score = scoring.score_for_economy(economy_id=chile.pk, instrument_id=privacy.pk)
    assert score.score == pytest.approx(100 * 2 / 3)


def test_mirror_sources_are_corrected_in_place_with_history(old_site):
    report = StatusReport.objects.get(economy__code="JPN", commitment__code="CBPR-ECON-5")
    assert report.source_urls == MIRROR
    load()
    corrected = StatusReport.objects.get(pk=report.pk)
    assert corrected.source_urls == "https://cbprs.org/documents/"
    assert corrected.review_state == ReviewState.PUBLISHED
    assert (corrected.status, corrected.effective_date) == (report.status, report.effective_date)
    assert corrected.version == report.version + 1
    history = list(corrected.history.order_by("history_date"))
    assert [h.source_urls for h in history] == [MIRROR, "https://cbprs.org/documents/"]
    assert history[-1].history_change_reason.startswith("Reference data correction")
    # No published report is left on the mirror, and no cell holds two reports of one date.
    published = StatusReport.objects.filter(review_state=ReviewState.PUBLISHED)
    assert not published.filter(source_urls__contains="dev2.ts-export.com").exists()
    assert not published.filter(evidence__contains="dev2.ts-export.com").exists()
    keys = list(published.values_list("economy_id", "commitment_id", "effective_date"))
    assert len(keys) == len(set(keys))


def test_a_report_someone_entered_is_never_withdrawn_or_rewritten(old_site, reviewer):
    # Only reports the command itself published (no one entered or reviewed them) are changed.
    report = StatusReport.objects.get(economy__code="PNG", commitment__code="CBPR-ECON-1")
    report.reviewed_by = reviewer
    report.save()
    load()
    report.refresh_from_db()
    assert report.review_state == ReviewState.PUBLISHED
