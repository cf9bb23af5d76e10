"""Four-eyes on every path: nobody publishes a report they entered or last changed, even when
they are both an officer and a reviewer (tracker.roles.has_written, asked by the services).

The story on each path: officer_jpn drafts a report; officer_reviewer (Japan's officer and a
reviewer) rewrites it, submits it and tries to publish it: refused; the reviewer publishes it.
The import paths are tested in test_import.py, test_admin_import.py and test_import_command.py.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import make_report
from tracker import services
from tracker.models import ReviewState, StatusReport

CHANGELIST = reverse("admin:tracker_statusreport_changelist")


@pytest.fixture
def colleagues_draft(officer_jpn, jpn, commitment):
    return services.report_create(
        user=officer_jpn,
        economy=jpn,
        commitment=commitment,
        status="partial",
        effective_date=datetime.date(2023, 1, 1),
        evidence="Bill before parliament.",
    )


def test_every_content_change_records_who_made_it(colleagues_draft, officer_jpn, officer_reviewer):
    assert colleagues_draft.last_changed_by == officer_jpn
    services.report_update(
        report=colleagues_draft,
        user=officer_reviewer,
        expected_version=colleagues_draft.version,
        evidence="Law enacted.",
    )
    saved = StatusReport.objects.get(pk=colleagues_draft.pk)
    assert (saved.entered_by, saved.last_changed_by) == (officer_jpn, officer_reviewer)
    assert saved.history.latest().last_changed_by == officer_reviewer


def test_services_refuse_a_publish_by_whoever_rewrote_the_report(
    colleagues_draft, officer_reviewer, reviewer
):
    report = services.report_update(
        report=colleagues_draft,
        user=officer_reviewer,
        expected_version=colleagues_draft.version,
        status="implemented",
    )
    services.report_submit(report=report, user=officer_reviewer)
    with pytest.raises(PermissionDenied, match="entered it or last changed it"):
        services.report_publish(report=report, reviewer=officer_reviewer)
    assert StatusReport.objects.get(pk=report.pk).review_state == ReviewState.SUBMITTED
    services.report_publish(report=report, reviewer=reviewer)
    assert StatusReport.objects.get(pk=report.pk).reviewed_by == reviewer


def test_an_officer_reviewer_publishes_a_colleagues_report_they_did_not_touch(
    colleagues_draft, officer_jpn, officer_reviewer
):
    services.report_submit(report=colleagues_draft, user=officer_jpn)
    services.report_publish(report=colleagues_draft, reviewer=officer_reviewer)
    assert StatusReport.objects.get(pk=colleagues_draft.pk).is_published


def test_bulk_publish_with_one_rewritten_report_publishes_none(
    officer_jpn, officer_reviewer, jpn, commitment
):
    untouched = make_report(
        jpn,
        commitment,
        "pilot",
        "2020-01-01",
        published=False,
        review_state=ReviewState.SUBMITTED,
        entered_by=officer_jpn,
        last_changed_by=officer_jpn,
    )
    rewritten = make_report(
        jpn,
        commitment,
        "partial",
        "2021-01-01",
        published=False,
        review_state=ReviewState.SUBMITTED,
        entered_by=officer_jpn,
        last_changed_by=officer_reviewer,
    )
    with pytest.raises(PermissionDenied, match="entered it or last changed it"):
        services.reports_publish(reports=[untouched, rewritten], reviewer=officer_reviewer)
    assert set(StatusReport.objects.values_list("review_state", flat=True)) == {"submitted"}


def test_admin_change_form_then_publish_action_is_refused(
    client, colleagues_draft, officer_reviewer, reviewer
):
    report = colleagues_draft
    client.force_login(officer_reviewer)
    form = {
        "economy": report.economy_id,
        "commitment": report.commitment_id,
        "status": "implemented",
        "effective_date": "2023-01-01",
        "target_date": "",
        "origin": "self_reported",
        "evidence": "Law enacted (rewritten).",
        "source_urls": "",
        "expected_version": report.version,
    }
    change = reverse("admin:tracker_statusreport_change", args=[report.pk])
    assert client.post(change, form).status_code == 302
    report.refresh_from_db()
    assert report.last_changed_by == officer_reviewer
    selected = {"_selected_action": [report.pk]}
    client.post(CHANGELIST, {"action": "submit_reports", **selected})
    refused = client.post(CHANGELIST, {"action": "publish_reports", **selected}, follow=True)
    assert "Nothing was published" in refused.content.decode()
    assert "entered it or last changed it" in refused.content.decode()
    report.refresh_from_db()
    assert report.review_state == ReviewState.SUBMITTED
    client.force_login(reviewer)
    client.post(CHANGELIST, {"action": "publish_reports", **selected})
    report.refresh_from_db()
    assert (report.review_state, report.reviewed_by) == (ReviewState.PUBLISHED, reviewer)


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_api_rewrite_submit_and_publish_is_refused(colleagues_draft, officer_reviewer, reviewer):
    report = colleagues_draft
    api = token_client(officer_reviewer)
    url = f"/api/v1/reports/{report.pk}/"
    patched = api.patch(url, {"status": "implemented", "version": report.version}, format="json")
    assert patched.status_code == 200
    assert api.post(url + "submit/", {}, format="json").status_code == 200
    refused = api.post(url + "publish/", {}, format="json")
    assert refused.status_code == 403
    assert "entered it or last changed it" in refused.json()["detail"]
    published = token_client(reviewer).post(url + "publish/", {}, format="json")
    assert published.status_code == 200
    assert published.json()["review_state"] == "published"


def test_api_publish_of_ones_own_entry_is_refused(officer_reviewer, jpn, commitment):
    api = token_client(officer_reviewer)
    created = api.post(
        "/api/v1/reports/",
        {
            "economy": "JPN",
            "commitment": commitment.code,
            "status": "pilot",
            "effective_date": "2022-01-01",
            "evidence": "Sandbox running.",
        },
        format="json",
    )
    assert created.status_code == 201
    url = f"/api/v1/reports/{created.json()['id']}/"
    assert api.post(url + "submit/", {}, format="json").status_code == 200
    assert api.post(url + "publish/", {}, format="json").status_code == 403
