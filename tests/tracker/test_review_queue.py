"""The reviewer's queue: every submitted report, oldest first, with the change it proposes;
published or returned (a note required) one by one or in bulk through the workflow services;
four-eyes shown as a reason instead of a button; reviewers only."""

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_commitment, make_instrument, make_report
from tracker import workspace
from tracker.models import ReviewState, StatusReport

pytestmark = pytest.mark.django_db

QUEUE = reverse("review_queue")


def submitted(economy, commitment, status, effective, *, hours_ago, **fields):
    return make_report(
        economy,
        commitment,
        status,
        effective,
        published=False,
        review_state=ReviewState.SUBMITTED,
        submitted_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        **fields,
    )


@pytest.fixture
def queue(jpn, sgp, officer_jpn):
    cbpr = make_instrument("CBPR")
    first = make_commitment(cbpr, "CBPR-ECON-1", title="Join the Privacy Recognition system")
    second = make_commitment(cbpr, "CBPR-ECON-2", title="Name an accountability agent")
    make_report(jpn, first, "pilot", "2021-01-01")
    return {
        "newer": submitted(
            jpn,
            first,
            "implemented",
            "2025-01-01",
            hours_ago=2,
            evidence="The law is in force.",
            source_urls="https://example.org/law",
            entered_by=officer_jpn,
        ),
        "older": submitted(sgp, second, "partial", "2024-06-01", hours_ago=50),
        "draft": make_report(jpn, second, "planned", "2024-01-01", published=False),
    }


def test_queue_lists_submitted_reports_oldest_first_with_the_change(client, reviewer, queue):
    client.force_login(reviewer)
    response = client.get(QUEUE)
    items = response.context["items"]
    assert [i.report for i in items] == [queue["older"], queue["newer"]]
    older, newer = items
    assert older.current is None  # Singapore has nothing published on it yet
    assert newer.current.status == "pilot"
    assert round(older.waited.total_seconds() / 3600) == 50
    content = response.content.decode()
    change = content.split(f'id="queue-{queue["newer"].pk}"')[1]
    assert "Pilot stage since 2021-01-01" in change
    assert "&rarr; <strong>Fully implemented</strong> from 2025-01-01" in change
    assert "The law is in force." in change and "https://example.org/law" in change
    assert "Self-reported by the economy" not in change  # the factory's origin is secretariat
    assert "Secretariat research" in change
    assert "waiting 2" in change  # "2 hours"
    assert queue["draft"].pk not in [i.report.pk for i in items]  # drafts stay private


def test_queue_is_for_reviewers_only(client, officer_jpn, editor, queue):
    for user in (officer_jpn, editor):
        client.force_login(user)
        assert client.get(QUEUE).status_code == 403
        assert client.post(QUEUE, {"publish": queue["older"].pk}).status_code == 403
    queue["older"].refresh_from_db()
    assert queue["older"].review_state == ReviewState.SUBMITTED
    client.logout()
    assert client.get(QUEUE)["Location"].startswith(reverse("admin:login"))


def test_reviewer_publishes_one_from_the_queue(client, reviewer, queue):
    client.force_login(reviewer)
    report = queue["older"]
    response = client.post(
        QUEUE, {"publish": report.pk, f"version-{report.pk}": report.version}, follow=True
    )
    assert "Published SGP CBPR-ECON-2" in response.content.decode()
    report.refresh_from_db()
    assert report.review_state == ReviewState.PUBLISHED
    assert report.reviewed_by == reviewer
    assert [i.report for i in response.context["items"]] == [queue["newer"]]


def test_a_report_changed_since_the_queue_was_read_is_not_published(client, reviewer, queue):
    client.force_login(reviewer)
    report = queue["older"]
    response = client.post(
        QUEUE, {"publish": report.pk, f"version-{report.pk}": report.version - 1}, follow=True
    )
    assert "Someone else changed this report" in response.content.decode()
    report.refresh_from_db()
    assert report.review_state == ReviewState.SUBMITTED


def test_returning_needs_a_note(client, reviewer, queue):
    client.force_login(reviewer)
    report = queue["older"]
    response = client.post(QUEUE, {"return": report.pk, f"note-{report.pk}": "  "}, follow=True)
    assert "the note is required" in response.content.decode()
    report.refresh_from_db()
    assert report.review_state == ReviewState.SUBMITTED

    client.post(QUEUE, {"return": report.pk, f"note-{report.pk}": "Which law? Cite it."})
    report.refresh_from_db()
    assert report.review_state == ReviewState.RETURNED
    assert report.review_note == "Which law? Cite it."


def test_reviewer_publishes_or_returns_the_selected_in_bulk(client, reviewer, queue):
    client.force_login(reviewer)
    selected = [queue["older"].pk, queue["newer"].pk]
    response = client.post(QUEUE, {"selected": selected, "return_selected": "1"}, follow=True)
    assert "the note is required" in response.content.decode()
    assert StatusReport.objects.filter(review_state=ReviewState.SUBMITTED).count() == 2

    response = client.post(QUEUE, {"selected": selected, "publish_selected": "1"}, follow=True)
    assert "2 report(s) published." in response.content.decode()
    assert StatusReport.objects.filter(review_state=ReviewState.SUBMITTED).count() == 0
    assert b"Nothing is waiting for review." in response.content


def test_bulk_return_with_a_note(client, reviewer, queue):
    client.force_login(reviewer)
    client.post(
        QUEUE,
        {"selected": [queue["older"].pk], "return_selected": "1", "bulk_note": "Add sources."},
    )
    queue["older"].refresh_from_db()
    assert (queue["older"].review_state, queue["older"].review_note) == ("returned", "Add sources.")
    queue["newer"].refresh_from_db()
    assert queue["newer"].review_state == ReviewState.SUBMITTED


