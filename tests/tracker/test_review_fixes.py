"""Guards found in review: each of these failed before its fix."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from softlaw import clock
from tests.factories import make_commitment, make_economy, make_instrument, make_report
from tracker import scoring, services
from tracker.models import StatusReport

pytestmark = pytest.mark.django_db


def test_future_effective_date_is_refused(jpn, commitment):
    report = StatusReport(
        economy=jpn,
        commitment=commitment,
        status="implemented",
        effective_date=clock.today() + datetime.timedelta(days=200),
        evidence="Law enters into force next year.",
    )
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "planned" in error.value.message_dict["effective_date"][0]


def test_future_effective_date_is_refused_on_import(officer_jpn, jpn, commitment):
    from tracker import importing

    later = clock.today() + datetime.timedelta(days=30)
    content = (
        "economy,commitment,status,effective_date,evidence,source_url\n"
        f"JPN,{commitment.code},implemented,{later.isoformat()},In force soon.,https://example.org\n"
    ).encode()
    with pytest.raises(importing.ImportRefused) as refused:
        importing.check_file(content, filename="rows.csv", user=officer_jpn)
    assert any("future" in str(problem) for problem in refused.value.problems)


def test_null_character_in_a_page_filter_is_a_400(client, db):
    for path in ("/?theme=%00", "/trends/?forum=a%00b", "/economies/?subregion=%00"):
        response = client.get(path)
        assert response.status_code == 400, path
        assert b"null character" in response.content


def test_todays_scores_round_like_the_history_rule_with_fractional_weights():
    # 0.58 × 3 / ((0.22 + 0.58) × 3) = 72.5 % exactly; float sums give 72.49999…
    economy = make_economy()
    instrument = make_instrument()
    light = make_commitment(instrument, weight=Decimal("0.22"))
    heavy = make_commitment(instrument, weight=Decimal("0.58"))
    make_report(economy, light, "not_implemented", "2020-01-01")
    make_report(economy, heavy, "implemented", "2020-01-01")
    today = scoring.score_for_economy(economy_id=economy.pk, instrument_id=instrument.pk)
    replayed = scoring.score_for_economy(
        economy_id=economy.pk, instrument_id=instrument.pk, as_of=clock.today()
    )
    assert today.score == replayed.score == 72.5


def test_nobody_publishes_their_own_report(jpn, commitment, reviewer):
    jpn.officers.add(reviewer)  # a reviewer who is also an officer of Japan
    report = services.report_create(
        user=reviewer,
        economy=jpn,
        commitment=commitment,
        status="partial",
        effective_date=datetime.date(2024, 1, 1),
        evidence="Entered by the reviewer.",
    )
    services.report_submit(report=report, user=reviewer)
    with pytest.raises(PermissionDenied, match="someone other"):
        services.report_publish(report=report, reviewer=reviewer)


def test_history_hides_draft_wording_from_editors(client, officer_jpn, reviewer, editor, jpn):
    commitment = make_commitment(make_instrument("AIDER"), "AIDER-KFA-01")
    report = services.report_create(
        user=officer_jpn,
        economy=jpn,
        commitment=commitment,
        status="partial",
        effective_date=datetime.date(2024, 1, 1),
        evidence="SECRET DRAFT WORDING",
    )
    services.report_update(
        report=report, user=officer_jpn, expected_version=report.version, evidence="Final text."
    )
    services.report_submit(report=report, user=officer_jpn)
    services.report_publish(report=report, reviewer=reviewer)
    history = f"/admin/tracker/statusreport/{report.pk}/history/"
    client.force_login(editor)
    response = client.get(history)
    assert response.status_code == 200
    assert b"SECRET DRAFT WORDING" not in response.content
    client.force_login(officer_jpn)
    assert b"SECRET DRAFT WORDING" in client.get(history).content
