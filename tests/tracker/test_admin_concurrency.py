"""No lost edits: when two people edit the same report, the second save is refused with a clear
message and nothing is overwritten."""

from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.factories import make_report
from tracker import services
from tracker.models import ReviewState, StatusReport

# Every test here needs the database, also those that pick a persona at run time: the mark
# keeps them ordered before the transactional (live-server) tests, which empty it.
pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(jpn, commitment):
    return make_report(
        jpn, commitment, "partial", "2023-01-01", published=False, evidence="Original."
    )


@pytest.fixture
def colleague(officer_jpn, jpn):
    """A second officer of Japan, editing at the same time."""
    user = User.objects.create_user("colleague_jpn", is_staff=True)
    jpn.officers.add(user)
    return user


def post_edit(client, report, version, evidence):
    return client.post(
        reverse("admin:tracker_statusreport_change", args=[report.pk]),
        {
            "economy": report.economy_id,
            "commitment": report.commitment_id,
            "status": report.status,
            "effective_date": report.effective_date.isoformat(),
            "target_date": "",
            "origin": report.origin,
            "evidence": evidence,
            "source_urls": "",
            "expected_version": version,
        },
    )


def test_second_of_two_concurrent_saves_is_refused(client, officer_jpn, colleague, draft):
    url = reverse("admin:tracker_statusreport_change", args=[draft.pk])
    # Both open the form at version 1.
    client.force_login(officer_jpn)
    opened_at = client.get(url).context["adminform"].form["expected_version"].value()
    assert opened_at == 1

    client.force_login(colleague)
    assert post_edit(client, draft, opened_at, "Colleague's edit.").status_code == 302

    client.force_login(officer_jpn)
    response = post_edit(client, draft, opened_at, "My edit.")
    assert response.status_code == 200  # the form again, with the officer's text still in it
    form = response.context["adminform"].form
    assert form.non_field_errors() == [services.CONFLICT_MESSAGE]
    assert "Someone else changed this report" in response.content.decode()
    assert form["evidence"].value() == "My edit."

    draft.refresh_from_db()
    assert (draft.evidence, draft.version) == ("Colleague's edit.", 2)
    assert [h.history_user for h in draft.history.order_by("history_date")] == [None, colleague]


def test_save_after_a_submission_is_refused(client, officer_jpn, colleague, draft):
    client.force_login(officer_jpn)
    services.report_submit(report=draft, user=colleague)
    response = post_edit(client, draft, 1, "Too late.")
    # Submitted: the form is now read-only for officers, and the post is refused.
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.evidence == "Original." and draft.review_state == ReviewState.SUBMITTED


def test_missing_version_is_refused(client, officer_jpn, draft):
    client.force_login(officer_jpn)
    response = post_edit(client, draft, "", "No version.")
    assert response.context["adminform"].form.non_field_errors() == [services.CONFLICT_MESSAGE]
    draft.refresh_from_db()
    assert draft.evidence == "Original."


def test_race_between_the_check_and_the_write_loses_nothing(client, officer_jpn, colleague, draft):
    """The other save lands after the form's check but before the write: the service's
    conditional update refuses it, the transaction rolls back, the user is told."""
    client.force_login(officer_jpn)
    real_update = services.report_update

    def colleague_saves_first(**kwargs):
        StatusReport.objects.filter(pk=draft.pk).update(version=2, evidence="Colleague's.")
        return real_update(**kwargs)

    with mock.patch.object(services, "report_update", side_effect=colleague_saves_first):
        response = post_edit(client, draft, 1, "Mine.")
    assert response.status_code == 302
    followed = client.get(response["Location"])
    assert [str(m) for m in followed.context["messages"]] == [services.CONFLICT_MESSAGE]
    draft.refresh_from_db()
    # The simulated colleague wrote inside the same request's transaction, so the rollback
    # takes it too; what matters is that the officer's stale copy was never written.
    assert draft.evidence != "Mine."
    assert not draft.history.filter(evidence="Mine.").exists()


def test_two_reviewers_publishing_the_same_report(reviewer, officer_jpn, draft):
    services.report_submit(report=draft, user=officer_jpn)
    first = StatusReport.objects.get(pk=draft.pk)
    second = StatusReport.objects.get(pk=draft.pk)
    services.report_publish(report=first, reviewer=reviewer)
    with pytest.raises(services.WorkflowError):
        services.report_return(report=second, reviewer=reviewer, note="Too late.")
    draft.refresh_from_db()
    assert draft.review_state == ReviewState.PUBLISHED and draft.review_note == ""


def test_bulk_publish_with_a_returned_report_publishes_nothing(
    client, reviewer, officer_jpn, draft, jpn, commitment
):
    services.report_submit(report=draft, user=officer_jpn)
    other = make_report(
        jpn, commitment, "pilot", "2022-01-01", published=False, review_state="returned"
    )
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:tracker_statusreport_changelist"),
        {"action": "publish_reports", "_selected_action": [draft.pk, other.pk]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        f"Nothing was published: {other}: Only a submitted report can be published."
    ]
    draft.refresh_from_db()
    assert draft.review_state == ReviewState.SUBMITTED