def test_four_eyes_shows_why_instead_of_the_publish_button(client, officer_reviewer, jpn, queue):
    own = queue["newer"]
    StatusReport.objects.filter(pk=own.pk).update(entered_by=officer_reviewer)
    client.force_login(officer_reviewer)
    response = client.get(QUEUE)
    by_report = {i.report.pk: i for i in response.context["items"]}
    assert not by_report[own.pk].can_publish
    assert by_report[own.pk].why_not.startswith("You entered this report")
    assert by_report[queue["older"].pk].can_publish
    content = response.content.decode()
    own_block = content.split(f'id="queue-{own.pk}"')[1].split('class="module queue-item"')[0]
    assert f'name="publish" value="{own.pk}"' not in own_block
    assert "You entered this report: another reviewer publishes it." in own_block
    # Posting anyway is refused by the service; bulk too, all or none.
    client.post(QUEUE, {"publish": own.pk})
    response = client.post(
        QUEUE, {"selected": [own.pk, queue["older"].pk], "publish_selected": "1"}, follow=True
    )
    assert "Nothing changed:" in response.content.decode()
    assert StatusReport.objects.filter(review_state=ReviewState.SUBMITTED).count() == 2


def test_queue_reads_the_same_queries_for_few_or_many_reports(client, reviewer, jpn, queue):
    client.force_login(reviewer)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE).status_code == 200
        return len(queries)

    # 1 session, 2 user, 3 and 4 the user's own and group permissions (is_reviewer), 5 the
    # submitted reports with economy, commitment and instrument, 6 the current statuses of
    # their cells, 7 the officer's economies (is_officer: none, for the workspace link).
    assert count() == 7
    cbpr = queue["older"].commitment.instrument
    for n in range(20):
        extra = make_commitment(cbpr)
        make_report(jpn, extra, "pilot", "2021-01-01")
        submitted(jpn, extra, "partial", "2024-01-01", hours_ago=n)
    assert count() == 7


def test_queue_is_empty_for_anyone_but_reviewers(officer_jpn, queue):
    assert workspace.review_queue(user=officer_jpn) == []


def test_a_confirmation_reads_as_unchanged_not_as_a_change(client, reviewer, officer_jpn, jpn):
    from tracker import services

    commitment = make_commitment(make_instrument("AIDER"), "AIDER-KFA-01")
    make_report(jpn, commitment, "partial", "2020-01-01", evidence="Half the plan is done.")
    draft = services.report_confirm_unchanged(economy=jpn, commitment=commitment, user=officer_jpn)
    services.report_submit(report=draft, user=officer_jpn)
    client.force_login(reviewer)
    response = client.get(QUEUE)
    [item] = response.context["items"]
    assert item.confirms_current
    assert (
        "<strong>Confirmed unchanged:</strong> Partially implemented, published since 2020-01-01"
        in (response.content.decode())
    )


def test_all_listed_publishes_every_report_shown_that_the_reviewer_may(
    client, officer_reviewer, queue
):
    own = queue["newer"]
    StatusReport.objects.filter(pk=own.pk).update(entered_by=officer_reviewer)
    client.force_login(officer_reviewer)
    page = client.get(QUEUE).content.decode()
    assert 'name="all_listed"' in page
    versions = {f"version-{r.pk}": r.version for r in (own, queue["older"])}
    response = client.post(
        QUEUE, {"all_listed": "1", "publish_selected": "1", **versions}, follow=True
    )
    content = response.content.decode()
    assert "1 report(s) published." in content
    assert "1 report(s) you entered or last changed wait for another reviewer" in content
    states = dict(StatusReport.objects.values_list("pk", "review_state"))
    assert states[queue["older"].pk] == ReviewState.PUBLISHED
    assert states[own.pk] == ReviewState.SUBMITTED
    assert states[queue["draft"].pk] == ReviewState.DRAFT  # never listed, never touched


def test_all_listed_returns_every_report_shown_with_the_note(client, reviewer, queue):
    client.force_login(reviewer)
    versions = {f"version-{r.pk}": r.version for r in (queue["newer"], queue["older"])}
    client.post(
        QUEUE, {"all_listed": "1", "return_selected": "1", "bulk_note": "Cite the law.", **versions}
    )
    returned = StatusReport.objects.filter(review_state=ReviewState.RETURNED)
    assert set(returned.values_list("pk", flat=True)) == {queue["newer"].pk, queue["older"].pk}
    assert set(returned.values_list("review_note", flat=True)) == {"Cite the law."}


def test_bulk_refuses_a_report_changed_since_the_queue_was_opened(client, reviewer, queue):
    client.force_login(reviewer)
    seen = {f"version-{r.pk}": r.version for r in (queue["newer"], queue["older"])}
    older = queue["older"]
    # Its officer saves an edit meanwhile (every save through the services raises the version).
    StatusReport.objects.filter(pk=older.pk).update(
        evidence="Edited meanwhile by its officer.", version=F("version") + 1
    )
    response = client.post(
        QUEUE,
        {"selected": [queue["newer"].pk, older.pk], "publish_selected": "1", **seen},
        follow=True,
    )
    content = response.content.decode()
    assert "Nothing changed:" in content
    assert "changed since you opened the queue" in content
    assert (
        not StatusReport.objects.filter(review_state=ReviewState.PUBLISHED)
        .exclude(review_state=ReviewState.SUBMITTED)
        .filter(pk__in=[queue["newer"].pk, older.pk])
    )
