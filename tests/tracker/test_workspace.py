"""The officer's workspace: where an officer lands after signing in, what it shows of each of
their economies, "confirm unchanged", "report an update", "submit my drafts"; each persona
checked against a second economy (an officer of Japan never sees, confirms or submits
Singapore's).

Over 400 lines: each action is checked for each persona against a second economy, sharing the
fixtures below; the spreadsheet round trip is in test_workspace_spreadsheet.py."""

import datetime
import html as htmllib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from softlaw import clock
from tests.conftest import _user
from tests.factories import make_commitment, make_instrument, make_report
from tracker import services, workspace
from tracker.models import Origin, ReportingRound, ReviewState, StatusReport

pytestmark = pytest.mark.django_db

WORKSPACE = reverse("workspace")
CONFIRM = reverse("workspace_confirm")
SUBMIT = reverse("workspace_submit")
ADD = reverse("admin:tracker_statusreport_add")


def sign_in(client, username):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": "correct-horse-battery", "next": "/admin/"},
        follow=True,
    )


# --- landing -------------------------------------------------------------------------------------


def test_officer_lands_on_the_workspace_after_signing_in(client, officer_jpn):
    response = sign_in(client, "officer_jpn")
    assert response.redirect_chain[-1][0] == WORKSPACE
    assert response.status_code == 200
    # In the admin's look: its header and its sign-out form.
    assert b'id="header"' in response.content
    assert b'id="logout-form"' in response.content


def test_reviewer_lands_on_the_queue_after_signing_in(client, reviewer):
    response = sign_in(client, "reviewer")
    assert response.redirect_chain[-1][0] == reverse("review_queue")


def test_officer_who_reviews_lands_on_the_workspace_which_links_the_queue(client, officer_reviewer):
    response = sign_in(client, "officer_reviewer")
    assert response.redirect_chain[-1][0] == WORKSPACE
    assert reverse("review_queue").encode() in response.content


def test_editor_and_superuser_keep_the_admin_index(client, editor, django_user_model):
    response = sign_in(client, "editor")
    assert response.redirect_chain == [("/admin/", 302)]
    assert response.templates[0].name == "admin/index.html"
    django_user_model.objects.create_superuser("root", password="correct-horse-battery")
    client.force_login(django_user_model.objects.get(username="root"))
    assert client.get("/admin/").templates[0].name == "admin/index.html"


def test_officer_reaches_the_admin_index_through_its_link(client, officer_jpn):
    client.force_login(officer_jpn)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/?index").templates[0].name == "admin/index.html"


