"""The shipped reference data loads, is sourced, and loading it again changes nothing."""

import io

import pytest
from django.core.management import call_command

from economies.models import Economy
from instruments.models import Commitment, Instrument
from tracker import scoring
from tracker.models import ReviewState, StatusReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    call_command("load_reference_data", stdout=io.StringIO())


def test_loads_the_21_economies_and_every_instrument(loaded):
    assert Economy.objects.count() == 21
    assert Instrument.objects.count() == 25
    assert Commitment.objects.count() == 84
    assert StatusReport.objects.count() == 323


def test_second_load_changes_nothing(loaded, capsys):
    history_before = (
        StatusReport.history.count(),
        Economy.history.count(),
        Commitment.history.count(),
    )
    call_command("load_reference_data")
    output = capsys.readouterr().out
    assert "0 created, 0 updated" in output
    assert " created, " in output and "updated" in output
    for line in output.strip().splitlines():
        assert ": 0 created, 0 updated, " in line, line
    assert StatusReport.objects.count() == 323
    after = (StatusReport.history.count(), Economy.history.count(), Commitment.history.count())
    assert after == history_before


def test_every_report_is_published_sourced_and_on_an_economy_commitment(loaded):
    reports = StatusReport.objects.select_related("commitment")
    assert all(r.review_state == ReviewState.PUBLISHED for r in reports)
    assert all(r.evidence.strip() and r.source_url_list for r in reports)
    assert all(r.commitment.scope == Commitment.Scope.ECONOMY for r in reports)
    assert all(r.origin == "secretariat" for r in reports)


def test_cbpr_participation_is_uneven(loaded):
    cbpr = Instrument.objects.get(slug="cbpr")
    scores = scoring.scores_for_region(instrument_ids=[cbpr.pk])
    by_code = {
        Economy.objects.get(pk=economy_id).code: s.score for (economy_id, _), s in scores.items()
    }
    # Japan took every CBPR economy step; Papua New Guinea is a member economy but is absent from
    # the CPEA and CBPR participant lists: ECON-1 implemented (3), ECON-2 and ECON-5 not (0 + 0),
    # the letter-of-intent steps and the enforcement map have no data.
    assert by_code["JPN"] == 100
    assert by_code["PNG"] == pytest.approx(100 * 3 / 9)
    regional = scoring.regional_compute(by_code.values())
    assert regional.economies_with_data == 21
    assert regional.stdev > 20
    assert regional.gini > 0.1


def test_unconfirmed_facts_stay_no_data(loaded):
    # Papua New Guinea's data-protection law is unconfirmed in the sources: no Privacy
    # Framework report, so its score is no data rather than 0.
    png = Economy.objects.get(code="PNG")
    privacy = Instrument.objects.get(slug="privacy-fw")
    score = scoring.score_for_economy(economy_id=png.pk, instrument_id=privacy.pk)
    assert score.score is None
    assert score.coverage == 0


def test_as_of_before_the_cbpr_system_has_no_participants(loaded):
    import datetime

    cbpr = Instrument.objects.get(slug="cbpr")
    regional = scoring.regional_for_instruments(
        as_of=datetime.date(2010, 12, 31), instrument_ids=[cbpr.pk]
    )
    assert regional[cbpr.pk].economies_with_data == 0
