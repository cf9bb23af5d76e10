"""The prefilled spreadsheet of the workspace: an economy's commitments with their current
statuses as XLSX, edited and imported back through the import, where rows left as they are
are skipped as unchanged instead of being recorded again."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import make_commitment, make_instrument, make_report
from tracker import importing, workspace
from tracker.models import ReviewState, StatusReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def cells(jpn, sgp):
    cbpr = make_instrument("CBPR")
    first = make_commitment(cbpr, "CBPR-ECON-1", title="Join the Privacy Recognition system")
    second = make_commitment(cbpr, "CBPR-ECON-2", title="Name an accountability agent")
    third = make_commitment(cbpr, "CBPR-ECON-3", title="Report yearly")
    make_commitment(cbpr, "CBPR-COLL-1", scope="collective")
    make_report(
        jpn,
        first,
        "partial",
        "2022-03-01",
        target_date=datetime.date(2027, 1, 1),
        evidence="=SUM(A1) looks like a formula",
        source_urls="https://example.org/a\nhttps://example.org/b",
    )
    make_report(jpn, second, "pilot", "2021-01-01", evidence="Pilot in two prefectures.")
    make_report(sgp, first, "implemented", "2020-01-01", evidence="Singapore's.")
    return first, second, third


def url(code):
    return reverse("workspace_spreadsheet", args=[code])


def rows_of(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_officer_downloads_their_economys_commitments_with_current_statuses(
    client, officer_jpn, cells
):
    client.force_login(officer_jpn)
    response = client.get(url("JPN"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="JPN-commitments-' in response["Content-Disposition"]
    header, *rows = rows_of(response.content)
    assert header == [
        "economy",
        "economy_name",
        "instrument",
        "commitment",
        "commitment_title",
        "status",
        "effective_date",
        "target_date",
        "evidence",
        "source_url",
        "origin",
    ]
    assert [r[3] for r in rows] == ["CBPR-ECON-1", "CBPR-ECON-2", "CBPR-ECON-3"]
    first, second, third = rows
    assert first[:6] == ["JPN", "Japan", "CBPR", "CBPR-ECON-1", cells[0].title, "partial"]
    assert first[6] == datetime.datetime(2022, 3, 1)
    assert first[7] == datetime.datetime(2027, 1, 1)
    # Formula-safe: the evidence starting with = is text with a leading apostrophe.
    assert first[8] == "'=SUM(A1) looks like a formula"
    assert first[9] == "https://example.org/a\nhttps://example.org/b"
    assert second[5:7] == ["pilot", datetime.datetime(2021, 1, 1)]
    assert third[5] is None  # no published status: left for the officer to fill in


def test_spreadsheet_columns_are_the_imports_with_every_reference_name():
    columns = set(workspace.SPREADSHEET_COLUMNS)
    assert columns <= set(importing.COLUMNS + importing.REFERENCE_COLUMNS)
    assert set(importing.REQUIRED_COLUMNS) <= columns
    assert set(importing.REFERENCE_COLUMNS) <= columns


def test_officer_of_japan_cannot_download_singapore(client, officer_jpn, reviewer, cells):
    client.force_login(officer_jpn)
    assert client.get(url("SGP")).status_code == 403
    assert client.get(url("XXX")).status_code == 403
    client.force_login(reviewer)
    assert client.get(url("JPN")).status_code == 403


def test_spreadsheet_imported_back_untouched_records_nothing(client, officer_jpn, cells):
    client.force_login(officer_jpn)
    data = client.get(url("JPN")).content
    before = StatusReport.objects.count()
    result = importing.import_reports(data, filename="jpn.xlsx", user=officer_jpn)
    assert result.count == 0
    assert result.unchanged == [2, 3]  # the two published rows, lines 2 and 3
    assert result.blank == [4]  # the commitment without a status, left blank
    assert StatusReport.objects.count() == before


def test_spreadsheet_edited_imports_only_the_changed_rows(client, officer_jpn, jpn, cells):
    client.force_login(officer_jpn)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url("JPN")).content))
    sheet = workbook.worksheets[0]
    # Row 3: CBPR-ECON-2 moves from pilot to partial; row 4: CBPR-ECON-3 gets its first status.
    sheet["F3"], sheet["G3"] = "partial", datetime.date(2025, 2, 1)
    sheet["I3"] = "Rolled out in ten prefectures."
    sheet["F4"], sheet["G4"], sheet["I4"] = "planned", datetime.date(2025, 3, 1), "A plan."
    out = io.BytesIO()
    workbook.save(out)

    response = client.post(
        reverse("admin:tracker_statusreport_import"),
        {"file": _upload(out.getvalue())},
    )
    assert response.context["result"].count == 2
    assert response.context["result"].unchanged == [2]
    assert "1 row unchanged" in response.content.decode()
    response = client.post(
        reverse("admin:tracker_statusreport_import"),
        {"token": response.context["token"]},
        follow=True,
    )
    assert "Imported 2 row(s) of jpn.xlsx as draft reports. 1 unchanged row(s) skipped." in (
        response.content.decode()
    )
    drafts = StatusReport.objects.filter(review_state=ReviewState.DRAFT).order_by("commitment")
    assert [(d.commitment.code, d.status, d.origin) for d in drafts] == [
        ("CBPR-ECON-2", "partial", "self_reported"),
        ("CBPR-ECON-3", "planned", "self_reported"),
    ]
    assert all(d.economy == jpn and d.entered_by == officer_jpn for d in drafts)


def test_a_row_changing_its_sources_is_not_skipped_as_unchanged(client, officer_jpn, cells):
    client.force_login(officer_jpn)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url("JPN")).content))
    sheet = workbook.worksheets[0]
    sheet["J3"] = "https://example.org/new"
    out = io.BytesIO()
    workbook.save(out)
    # Same date, status and evidence with other sources: the import's rule against recording a
    # statement twice names it, rather than passing over it in silence.
    with pytest.raises(importing.ImportRefused, match="Line 3: already recorded"):
        importing.import_reports(out.getvalue(), filename="jpn.xlsx", user=officer_jpn)
    # With a new effective date, it is a new statement.
    sheet["G3"] = datetime.date(2025, 1, 1)
    out = io.BytesIO()
    workbook.save(out)
    result = importing.import_reports(out.getvalue(), filename="jpn.xlsx", user=officer_jpn)
    assert [r.commitment.code for r in result.reports] == ["CBPR-ECON-2"]
    assert result.reports[0].source_urls == "https://example.org/new"
    assert result.unchanged == [2]


def test_officer_of_japan_cannot_import_singapores_sheet(client, officer_jpn, officer_sgp, cells):
    client.force_login(officer_sgp)
    data = client.get(url("SGP")).content
    with pytest.raises(importing.ImportRefused, match="not an officer of Singapore"):
        # Changed, so that the row is not skipped as unchanged before the check.
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        workbook.worksheets[0]["F2"] = "partial"
        out = io.BytesIO()
        workbook.save(out)
        importing.import_reports(out.getvalue(), filename="sgp.xlsx", user=officer_jpn)


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("jpn.xlsx", content)