def test_anonymous_is_sent_to_sign_in(client):
    for url in (WORKSPACE, reverse("workspace_spreadsheet", args=["JPN"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_workspace_is_for_officers_only(client, reviewer, editor):
    for user in (reviewer, editor):
        client.force_login(user)
        assert client.get(WORKSPACE).status_code == 403
        assert client.post(SUBMIT).status_code == 403


# --- what it shows -------------------------------------------------------------------------------


@pytest.fixture
def catalogue(jpn, sgp):
    """Two instruments, three economy-scope commitments and a collective one; Japan with a
    published status on two, one of them overdue; Singapore with its own on the first."""
    cbpr, aider = make_instrument("CBPR"), make_instrument("AIDER")
    first = make_commitment(cbpr, "CBPR-ECON-1", title="Join the Privacy Recognition system")
    second = make_commitment(cbpr, "CBPR-ECON-2", title="Name an accountability agent")
    third = make_commitment(aider, "AIDER-KFA-01", title="Develop digital infrastructure")
    make_commitment(aider, "AIDER-COLL-1", title="Collective work", scope="collective")
    make_report(
        jpn,
        first,
        "partial",
        "2022-03-01",
        target_date=datetime.date(2027, 1, 1),
        evidence="JPN partial.",
        source_urls="https://example.org/jpn",
    )
    make_report(
        jpn,
        second,
        "planned",
        "2021-01-01",
        target_date=datetime.date(2024, 12, 31),
        origin=Origin.SELF_REPORTED,
        evidence="JPN plans.",
    )
    make_report(sgp, first, "implemented", "2020-01-01", evidence="SGP secret-looking evidence.")
    return {"first": first, "second": second, "third": third}


def line_of(response, code, commitment):
    [economy] = [e for e in response.context["economies"] if e.economy.code == code]
    return next(
        line
        for group in economy.instruments
        for line in group.lines
        if line.commitment == commitment
    )


def test_workspace_lists_every_economy_scope_commitment_by_instrument(
    client, officer_jpn, catalogue
):
    client.force_login(officer_jpn)
    response = client.get(WORKSPACE)
    [japan] = response.context["economies"]
    assert japan.economy.code == "JPN"
    # By instrument (short name), each with its economy-scope commitments; the collective one
    # is not reported on by economies.
    assert [
        (g.instrument.short_name, [ln.commitment.code for ln in g.lines]) for g in japan.instruments
    ] == [
        ("AIDER", ["AIDER-KFA-01"]),
        ("CBPR", ["CBPR-ECON-1", "CBPR-ECON-2"]),
    ]
    content = response.content.decode()
    assert "Join the Privacy Recognition system" in content
    assert "AIDER-COLL-1" not in content


def test_a_global_workspace_opens_one_instrument_at_a_time(
    client, officer_jpn, jpn, catalogue, monkeypatch
):
    # A global tracker's 1,200 commitments stand in as the catalogue's 3, above a threshold
    # lowered to 2: each instrument is summed up, and opens alone with a plain link.
    monkeypatch.setattr(workspace, "EVERY_ROW_UP_TO", 2)
    client.force_login(officer_jpn)
    with CaptureQueriesContext(connection) as closed_queries:
        response = client.get(WORKSPACE)
    content = response.content.decode()
    assert "2 instruments: open one at a time to act on its commitments." in content
    assert "CBPR-ECON-1" not in content and "Confirm unchanged" not in content
    # Every figure is still over every commitment: CBPR-ECON-2 is overdue, AIDER has none.
    assert "2 commitments: 1 overdue, 0 without a published status, 0 in review." in content
    assert "1 commitment: 0 overdue, 1 without a published status, 0 in review." in content
    [japan] = response.context["economies"]
    assert japan.overdue == 1 and japan.without_status == 1
    show = re.findall(r'href="([^"]*)">Show its commitments</a>', content)
    assert [htmllib.unescape(link) for link in show] == [
        "?instrument=aider#ws-JPN-aider",
        "?instrument=cbpr#ws-JPN-cbpr",
    ]
    with CaptureQueriesContext(connection) as open_queries:
        opened = client.get(WORKSPACE + "?instrument=cbpr").content.decode()
    assert len(open_queries) == len(closed_queries)
    assert "CBPR-ECON-1" in opened and "CBPR-ECON-2" in opened
    assert "AIDER-KFA-01" not in opened
    assert 'href="?#ws-JPN-cbpr">Hide its commitments</a>' in opened
    # Confirming a commitment comes back with its instrument still open.
    response = client.post(
        CONFIRM, {"economy": jpn.pk, "commitment": catalogue["first"].pk, "instrument": "cbpr"}
    )
    assert response["Location"] == f"{WORKSPACE}?instrument=cbpr#economy-JPN"
    assert 'name="instrument" value="cbpr"' in opened
    # An instrument the page does not have: said so, and every instrument stays closed.
    unknown = client.get(WORKSPACE + "?instrument=nope").content.decode()
    assert "No instrument &#x27;nope&#x27; is on this page" in unknown
    assert 'id="line-JPN-CBPR-ECON-1"' not in unknown
    assert unknown.count("Show its commitments") == 2


def test_workspace_shows_status_origin_since_target_and_overdue(client, officer_jpn, catalogue):
    client.force_login(officer_jpn)
    response = client.get(WORKSPACE)
    first = line_of(response, "JPN", catalogue["first"])
    assert first.current.get_status_display() == "Partially implemented"
    assert first.current.report.get_origin_display() == "Secretariat research"
    assert first.current.effective_date == datetime.date(2022, 3, 1)
    assert not first.overdue  # target 2027-01-01 is ahead
    # Planned with a target at the end of 2024, today is later: overdue.
    second = line_of(response, "JPN", catalogue["second"])
    assert second.overdue
    assert not second.can_confirm  # its target date has passed: an update is due, not a copy
    assert line_of(response, "JPN", catalogue["third"]).current is None
    assert response.context["economies"][0].overdue == 1
    assert response.context["economies"][0].without_status == 1
    row = response.content.decode().split('id="line-JPN-CBPR-ECON-2"')[1].split("</tr>")[0]
    assert "2024-12-31" in row and "overdue" in row and "Self-reported by the economy" in row


def test_a_commitment_with_a_draft_offers_to_edit_it_rather_than_start_another(
    client, officer_jpn, jpn, catalogue
):
    draft = make_report(
        jpn,
        catalogue["first"],
        "implemented",
        "2024-01-01",
        published=False,
        entered_by=officer_jpn,
    )
    client.force_login(officer_jpn)
    content = client.get(WORKSPACE).content.decode()
    first = content.split('id="line-JPN-CBPR-ECON-1"')[1].split("</tr>")[0]
    assert f"/admin/tracker/statusreport/{draft.pk}/change/?from=workspace" in first
    assert "Edit the draft report" in first and "Report an update" not in first
    second = content.split('id="line-JPN-CBPR-ECON-2"')[1].split("</tr>")[0]
    assert "Report an update" in second


def test_officer_of_japan_does_not_see_singapore(client, officer_jpn, catalogue):
    client.force_login(officer_jpn)
    response = client.get(WORKSPACE)
    assert [e.economy.code for e in response.context["economies"]] == ["JPN"]
    assert b"SGP secret-looking evidence" not in response.content
    assert b"Singapore" not in response.content


def test_returned_reports_come_first_with_the_reviewers_note(client, officer_jpn, jpn, catalogue):
    make_report(
        jpn,
        catalogue["third"],
        "pilot",
        "2023-01-01",
        published=False,
        review_state=ReviewState.RETURNED,
        review_note="Cite the ministry's notice, not the press article.",
    )
    make_report(
        jpn,
        catalogue["first"],
        "implemented",
        "2024-01-01",
        published=False,
        entered_by=officer_jpn,
    )
    client.force_login(officer_jpn)
    content = client.get(WORKSPACE).content.decode()
    note = content.index("Cite the ministry&#x27;s notice, not the press article.")
    assert note < content.index("Drafts") < content.index("CBPR-ECON-2")
    assert "Submit my 1 draft for review" in content


def test_workspace_reads_the_same_queries_for_few_or_many_rows(client, officer_jpn, jpn, catalogue):
    client.force_login(officer_jpn)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(WORKSPACE).status_code == 200
        return len(queries)

    # 1 session, 2 user, 3 the officer's economies (for is_officer, cached), 4 and 5 the
    # user's own and group permissions (is_reviewer), 6 the economies listed, 7 the
    # economy-scope commitments with their instruments, 8 the current statuses with their
    # reports, 9 the reports still in the workflow, 10 the reporting rounds open today.
    assert count() == 10
    aider = catalogue["third"].instrument
    for _ in range(15):
        extra = make_commitment(aider)
        make_report(jpn, extra, "pilot", "2023-01-01")
        make_report(jpn, extra, "partial", "2024-01-01", published=False)
        make_report(jpn, extra, "pilot", "2024-01-01", published=False, review_state="returned")
    assert count() == 10
    # An open round: 11 the commitments it asks, 12 the reports that answer them.
    round = ReportingRound.objects.create(
        name="AIDER review",
        slug="aider-review",
        opens_on=clock.today() - datetime.timedelta(days=3),
        deadline=clock.today() + datetime.timedelta(days=10),
    )
    round.instruments.add(aider)
    assert count() == 12


def test_workspace_shows_the_open_rounds_checklist_of_the_officers_economy_only(
    client, officer_jpn, jpn, sgp, catalogue
):
    today = clock.today()
    round = ReportingRound.objects.create(
        name="CBPR progress report",
        slug="cbpr-progress",
        opens_on=today - datetime.timedelta(days=5),
        deadline=today + datetime.timedelta(days=20),
    )
    round.instruments.add(catalogue["first"].instrument)
    # Japan answered the first commitment in the round (submitted after the opening, published);
    # Singapore answered it too, which Japan's officer must not see as Japan's.
    for economy in (jpn, sgp):
        make_report(
            economy,
            catalogue["first"],
            "implemented",
            today - datetime.timedelta(days=1),
            origin=Origin.SELF_REPORTED,
            submitted_at=timezone.now() - datetime.timedelta(days=1),
        )
    client.force_login(officer_jpn)
    content = client.get(WORKSPACE).content.decode()
    checklist = content[content.index('data-round="cbpr-progress"') :]
    checklist = checklist[: checklist.index("</table>")]
    assert "Reporting round: CBPR progress report" in checklist
    first = checklist[checklist.index('data-commitment="CBPR-ECON-1"') :]
    assert "Answered on time" in first[: first.index("</tr>")]
    second = checklist[checklist.index('data-commitment="CBPR-ECON-2"') :]
    assert "Not answered" in second[: second.index("</tr>")]
    assert "AIDER-KFA-01" not in checklist  # the round does not ask about AIDER
    assert content.count('data-round="cbpr-progress"') == 1  # Japan's only


# --- confirm unchanged ---------------------------------------------------------------------------


def test_confirm_unchanged_makes_a_draft_with_the_same_status_dated_today(
    client, officer_jpn, jpn, catalogue
):
    client.force_login(officer_jpn)
    response = client.post(CONFIRM, {"economy": jpn.pk, "commitment": catalogue["first"].pk})
    assert response.status_code == 302
    assert response["Location"] == f"{WORKSPACE}#economy-JPN"
    draft = StatusReport.objects.get(review_state=ReviewState.DRAFT)
    assert (draft.economy, draft.commitment, draft.status) == (jpn, catalogue["first"], "partial")
    assert draft.effective_date == clock.today()
    assert draft.evidence == "JPN partial."
    assert draft.source_urls == "https://example.org/jpn"
    assert draft.target_date == datetime.date(2027, 1, 1)
    assert draft.origin == Origin.SELF_REPORTED
    assert draft.entered_by == officer_jpn


def test_confirm_unchanged_twice_on_a_day_makes_one_draft(client, officer_jpn, jpn, catalogue):
    client.force_login(officer_jpn)
    for _ in range(2):
        client.post(CONFIRM, {"economy": jpn.pk, "commitment": catalogue["first"].pk})
    assert StatusReport.objects.filter(review_state=ReviewState.DRAFT).count() == 1


def test_confirm_unchanged_refused_without_a_status_or_past_its_target(officer_jpn, jpn, catalogue):
    with pytest.raises(services.WorkflowError, match="no published status"):
        services.report_confirm_unchanged(
            economy=jpn, commitment=catalogue["third"], user=officer_jpn
        )
    with pytest.raises(services.WorkflowError, match="target date 2024-12-31"):
        services.report_confirm_unchanged(
            economy=jpn, commitment=catalogue["second"], user=officer_jpn
        )
    assert not StatusReport.objects.filter(review_state=ReviewState.DRAFT).exists()


def test_officer_of_japan_cannot_confirm_singapore(client, officer_jpn, sgp, catalogue):
    client.force_login(officer_jpn)
    response = client.post(CONFIRM, {"economy": sgp.pk, "commitment": catalogue["first"].pk})
    assert response.status_code == 404
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.report_confirm_unchanged(
            economy=sgp, commitment=catalogue["first"], user=officer_jpn
        )
    assert not StatusReport.objects.filter(review_state=ReviewState.DRAFT).exists()


def test_confirm_unchanged_needs_a_post(client, officer_jpn, jpn, catalogue):
    client.force_login(officer_jpn)
    response = client.get(CONFIRM, {"economy": jpn.pk, "commitment": catalogue["first"].pk})
    assert response.status_code == 405
    csrf_client = client.__class__(enforce_csrf_checks=True)
    csrf_client.force_login(officer_jpn)
    response = csrf_client.post(CONFIRM, {"economy": jpn.pk, "commitment": catalogue["first"].pk})
    assert response.status_code == 403
    assert not StatusReport.objects.filter(review_state=ReviewState.DRAFT).exists()


# --- submit my drafts ----------------------------------------------------------------------------


def test_submit_my_drafts_sends_my_drafts_not_a_colleagues_nor_another_economys(
    client, officer_jpn, jpn, sgp, catalogue
):
    mine = [
        make_report(
            jpn, catalogue["first"], "pilot", "2023-01-01", published=False, entered_by=officer_jpn
        ),
        make_report(
            jpn,
            catalogue["third"],
            "pilot",
            "2023-01-01",
            published=False,
            last_changed_by=officer_jpn,
        ),
    ]
    colleague = _user("colleague_jpn", economies=[jpn], is_staff=True)
    colleagues = make_report(
        jpn, catalogue["second"], "partial", "2023-01-01", published=False, entered_by=colleague
    )
    returned = make_report(
        jpn, catalogue["second"], "pilot", "2023-01-01", published=False, review_state="returned"
    )
    theirs = make_report(sgp, catalogue["first"], "pilot", "2023-01-01", published=False)
    client.force_login(officer_jpn)
    response = client.post(SUBMIT, follow=True)
    assert "2 draft(s) submitted for review." in response.content.decode()
    for report in mine:
        report.refresh_from_db()
        assert report.review_state == ReviewState.SUBMITTED
        assert report.submitted_at is not None
    for report, state in ((returned, "returned"), (theirs, "draft"), (colleagues, "draft")):
        report.refresh_from_db()
        assert report.review_state == state


# --- report an update ----------------------------------------------------------------------------


def test_report_an_update_prefills_the_form_and_shows_the_status_published_now(
    client, officer_jpn, jpn, catalogue
):
    client.force_login(officer_jpn)
    url = f"{ADD}?economy={jpn.pk}&commitment={catalogue['first'].pk}&from=workspace"
    response = client.get(url)
    form = response.context["adminform"].form
    assert form.initial["economy"] == str(jpn.pk)
    assert form.initial["commitment"] == str(catalogue["first"].pk)
    published = response.context["published_now"]
    assert published.report.evidence == "JPN partial."
    content = response.content.decode()
    assert 'id="published-now"' in content
    assert "Partially implemented since 2022-03-01" in content

    # Saved, the officer is back on the workspace, with the new draft listed there.
    response = client.post(
        url,
        {
            "economy": jpn.pk,
            "commitment": catalogue["first"].pk,
            "status": "implemented",
            "effective_date": "2025-05-01",
            "evidence": "The law came into force.",
            "origin": "self_reported",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert response["Location"] == f"{WORKSPACE}#economy-JPN"
    assert StatusReport.objects.get(review_state="draft").status == "implemented"


def test_report_an_update_shows_nothing_of_another_economy(client, officer_jpn, sgp, catalogue):
    client.force_login(officer_jpn)
    response = client.get(f"{ADD}?economy={sgp.pk}&commitment={catalogue['first'].pk}")
    assert response.context["published_now"] is None
    assert b"SGP secret-looking evidence" not in response.content


def test_a_returned_report_corrected_from_the_workspace_is_submitted_again(
    client, officer_jpn, jpn, sgp, catalogue
):
    returned = make_report(
        jpn,
        catalogue["third"],
        "pilot",
        "2023-01-01",
        published=False,
        review_state=ReviewState.RETURNED,
        review_note="Cite the notice.",
    )
    client.force_login(officer_jpn)
    url = reverse("admin:tracker_statusreport_change", args=[returned.pk]) + "?from=workspace"
    response = client.post(
        url,
        {
            "economy": jpn.pk,
            "commitment": catalogue["third"].pk,
            "status": "pilot",
            "effective_date": "2023-01-01",
            "evidence": "Notice 12 of the ministry.",
            "origin": "self_reported",
            "expected_version": returned.version,
            "_save": "Save",
        },
    )
    assert response["Location"] == f"{WORKSPACE}#economy-JPN"
    client.post(SUBMIT, {"report": returned.pk})
    returned.refresh_from_db()
    assert (returned.review_state, returned.evidence) == ("submitted", "Notice 12 of the ministry.")


def test_officer_of_japan_cannot_submit_singapores_report(client, officer_jpn, sgp, catalogue):
    theirs = make_report(sgp, catalogue["first"], "pilot", "2023-01-01", published=False)
    client.force_login(officer_jpn)
    response = client.post(SUBMIT, {"report": theirs.pk}, follow=True)
    assert "You have no drafts to submit." in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.review_state == ReviewState.DRAFT
