"""A reporting round in a real Chromium under the site's Content-Security-Policy: an officer's
answer, published by a reviewer, shows on the round's public page (linked from the dashboard
while the round is open) and in the editors' progress grid; a user turns notices off on their
profile. Screenshots under test-artifacts/screenshots/."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission, User

from softlaw import clock
from tests.browser.conftest import screenshot
from tests.region import build_region
from tracker import services
from tracker.models import NoticePreference, ReportingRound

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


# The live server's tests flush the database between them, groups included (permissions are
# made again): each role's group gets back the permissions these tests need.
ROLE_PERMISSIONS = {
    "Officers": [],
    "Reviewers": ["publish_statusreport", "view_statusreport"],
    "Editors": ["view_reportinground", "change_reportinground"],
}


def user(username, group, economies=()):
    person = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    role, _ = Group.objects.get_or_create(name=group)
    role.permissions.add(*Permission.objects.filter(codename__in=ROLE_PERMISSIONS[group]))
    person.groups.add(role)
    for economy in economies:
        economy.officers.add(person)
    return person


def sign_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    # Each role lands on its own page: an officer on the workspace, an editor on the index.
    page.wait_for_url(lambda url: "/admin/" in url and "/login/" not in url)


def test_round_answered_shows_publicly_and_in_the_grid(new_page, live_server):
    region = build_region()
    today = clock.today()
    round = ReportingRound.objects.create(
        name="CBPR progress 2026",
        slug="cbpr-progress",
        opens_on=today - datetime.timedelta(days=3),
        deadline=today + datetime.timedelta(days=10),
    )
    round.instruments.add(region.cbpr)
    officer = user("officer_sgp", "Officers", [region.sgp])
    reviewer = user("reviewer", "Reviewers")
    editor = user("editor", "Editors")
    report = services.report_create(
        user=officer,
        economy=region.sgp,
        commitment=region.c1,
        status="partial",
        effective_date=today,
        evidence="Confirmed for the round.",
    )
    services.report_submit(report=report, user=officer)
    services.report_publish(report=report, reviewer=reviewer)
    asked = region.cbpr.commitments.filter(scope="economy").count()

    page, watcher = new_page()
    page.goto("/")
    page.click("text=CBPR progress 2026")
    page.wait_for_url("**/rounds/cbpr-progress/")
    singapore = page.locator('tr[data-economy="SGP"]')
    assert singapore.locator("td").nth(0).inner_text().endswith("Answered in part")
    assert singapore.locator('[data-figure="on-time"]').inner_text() == "1"
    assert singapore.locator('[data-figure="missing"]').inner_text() == str(asked - 1)
    assert page.locator('tr[data-economy="JPN"] td').nth(0).inner_text().endswith("Not answered")
    screenshot(page, "round-public-page")
    assert watcher.take() == []

    sign_in(page, "editor")
    page.goto(f"/admin/tracker/reportinground/{round.pk}/change/")
    grid = page.locator("#round-progress")
    assert "1 on time, 0 late" in grid.inner_text()
    assert page.locator('#round-progress tr[data-economy="SGP"] td').nth(0).inner_text() == (
        f"{round_share(1, asked)} % (1/{asked})"
    )
    screenshot(page, "round-admin-grid")
    assert watcher.take() == []
    assert editor.pk


def round_share(answered, asked):
    return round(100 * answered / asked)


def test_user_turns_notices_off_on_their_profile(new_page, live_server):
    region = build_region()
    officer = user("officer_jpn", "Officers", [region.jpn])
    page, watcher = new_page()
    sign_in(page, "officer_jpn")
    page.goto("/account/notices/")
    page.uncheck("#id_email_notices")
    page.click("input[type=submit]")
    page.wait_for_url("**/account/notices/")
    assert "Email notices are off." in page.inner_text("body")
    screenshot(page, "notice-settings")
    assert watcher.take() == []
    assert NoticePreference.objects.get(user=officer).email_notices is False
