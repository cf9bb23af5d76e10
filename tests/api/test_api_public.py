"""Public means public: an anonymous client learns nothing about drafts or user names.

Its ETag and Last-Modified move only when what the response shows moves (a publish, a
withdrawal), never when a draft is written, submitted, returned or deleted, nor when an officer
is named; the page cache's version likewise. Reports name who entered them by role and economy.
"""

import datetime

import pytest
from django.urls import reverse

from softlaw import changes
from tests.factories import make_report
from tracker import services
from tracker.models import ReviewState, StatusReport

PUBLIC_ENDPOINTS = [
    "/api/v1/reports/",
    "/api/v1/status/",
    "/api/v1/scores/",
    "/api/v1/regional/",
    "/api/v1/economies/",
]


def validators(api, path) -> tuple[str, str]:
    response = api.get(path)
    assert response.status_code == 200
    return response["ETag"], response["Last-Modified"]


def draft_work(dataset, officer, reviewer) -> None:
    """Everything that happens to drafts, and nothing public: write, edit, submit, return,
    delete, and an officer named."""
    draft = services.report_create(
        user=officer,
        economy=dataset.jpn,
        commitment=dataset.econ6,
        status="implemented",
        effective_date=datetime.date(2024, 6, 1),
        evidence="Draft, not public.",
    )
    services.report_update(
        report=draft, user=officer, expected_version=draft.version, evidence="Edited draft."
    )
    services.report_submit(report=draft, user=officer)
    services.report_return(report=draft, reviewer=reviewer, note="Add a source.")
    services.report_update(
        report=dataset.jpn_draft,
        user=officer,
        expected_version=dataset.jpn_draft.version,
        status="partial",
    )
    services.report_delete(report=dataset.jpn_draft, user=officer)
    dataset.png.officers.add(officer)


@pytest.mark.parametrize("path", PUBLIC_ENDPOINTS)
def test_drafts_move_no_public_etag_or_last_modified(
    api, dataset, officer_jpn, reviewer, path, django_capture_on_commit_callbacks
):
    before = validators(api, path)
    with django_capture_on_commit_callbacks(execute=True):
        draft_work(dataset, officer_jpn, reviewer)
    assert validators(api, path) == before
    # And a client holding the ETag is told that nothing changed.
    assert api.get(path, HTTP_IF_NONE_MATCH=before[0]).status_code == 304


def test_a_signed_in_officer_sees_their_drafts_move_the_etag(
    api_officer_jpn, dataset, officer_jpn, reviewer
):
    # The officer's own list shows the drafts, so its validators follow them.
    before = validators(api_officer_jpn, "/api/v1/reports/")
    draft_work(dataset, officer_jpn, reviewer)
    assert validators(api_officer_jpn, "/api/v1/reports/")[0] != before[0]


@pytest.mark.parametrize("path", PUBLIC_ENDPOINTS[:4])
def test_a_publish_moves_the_public_etag(api, dataset, officer_jpn, reviewer, path):
    before = validators(api, path)
    services.report_submit(report=dataset.jpn_draft, user=officer_jpn)
    services.report_publish(report=dataset.jpn_draft, reviewer=reviewer)
    assert validators(api, path)[0] != before[0]


def test_a_withdrawal_moves_the_public_etag(api, dataset):
    before = validators(api, "/api/v1/reports/")
    report = StatusReport.objects.get(pk=dataset.jpn_econ6.pk)
    report.review_state = ReviewState.WITHDRAWN
    report.withdrawn_reason = "Mapping rules changed."
    report.save()
    assert validators(api, "/api/v1/reports/")[0] != before[0]


def test_drafts_leave_the_page_cache_version_alone(
    dataset, officer_jpn, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        changes.data_changed()
    before = changes.page_version()
    with django_capture_on_commit_callbacks(execute=True):
        draft_work(dataset, officer_jpn, reviewer)
        report = StatusReport.objects.filter(review_state=ReviewState.RETURNED).get()
        services.report_submit(report=report, user=officer_jpn)
    assert changes.page_version() == before
    with django_capture_on_commit_callbacks(execute=True):
        services.report_publish(report=report, reviewer=reviewer)
    assert changes.page_version() > before


def test_naming_an_officer_in_the_admin_moves_no_public_etag(
    api, client, admin_user, dataset, officer_jpn
):
    before = validators(api, "/api/v1/economies/")
    client.force_login(admin_user)
    economy = dataset.png
    change = reverse("admin:economies_economy_change", args=[economy.pk])
    form = client.get(change).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name != "officers"
    }
    data["officers"] = [officer_jpn.pk]
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(economy.officers.all()) == [officer_jpn]
    assert validators(api, "/api/v1/economies/") == before


# --- who entered a report: a role, never a name --------------------------------------------------


def test_reports_name_the_role_and_economy_of_who_entered_them(
    api, dataset, officer_jpn, reviewer, second_reviewer
):
    by_officer = make_report(
        dataset.jpn, dataset.kfa1, "pilot", "2022-01-01", entered_by=officer_jpn
    )
    by_reviewer = make_report(dataset.sgp, dataset.kfa1, "pilot", "2022-01-01", entered_by=reviewer)
    rows = {row["id"]: row for row in api.get("/api/v1/reports/?page_size=100").json()["results"]}
    assert rows[by_officer.pk]["entered_by_role"] == "economy officer, Japan"
    assert rows[by_reviewer.pk]["entered_by_role"] == "secretariat"
    # Reference data and the operator's imports carry no user: the secretariat's research.
    assert rows[dataset.jpn_econ5.pk]["entered_by_role"] == "secretariat"
    assert api.get(f"/api/v1/reports/{by_officer.pk}/").json()["entered_by_role"] == (
        "economy officer, Japan"
    )
    # A former officer's reports stay an officer's: only officers enter reports.
    dataset.jpn.officers.remove(officer_jpn)
    row = api.get(f"/api/v1/reports/{by_officer.pk}/").json()
    assert row["entered_by_role"] == "economy officer, Japan"
    assert "entered_by" not in row and "reviewed_by" not in row


def test_no_user_name_in_any_public_report_response(api, dataset, officer_jpn, reviewer):
    report = StatusReport.objects.get(pk=dataset.jpn_draft.pk)
    services.report_submit(report=report, user=officer_jpn)
    services.report_publish(report=report, reviewer=reviewer)
    for path in (
        "/api/v1/reports/",
        f"/api/v1/reports/{report.pk}/",
        "/api/v1/reports/?format=csv",
        "/api/v1/status/",
        "/api/v1/status/?format=csv",
    ):
        body = api.get(path).content.decode()
        assert "officer_jpn" not in body and "reviewer" not in body, path
    assert api.get(f"/api/v1/reports/{report.pk}/").json()["reviewed_by_role"] == "secretariat"


def test_the_schema_documents_roles_not_names(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    fields = schema["components"]["schemas"]["Report"]["properties"]
    assert "entered_by_role" in fields and "reviewed_by_role" in fields
    assert "entered_by" not in fields and "reviewed_by" not in fields
