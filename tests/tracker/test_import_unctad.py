"""`manage.py import_unctad`: a later UNCTAD Global Cyberlaw Tracker snapshot adds reports only
where the mapped status changed, through the one import pipeline.

tests/fixtures/unctad/ holds UNCTAD's two files cut down to four countries (Afghanistan, not an
APEC economy; Australia, unchanged; Papua New Guinea, whose cybercrime entry is changed to "No
Legislation"; Singapore, whose consumer-protection entry is changed to "Legislation"), and two
malformed copies.
"""

import datetime
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from instruments.models import Commitment
from softlaw import clock
from tracker import scoring, unctad
from tracker.models import CurrentStatus, Origin, ReviewState, StatusReport

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "unctad"
DATA, LINKS = FIXTURES / "data.csv", FIXTURES / "document_links.json"
SNAPSHOT = "2026-11-01"


@pytest.fixture
def loaded():
    call_command("load_reference_data", stdout=io.StringIO())


def run(*args, data=DATA, links=LINKS, **options) -> str:
    out = io.StringIO()
    call_command("import_unctad", str(data), str(links), *args, stdout=out, stderr=out, **options)
    return out.getvalue()


def unctad_reports():
    return StatusReport.objects.filter(assessor=unctad.ASSESSOR)


def test_dry_run_prints_the_changes_and_writes_nothing(loaded):
    before = StatusReport.history.count()
    output = run("--snapshot-date", SNAPSHOT, "--dry-run")
    assert output.splitlines() == [
        "PNG CYBERSEC-2002-LAW-1: Fully implemented → Not implemented from 2026-11-01 "
        "(Cybercrime: No Legislation)",
        "SGP BLUEPRINT-EC-GOV-2: no UNCTAD assessment → Fully implemented from 2026-11-01 "
        "(Consumer Protection: Legislation)",
        "Dry run: 2 report(s) would be added; nothing was written.",
    ]
    assert StatusReport.history.count() == before


def test_import_adds_only_the_changes_and_a_second_run_adds_nothing(
    loaded, second_reviewer, reviewer
):
    before = unctad_reports().count()
    output = run("--snapshot-date", SNAPSHOT, "--user", "second_reviewer", "--reviewer", "reviewer")
    assert "Added 2 published report(s)." in output
    added = unctad_reports().filter(assessed_on=datetime.date(2026, 11, 1))
    assert unctad_reports().count() == before + 2
    assert {(r.economy.code, r.commitment.code, r.status) for r in added} == {
        ("PNG", "CYBERSEC-2002-LAW-1", "not_implemented"),
        ("SGP", "BLUEPRINT-EC-GOV-2", "implemented"),
    }
    for report in added:
        assert report.review_state == ReviewState.PUBLISHED
        assert report.origin == Origin.INDEPENDENT
        assert (report.entered_by, report.reviewed_by) == (second_reviewer, reviewer)
        assert report.effective_date == datetime.date(2026, 11, 1)
        assert report.source_url_list == [unctad.TRACKER_URL]
        assert report.evidence.startswith("UNCTAD Global Cyberlaw Tracker (snapshot 1 Nov 2026)")
    again = run("--snapshot-date", SNAPSHOT, "--user", "second_reviewer", "--reviewer", "reviewer")
    assert "No change since the last UNCTAD snapshot" in again
    assert unctad_reports().count() == before + 2


def test_no_cybercrime_law_is_overdue_against_the_2003_deadline(loaded, second_reviewer, reviewer):
    run("--snapshot-date", SNAPSHOT, "--user", "second_reviewer", "--reviewer", "reviewer")
    law = Commitment.objects.get(code="CYBERSEC-2002-LAW-1")
    cell = CurrentStatus.objects.get(economy__code="PNG", commitment=law)
    assert cell.status == "not_implemented"
    # The report, dated after the deadline, carries no target; the cell carries the
    # commitment's (31 Oct 2003) and is overdue.
    assert cell.report.target_date is None
    assert cell.target_date == datetime.date(2003, 10, 31)
    statuses = scoring.current_statuses(commitment_ids=[law.pk])
    overdue = {s.economy_id for s in statuses.values() if s.is_overdue(clock.today())}
    assert overdue == {cell.economy_id}
    # The same from the published history (a view as of a past date).
    past = scoring.current_statuses(as_of=datetime.date(2026, 11, 30), commitment_ids=[law.pk])
    assert past[(cell.economy_id, law.pk)].target_date == datetime.date(2003, 10, 31)


