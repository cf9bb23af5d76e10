"""tracker.roles: what each persona may see and do, against a second economy."""

import pytest
from django.contrib.auth.models import User

from tests.factories import make_commitment, make_report
from tracker import roles
from tracker.models import ReviewState

# Every test here needs the database, also those that pick a persona at run time: the mark
# keeps them ordered before the transactional (live-server) tests, which empty it.
pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(jpn, sgp, commitment):
    return {
        (economy.code, state): make_report(
            economy,
            commitment,
            "pilot",
            f"202{n}-01-01",
            published=state in (ReviewState.PUBLISHED, ReviewState.WITHDRAWN),
            review_state=state,
            withdrawn_reason="Retired." if state == ReviewState.WITHDRAWN else "",
        )
        for economy in (jpn, sgp)
        for n, state in enumerate(ReviewState.values)
    }


def workspace(user) -> set[tuple[str, str]]:
    return {(r.economy.code, r.review_state) for r in roles.reports_in_workspace(user)}


def test_officer_workspace_is_own_economy_in_every_state(officer_jpn, reports):
    assert workspace(officer_jpn) == {("JPN", s) for s in ReviewState.values}


def test_reviewer_workspace_is_everything_sent_for_review(reviewer, reports):
    assert workspace(reviewer) == {
        (code, s)
        for code in ("JPN", "SGP")
        for s in ("submitted", "returned", "published", "withdrawn")
    }


def test_editor_workspace_is_published(editor, reports):
    assert workspace(editor) == {
        (code, s) for code in ("JPN", "SGP") for s in ("published", "withdrawn")
    }


def test_anonymous_and_inactive_have_no_workspace(anonymous, officer_jpn, reports):
    assert workspace(anonymous) == set()
    inactive = User.objects.get(pk=officer_jpn.pk)
    inactive.is_active = False
    assert workspace(inactive) == set()
    assert not roles.can_use_workspace(inactive)


@pytest.mark.parametrize("persona", ["officer_jpn", "officer_sgp", "reviewer", "editor"])
def test_can_view_report_agrees_with_the_workspace(request, persona, reports):
    user = request.getfixturevalue(persona)
    visible = set(roles.reports_in_workspace(user).values_list("pk", flat=True))
    for report in reports.values():
        assert roles.can_view_report(user, report) == (report.pk in visible), report


def test_officer_changes_and_submits_own_draft_or_returned_only(officer_jpn, reports):
    allowed = {
        key for key, report in reports.items() if roles.can_change_report(officer_jpn, report)
    }
    assert allowed == {("JPN", "draft"), ("JPN", "returned")}
    assert {k for k, r in reports.items() if roles.can_submit_report(officer_jpn, r)} == allowed
    assert {k for k, r in reports.items() if roles.can_delete_report(officer_jpn, r)} == {
        ("JPN", "draft")
    }
    assert not any(roles.can_review_report(officer_jpn, r) for r in reports.values())


def test_reviewer_reviews_submitted_of_any_economy_and_changes_none(reviewer, reports):
    assert {k for k, r in reports.items() if roles.can_review_report(reviewer, r)} == {
        ("JPN", "submitted"),
        ("SGP", "submitted"),
    }
    assert not any(roles.can_change_report(reviewer, r) for r in reports.values())


def test_officer_of_two_economies(officer_jpn, sgp, reports):
    sgp.officers.add(officer_jpn)
    officer = User.objects.get(pk=officer_jpn.pk)  # a fresh request, a fresh cache
    assert {code for code, _ in workspace(officer)} == {"JPN", "SGP"}


def test_import_rights(officer_jpn, reviewer, editor, jpn, sgp):
    assert roles.can_import(officer_jpn) and not roles.can_import(officer_jpn, publish=True)
    assert roles.can_import(reviewer, publish=True) and not roles.can_import(reviewer)
    assert not roles.can_import(editor) and not roles.can_import(editor, publish=True)
    # The operator on the server imports drafts; publishing from the command names two reviewers.
    assert roles.can_import(None) and not roles.can_import(None, publish=True)
    assert roles.economy_ids_for_import(officer_jpn) == {jpn.pk}
    assert roles.economy_ids_for_import(reviewer, publish=True) == {jpn.pk, sgp.pk}
    assert roles.economy_ids_for_import(officer_jpn, publish=True) == frozenset()


def test_no_one_publishes_what_they_entered_or_last_changed(
    officer_jpn, officer_reviewer, reviewer, jpn, commitment
):
    submitted = {"published": False, "review_state": ReviewState.SUBMITTED}
    entered = make_report(jpn, commitment, "pilot", "2020-01-01", entered_by=reviewer, **submitted)
    changed = make_report(
        jpn,
        commitment,
        "pilot",
        "2021-01-01",
        entered_by=officer_jpn,
        last_changed_by=officer_reviewer,
        **submitted,
    )
    assert roles.has_written(reviewer, entered) and not roles.can_publish_report(reviewer, entered)
    assert roles.can_publish_report(officer_reviewer, entered)
    assert roles.has_written(officer_reviewer, changed)
    assert not roles.can_publish_report(officer_reviewer, changed)
    assert roles.can_publish_report(reviewer, changed)
    assert not roles.can_publish_report(officer_jpn, changed)  # not a reviewer at all


def test_reportable_commitments_are_economy_scope(commitment):
    make_commitment(commitment.instrument, "CBPR-COMP-1", scope="collective")
    assert list(roles.reportable_commitments()) == [commitment]
