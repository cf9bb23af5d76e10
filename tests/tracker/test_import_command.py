"""`manage.py import_status FILE [--dry-run] [--user USERNAME] [--publish]`."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tracker.models import ReviewState, StatusReport

# Every test here needs the database, also those that pick a persona at run time: the mark
# keeps them ordered before the transactional (live-server) tests, which empty it.
pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_status", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_officer_imports_drafts_with_a_progress_bar(officer_jpn, jpn, commitment):
    out, err = run(str(FIXTURES / "valid.csv"), "--user", "officer_jpn")
    assert out == "Imported 2 row(s) of valid.csv as draft reports.\n"
    assert "Checking: 100%" in err and "Writing: 100%" in err  # tqdm's bar
    assert (
        list(StatusReport.objects.values_list("review_state", "entered_by__username"))
        == [(ReviewState.DRAFT, "officer_jpn")] * 2
    )


def test_dry_run_writes_nothing(officer_jpn, jpn, commitment):
    out, _ = run(str(FIXTURES / "valid.csv"), "--user", "officer_jpn", "--dry-run")
    assert out == (
        "Dry run: 2 row(s) of valid.csv are valid and would become draft reports; "
        "nothing was written.\n"
    )
    assert not StatusReport.objects.exists()


def test_reviewer_publishes_with_a_second_reviewer(reviewer, second_reviewer, jpn, commitment):
    out, _ = run(
        str(FIXTURES / "valid.csv"),
        "--user",
        "reviewer",
        "--publish",
        "--reviewer",
        "second_reviewer",
    )
    assert out == (
        "Imported 2 row(s) of valid.csv as published reports, entered by reviewer and "
        "published by second_reviewer.\n"
    )
    # Both people are on the record: who entered the rows, and who published them.
    assert set(
        StatusReport.objects.values_list(
            "review_state", "entered_by", "last_changed_by", "reviewed_by"
        )
    ) == {("published", reviewer.pk, reviewer.pk, second_reviewer.pk)}


@pytest.mark.parametrize(
    "arguments",
    [
        ("--user", "reviewer", "--publish"),
        ("--publish", "--reviewer", "second_reviewer"),
        ("--publish",),
    ],
)
def test_publish_without_two_people_is_refused(
    arguments, reviewer, second_reviewer, jpn, commitment
):
    with pytest.raises(CommandError, match=r"--publish needs --user .* and --reviewer"):
        run(str(FIXTURES / "valid.csv"), *arguments)
    assert not StatusReport.objects.exists()


def test_publish_by_the_same_person_twice_is_refused(reviewer, jpn, commitment):
    with pytest.raises(CommandError, match="other than the person who entered it"):
        run(
            str(FIXTURES / "valid.csv"), "--user", "reviewer", "--publish", "--reviewer", "reviewer"
        )
    assert not StatusReport.objects.exists()


def test_the_second_reviewer_must_be_a_reviewer(reviewer, officer_jpn, jpn, commitment):
    with pytest.raises(CommandError, match="officer_jpn is not a reviewer"):
        run(
            str(FIXTURES / "valid.csv"),
            *("--user", "reviewer", "--publish", "--reviewer", "officer_jpn"),
        )
    assert not StatusReport.objects.exists()


def test_officer_cannot_publish(officer_jpn, reviewer, jpn, commitment):
    with pytest.raises(CommandError, match="1 problem"):
        run(
            str(FIXTURES / "valid.csv"),
            *("--user", "officer_jpn", "--publish", "--reviewer", "reviewer"),
        )
    assert not StatusReport.objects.exists()


def test_other_economys_officer_is_refused_every_row(officer_sgp, jpn, sgp, commitment):
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"2 problem\(s\) in valid.csv; nothing was imported"):
        call_command(
            "import_status", str(FIXTURES / "valid.csv"), "--user", "officer_sgp", stderr=err
        )
    assert err.getvalue().splitlines()[-2:] == [
        "valid.csv: Line 2: you are not an officer of Japan (JPN): you import your own "
        "economies' reports only.",
        "valid.csv: Line 3: you are not an officer of Japan (JPN): you import your own "
        "economies' reports only.",
    ]
    assert not StatusReport.objects.exists()


def test_bad_file_lists_every_problem_and_writes_nothing(officer_jpn, jpn, commitment):
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_status", str(FIXTURES / "bad_rows.csv"), "--user", "officer_jpn", stderr=err
        )
    listed = [line for line in err.getvalue().splitlines() if line.startswith("bad_rows.csv:")]
    assert [line.split(":")[1].strip() for line in listed] == [
        "Line 2",
        "Line 3",
        "Line 4",
        "Line 5",
        "Line 6",
        "Line 7",
        "Line 9",
    ]
    assert not StatusReport.objects.exists()


def test_without_user_the_operator_imports_for_any_economy(jpn, sgp, commitment):
    out, _ = run(str(FIXTURES / "valid.csv"))
    assert out.startswith("Imported 2 row(s)")
    assert StatusReport.objects.filter(entered_by__isnull=True).count() == 2


def test_unknown_user_is_a_clear_error(jpn, commitment):
    with pytest.raises(CommandError, match="No active user is called 'nobody'"):
        run(str(FIXTURES / "valid.csv"), "--user", "nobody")


def test_missing_file_is_a_clear_error(db):
    with pytest.raises(CommandError, match=r"Cannot read /no/such/file\.csv: No such file"):
        run("/no/such/file.csv")


def test_a_user_who_may_not_import_is_refused(editor, jpn, commitment):
    # The command's --user passes the same check as the admin (tracker.importing).
    with pytest.raises(CommandError, match="1 problem"):
        run(str(FIXTURES / "valid.csv"), "--user", "editor")
    assert not StatusReport.objects.exists()
