"""Writes through the API, per role, each checked against a second economy: an officer's
token writes drafts of its own economy and nothing else; reviewers publish or return."""

import pytest

from tracker.models import ReviewState, StatusReport

pytestmark = pytest.mark.django_db

NEW = {
    "economy": "JPN",
    "commitment": "AIDER-KFA-01",
    "status": "partial",
    "effective_date": "2024-03-01",
    "evidence": "Digital agency roadmap adopted.",
    "source_urls": ["https://www.digital.go.jp/"],
    "origin": "self_reported",
}


def create(client, **changes):
    return client.post("/api/v1/reports/", {**NEW, **changes}, format="json")


# --- who sees what ---------------------------------------------------------------------------


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_officer_sees_own_drafts_but_not_other_economys(api_officer_jpn, dataset):
    visible = ids(api_officer_jpn.get("/api/v1/reports/"))
    assert dataset.jpn_draft.pk in visible
    assert dataset.sgp_draft.pk not in visible
    assert api_officer_jpn.get(f"/api/v1/reports/{dataset.sgp_draft.pk}/").status_code == 404
    assert ids(api_officer_jpn.get("/api/v1/reports/?review_state=draft")) == {dataset.jpn_draft.pk}


def test_anonymous_filtering_on_drafts_finds_nothing(api, dataset):
    assert ids(api.get("/api/v1/reports/?review_state=draft")) == set()


def test_status_and_scores_ignore_drafts_even_for_their_officer(api_officer_jpn, dataset):
    rows = api_officer_jpn.get("/api/v1/status/?instrument=aider").json()["results"]
    assert rows == []


# --- create --------------------------------------------------------------------------------------


def test_officer_creates_draft_for_own_economy(api_officer_jpn, officer_jpn, dataset):
    response = create(api_officer_jpn)
    assert response.status_code == 201, response.content
    body = response.json()
    report = StatusReport.objects.get(pk=body["id"])
    assert (report.economy, report.review_state, report.entered_by) == (
        dataset.jpn,
        ReviewState.DRAFT,
        officer_jpn,
    )
    assert report.source_urls == "https://www.digital.go.jp/"
    assert body["source_urls"] == ["https://www.digital.go.jp/"]
    assert body["version"] == 1 and body["entered_by_role"] == "economy officer, Japan"
    assert "officer_jpn" not in response.content.decode()  # roles, never user names
    assert response["ETag"] == f'W/"report-{report.pk}-v1"'


def test_officer_cannot_create_for_other_economy(api_officer_jpn, dataset):
    before = StatusReport.objects.count()
    response = create(api_officer_jpn, economy="SGP")
    assert response.status_code == 403
    assert response.json() == {"detail": "You are not an officer of Singapore."}
    assert StatusReport.objects.count() == before


def test_reviewer_cannot_create_reports(api_reviewer, dataset):
    assert create(api_reviewer).status_code == 403


def test_anonymous_cannot_write(api, dataset):
    response = create(api)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    draft = dataset.jpn_draft
    assert api.patch(f"/api/v1/reports/{draft.pk}/", {"version": 1}).status_code == 401
    assert api.post(f"/api/v1/reports/{draft.pk}/submit/").status_code == 401


def test_bad_token_is_401(dataset):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    response = client.get("/api/v1/reports/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"economy": "XXX"}, "economy"),
        ({"commitment": "NOPE"}, "commitment"),
        ({"status": "great"}, "status"),
        ({"effective_date": "2024-02-30"}, "effective_date"),
        ({"source_urls": ["javascript:alert(1)"]}, "source_urls"),
        ({"evidence": ""}, "evidence"),
        ({"target_date": "2020-01-01"}, "target_date"),  # before the effective date
        ({"commitment": "CBPR-SYS-1"}, "commitment"),  # collective: not reported per economy
    ],
)
def test_invalid_draft_is_400_naming_the_field_and_saves_nothing(
    api_officer_jpn, dataset, changes, field
):
    before = StatusReport.objects.count()
    response = create(api_officer_jpn, **changes)
    assert response.status_code == 400, response.content
    # A list item is named by its position: source_urls.0
    assert [name.split(".")[0] for name in response.json()["errors"]] == [field]
    assert StatusReport.objects.count() == before


