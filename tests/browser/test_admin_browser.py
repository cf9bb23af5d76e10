"""The admin in a real Chromium under the site's Content-Security-Policy: signing in, the index,
lists, a change form and a history page load with nothing refused and no script error."""

import pytest
from django.contrib.auth.models import User

from tests.browser.region import build_region
from tracker.models import StatusReport

pytestmark = pytest.mark.browser


def test_admin_works_under_the_policy(new_page, live_server):
    build_region()
    User.objects.create_superuser("root", password="correct-horse-battery")
    report = StatusReport.objects.order_by("pk").first()
    page, watcher = new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    assert watcher.take() == []
    for path in (
        "/admin/",
        "/admin/tracker/statusreport/",
        f"/admin/tracker/statusreport/{report.pk}/change/",
        f"/admin/tracker/statusreport/{report.pk}/history/",
        "/admin/tracker/statusreport/import/",
        "/admin/economies/economy/",
        "/admin/auth/user/add/",
    ):
        response = page.goto(path, wait_until="load")
        assert response.status == 200, path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        assert watcher.take() == [], path
