"""The admin's spreadsheet import: upload, dry-run preview, confirm; scoped to each role."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_report
from tracker import importing
from tracker.models import ReviewState, StatusReport

# Every test here needs the database, also those that pick a persona at run time: the mark
# keeps them ordered before the transactional (live-server) tests, which empty it.
pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
IMPORT = reverse("admin:tracker_statusreport_import")
CHANGELIST = reverse("admin:tracker_statusreport_changelist")


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content if content is not None else (FIXTURES / name).read_bytes()
    )


def preview(client, name="valid.csv", content=None, **extra):
    return client.post(IMPORT, {"file": upload(name, content), **extra})


def test_officer_previews_then_confirms(client, officer_jpn, jpn, commitment):
    client.force_login(officer_jpn)
    page = client.get(IMPORT)
    assert page.status_code == 200
    assert "publish" not in page.context["form"].fields  # officers import drafts only

    page = preview(client)
    assert page.status_code == 200
    html = page.content.decode()
    assert "All 2 rows are valid and will become" in html and "<strong>draft</strong>" in html
    assert "Accountability agent recognised." in html
    assert not StatusReport.objects.exists()  # a preview writes nothing

    response = client.post(IMPORT, {"token": page.context["token"]}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:tracker_statusreport_changelist")
    assert [str(m) for m in response.context["messages"]] == [
        "Imported 2 row(s) of valid.csv as draft reports."
    ]
    assert (
        StatusReport.objects.filter(review_state=ReviewState.DRAFT, entered_by=officer_jpn).count()
        == 2
    )


def test_confirming_twice_imports_once(client, officer_jpn, jpn, commitment):
    client.force_login(officer_jpn)
    token = preview(client).context["token"]
    client.post(IMPORT, {"token": token}, follow=True)  # shows the success message
    response = client.post(IMPORT, {"token": token}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "This preview has expired or was already imported: upload the file again."
    ]
    assert StatusReport.objects.count() == 2


def test_tampered_token_is_refused(client, officer_jpn, jpn, commitment):
    client.force_login(officer_jpn)
    token = preview(client).context["token"]
    response = client.post(IMPORT, {"token": token[:-2] + "xx"}, follow=True)
    assert "expired" in str(next(iter(response.context["messages"])))
    assert not StatusReport.objects.exists()


def test_another_users_token_is_refused(client, officer_jpn, officer_sgp, jpn, commitment):
    client.force_login(officer_jpn)
    token = preview(client).context["token"]
    client.force_login(officer_sgp)
    response = client.post(IMPORT, {"token": token}, follow=True)
    assert "expired" in str(next(iter(response.context["messages"])))
    assert not StatusReport.objects.exists()


def test_bad_file_lists_every_problem_and_writes_nothing(client, officer_jpn, jpn, sgp, commitment):
    client.force_login(officer_jpn)
    page = preview(client, "bad_rows.csv")
    assert page.status_code == 200
    assert [p.line for p in page.context["problems"]] == [2, 3, 4, 5, 6, 7, 9]
    html = page.content.decode()
    assert "7 problems in bad_rows.csv: nothing was imported." in html
    assert "you are not an officer of Singapore (SGP)" in html
    assert "token" not in page.context
    assert not StatusReport.objects.exists()


def test_other_officer_cannot_import_for_japan(client, officer_sgp, jpn, sgp, commitment):
    client.force_login(officer_sgp)
    page = preview(client)
    assert [str(p) for p in page.context["problems"]] == [
        "Line 2: you are not an officer of Japan (JPN): you import your own economies' reports "
        "only.",
        "Line 3: you are not an officer of Japan (JPN): you import your own economies' reports "
        "only.",
    ]
    assert not StatusReport.objects.exists()


def test_wrong_encoding_is_reported_on_the_page(client, officer_jpn, jpn, commitment):
    client.force_login(officer_jpn)
    page = preview(client, "latin1.csv")
    assert "the file is not UTF-8 text" in page.content.decode()


def test_xlsx_upload(client, officer_jpn, jpn, commitment):
    workbook = openpyxl.Workbook()
    workbook.active.append(
        ["economy", "commitment", "status", "effective_date", "evidence", "source_url"]
    )
    workbook.active.append(["JPN", "CBPR-ECON-5", "pilot", "2021-03-04", "Pilot run.", ""])
    out = io.BytesIO()
    workbook.save(out)
    client.force_login(officer_jpn)
    page = preview(client, "reports.xlsx", out.getvalue())
    client.post(IMPORT, {"token": page.context["token"]})
    assert StatusReport.objects.get().status == "pilot"


def test_missing_file_is_a_form_error(client, officer_jpn):
    client.force_login(officer_jpn)
    page = client.post(IMPORT, {})
    assert page.context["form"].errors == {"file": ["This field is required."]}


def test_too_big_upload_is_refused_before_reading(client, officer_jpn, monkeypatch):
    monkeypatch.setattr(importing, "MAX_BYTES", 1000)
    client.force_login(officer_jpn)
    page = preview(client, "big.csv", b"x" * 3000)
    assert [str(p) for p in page.context["problems"]] == [
        "The file is 0.0 MB; the limit is 0 MB. Split it into smaller files."
    ]


def test_reviewers_import_is_submitted_for_another_reviewer(
    client, reviewer, second_reviewer, jpn, sgp, commitment
):
    client.force_login(reviewer)
    assert "publish" in client.get(IMPORT).context["form"].fields
    page = preview(client, publish="on")
    assert "<strong>submitted</strong> reports, for another reviewer to publish" in (
        page.content.decode()
    )
    done = client.post(IMPORT, {"token": page.context["token"]}, follow=True)
    assert "as submitted reports, for another reviewer to publish" in done.content.decode()
    assert set(StatusReport.objects.values_list("review_state", "entered_by", "reviewed_by")) == {
        (ReviewState.SUBMITTED, reviewer.pk, None)
    }
    # The importing reviewer's publish action is refused; a second reviewer's goes through.
    ids = list(StatusReport.objects.values_list("pk", flat=True))
    action = {"action": "publish_reports", "_selected_action": ids}
    refused = client.post(CHANGELIST, action, follow=True)
    assert "Nothing was published" in refused.content.decode()
    assert not StatusReport.objects.filter(review_state=ReviewState.PUBLISHED).exists()
    client.force_login(second_reviewer)
    client.post(CHANGELIST, action)
    assert set(StatusReport.objects.values_list("review_state", "reviewed_by")) == {
        (ReviewState.PUBLISHED, second_reviewer.pk)
    }


def test_officer_cannot_publish_by_posting_the_flag(client, officer_jpn, jpn, commitment):
    client.force_login(officer_jpn)
    page = preview(client, publish="on")  # the field is not on an officer's form: ignored
    client.post(IMPORT, {"token": page.context["token"]})
    assert set(StatusReport.objects.values_list("review_state", flat=True)) == {"draft"}


def test_something_recorded_between_preview_and_confirm_is_caught(
    client, officer_jpn, jpn, commitment
):
    client.force_login(officer_jpn)
    page = preview(client)
    make_report(
        jpn, commitment, "partial", "2023-06-01", evidence="Accountability agent recognised."
    )
    page = client.post(IMPORT, {"token": page.context["token"]})
    assert [p.line for p in page.context["problems"]] == [2]
    assert StatusReport.objects.count() == 1


@pytest.mark.parametrize("persona", ["editor", "anonymous_client"])
def test_editor_and_anonymous_cannot_import(client, request, persona, jpn, commitment):
    if persona == "editor":
        client.force_login(request.getfixturevalue("editor"))
        assert client.get(IMPORT).status_code == 403
        assert preview(client).status_code == 403
    else:
        assert client.get(IMPORT).status_code == 302
        assert preview(client).status_code == 302
    assert not StatusReport.objects.exists()


def test_changelist_links_to_import_for_officers_only(client, officer_jpn, editor):
    client.force_login(officer_jpn)
    changelist = reverse("admin:tracker_statusreport_changelist")
    assert IMPORT in client.get(changelist).content.decode()
    client.force_login(editor)
    assert IMPORT not in client.get(changelist).content.decode()


def test_a_role_withdrawn_between_preview_and_confirm_imports_nothing(
    client, officer_reviewer, jpn, commitment
):
    # Who may import is asked by tracker.importing on the confirmation too: a reviewer who is no
    # longer an officer still opens the page, but imports no drafts.
    client.force_login(officer_reviewer)
    token = preview(client).context["token"]
    jpn.officers.remove(officer_reviewer)
    page = client.post(IMPORT, {"token": token})
    assert [str(p) for p in page.context["problems"]] == [
        "Only economy officers import status reports."
    ]
    assert not StatusReport.objects.exists()