def test_a_malformed_status_file_is_refused_whole_with_its_line(loaded, second_reviewer, reviewer):
    before = StatusReport.history.count()
    with pytest.raises(CommandError) as error:
        run(
            "--snapshot-date",
            SNAPSHOT,
            "--user",
            "second_reviewer",
            "--reviewer",
            "reviewer",
            data=FIXTURES / "data_bad_status.csv",
        )
    assert str(error.value) == (
        "data_bad_status.csv line 3: Cybercrime 'Legislated' is not one of Legislation, Draft "
        "Legislation, No Legislation, No Data; nothing was imported."
    )
    assert StatusReport.history.count() == before


def test_a_malformed_links_file_is_refused_whole_with_its_line(loaded, second_reviewer, reviewer):
    with pytest.raises(CommandError) as error:
        run("--snapshot-date", SNAPSHOT, "--dry-run", links=FIXTURES / "document_links_bad.json")
    assert str(error.value).startswith("document_links_bad.json line 5: not valid JSON")


def test_publishing_needs_two_different_reviewers(loaded, editor, reviewer):
    with pytest.raises(CommandError, match="--user is required"):
        run("--snapshot-date", SNAPSHOT)
    with pytest.raises(CommandError, match="--reviewer is required"):
        run("--snapshot-date", SNAPSHOT, "--user", "editor")
    with pytest.raises(CommandError, match="another person"):
        run("--snapshot-date", SNAPSHOT, "--user", "reviewer", "--reviewer", "reviewer")
    with pytest.raises(CommandError, match="editor is not a reviewer"):
        run("--snapshot-date", SNAPSHOT, "--user", "reviewer", "--reviewer", "editor")
    with pytest.raises(CommandError, match="editor is not a reviewer: only reviewers import"):
        run("--snapshot-date", SNAPSHOT, "--user", "editor", "--reviewer", "reviewer")
    assert not unctad_reports().filter(assessed_on=datetime.date(2026, 11, 1)).exists()


def test_an_older_snapshot_is_refused(loaded):
    with pytest.raises(CommandError, match="already holds the UNCTAD snapshot of 2026-04-27"):
        run("--snapshot-date", "2026-01-31", "--dry-run")


def test_reading_a_snapshot_gives_every_apec_economy_and_area():
    entries = unctad.read_snapshot(DATA.read_bytes(), LINKS.read_bytes())
    assert len(entries) == 21 * 5
    covered = {e.economy for e in entries if e.word != unctad.NOT_COVERED}
    assert covered == {"AUS", "PNG", "SGP"}  # Afghanistan is not an APEC economy
    singapore = next(e for e in entries if (e.economy, e.area) == ("SGP", "Consumer Protection"))
    assert singapore.titles == ("Consumer Protection (Fair Trading) Act 2003",)
    assert singapore.urls == ("https://sso.agc.gov.sg/Act/CPFTA2003",)


def test_mapping_words_to_statuses():
    assert unctad.status_for("Cybercrime", "No Legislation") == "not_implemented"
    assert unctad.status_for("Cybercrime", "Draft Legislation") == "planned"
    assert unctad.status_for("Electronic Transactions", "No Legislation") is None
    assert unctad.status_for("Consumer Protection", "Legislation") == "implemented"
    assert unctad.status_for("Privacy and Data Protection", "Legislation") is None
    assert unctad.status_for("Indirect Taxation", "Legislation") is None
    assert unctad.status_for("Cybercrime", "No Data") is None


def test_the_import_pipeline_takes_an_assessor_and_a_second_reviewer(
    loaded, second_reviewer, reviewer
):
    from tracker import importing

    header = (
        "economy,commitment,status,effective_date,evidence,source_url,origin,assessor,assessed_on"
    )
    row = "PNG,CYBERSEC-2002-LAW-1,planned,2026-11-01,Draft.,https://example.org/,{},UNCTAD,"
    row += "2026-11-01"
    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_reports(
            f"{header}\n{row.format('secretariat')}\n".encode(),
            filename="a.csv",
            user=second_reviewer,
            reviewer=reviewer,
            publish=True,
        )
    assert [str(p) for p in refused.value.problems] == [
        "Line 2: assessor and assessed_on belong to an independent assessment only."
    ]
    with pytest.raises(PermissionDenied):
        importing.import_reports(
            f"{header}\n{row.format('independent')}\n".encode(),
            filename="a.csv",
            user=reviewer,
            reviewer=reviewer,
            publish=True,
        )
    result = importing.import_reports(
        f"{header}\n{row.format('independent')}\n".encode(),
        filename="a.csv",
        user=second_reviewer,
        reviewer=reviewer,
        publish=True,
    )
    (report,) = result.reports
    report.refresh_from_db()
    assert (report.assessor, report.assessed_on) == ("UNCTAD", datetime.date(2026, 11, 1))
    assert (report.entered_by, report.reviewed_by) == (second_reviewer, reviewer)
