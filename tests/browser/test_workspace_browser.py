"""An officer and a reviewer at work in a real Chromium, under the site's Content-Security-
Policy, during an open reporting round: the officer signs in, lands on Japan's workspace with the
round's checklist, reports updates on two commitments, confirms a third unchanged and submits the
three; the reviewer signs in, lands on the queue, returns one with a note and publishes the rest;
the round's public page then counts Japan's two published answers as on time. Each step is saved
as a screenshot under test-artifacts/screenshots/workspace-*.png, and the officer's time is
printed. The queue and the workspace are also opened on a phone, where they fit the screen."""

import datetime
import time

import pytest
from django.contrib.auth.models import Permission, User

from softlaw import clock
from tests.browser.conftest import screenshot
from tests.region import build_region
from tracker.models import ReportingRound, ReviewState, StatusReport

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


def sign_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def report_update(page, code, status, effective, evidence, shot):
    page.click(f"#line-JPN-{code} >> text=Report an update")
    page.wait_for_selector("#published-now")
    page.select_option("#id_status", status)
    page.fill("#id_effective_date", effective)
    page.fill("#id_evidence", evidence)
    screenshot(page, shot)
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/workspace/#economy-JPN")


def test_officer_answers_from_the_workspace_and_reviewer_clears_the_queue(new_page, capsys):
    region = build_region()
    officer = User.objects.create_user("officer_jpn", password=PASSWORD, is_staff=True)
    region.jpn.officers.add(officer)
    reviewer = User.objects.create_user("reviewer", password=PASSWORD, is_staff=True)
    reviewer.user_permissions.add(Permission.objects.get(codename="publish_statusreport"))
    today = clock.today()
    round = ReportingRound.objects.create(
        name="Digital economy progress 2026",
        slug="digital-2026",
        opens_on=today - datetime.timedelta(days=2),
        deadline=today + datetime.timedelta(days=20),
    )
    round.instruments.add(region.cbpr, region.aider)

    # --- the officer -----------------------------------------------------------------------------
    page, watcher = new_page()
    started = time.monotonic()
    sign_in(page, "officer_jpn")
    page.wait_for_url("**/admin/workspace/")
    assert "Japan" in page.inner_text("#economy-JPN h2")
    assert "Singapore" not in page.inner_text("#content")
    checklist = page.locator('#economy-JPN [data-round="digital-2026"]')
    assert "Reporting round: Digital economy progress 2026" in checklist.text_content()
    assert checklist.locator('tr[data-commitment="AIDER-KFA-01"] td').nth(0).inner_text() == (
        "Not answered"
    )
    screenshot(page, "workspace-1-officer-lands")

    report_update(
        page,
        "AIDER-KFA-01",
        "implemented",
        "2025-03-01",
        "The broadband plan was completed in March 2025.",
        "workspace-2-report-an-update",
    )
    report_update(
        page,
        "AIDER-KFA-02",
        "pilot",
        "2025-04-01",
        "Interoperability pilot with two partner economies.",
        "workspace-3-second-update",
    )
    page.click("#line-JPN-CBPR-ECON-2 >> text=Confirm unchanged")
    page.wait_for_selector("text=CBPR-ECON-2 confirmed unchanged for Japan")
    screenshot(page, "workspace-4-confirmed-unchanged")
    page.click("#submit-drafts")
    page.wait_for_selector("text=3 draft(s) submitted for review.")
    officer_seconds = time.monotonic() - started
    screenshot(page, "workspace-5-submitted")
    assert watcher.take() == []
    assert StatusReport.objects.filter(review_state=ReviewState.SUBMITTED).count() == 3

    # --- the reviewer ----------------------------------------------------------------------------
    page, watcher = new_page()
    sign_in(page, "reviewer")
    page.wait_for_url("**/admin/queue/")
    assert page.locator(".queue-item").count() == 3
    confirmed = StatusReport.objects.get(review_state="submitted", commitment=region.c2)
    assert "Confirmed unchanged" in page.inner_text(f"#queue-{confirmed.pk} .queue-change")
    screenshot(page, "workspace-6-reviewer-queue")
    # On a phone the queue fits the screen: nothing to scroll sideways.
    phone, _ = new_page("phone")
    sign_in(phone, "reviewer")
    phone.wait_for_url("**/admin/queue/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "workspace-6-reviewer-queue-phone")

    returned = StatusReport.objects.get(review_state="submitted", commitment=region.a2)
    page.fill(f"#note-{returned.pk}", "Name the partner economies and link the pilot's notice.")
    page.click(f"#queue-{returned.pk} button[name=return]")
    page.wait_for_selector("text=to its officers")
    assert page.locator(".queue-item").count() == 2
    screenshot(page, "workspace-7-returned-one")

    for box in page.locator("input[name=selected]").all():
        box.check()
    page.click("button[name=publish_selected]")
    page.wait_for_selector("text=2 report(s) published.")
    assert page.inner_text(".queue-empty") == "Nothing is waiting for review."
    screenshot(page, "workspace-8-queue-cleared")
    assert watcher.take() == []

    returned.refresh_from_db()
    assert returned.review_state == ReviewState.RETURNED
    assert returned.review_note.startswith("Name the partner economies")
    published = StatusReport.objects.filter(reviewed_by=reviewer, review_state="published")
    assert sorted(r.commitment.code for r in published) == ["AIDER-KFA-01", "CBPR-ECON-2"]

    # --- back with the officer: the note at the top of the workspace -----------------------------
    page, _ = new_page()
    sign_in(page, "officer_jpn")
    page.wait_for_url("**/admin/workspace/")
    assert "Name the partner economies" in page.inner_text(".workspace-returned")
    screenshot(page, "workspace-9-officer-sees-the-note")
    # On a phone the workspace fits the screen too: each commitment a card, the round's checklist
    # and the actions within reach.
    phone, _ = new_page("phone")
    sign_in(phone, "officer_jpn")
    phone.wait_for_url("**/admin/workspace/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert phone.locator("#line-JPN-AIDER-KFA-01 >> text=Report an update").is_visible()
    screenshot(phone, "workspace-10-officer-phone")
    checklist = page.locator('#economy-JPN [data-round="digital-2026"]')
    for code, answer in (
        ("AIDER-KFA-01", "Answered on time"),
        ("CBPR-ECON-2", "Answered on time"),
        ("AIDER-KFA-02", "Not answered"),  # returned: not published, so not an answer yet
    ):
        row = checklist.locator(f'tr[data-commitment="{code}"] td').nth(0)
        assert row.inner_text() == answer, code

    # --- the public round page, from the dashboard ---------------------------------------------
    page, watcher = new_page()
    page.goto("/")
    page.click("text=Digital economy progress 2026")
    page.wait_for_url("**/rounds/digital-2026/")
    japan = page.locator('tr[data-economy="JPN"]')
    assert japan.locator('[data-figure="on-time"]').inner_text() == "2"
    assert japan.locator('[data-figure="late"]').inner_text() == "0"
    assert page.locator('tr[data-economy="SGP"] [data-figure="on-time"]').inner_text() == "0"
    screenshot(page, "workspace-10-public-round-page")
    assert watcher.take() == []

    with capsys.disabled():
        print(
            f"\nofficer: sign in → 2 updates, 1 confirmed unchanged → submitted: "
            f"{officer_seconds:.1f} s"
        )
