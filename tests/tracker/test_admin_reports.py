"""The status-report admin, role by role, on every path: change list, change form (GET and POST),
add, actions, autocomplete. Each role is checked against a second economy's reports.

Over 400 lines: every path of the admin times every role is the point of this file; the
concurrency and history paths are in test_admin_concurrency.py and test_history.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_commitment, make_economy, make_report
from tracker.models import ReviewState, StatusReport

# Every test here needs the database, also those that pick a persona at run time: the mark
# keeps them ordered before the transactional (live-server) tests, which empty it.
pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:tracker_statusreport_changelist")
ADD = reverse("admin:tracker_statusreport_add")
AUTOCOMPLETE = reverse("admin:autocomplete")


def change_url(report):
    return reverse("admin:tracker_statusreport_change", args=[report.pk])


def state_report(economy, commitment, state, effective="2023-01-01", **fields):
    published = state in (ReviewState.PUBLISHED, ReviewState.WITHDRAWN)
    if state == ReviewState.WITHDRAWN:
        fields.setdefault("withdrawn_reason", "No longer supported by the reference data.")
    return make_report(
        economy,
        commitment,
        "partial",
        effective,
        published=published,
        review_state=state,
        **fields,
    )


@pytest.fixture
def reports(jpn, sgp, commitment):
    """One report in each review state for each of the two economies."""
    made = {}
    for economy in (jpn, sgp):
        for n, state in enumerate(ReviewState.values):
            made[(economy.code, state)] = state_report(
                economy, commitment, state, f"202{n}-01-01", evidence=f"{economy.code} {state}"
            )
    return made


def listed(client) -> set[str]:
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    return {r.evidence for r in response.context["cl"].result_list}


def form_data(report=None, **overrides):
    data = {
        "economy": report.economy_id if report else "",
        "commitment": report.commitment_id if report else "",
        "status": report.status if report else "partial",
        "effective_date": report.effective_date.isoformat() if report else "2024-01-01",
        "target_date": "",
        "origin": "self_reported",
        "evidence": report.evidence if report else "Evidence.",
        "source_urls": "",
    }
    if report is not None:
        data["expected_version"] = report.version
    data.update(overrides)
    return data


# --- change list ---------------------------------------------------------------------------------


def test_officer_lists_only_own_economy_in_every_state(client, officer_jpn, reports):
    client.force_login(officer_jpn)
    assert listed(client) == {f"JPN {state}" for state in ReviewState.values}


def test_other_officer_lists_only_theirs(client, officer_sgp, reports):
    client.force_login(officer_sgp)
    assert listed(client) == {f"SGP {state}" for state in ReviewState.values}


def test_reviewer_lists_what_was_sent_for_review_never_drafts(client, reviewer, reports):
    client.force_login(reviewer)
    assert listed(client) == {
        f"{code} {state}"
        for code in ("JPN", "SGP")
        for state in ("submitted", "published", "returned", "withdrawn")
    }


def test_editor_lists_published_reports_only(client, editor, reports):
    client.force_login(editor)
    assert listed(client) == {
        "JPN published",
        "SGP published",
        "JPN withdrawn",
        "SGP withdrawn",
    }


def test_anonymous_is_sent_to_login(client, reports):
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_a_role_cannot_open_reports(client, django_user_model, reports):
    nobody = django_user_model.objects.create_user("nobody", is_staff=True)
    client.force_login(nobody)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(reports[("JPN", "published")])).status_code == 403


def test_economy_filter_offers_the_economies_the_user_works_on(
    client, officer_jpn, reviewer, reports
):
    jpn_id, sgp_id = reports[("JPN", "draft")].economy_id, reports[("SGP", "draft")].economy_id
    client.force_login(officer_jpn)
    html = client.get(CHANGELIST).content.decode()
    # One economy to choose from: Django leaves the filter out, and Singapore is nowhere.
    assert f"economy__id__exact={sgp_id}" not in html
    client.force_login(reviewer)
    html = client.get(CHANGELIST).content.decode()
    assert f"economy__id__exact={jpn_id}" in html and f"economy__id__exact={sgp_id}" in html
    # A reviewer's list may hold any economy's reports: every economy is offered, with or
    # without a report (read from the economies, not from the reports).
    quiet = make_economy("QQZ", name="Quietland")
    html = client.get(CHANGELIST).content.decode()
    assert f"economy__id__exact={quiet.pk}" in html


def test_changelist_query_count_does_not_grow(client, officer_jpn, jpn, commitment):
    client.force_login(officer_jpn)
    for n in range(3):
        state_report(jpn, commitment, ReviewState.DRAFT, f"2020-01-0{n + 1}")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(CHANGELIST).status_code == 200
        return len(queries)

    # 1 session, 2 user, 3 the officer's economies (cached on the user for the request),
    # 4 and 5 the user's own and group permissions (is_reviewer, is_editor), 6 economies for
    # the economy filter (the officer's own, read from the economies), 7 instruments for the
    # instrument filter, 8 count of the filtered list (no second count of all the user may
    # see), 9 the page of reports with economy and commitment, 10 first and last effective
    # date, 11 the years between (date hierarchy).
    assert count() == 11
    for n in range(20):
        state_report(jpn, commitment, ReviewState.DRAFT, f"2021-02-{n + 1:02d}")
    assert count() == 11


def test_reviewer_changelist_query_count(client, reviewer, reports, django_assert_num_queries):
    client.force_login(reviewer)
    # The same eleven as an officer's: 3 finds no economy, the economy filter lists every
    # economy, and the list is everything sent for review.
    with django_assert_num_queries(11):
        client.get(CHANGELIST)


# --- change form ---------------------------------------------------------------------------------


def test_officer_edits_own_draft_through_the_workflow_service(client, officer_jpn, reports):
    report = reports[("JPN", "draft")]
    client.force_login(officer_jpn)
    page = client.get(change_url(report))
    assert page.status_code == 200
    assert f'name="expected_version" value="{report.version}"' in page.content.decode()
    response = client.post(change_url(report), form_data(report, evidence="Law enacted."))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.evidence, report.version) == ("Law enacted.", 2)
    assert report.history.latest().history_user == officer_jpn


def test_officer_edits_own_returned_report(client, officer_jpn, reports):
    report = reports[("JPN", "returned")]
    client.force_login(officer_jpn)
    response = client.post(change_url(report), form_data(report, evidence="Source added."))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.evidence == "Source added." and report.review_state == ReviewState.RETURNED


@pytest.mark.parametrize("state", ["submitted", "published"])
def test_submitted_or_published_report_opens_read_only_for_its_officer(
    client, officer_jpn, reports, state
):
    report = reports[("JPN", state)]
    client.force_login(officer_jpn)
    page = client.get(change_url(report))
    assert page.status_code == 200
    assert 'name="evidence"' not in page.content.decode()  # shown, not editable
    assert client.post(change_url(report), form_data(report, evidence="X")).status_code == 403
    report.refresh_from_db()
    assert report.evidence == f"JPN {state}"


def test_officer_cannot_open_or_post_other_economys_report(client, officer_jpn, reports):
    report = reports[("SGP", "draft")]
    client.force_login(officer_jpn)
    # Outside the officer's reports the admin answers as for a report that does not exist.
    assert client.get(change_url(report)).status_code == 302
    response = client.post(change_url(report), form_data(report, evidence="Hijacked."))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.evidence == "SGP draft"


def test_officer_cannot_move_report_to_other_economy(client, officer_jpn, sgp, reports):
    report = reports[("JPN", "draft")]
    client.force_login(officer_jpn)
    response = client.post(change_url(report), form_data(report, economy=sgp.pk))
    assert response.status_code == 200
    assert "economy" in response.context["adminform"].form.errors
    report.refresh_from_db()
    assert report.economy.code == "JPN"


def test_reviewer_cannot_edit_report_content(client, reviewer, reports):
    report = reports[("JPN", "submitted")]
    client.force_login(reviewer)
    page = client.get(change_url(report))
    assert page.status_code == 200 and 'name="evidence"' not in page.content.decode()
    assert client.post(change_url(report), form_data(report, evidence="X")).status_code == 403
    assert client.get(change_url(reports[("JPN", "draft")])).status_code == 302  # not theirs


def test_editor_reads_published_reports_and_edits_none(client, editor, reports):
    report = reports[("JPN", "published")]
    client.force_login(editor)
    assert client.get(change_url(report)).status_code == 200
    assert client.post(change_url(report), form_data(report, evidence="X")).status_code == 403
    assert client.get(change_url(reports[("JPN", "submitted")])).status_code == 302


def test_returned_report_shows_the_reviewers_note_to_its_officer(client, officer_jpn, reports):
    report = reports[("JPN", "returned")]
    StatusReport.objects.filter(pk=report.pk).update(review_note="Cite the statute.")
    client.force_login(officer_jpn)
    assert "Cite the statute." in client.get(change_url(report)).content.decode()


# --- add -----------------------------------------------------------------------------------------


def test_officer_adds_a_draft_for_own_economy(client, officer_jpn, jpn, commitment):
    client.force_login(officer_jpn)
    page = client.get(ADD)
    assert page.status_code == 200
    # The economy field offers the officer's economy only, already chosen.
    form = page.context["adminform"].form
    assert list(form.fields["economy"].queryset) == [jpn]
    assert form.initial["economy"] == jpn.pk
    response = client.post(ADD, form_data(economy=jpn.pk, commitment=commitment.pk))
    assert response.status_code == 302
    report = StatusReport.objects.get()
    assert report.review_state == ReviewState.DRAFT and report.entered_by == officer_jpn


def test_officer_cannot_add_for_other_economy(client, officer_jpn, sgp, commitment):
    client.force_login(officer_jpn)
    response = client.post(ADD, form_data(economy=sgp.pk, commitment=commitment.pk))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["economy"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not StatusReport.objects.exists()


def test_officer_cannot_add_on_collective_commitment(client, officer_jpn, jpn, commitment):
    collective = make_commitment(commitment.instrument, "CBPR-COMP-1", scope="collective")
    client.force_login(officer_jpn)
    response = client.post(ADD, form_data(economy=jpn.pk, commitment=collective.pk))
    assert response.status_code == 200
    assert "commitment" in response.context["adminform"].form.errors
    assert not StatusReport.objects.exists()


@pytest.mark.parametrize("persona", ["reviewer", "editor"])
def test_reviewer_and_editor_cannot_add(client, request, persona, jpn, commitment):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, form_data(economy=jpn.pk, commitment=commitment.pk)).status_code == 403
    assert not StatusReport.objects.exists()


def test_bad_date_in_the_form_is_a_form_error_not_a_500(client, officer_jpn, jpn, commitment):
    client.force_login(officer_jpn)
    response = client.post(
        ADD, form_data(economy=jpn.pk, commitment=commitment.pk, effective_date="2024-02-30")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["effective_date"] == ["Enter a valid date."]


# --- delete --------------------------------------------------------------------------------------


def test_officer_deletes_own_draft_only(client, officer_jpn, reports):
    client.force_login(officer_jpn)
    draft = reports[("JPN", "draft")]
    url = reverse("admin:tracker_statusreport_delete", args=[draft.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not StatusReport.objects.filter(pk=draft.pk).exists()
    submitted = reports[("JPN", "submitted")]
    url = reverse("admin:tracker_statusreport_delete", args=[submitted.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert StatusReport.objects.filter(pk=submitted.pk).exists()


# --- actions -------------------------------------------------------------------------------------


def act(client, action, reports, **extra):
    data = {"action": action, "_selected_action": [r.pk for r in reports], **extra}
    return client.post(CHANGELIST, data, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_officer_submits_drafts_in_bulk(client, officer_jpn, reports):
    client.force_login(officer_jpn)
    chosen = [reports[("JPN", "draft")], reports[("JPN", "returned")]]
    response = act(client, "submit_reports", chosen)
    assert messages_of(response) == ["2 report(s) submitted for review."]
    for report in chosen:
        report.refresh_from_db()
        assert report.review_state == ReviewState.SUBMITTED and report.submitted_at


def test_submitting_other_economys_report_changes_nothing(client, officer_jpn, reports):
    client.force_login(officer_jpn)
    other = reports[("SGP", "draft")]
    response = act(client, "submit_reports", [other])
    # The selection is taken from the officer's own reports: the other economy's is not there.
    assert messages_of(response) == [
        "None of the selected reports is yours to act on: nothing changed."
    ]
    other.refresh_from_db()
    assert other.review_state == ReviewState.DRAFT


def test_bulk_submit_is_all_or_nothing(client, officer_jpn, reports):
    client.force_login(officer_jpn)
    draft, published = reports[("JPN", "draft")], reports[("JPN", "published")]
    response = act(client, "submit_reports", [draft, published])
    assert messages_of(response) == [
        f"Nothing was submitted: {published}: Only a draft or returned report can be submitted "
        "for review."
    ]
    draft.refresh_from_db()
    assert draft.review_state == ReviewState.DRAFT


def test_officer_has_no_publish_or_return_action(client, officer_jpn, reports):
    client.force_login(officer_jpn)
    submitted = reports[("JPN", "submitted")]
    actions = dict(client.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert "publish_reports" not in actions and "return_reports" not in actions
    act(client, "publish_reports", [submitted])
    submitted.refresh_from_db()
    assert submitted.review_state == ReviewState.SUBMITTED


def test_reviewer_publishes_submitted_reports_of_both_economies(client, reviewer, reports):
    client.force_login(reviewer)
    chosen = [reports[("JPN", "submitted")], reports[("SGP", "submitted")]]
    response = act(client, "publish_reports", chosen)
    assert messages_of(response) == ["2 report(s) published."]
    for report in chosen:
        report.refresh_from_db()
        assert report.review_state == ReviewState.PUBLISHED and report.reviewed_by == reviewer


def test_reviewer_cannot_publish_a_draft(client, reviewer, reports):
    client.force_login(reviewer)
    draft = reports[("JPN", "draft")]
    response = act(client, "publish_reports", [draft])  # drafts are not in the reviewer's list
    assert messages_of(response) == [
        "None of the selected reports is yours to act on: nothing changed."
    ]
    draft.refresh_from_db()
    assert draft.review_state == ReviewState.DRAFT


def test_reviewer_has_no_submit_action(client, reviewer, reports):
    client.force_login(reviewer)
    actions = dict(client.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert "submit_reports" not in actions and "publish_reports" in actions


def test_return_asks_for_a_note_then_returns(client, reviewer, reports):
    client.force_login(reviewer)
    chosen = [reports[("JPN", "submitted")], reports[("SGP", "submitted")]]
    page = act(client, "return_reports", chosen)
    assert page.templates[0].name == "admin/tracker/statusreport/return_note.html"
    assert not StatusReport.objects.filter(review_state=ReviewState.RETURNED, pk=chosen[0].pk)

    # An empty note is refused on the same page; nothing is returned.
    page = act(client, "return_reports", chosen, apply="yes", note="  ")
    assert page.context["form"].errors["note"] == ["This field is required."]
    chosen[0].refresh_from_db()
    assert chosen[0].review_state == ReviewState.SUBMITTED

    response = act(client, "return_reports", chosen, apply="yes", note="Cite the statute.")
    assert messages_of(response) == ["2 report(s) returned to their officers."]
    for report in chosen:
        report.refresh_from_db()
        assert report.review_state == ReviewState.RETURNED
        assert report.review_note == "Cite the statute."


def test_editor_has_no_workflow_actions(client, editor, reports):
    client.force_login(editor)
    actions = dict(client.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert set(actions) == {"", "export_csv", "export_xlsx"}


# --- autocomplete --------------------------------------------------------------------------------


def autocomplete(client, field_name, term=""):
    response = client.get(
        AUTOCOMPLETE,
        {
            "app_label": "tracker",
            "model_name": "statusreport",
            "field_name": field_name,
            "term": term,
        },
    )
    return response.status_code, [r["text"] for r in response.json().get("results", [])] if (
        response.status_code == 200
    ) else []


def test_economy_autocomplete_offers_only_the_officers_economies(client, officer_jpn, sgp):
    client.force_login(officer_jpn)
    assert autocomplete(client, "economy") == (200, ["Japan"])
    assert autocomplete(client, "economy", "Singa") == (200, [])


def test_other_officer_autocomplete(client, officer_sgp, jpn):
    client.force_login(officer_sgp)
    assert autocomplete(client, "economy") == (200, ["Singapore"])


def test_commitment_autocomplete_offers_economy_scope_only(client, officer_jpn, commitment):
    make_commitment(commitment.instrument, "CBPR-COMP-1", scope="collective")
    client.force_login(officer_jpn)
    assert autocomplete(client, "commitment", "CBPR") == (200, ["CBPR-ECON-5"])


def test_reviewer_autocomplete_offers_no_economy(client, reviewer, jpn, sgp):
    client.force_login(reviewer)
    assert autocomplete(client, "economy") == (200, [])


def test_anonymous_autocomplete_is_refused(client, jpn):
    assert (
        client.get(
            AUTOCOMPLETE,
            {"app_label": "tracker", "model_name": "statusreport", "field_name": "economy"},
        ).status_code
        == 302
    )


def test_economy_list_itself_stays_whole_for_editors(client, editor, jpn, sgp):
    client.force_login(editor)
    html = client.get(reverse("admin:economies_economy_changelist")).content.decode()
    assert "Japan" in html and "Singapore" in html


def test_officer_bulk_deletes_drafts_through_the_service(client, officer_jpn, reports):
    client.force_login(officer_jpn)
    draft = reports[("JPN", "draft")]
    response = act(client, "delete_selected", [draft], post="yes")
    assert messages_of(response) == ["Successfully deleted 1 status report."]
    assert not StatusReport.objects.filter(pk=draft.pk).exists()
    assert StatusReport.history.filter(id=draft.pk, history_type="-").get().history_user == (
        officer_jpn
    )


def test_bulk_delete_with_a_submitted_report_deletes_nothing(client, officer_jpn, reports):
    client.force_login(officer_jpn)
    chosen = [reports[("JPN", "draft")], reports[("JPN", "submitted")]]
    # Django's confirmation page says the officer may not delete them all; posting anyway is 403.
    response = act(client, "delete_selected", chosen)
    assert response.context["perms_lacking"] == {"status report"}
    assert act(client, "delete_selected", chosen, post="yes").status_code == 403
    assert StatusReport.objects.filter(pk__in=[r.pk for r in chosen]).count() == 2


def test_changelist_links_to_exports(client, officer_jpn, reports):
    client.force_login(officer_jpn)
    html = client.get(CHANGELIST).content.decode()
    assert reverse("admin:tracker_statusreport_export", kwargs={"fmt": "csv"}) in html
    assert reverse("data_download", kwargs={"dataset": "status", "fmt": "xlsx"}) in html
