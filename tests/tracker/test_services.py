"""The review workflow and its guards, called the way the admin, API and import call them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import make_commitment
from tracker import roles, services
from tracker.models import ReviewState, StatusReport


def draft(officer, economy, commitment, **fields):
    values = {
        "status": "partial",
        "effective_date": datetime.date(2024, 1, 1),
        "evidence": "Letter of intent sent.",
    }
    values.update(fields)
    return services.report_create(user=officer, economy=economy, commitment=commitment, **values)


def test_officer_creates_draft_for_own_economy(officer_jpn, jpn, commitment):
    report = draft(officer_jpn, jpn, commitment)
    assert report.review_state == ReviewState.DRAFT
    assert report.entered_by == officer_jpn


def test_officer_cannot_create_for_other_economy(officer_jpn, sgp, commitment):
    with pytest.raises(PermissionDenied):
        draft(officer_jpn, sgp, commitment)
    assert not StatusReport.objects.exists()


def test_officer_cannot_create_on_collective_commitment(officer_jpn, jpn, commitment):
    collective = make_commitment(commitment.instrument, "CBPR-COMP-1", scope="collective")
    with pytest.raises(services.ValidationError):
        draft(officer_jpn, jpn, collective)


def test_full_workflow_draft_submit_return_edit_submit_publish(
    officer_jpn, reviewer, jpn, commitment
):
    report = draft(officer_jpn, jpn, commitment)
    services.report_submit(report=report, user=officer_jpn)
    assert report.review_state == ReviewState.SUBMITTED
    services.report_return(report=report, reviewer=reviewer, note="Add the source.")
    report.refresh_from_db()
    assert (report.review_state, report.review_note) == (ReviewState.RETURNED, "Add the source.")
    services.report_update(
        report=report,
        user=officer_jpn,
        expected_version=report.version,
        source_urls="https://cbprs.org/",
    )
    services.report_submit(report=report, user=officer_jpn)
    services.report_publish(report=report, reviewer=reviewer)
    report.refresh_from_db()
    assert report.review_state == ReviewState.PUBLISHED
    assert report.reviewed_by == reviewer and report.published_at is not None
    assert report.history.count() == 6  # created, submitted, returned, edited, submitted, published


def test_officer_cannot_publish(officer_jpn, jpn, commitment):
    report = draft(officer_jpn, jpn, commitment)
    services.report_submit(report=report, user=officer_jpn)
    with pytest.raises(PermissionDenied):
        services.report_publish(report=report, reviewer=officer_jpn)


def test_published_report_is_never_edited(officer_jpn, reviewer, jpn, commitment):
    report = draft(officer_jpn, jpn, commitment)
    services.report_submit(report=report, user=officer_jpn)
    services.report_publish(report=report, reviewer=reviewer)
    with pytest.raises(services.WorkflowError, match="correction"):
        services.report_update(
            report=report, user=officer_jpn, expected_version=report.version, status="implemented"
        )


def test_return_needs_a_note(officer_jpn, reviewer, jpn, commitment):
    report = draft(officer_jpn, jpn, commitment)
    services.report_submit(report=report, user=officer_jpn)
    with pytest.raises(services.WorkflowError, match="note"):
        services.report_return(report=report, reviewer=reviewer, note="  ")


def test_second_save_from_stale_copy_is_refused(officer_jpn, jpn, commitment):
    report = draft(officer_jpn, jpn, commitment)
    first = StatusReport.objects.get(pk=report.pk)
    second = StatusReport.objects.get(pk=report.pk)
    services.report_update(
        report=first, user=officer_jpn, expected_version=first.version, evidence="First edit."
    )
    with pytest.raises(services.ConflictError, match="Someone else changed"):
        services.report_update(
            report=second, user=officer_jpn, expected_version=second.version, evidence="Second."
        )
    assert StatusReport.objects.get(pk=report.pk).evidence == "First edit."


def test_bulk_publish_is_all_or_nothing(officer_jpn, reviewer, jpn, commitment):
    submitted = draft(officer_jpn, jpn, commitment)
    services.report_submit(report=submitted, user=officer_jpn)
    still_draft = draft(officer_jpn, jpn, commitment, effective_date=datetime.date(2025, 1, 1))
    with pytest.raises(services.WorkflowError):
        services.reports_publish(reports=[submitted, still_draft], reviewer=reviewer)
    assert StatusReport.objects.get(pk=submitted.pk).review_state == ReviewState.SUBMITTED


def test_visibility_per_role(officer_jpn, officer_sgp, reviewer, anonymous, jpn, commitment):
    report = draft(officer_jpn, jpn, commitment)
    assert list(roles.reports_visible_to(officer_jpn)) == [report]
    assert not roles.reports_visible_to(officer_sgp).exists()
    assert not roles.reports_visible_to(reviewer).exists()  # drafts stay with the officer
    assert not roles.reports_visible_to(anonymous).exists()
    services.report_submit(report=report, user=officer_jpn)
    assert list(roles.reports_visible_to(reviewer)) == [report]
    assert not roles.reports_visible_to(anonymous).exists()


def test_writes_ask_the_roles_afresh(officer_jpn, jpn, commitment):
    # A screen may read the officer's economies from the request's cache; a write asks again.
    report = draft(officer_jpn, jpn, commitment)
    assert roles.can_submit_report(officer_jpn, report)  # fills the cache
    jpn.officers.remove(officer_jpn)
    assert roles.can_submit_report(officer_jpn, report)  # from the cache
    assert not roles.can_submit_report(officer_jpn, report, fresh=True)
    with pytest.raises(PermissionDenied, match="not an officer of Japan"):
        services.report_submit(report=report, user=officer_jpn)
