"""No lost edits: when two people edit the same report, the second save is refused with a clear
message, the form comes back with what was typed, and nothing is overwritten."""

from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

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


def open_form(client, report):
    """Load the change form as a person would; returns the version it was opened at."""
    response = client.get(reverse("admin:tracker_statusreport_change", args=[report.pk]))
    assert response.status_code == 200
    return response.context["adminform"].form["expected_version"].value()


def test_second_of_two_concurrent_saves_comes_back_with_what_was_typed(
    client, officer_jpn, colleague, draft
):
    # Both open the form at version 1.
    client.force_login(officer_jpn)
    mine = open_form(client, draft)
    client.force_login(colleague)
    theirs = open_form(client, draft)
    assert mine == theirs == 1

    assert post_edit(client, draft, theirs, "Colleague's edit.").status_code == 302

    client.force_login(officer_jpn)
    response = post_edit(client, draft, mine, "My edit.")
    assert response.status_code == 200  # the form again, not a redirect
    form = response.context["adminform"].form
    [error] = form.non_field_errors()
    # Who saved, and when (their save is the report's latest history record).
    saved_at = timezone.localtime(draft.history.first().history_date)
    assert error.startswith(f"colleague_jpn saved this report at {saved_at:%Y-%m-%d %H:%M %Z}")
    assert "nothing was overwritten" in error and "save again" in error
    page = response.content.decode()
    assert "colleague_jpn saved this report at" in page
    # What the officer typed is still in the form; what is saved now is shown beside it.
    assert form["evidence"].value() == "My edit."
    assert "My edit.</textarea>" in page
    saved_now = {row["label"]: row for row in response.context["saved_meanwhile"]}
    assert saved_now["Evidence"]["saved"] == "Colleague's edit."
    assert saved_now["Evidence"]["yours"] == "My edit."
    assert saved_now["Evidence"]["differs"] and not saved_now["Status"]["differs"]
    assert "Colleague&#x27;s edit." in page

    # Nothing was overwritten: the database holds the colleague's save.
    draft.refresh_from_db()
    assert (draft.evidence, draft.version) == ("Colleague's edit.", 2)
    assert [h.history_user for h in draft.history.order_by("history_date")] == [None, colleague]


def test_saving_again_after_comparing_keeps_the_second_edit(client, officer_jpn, colleague, draft):
    client.force_login(officer_jpn)
    mine = open_form(client, draft)
    client.force_login(colleague)
    assert post_edit(client, draft, open_form(client, draft), "Colleague's.").status_code == 302

    client.force_login(officer_jpn)
    refused = post_edit(client, draft, mine, "Mine, having read theirs.")
    # The form comes back opened at the version saved now: saving it again is a choice made
    # with the colleague's values in view, so it goes through.
    again = refused.context["adminform"].form["expected_version"].value()
    assert again == 2
    assert post_edit(client, draft, again, "Mine, having read theirs.").status_code == 302
    draft.refresh_from_db()
    assert (draft.evidence, draft.version) == ("Mine, having read theirs.", 3)


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
    assert response.status_code == 200
    [error] = response.context["adminform"].form.non_field_errors()
    assert "saved this report at" in error and "save again" in error
    draft.refresh_from_db()
    assert draft.evidence == "Original."


def test_race_between_the_check_and_the_write_loses_nothing(client, officer_jpn, colleague, draft):
    """The other save lands after the form's check but before the write: the service's
    conditional update refuses it, the transaction rolls back, the form comes back."""
    client.force_login(officer_jpn)
    real_update = services.report_update

    def colleague_saves_first(**kwargs):
        StatusReport.objects.filter(pk=draft.pk).update(version=2, evidence="Colleague's.")
        return real_update(**kwargs)

    with mock.patch.object(services, "report_update", side_effect=colleague_saves_first):
        response = post_edit(client, draft, 1, "Mine.")
    # As when the form's own check finds it: the form again, with what the officer typed.
    assert response.status_code == 200
    form = response.context["adminform"].form
    [error] = form.non_field_errors()
    assert "saved this report at" in error and "nothing was overwritten" in error
    assert form["evidence"].value() == "Mine."
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
