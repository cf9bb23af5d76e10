"""Exports of current statuses and of reports, CSV and XLSX: right figures, published data only
in public, and every cell safe to open in a spreadsheet."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from softlaw import spreadsheets
from tests.factories import make_commitment, make_economy, make_report
from tests.pages import body
from tracker import exporting
from tracker.models import ReviewState, StatusReport

# Every test here needs the database, also those that pick a persona at run time: the mark
# keeps them ordered before the transactional (live-server) tests, which empty it.
pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 1)


def read_csv(content: bytes) -> list[dict]:
    assert content.startswith("\ufeff".encode())  # spreadsheets then read UTF-8 right
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def region(jpn, sgp, commitment):
    second = make_commitment(commitment.instrument, "CBPR-ECON-6")
    make_report(jpn, commitment, "pilot", "2019-01-01", evidence="Old pilot.")
    make_report(
        jpn,
        commitment,
        "partial",
        "2022-03-01",
        target_date=datetime.date(2024, 12, 31),
        evidence="Agent recognised.",
        source_urls="https://cbprs.org/\nhttps://www.ppc.go.jp/",
    )
    make_report(jpn, second, "not_applicable", "2021-01-01", evidence="No such body.")
    make_report(sgp, commitment, "implemented", "2020-07-01", evidence="=1+1")
    make_report(sgp, second, "planned", "2023-01-01", published=False, evidence="Draft only.")
    return second


# --- safe cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Law =enacted", "Law =enacted"),
        ("", ""),
        (3, 3),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert spreadsheets.safe_cell(value) == expected


# --- rows ----------------------------------------------------------------------------------------


def test_status_rows_hold_the_current_status_of_each_pair(region):
    rows = list(exporting.status_rows(today=TODAY))
    assert [(r["economy"], r["commitment"], r["status"], r["points"]) for r in rows] == [
        # By hand: JPN's latest published report on ECON-5 is the 2022 partial (2 points), on
        # ECON-6 not applicable (no points); SGP has only the implemented one (3); its planned
        # draft is not published.
        ("JPN", "CBPR-ECON-5", "partial", 2),
        ("JPN", "CBPR-ECON-6", "not_applicable", ""),
        ("SGP", "CBPR-ECON-5", "implemented", 3),
    ]
    partial = rows[0]
    assert partial["economy_name"] == "Japan" and partial["instrument"] == "CBPR"
    assert partial["status_label"] == "Partially implemented"
    assert partial["effective_date"] == datetime.date(2022, 3, 1)
    # Target 2024-12-31 passed on 2025-06-01 with the status short of implemented: overdue.
    assert partial["overdue"] == "yes" and rows[2]["overdue"] == "no"
    assert partial["source_url"] == "https://cbprs.org/\nhttps://www.ppc.go.jp/"


def test_status_rows_as_of_a_date(region):
    rows = list(exporting.status_rows(as_of=datetime.date(2020, 1, 1), today=TODAY))
    assert [(r["economy"], r["status"], r["evidence"]) for r in rows] == [
        ("JPN", "pilot", "Old pilot.")
    ]


def test_report_rows_public_and_with_workflow(region, officer_jpn):
    from tracker.models import StatusReport

    public = list(exporting.report_rows(StatusReport.objects.published()))
    assert len(public) == 4 and "review_state" not in public[0]
    full = list(exporting.report_rows(StatusReport.objects.all(), workflow=True))
    assert [r["review_state"] for r in full if r["economy"] == "SGP"] == ["published", "draft"]
    assert full[0]["published_at"].endswith("Z")


# --- files ---------------------------------------------------------------------------------------


def test_csv_escapes_formulas_and_keeps_text(region):
    rows = read_csv(spreadsheets.write_csv(exporting.STATUS_COLUMNS, exporting.status_rows()))
    assert [r["evidence"] for r in rows] == ["Agent recognised.", "No such body.", "'=1+1"]
    assert rows[0]["effective_date"] == "2022-03-01" and rows[0]["points"] == "2"


def test_xlsx_escapes_formulas_and_keeps_dates(region):
    content = spreadsheets.write_xlsx(
        exporting.STATUS_COLUMNS, exporting.status_rows(), title="status"
    )
    rows = read_xlsx(content)
    assert rows[2]["evidence"] == "'=1+1"
    assert rows[0]["effective_date"] == datetime.datetime(2022, 3, 1)  # a real date cell
    assert rows[0]["points"] == 2
    # No cell in the workbook is a formula.
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_every_trigger_is_escaped_in_both_formats(jpn, commitment, trigger):
    make_report(jpn, commitment, "pilot", "2020-01-01", evidence=f"{trigger}HYPERLINK(1)")
    rows = list(exporting.status_rows())
    expected = f"'{trigger}HYPERLINK(1)"
    xlsx_value = read_xlsx(spreadsheets.write_xlsx(["evidence"], rows, title="s"))[0]["evidence"]
    csv_value = read_csv(spreadsheets.write_csv(["evidence"], rows))[0]["evidence"]
    # Reading back turns a lone carriage return into a line feed (XML and csv both do).
    assert xlsx_value.replace("\n", "\r") == csv_value.replace("\n", "\r") == expected


# --- public downloads


def download(client, dataset, fmt, **params):
    url = reverse("data_download", kwargs={"dataset": dataset, "fmt": fmt})
    return client.get(url, params)


def test_download_urls():
    assert reverse("data_download", kwargs={"dataset": "status", "fmt": "csv"}) == (
        "/data/download/status.csv"
    )
    assert reverse("data_download", kwargs={"dataset": "reports", "fmt": "xlsx"}) == (
        "/data/download/reports.xlsx"
    )


def test_public_status_csv(client, region):
    response = download(client, "status", "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="soft-law-tracker-')
    rows = read_csv(body(response))
    assert [(r["economy"], r["commitment"], r["status"]) for r in rows] == [
        ("JPN", "CBPR-ECON-5", "partial"),
        ("JPN", "CBPR-ECON-6", "not_applicable"),
        ("SGP", "CBPR-ECON-5", "implemented"),
    ]


def test_public_status_xlsx_as_of(client, region):
    response = download(client, "status", "xlsx", as_of="2020-12-31")
    assert response.status_code == 200
    assert "as-of-2020-12-31.xlsx" in response["Content-Disposition"]
    rows = read_xlsx(body(response))
    assert [(r["economy"], r["status"]) for r in rows] == [("JPN", "pilot"), ("SGP", "implemented")]


def test_public_reports_are_published_only(client, region):
    rows = read_csv(body(download(client, "reports", "csv")))
    assert "Draft only." not in {r["evidence"] for r in rows}
    assert len(rows) == 4
    assert "review_state" not in rows[0] and "entered_by" not in rows[0]


def test_public_reports_as_of_keeps_those_in_force(client, region):
    rows = read_xlsx(body(download(client, "reports", "xlsx", as_of="2020-12-31")))
    assert sorted(r["evidence"] for r in rows) == ["'=1+1", "Old pilot."]


@pytest.mark.parametrize("as_of", ["2024-02-30", "yesterday", "2024-1-1x"])
def test_bad_as_of_is_a_clear_400(client, region, as_of):
    response = download(client, "status", "csv", as_of=as_of)
    assert response.status_code == 400
    assert b"YYYY-MM-DD" in response.content


@pytest.mark.parametrize("path", ["/data/download/scores.csv", "/data/download/status.pdf"])
def test_unknown_dataset_or_format_is_404(client, path):
    assert client.get(path).status_code == 404


def test_download_refuses_post(client, region):
    url = reverse("data_download", kwargs={"dataset": "status", "fmt": "csv"})
    assert client.post(url).status_code == 405


def test_status_download_query_count_does_not_grow(
    client, region, commitment, django_assert_num_queries
):
    # 1 the current reports with their economy, commitment and instrument, read as the file
    # streams (so counted while it is read).
    with django_assert_num_queries(1):
        body(download(client, "status", "csv"))
    for n in range(15):
        economy = make_economy(iso_alpha2=None)
        make_report(economy, commitment, "partial", f"2021-01-{n + 1:02d}")
    with django_assert_num_queries(1):
        content = body(download(client, "status", "csv"))
    assert len(read_csv(content)) == 3 + 15


def test_reports_download_query_count_does_not_grow(
    client, region, commitment, django_assert_num_queries
):
    # 1 the published reports with economy, commitment and instrument, read as the file
    # streams.
    with django_assert_num_queries(1):
        body(download(client, "reports", "csv"))
    for _ in range(15):
        make_report(make_economy(iso_alpha2=None), commitment, "pilot", "2021-01-01")
    with django_assert_num_queries(1):
        content = body(download(client, "reports", "csv"))
    assert len(read_csv(content)) == 19


# --- admin exports -------------------------------------------------------------------------------


def admin_export(client, fmt):
    return client.get(reverse("admin:tracker_statusreport_export", kwargs={"fmt": fmt}))


def test_officer_exports_own_economys_reports_only(client, officer_jpn, region):
    client.force_login(officer_jpn)
    rows = read_csv(body(admin_export(client, "csv")))
    assert {r["economy"] for r in rows} == {"JPN"}
    assert len(rows) == 3 and rows[0]["review_state"] == ReviewState.PUBLISHED


def test_other_officer_exports_their_draft_too(client, officer_sgp, region):
    client.force_login(officer_sgp)
    rows = read_xlsx(body(admin_export(client, "xlsx")))
    assert [(r["economy"], r["review_state"]) for r in rows] == [
        ("SGP", "published"),
        ("SGP", "draft"),
    ]
    assert rows[0]["evidence"] == "'=1+1"


def test_reviewer_export_leaves_drafts_out(client, reviewer, region):
    client.force_login(reviewer)
    rows = read_csv(body(admin_export(client, "csv")))
    assert len(rows) == 4 and "Draft only." not in {r["evidence"] for r in rows}


def test_export_action_exports_the_selection(client, officer_jpn, region):
    from tracker.models import StatusReport

    client.force_login(officer_jpn)
    chosen = StatusReport.objects.filter(economy__code="JPN", status="pilot").get()
    other = StatusReport.objects.filter(economy__code="SGP").first()
    response = client.post(
        reverse("admin:tracker_statusreport_changelist"),
        {"action": "export_csv", "_selected_action": [chosen.pk, other.pk]},
    )
    assert [r["report_id"] for r in read_csv(body(response))] == [str(chosen.pk)]


def test_admin_export_needs_a_role(client, django_user_model, region):
    client.force_login(django_user_model.objects.create_user("nobody", is_staff=True))
    assert admin_export(client, "csv").status_code == 403
    client.logout()
    assert admin_export(client, "csv").status_code == 302


def test_admin_export_bad_format_is_400(client, officer_jpn, region):
    client.force_login(officer_jpn)
    assert admin_export(client, "pdf").status_code == 400


def test_admin_export_query_count_does_not_grow(
    client, officer_jpn, jpn, region, commitment, django_assert_num_queries
):
    client.force_login(officer_jpn)
    # 1 session, 2 user, 3 the officer's economies, 4 and 5 permissions (reviewer? editor?),
    # 6 the reports with economy, commitment, instrument and both users.
    with django_assert_num_queries(6):
        admin_export(client, "csv")
    for n in range(10):
        make_report(jpn, commitment, "pilot", f"2010-01-{n + 1:02d}")
    with django_assert_num_queries(6):
        response = admin_export(client, "xlsx")
    assert len(read_xlsx(body(response))) == 13


def test_a_csv_streams_in_chunks_that_make_the_whole_file(region):
    rows = list(exporting.status_rows())
    chunks = list(spreadsheets.csv_chunks(exporting.STATUS_COLUMNS, iter(rows), rows_per_chunk=1))
    assert len(chunks) == len(rows) + 1  # the header with the first row, then one a row
    assert b"".join(chunks) == spreadsheets.write_csv(exporting.STATUS_COLUMNS, rows)


def test_an_xlsx_too_long_for_a_spreadsheet_is_refused_with_the_way_round(
    client, region, monkeypatch
):
    # A global tracker's 1.2 million reports: more rows than a sheet holds (lowered here to the
    # region's published reports and a header).
    published = StatusReport.objects.published().count()
    monkeypatch.setattr(spreadsheets, "XLSX_MAX_ROWS", published)
    response = download(client, "reports", "xlsx")
    assert response.status_code == 400
    message = response.content.decode()
    assert (
        f"has {published} rows, more than a spreadsheet holds ({published - 1} below its header)"
        in message
    )
    assert "download it as CSV (reports.csv)" in message
    assert len(read_csv(body(download(client, "reports", "csv")))) == published
    monkeypatch.setattr(spreadsheets, "XLSX_MAX_ROWS", published + 1)
    assert len(read_xlsx(body(download(client, "reports", "xlsx")))) == published
