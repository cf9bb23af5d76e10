"""History: every change to every record is kept with who and when, and can be read in the
admin, scoped as the records themselves are."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_report
from tracker import services
from tracker.models import ReviewState, StatusReport

# Every test here needs the database, also those that pick a persona at run time: the mark
# keeps them ordered before the transactional (live-server) tests, which empty it.
pytestmark = pytest.mark.django_db


def history_url(report):
    return reverse("admin:tracker_statusreport_history", args=[report.pk])


def version_url(report, record):
    return reverse("admin:tracker_statusreport_simple_history", args=[report.pk, record.history_id])


@pytest.fixture
def worked(officer_jpn, reviewer, jpn, commitment):
    """A Japanese report taken through the whole workflow."""
    report = services.report_create(
        user=officer_jpn,
        economy=jpn,
        commitment=commitment,
        status="partial",
        effective_date="2023-01-01",
        evidence="Agent recognised.",
    )
    services.report_submit(report=report, user=officer_jpn)
    services.report_return(report=report, reviewer=reviewer, note="Cite the source.")
    services.report_update(
        report=report, user=officer_jpn, expected_version=report.version, evidence="Cited."
    )
    services.report_submit(report=report, user=officer_jpn)
    services.report_publish(report=report, reviewer=reviewer)
    return report


def test_every_step_is_kept_with_who(worked, officer_jpn, reviewer):
    records = worked.history.order_by("history_date")
    assert [(r.review_state, r.history_type) for r in records] == [
        ("draft", "+"),
        ("submitted", "~"),
        ("returned", "~"),
        ("returned", "~"),
        ("submitted", "~"),
        ("published", "~"),
    ]
    assert [r.evidence for r in records][2:4] == ["Agent recognised.", "Cited."]
    assert records[2].review_note == "Cite the source."


def test_admin_records_who_changed_what(client, officer_jpn, jpn, commitment):
    report = make_report(jpn, commitment, "pilot", "2022-01-01", published=False)
    client.force_login(officer_jpn)
    client.post(
        reverse("admin:tracker_statusreport_change", args=[report.pk]),
        {
            "economy": jpn.pk,
            "commitment": commitment.pk,
            "status": "partial",
            "effective_date": "2022-01-01",
            "origin": "self_reported",
            "evidence": "Edited in the admin.",
            "source_urls": "",
            "target_date": "",
            "expected_version": 1,
        },
    )
    latest = report.history.latest()
    assert (latest.history_user, latest.status, latest.evidence) == (
        officer_jpn,
        "partial",
        "Edited in the admin.",
    )


def test_officer_reads_own_reports_history(client, officer_jpn, reviewer, worked):
    client.force_login(officer_jpn)
    response = client.get(history_url(worked))
    assert response.status_code == 200
    html = response.content.decode()
    assert "officer_jpn" in html and "reviewer" in html
    assert len(response.context["page_obj"].object_list) == 6
    # Each version named by its own economy and commitment; people named, never linked.
    assert f"{worked.economy.code} {worked.commitment.code}: " in html
    assert "/admin/auth/user/" not in html


def test_other_officer_cannot_read_it(client, officer_sgp, worked):
    client.force_login(officer_sgp)
    # Refused, without saying whether the report exists (none of its versions is theirs).
    assert client.get(history_url(worked)).status_code in (403, 404)
    record = worked.history.earliest()
    assert client.get(version_url(worked, record)).status_code == 403


def test_other_officer_cannot_read_a_draft_history_even_published_elsewhere(
    client, officer_sgp, officer_jpn, jpn, commitment
):
    draft = services.report_create(
        user=officer_jpn,
        economy=jpn,
        commitment=commitment,
        status="pilot",
        effective_date="2023-01-01",
        evidence="Secret draft.",
    )
    client.force_login(officer_sgp)
    assert client.get(history_url(draft)).status_code in (403, 404)


def test_reviewer_reads_history_of_submitted_not_of_drafts(
    client, reviewer, officer_jpn, jpn, commitment, worked
):
    client.force_login(reviewer)
    assert client.get(history_url(worked)).status_code == 200
    draft = make_report(jpn, commitment, "pilot", "2020-01-01", published=False)
    assert client.get(history_url(draft)).status_code in (403, 404)


def test_editor_reads_history_of_published(client, editor, worked):
    client.force_login(editor)
    assert client.get(history_url(worked)).status_code == 200


def test_anonymous_is_sent_to_login(client, worked):
    assert client.get(history_url(worked)).status_code == 302


def test_old_version_opens_read_only_and_is_never_posted_back(client, officer_jpn, jpn, commitment):
    report = services.report_create(
        user=officer_jpn,
        economy=jpn,
        commitment=commitment,
        status="pilot",
        effective_date="2023-01-01",
        evidence="First.",
    )
    services.report_update(report=report, user=officer_jpn, expected_version=1, evidence="Second.")
    first = report.history.earliest()
    client.force_login(officer_jpn)
    page = client.get(version_url(report, first))
    assert page.status_code == 200
    html = page.content.decode()
    assert "First." in html and 'name="evidence"' not in html
    response = client.post(version_url(report, first), {"evidence": "First."})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.evidence == "Second."


def test_deleted_draft_keeps_its_history_for_its_officer(client, officer_jpn, jpn, commitment):
    report = services.report_create(
        user=officer_jpn,
        economy=jpn,
        commitment=commitment,
        status="pilot",
        effective_date="2023-01-01",
        evidence="Discarded.",
    )
    pk = report.pk
    services.report_delete(report=report, user=officer_jpn)
    assert StatusReport.history.filter(id=pk).count() == 2  # created, deleted
    client.force_login(officer_jpn)
    response = client.get(reverse("admin:tracker_statusreport_history", args=[pk]))
    assert response.status_code == 200


def test_history_view_query_count_does_not_grow(client, officer_jpn, worked):
    client.force_login(officer_jpn)

    def count():
        ContentType.objects.clear_cache()  # the same count whichever test ran before
        with CaptureQueriesContext(connection) as queries:
            assert client.get(history_url(worked)).status_code == 200
        return len(queries)

    # 1 session, 2 user, 3 the officer's economies, 4 and 5 permissions, 6 the report with its
    # economy and commitment (for the title),
    # 7 count of its history records, 8 the page of records with their economy, commitment and
    # users, 9 the user model's content type (for links to the people who made each change).
    assert count() == 9
    # Ten more edits (set back to returned without a record, so that it may be edited again).
    StatusReport.objects.filter(pk=worked.pk).update(review_state=ReviewState.RETURNED)
    worked.refresh_from_db()
    for n in range(10):
        services.report_update(
            report=worked, user=officer_jpn, expected_version=worked.version, evidence=f"v{n}"
        )
    assert worked.history.count() == 16
    assert count() == 9


# --- the catalogue's history ---------------------------------------------------------------------


def test_editor_change_to_an_economy_is_kept(client, editor, jpn):
    client.force_login(editor)
    url = reverse("admin:economies_economy_change", args=[jpn.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "officers"}
    data.update(notes="Joined in 1989.")
    assert client.post(url, data).status_code == 302
    latest = jpn.history.latest()
    assert (latest.history_user, latest.notes) == (editor, "Joined in 1989.")
    response = client.get(reverse("admin:economies_economy_history", args=[jpn.pk]))
    assert response.status_code == 200 and "editor" in response.content.decode()


def test_view_only_user_cannot_revert_an_economy_through_its_history(client, officer_jpn, jpn):
    jpn.notes = "Changed later."
    jpn.save()
    first = jpn.history.earliest()
    client.force_login(officer_jpn)
    url = reverse("admin:economies_economy_simple_history", args=[jpn.pk, first.history_id])
    assert client.get(url).status_code == 200  # officers may read the catalogue's history
    response = client.post(url, {"code": "JPN", "name": "Japan", "notes": ""})
    assert response.status_code == 403
    jpn.refresh_from_db()
    assert jpn.notes == "Changed later."


@pytest.mark.parametrize(
    "model",
    ["instruments_instrument", "instruments_commitment", "instruments_forum", "instruments_theme"],
)
def test_catalogue_history_views_open_for_editors(client, editor, commitment, model):
    from instruments.models import Forum, Theme

    objects = {
        "instruments_instrument": commitment.instrument,
        "instruments_commitment": commitment,
        "instruments_forum": Forum.objects.create(short_name="DESG", name="Digital Economy SG"),
        "instruments_theme": Theme.objects.create(slug="privacy", name="Privacy"),
    }
    client.force_login(editor)
    response = client.get(reverse(f"admin:{model}_history", args=[objects[model].pk]))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) >= 1