def test_the_report_rules_speak_as_on_the_import(api_officer_jpn, dataset):
    # The model's rules (tracker.validation), worded as the spreadsheet import words them.
    response = create(
        api_officer_jpn, target_date="2024-01-01", source_urls=["https://a.example/", "ftp://x"]
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "source_urls": ["address 2 is not a web address (http or https): ftp://x"],
        "target_date": ["target_date 2024-01-01 is before effective_date 2024-03-01."],
    }


def test_body_that_is_not_json_is_a_clear_4xx(api_officer_jpn, dataset):
    response = api_officer_jpn.post(
        "/api/v1/reports/", "economy=JPN", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    broken = api_officer_jpn.post("/api/v1/reports/", "{", content_type="application/json")
    assert broken.status_code == 400
    assert "JSON" in broken.json()["detail"]


# --- edit with an expected version ---------------------------------------------------------------


def test_officer_edits_own_draft_with_version(api_officer_jpn, dataset):
    draft = dataset.jpn_draft
    response = api_officer_jpn.patch(
        f"/api/v1/reports/{draft.pk}/",
        {"status": "pilot", "version": draft.version},
        format="json",
    )
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert (draft.status, draft.version) == ("pilot", 2)
    assert response.json()["version"] == 2


def test_edit_with_if_match_etag(api_officer_jpn, dataset):
    draft = dataset.jpn_draft
    etag = api_officer_jpn.get(f"/api/v1/reports/{draft.pk}/")["ETag"]
    response = api_officer_jpn.patch(
        f"/api/v1/reports/{draft.pk}/", {"evidence": "Updated."}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.evidence == "Updated."


def test_second_save_from_stale_version_is_409_and_loses_nothing(api_officer_jpn, dataset):
    draft = dataset.jpn_draft
    url = f"/api/v1/reports/{draft.pk}/"
    first = api_officer_jpn.patch(url, {"evidence": "First.", "version": 1}, format="json")
    assert first.status_code == 200
    second = api_officer_jpn.patch(url, {"evidence": "Second.", "version": 1}, format="json")
    assert second.status_code == 409
    assert "Nothing was saved" in second.json()["detail"]
    draft.refresh_from_db()
    assert (draft.evidence, draft.version) == ("First.", 2)


def test_edit_without_version_is_400(api_officer_jpn, dataset):
    response = api_officer_jpn.patch(
        f"/api/v1/reports/{dataset.jpn_draft.pk}/", {"evidence": "x"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["version"]


def test_officer_cannot_edit_other_economys_draft(api_officer_jpn, dataset):
    draft = dataset.sgp_draft
    response = api_officer_jpn.patch(
        f"/api/v1/reports/{draft.pk}/", {"evidence": "Hijack.", "version": 1}, format="json"
    )
    assert response.status_code == 404  # not even visible: scope is in the queryset
    draft.refresh_from_db()
    assert draft.evidence == "Test evidence."


def test_officer_cannot_move_own_draft_to_other_economy(api_officer_jpn, dataset):
    draft = dataset.jpn_draft
    response = api_officer_jpn.patch(
        f"/api/v1/reports/{draft.pk}/", {"economy": "SGP", "version": 1}, format="json"
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.economy == dataset.jpn


def test_published_report_cannot_be_edited(api_officer_jpn, dataset):
    report = dataset.jpn_econ5
    response = api_officer_jpn.patch(
        f"/api/v1/reports/{report.pk}/", {"evidence": "Rewrite.", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert "publish a correction as a new report" in response.json()["detail"]


# --- the review workflow --------------------------------------------------------------------


def test_submit_publish_round_trip(api_officer_jpn, api_reviewer, api, dataset):
    draft = dataset.jpn_draft
    submitted = api_officer_jpn.post(f"/api/v1/reports/{draft.pk}/submit/", {}, format="json")
    assert submitted.status_code == 200 and submitted.json()["review_state"] == "submitted"
    # The public does not see it until a reviewer publishes it.
    assert api.get(f"/api/v1/reports/{draft.pk}/").status_code == 404
    published = api_reviewer.post(f"/api/v1/reports/{draft.pk}/publish/", {}, format="json")
    assert published.status_code == 200, published.content
    assert published.json()["review_state"] == "published"
    assert published.json()["reviewed_by_role"] == "secretariat"
    rows = api.get("/api/v1/status/?instrument=aider").json()["results"]
    assert [(r["economy"], r["status"], r["report"]) for r in rows] == [
        ("JPN", "planned", draft.pk)
    ]
    score = api.get("/api/v1/scores/?economy=JPN&instrument=aider").json()["results"][0]
    assert (score["score"], score["coverage"]) == (0, 1)  # planned: 0 points, not no data


def test_officer_cannot_submit_other_economys_draft(api_officer_sgp, dataset):
    response = api_officer_sgp.post(f"/api/v1/reports/{dataset.jpn_draft.pk}/submit/")
    assert response.status_code == 404


def test_officer_cannot_publish(api_officer_jpn, dataset):
    draft = dataset.jpn_draft
    api_officer_jpn.post(f"/api/v1/reports/{draft.pk}/submit/")
    response = api_officer_jpn.post(f"/api/v1/reports/{draft.pk}/publish/")
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.review_state == ReviewState.SUBMITTED


def test_reviewer_cannot_see_or_publish_a_draft_not_yet_submitted(api_reviewer, dataset):
    response = api_reviewer.post(f"/api/v1/reports/{dataset.jpn_draft.pk}/publish/")
    assert response.status_code == 404


def test_publishing_twice_is_409(api_officer_jpn, api_reviewer, dataset):
    draft = dataset.jpn_draft
    api_officer_jpn.post(f"/api/v1/reports/{draft.pk}/submit/")
    assert api_reviewer.post(f"/api/v1/reports/{draft.pk}/publish/").status_code == 200
    again = api_reviewer.post(f"/api/v1/reports/{draft.pk}/publish/")
    assert again.status_code == 409
    assert again.json() == {"detail": "Only a submitted report can be published."}


def test_return_needs_a_note_then_officer_edits_and_resubmits(
    api_officer_jpn, api_reviewer, dataset
):
    draft = dataset.jpn_draft
    api_officer_jpn.post(f"/api/v1/reports/{draft.pk}/submit/")
    no_note = api_reviewer.post(f"/api/v1/reports/{draft.pk}/return/", {}, format="json")
    assert no_note.status_code == 400 and list(no_note.json()["errors"]) == ["note"]
    returned = api_reviewer.post(
        f"/api/v1/reports/{draft.pk}/return/", {"note": "Add the source."}, format="json"
    )
    assert returned.status_code == 200
    assert returned.json()["review_note"] == "Add the source."
    version = returned.json()["version"]
    edited = api_officer_jpn.patch(
        f"/api/v1/reports/{draft.pk}/",
        {"source_urls": ["https://www.digital.go.jp/"], "version": version},
        format="json",
    )
    assert edited.status_code == 200, edited.content
    resubmitted = api_officer_jpn.post(
        f"/api/v1/reports/{draft.pk}/submit/", {"version": version + 1}, format="json"
    )
    assert resubmitted.json()["review_state"] == "submitted"


def test_submit_with_stale_version_is_409(api_officer_jpn, dataset):
    draft = dataset.jpn_draft
    api_officer_jpn.patch(f"/api/v1/reports/{draft.pk}/", {"version": 1}, format="json")
    response = api_officer_jpn.post(
        f"/api/v1/reports/{draft.pk}/submit/", {"version": 1}, format="json"
    )
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.review_state == ReviewState.DRAFT


def test_officer_deletes_own_draft_only(api_officer_jpn, dataset):
    assert api_officer_jpn.delete(f"/api/v1/reports/{dataset.sgp_draft.pk}/").status_code == 404
    published = api_officer_jpn.delete(f"/api/v1/reports/{dataset.jpn_econ5.pk}/")
    assert published.status_code == 409  # published reports stay
    assert api_officer_jpn.delete(f"/api/v1/reports/{dataset.jpn_draft.pk}/").status_code == 204
    assert not StatusReport.objects.filter(pk=dataset.jpn_draft.pk).exists()
    assert StatusReport.objects.filter(pk=dataset.sgp_draft.pk).exists()


def test_reviewer_sees_submitted_reports_of_any_economy_but_not_drafts(
    api_officer_sgp, api_reviewer, dataset
):
    api_officer_sgp.post(f"/api/v1/reports/{dataset.sgp_draft.pk}/submit/")
    visible = ids(api_reviewer.get("/api/v1/reports/?review_state=submitted,draft"))
    assert visible == {dataset.sgp_draft.pk}
