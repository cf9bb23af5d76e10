"""Spreadsheet import (tracker.importing): a file lands whole, or every problem is reported with
its line and nothing is written.

Over 400 lines: one test a rule and a kind of bad file, each naming the line it reports."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_commitment, make_economy, make_report
from tracker import importing, services
from tracker.models import Origin, ReviewState, StatusReport

# Every test here needs the database, also those that pick a persona at run time: the mark
# keeps them ordered before the transactional (live-server) tests, which empty it.
pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
HEADER = "economy,commitment,status,effective_date,evidence,source_url"


@pytest.fixture
def collective(commitment):
    return make_commitment(commitment.instrument, "CBPR-COMP-1", scope="collective")


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def refused(data: bytes, user, filename="reports.csv", **kwargs) -> list[str]:
    with pytest.raises(importing.ImportRefused) as caught:
        importing.import_reports(data, filename=filename, user=user, **kwargs)
    assert not StatusReport.objects.exists(), "a refused file must write nothing"
    return [str(p) for p in caught.value.problems]


# --- a good file lands whole


def test_valid_csv_becomes_drafts_of_the_officer(officer_jpn, jpn, commitment):
    data = (FIXTURES / "valid.csv").read_bytes()
    result = importing.import_reports(data, filename="valid.csv", user=officer_jpn)
    assert result.count == 2 and result.lines == [2, 3]
    first, second = StatusReport.objects.order_by("effective_date")
    assert (first.economy, first.commitment, first.status) == (jpn, commitment, "partial")
    assert first.effective_date == datetime.date(2023, 6, 1)
    assert first.target_date == datetime.date(2026, 12, 31)
    assert first.origin == Origin.SELF_REPORTED
    assert first.review_state == ReviewState.DRAFT and first.entered_by == officer_jpn
    # Two addresses in one cell, separated by a space, become one address a line.
    assert second.source_url_list == ["https://cbprs.org/", "https://www.ppc.go.jp/"]
    assert second.target_date is None


def test_valid_xlsx_with_date_cells_imports(officer_jpn, jpn, commitment):
    data = xlsx_bytes(
        [
            HEADER.split(","),
            ["JPN", "CBPR-ECON-5", "pilot", datetime.date(2021, 3, 4), "Pilot run.", ""],
            [None] * 6,  # spreadsheets keep empty rows below the data
        ]
    )
    result = importing.import_reports(data, filename="reports.xlsx", user=officer_jpn)
    assert result.count == 1
    report = StatusReport.objects.get()
    assert (report.status, report.effective_date) == ("pilot", datetime.date(2021, 3, 4))


def test_reviewers_import_for_publication_waits_for_another_reviewer(
    reviewer, second_reviewer, jpn, sgp, commitment
):
    data = csv_bytes(
        "JPN,CBPR-ECON-5,implemented,2020-01-01,Certified.,https://cbprs.org/",
        "SGP,CBPR-ECON-5,partial,2020-01-01,Agent recognised.,https://cbprs.org/",
    )
    importing.import_reports(data, filename="r.csv", user=reviewer, publish=True)
    reports = list(StatusReport.objects.all())
    # Submitted, not published: no one publishes rows nobody else saw.
    assert {r.review_state for r in reports} == {ReviewState.SUBMITTED}
    assert {(r.entered_by, r.last_changed_by, r.reviewed_by) for r in reports} == {
        (reviewer, reviewer, None)
    }
    assert all(r.submitted_at is not None and r.published_at is None for r in reports)
    # A reviewer's spreadsheet is the secretariat's research unless the origin column says not.
    assert {r.origin for r in reports} == {Origin.SECRETARIAT}
    with pytest.raises(PermissionDenied, match="other than the person who entered it"):
        services.reports_publish(reports=reports, reviewer=reviewer)
    assert services.reports_publish(reports=reports, reviewer=second_reviewer) == 2
    assert set(StatusReport.objects.values_list("review_state", "reviewed_by")) == {
        (ReviewState.PUBLISHED, second_reviewer.pk)
    }


def test_import_published_at_once_names_a_second_reviewer(
    reviewer, second_reviewer, jpn, commitment
):
    data = csv_bytes("JPN,CBPR-ECON-5,implemented,2020-01-01,Certified.,https://cbprs.org/")
    importing.import_reports(
        data, filename="r.csv", user=reviewer, publish=True, reviewer=second_reviewer
    )
    report = StatusReport.objects.get()
    assert report.review_state == ReviewState.PUBLISHED
    assert (report.entered_by, report.last_changed_by, report.reviewed_by) == (
        reviewer,
        reviewer,
        second_reviewer,
    )


def test_import_is_never_published_by_the_person_entering_it(reviewer, jpn, commitment):
    data = csv_bytes("JPN,CBPR-ECON-5,implemented,2020-01-01,Certified.,https://cbprs.org/")
    with pytest.raises(PermissionDenied, match="other than the person who entered it"):
        importing.import_reports(
            data, filename="r.csv", user=reviewer, publish=True, reviewer=reviewer
        )
    assert not StatusReport.objects.exists()


def test_officer_cannot_publish_by_import(officer_jpn, jpn, commitment):
    data = csv_bytes("JPN,CBPR-ECON-5,implemented,2020-01-01,Certified.,https://cbprs.org/")
    assert refused(data, officer_jpn, publish=True) == [
        "Only reviewers import reports for publication."
    ]


def test_reviewer_cannot_import_drafts_without_an_economy(reviewer, jpn, commitment):
    data = csv_bytes("JPN,CBPR-ECON-5,implemented,2020-01-01,Certified.,https://cbprs.org/")
    assert refused(data, reviewer) == ["Only economy officers import status reports."]


def test_dry_run_checks_and_writes_nothing(officer_jpn, jpn, commitment):
    data = (FIXTURES / "valid.csv").read_bytes()
    result = importing.import_reports(data, filename="valid.csv", user=officer_jpn, dry_run=True)
    assert result.count == 2 and result.dry_run
    assert not StatusReport.objects.exists()


def test_history_records_who_imported(officer_jpn, jpn, commitment):
    importing.import_reports(
        (FIXTURES / "valid.csv").read_bytes(), filename="valid.csv", user=officer_jpn
    )
    history = StatusReport.history.all()
    assert history.count() == 2
    assert {h.history_user for h in history} == {officer_jpn}
    assert {h.history_change_reason for h in history} == {"Imported from a spreadsheet"}


# --- one bad row: every problem reported, nothing written


def test_every_bad_row_is_reported_with_line_and_reason(officer_jpn, jpn, sgp, collective):
    problems = refused((FIXTURES / "bad_rows.csv").read_bytes(), officer_jpn)
    assert problems == [
        "Line 2: unknown economy 'XYZ': use its ISO alpha-3 code.",
        "Line 3: unknown commitment 'NOPE-1'.",
        "Line 4: status 'done' is not on the scale: use one of implemented, partial, pilot, "
        "planned, not_implemented, not_applicable.",
        "Line 5: effective_date '2024-02-30' is not a real date written YYYY-MM-DD.",
        "Line 6: you are not an officer of Singapore (SGP): you import your own economies' "
        "reports only.",
        "Line 7: CBPR-COMP-1 is a collective commitment, carried out by APEC as a whole: status "
        "reports are made only on commitments each economy carries out.",
        "Line 9: duplicate row: same economy, commitment and effective date as line 8.",
    ]


def test_one_bad_row_among_good_ones_writes_nothing(officer_jpn, jpn, commitment):
    good = "JPN,CBPR-ECON-5,partial,2023-01-01,Fine.,https://cbprs.org/"
    rows = [good.replace("2023-01-01", f"2023-01-{day:02d}") for day in range(1, 20)]
    rows.insert(10, "JPN,CBPR-ECON-5,partial,2023-13-01,Bad month.,https://cbprs.org/")
    problems = refused(csv_bytes(*rows), officer_jpn)
    assert problems == [
        "Line 12: effective_date '2023-13-01' is not a real date written YYYY-MM-DD."
    ]


def test_a_row_with_several_problems_lists_each(officer_jpn, jpn, commitment):
    problems = refused(csv_bytes("JPN,CBPR-ECON-5,great,01/02/2023,,ftp://x"), officer_jpn)
    assert problems == [
        "Line 2: effective_date '01/02/2023' is not a real date written YYYY-MM-DD.",
        "Line 2: evidence is empty: say what shows the status.",
        "Line 2: source_url: address 1 is not a web address (http or https): ftp://x",
        "Line 2: status 'great' is not on the scale: use one of implemented, partial, pilot, "
        "planned, not_implemented, not_applicable.",
    ]


def test_row_already_recorded_is_a_duplicate(officer_jpn, jpn, commitment):
    existing = make_report(jpn, commitment, "partial", "2023-06-01", evidence="Same text.")
    data = csv_bytes("JPN,CBPR-ECON-5,partial,2023-06-01,Same text.,https://cbprs.org/")
    with pytest.raises(importing.ImportRefused) as caught:
        importing.import_reports(data, filename="r.csv", user=officer_jpn)
    assert [str(p) for p in caught.value.problems] == [
        f"Line 2: already recorded as report {existing.pk}, with the same economy, commitment, "
        "effective date, status and evidence."
    ]
    assert StatusReport.objects.count() == 1


def test_target_before_effective_and_bad_origin(officer_jpn, jpn, commitment):
    header = HEADER + ",target_date,origin"
    data = csv_bytes("JPN,CBPR-ECON-5,planned,2023-06-01,Plan.,,2022-01-01,rumour", header=header)
    assert refused(data, officer_jpn) == [
        "Line 2: origin 'rumour' is not one of self_reported, secretariat, independent.",
        "Line 2: target_date 2022-01-01 is before effective_date 2023-06-01.",
    ]


def test_the_import_and_the_model_word_each_rule_alike(officer_jpn, jpn, commitment, collective):
    # One set of rules (tracker.validation): the import's problems are the model's messages.
    header = HEADER + ",target_date"
    data = csv_bytes(
        "JPN,CBPR-ECON-5,planned,2023-06-01,Plan.,ftp://x,2022-01-01",
        "JPN,CBPR-COMP-1,planned,2023-06-01,Plan.,https://example.org/,",
        header=header,
    )
    problems = refused(data, officer_jpn)
    model = StatusReport(
        economy=jpn,
        commitment=collective,
        status="planned",
        effective_date=datetime.date(2023, 6, 1),
        target_date=datetime.date(2022, 1, 1),
        evidence="Plan.",
        source_urls="ftp://x",
    )
    with pytest.raises(ValidationError) as error:
        model.full_clean()
    said = error.value.message_dict
    assert problems == [
        f"Line 2: source_url: {said['source_urls'][0]}",
        f"Line 2: {said['target_date'][0]}",
        f"Line 3: {said['commitment'][0]}",
    ]


def test_bad_rows_in_xlsx_use_spreadsheet_row_numbers(officer_jpn, jpn, commitment):
    data = xlsx_bytes(
        [
            HEADER.split(","),
            ["JPN", "CBPR-ECON-5", "pilot", "2021-03-04", "Fine.", ""],
            [None] * 6,
            ["JPN", "CBPR-ECON-5", "pilot", datetime.datetime(2021, 3, 5, 14, 30), "Time.", ""],
        ]
    )
    assert refused(data, officer_jpn, filename="r.xlsx") == [
        "Line 4: effective_date 2021-03-05T14:30:00 has a time of day: give the date only."
    ]


# --- bad files


def test_wrong_encoding_is_refused_with_the_line(officer_jpn, jpn, commitment):
    problems = refused((FIXTURES / "latin1.csv").read_bytes(), officer_jpn)
    assert problems == [
        "Line 2: the file is not UTF-8 text (byte 0xe9 cannot be read). Save it as “CSV UTF-8” "
        "and import it again."
    ]


def test_utf8_with_byte_order_mark_is_read(officer_jpn, jpn, commitment):
    data = "\ufeff".encode() + csv_bytes(
        "JPN,CBPR-ECON-5,partial,2023-06-01,Loi adoptée — “CBPR”.,https://cbprs.org/"
    )
    importing.import_reports(data, filename="r.csv", user=officer_jpn)
    assert StatusReport.objects.get().evidence == "Loi adoptée — “CBPR”."


def test_missing_column_is_refused(officer_jpn, jpn, commitment):
    data = csv_bytes(
        "JPN,CBPR-ECON-5,partial,2023-06-01,Text.", header=HEADER[: -len(",source_url")]
    )
    assert refused(data, officer_jpn) == [
        "Line 1: missing column(s) source_url: economy, commitment, status, effective_date, "
        "evidence, source_url (and optionally target_date, origin, assessor, assessed_on)."
    ]


def test_extra_column_is_refused_rather_than_ignored(officer_jpn, jpn, commitment):
    # "target date" misspelt would otherwise be dropped without a word.
    data = csv_bytes(
        "JPN,CBPR-ECON-5,partial,2023-06-01,Text.,,2025-01-01", header=HEADER + ",target date"
    )
    assert refused(data, officer_jpn) == [
        "Line 1: unknown column(s) target date: the columns are economy, commitment, status, "
        "effective_date, evidence, source_url (and optionally target_date, origin, assessor, "
        "assessed_on)."
    ]


def test_row_with_more_cells_than_the_header(officer_jpn, jpn, commitment):
    data = csv_bytes("JPN,CBPR-ECON-5,partial,2023-06-01,Text.,https://cbprs.org/,surplus")
    assert refused(data, officer_jpn) == ["Line 2: 7 cells, but the header names 6 columns."]


def test_repeated_column_is_refused(officer_jpn, jpn, commitment):
    data = csv_bytes("JPN,CBPR-ECON-5,partial,2023-06-01,Text.,,x", header=HEADER + ",evidence")
    assert refused(data, officer_jpn) == ["Line 1: column(s) evidence appear twice."]


def test_empty_file_is_refused(officer_jpn):
    assert refused(b"", officer_jpn) == [
        "The file is empty: the first row must name the columns ('economy', 'commitment', "
        "'status', 'effective_date', 'evidence', 'source_url', 'target_date', 'origin', "
        "'assessor', 'assessed_on')."
    ]


def test_header_only_file_is_refused(officer_jpn):
    assert refused(csv_bytes(), officer_jpn) == [
        "Line 1: the file has a header but no rows: nothing to import."
    ]


def test_file_of_another_kind_is_refused(officer_jpn):
    assert refused(b"%PDF-1.7", officer_jpn, filename="report.pdf") == [
        "report.pdf is not a .csv or .xlsx file."
    ]


def test_csv_renamed_xlsx_is_refused(officer_jpn):
    assert refused(csv_bytes(), officer_jpn, filename="r.xlsx") == [
        "The file is not a readable XLSX workbook (Excel 2007 or later)."
    ]


def test_nul_byte_is_refused(officer_jpn, jpn, commitment):
    data = csv_bytes("JPN,CBPR-ECON-5,partial,2023-06-01,Te\x00xt.,")
    assert refused(data, officer_jpn) == [
        "Line 2: the file holds a NUL byte: it is not a CSV file."
    ]


def test_unclosed_quote_is_refused(officer_jpn, jpn, commitment):
    data = csv_bytes('JPN,CBPR-ECON-5,partial,2023-06-01,"Text, never closed,')
    assert refused(data, officer_jpn) == ["Line 2: the CSV cannot be read: unexpected end of data."]


def test_five_megabyte_file_imports_whole(officer_jpn, jpn, commitment):
    evidence = "Long quoted evidence. " * 240  # about 5 kB a row
    start = datetime.date(2000, 1, 1)
    rows = [
        f"JPN,CBPR-ECON-5,partial,{start + datetime.timedelta(days=n)},{evidence}{n},"
        for n in range(1000)
    ]
    data = csv_bytes(*rows)
    assert len(data) > 5 * 1024 * 1024
    result = importing.import_reports(data, filename="big.csv", user=officer_jpn)
    assert result.count == 1000 == StatusReport.objects.count()


def test_file_over_the_limit_is_refused_before_reading(officer_jpn, monkeypatch):
    monkeypatch.setattr(importing, "MAX_BYTES", 1024 * 1024)
    data = csv_bytes("x" * (2 * 1024 * 1024))
    assert refused(data, officer_jpn) == [
        "The file is 2.0 MB; the limit is 1 MB. Split it into smaller files."
    ]


def test_formula_in_a_csv_evidence_cell_is_kept_as_text(officer_jpn, jpn, commitment):
    # Stored as the officer typed it; every export escapes it (see test_export.py).
    data = csv_bytes('JPN,CBPR-ECON-5,partial,2023-06-01,"=HYPERLINK(""http://x"",""y"")",')
    importing.import_reports(data, filename="r.csv", user=officer_jpn)
    assert StatusReport.objects.get().evidence == '=HYPERLINK("http://x","y")'


def test_formula_in_an_xlsx_evidence_cell_is_refused(officer_jpn, jpn, commitment):
    data = xlsx_bytes(
        [HEADER.split(","), ["JPN", "CBPR-ECON-5", "pilot", "2021-03-04", "=1+1", ""]]
    )
    assert refused(data, officer_jpn, filename="r.xlsx") == [
        "Line 2: evidence holds a formula (=1+1); type the value itself, formulas are never "
        "imported.",
        "Line 2: evidence is empty: say what shows the status.",
    ]


def test_too_many_rows_is_refused(officer_jpn, jpn, commitment, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    rows = [f"JPN,CBPR-ECON-5,partial,2023-06-0{n},T.," for n in range(1, 6)]
    assert refused(csv_bytes(*rows), officer_jpn) == [
        "Line 5: the file has more than 3 rows: split it."
    ]


# --- speed: no query per row


def rows_csv(count: int) -> bytes:
    start = datetime.date(2000, 1, 1)
    return csv_bytes(
        *[
            f"JPN,CBPR-ECON-5,partial,{start + datetime.timedelta(days=n)},Row {n}.,"
            for n in range(count)
        ]
    )


def test_checking_reads_the_same_few_queries_for_5_or_900_rows(officer_jpn, jpn, commitment):
    make_economy("PNG", iso_alpha2="PG", name="Papua New Guinea")
    counts = []
    for rows in (5, 900):
        user = User.objects.get(pk=officer_jpn.pk)  # as each request or command reads it
        with CaptureQueriesContext(connection) as captured:
            importing.import_reports(rows_csv(rows), filename="r.csv", user=user, dry_run=True)
        counts.append(len(captured))
    # 1 the officer's economies (may they import at all), 2 every economy, 3 every commitment,
    # 4 the reports already recorded on the file's commitments, 5 the statuses published now
    # on them (unchanged rows are skipped), 6 the economies the officer may import for (read
    # afresh, not from the cache of 1).
    assert counts == [6, 6]


def test_writing_inserts_in_batches_not_a_query_per_row(officer_jpn, jpn, commitment):
    with CaptureQueriesContext(connection) as captured:
        importing.import_reports(rows_csv(900), filename="r.csv", user=officer_jpn)
    inserts = [q for q in captured if q["sql"].startswith("INSERT")]
    assert StatusReport.objects.count() == 900 == StatusReport.history.count()
    # One INSERT of reports and one of their history per batch the database takes at once
    # (SQLite caps the parameters of one statement; PostgreSQL takes the 500 of a batch).
    assert len(inserts) < 900 / 10


# --- the current-status table follows a published import


def current_table() -> dict[tuple[int, int], str]:
    from tracker.models import CurrentStatus

    return {(c.economy_id, c.commitment_id): c.status for c in CurrentStatus.objects.all()}


def test_published_import_updates_current_status(reviewer, second_reviewer, jpn, sgp, commitment):
    make_report(jpn, commitment, "pilot", "2019-01-01")
    data = csv_bytes(
        "JPN,CBPR-ECON-5,implemented,2020-01-01,Certified.,",
        "SGP,CBPR-ECON-5,partial,2020-01-01,Agent recognised.,",
    )
    importing.import_reports(
        data, filename="r.csv", user=reviewer, publish=True, reviewer=second_reviewer
    )
    assert current_table() == {
        (jpn.pk, commitment.pk): "implemented",
        (sgp.pk, commitment.pk): "partial",
    }


def test_published_import_of_many_cells_rebuilds_current_status(
    reviewer, second_reviewer, jpn, commitment, monkeypatch
):
    from tracker import services

    monkeypatch.setattr(services, "REBUILD_ABOVE_CELLS", 2)
    others = [make_commitment(commitment.instrument, f"CBPR-ECON-{n}") for n in range(6, 9)]
    data = csv_bytes(
        *[f"JPN,{c.code},pilot,2020-01-01,Pilot.," for c in [commitment, *others]],
    )
    importing.import_reports(
        data, filename="r.csv", user=reviewer, publish=True, reviewer=second_reviewer
    )
    assert current_table() == {(jpn.pk, c.pk): "pilot" for c in [commitment, *others]}


def test_draft_import_leaves_current_status_alone(officer_jpn, jpn, commitment):
    make_report(jpn, commitment, "pilot", "2019-01-01")
    data = csv_bytes("JPN,CBPR-ECON-5,implemented,2020-01-01,Certified.,")
    importing.import_reports(data, filename="r.csv", user=officer_jpn)
    assert current_table() == {(jpn.pk, commitment.pk): "pilot"}
