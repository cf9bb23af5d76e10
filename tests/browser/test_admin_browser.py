"""The admin in a real Chromium under the site's Content-Security-Policy: signing in, the index,
lists, a change form and a history page load with nothing refused and no script error; two
officers saving the same draft lose nothing."""

import pytest
from django.contrib.auth.models import User

from tests.region import build_region
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


def test_a_refused_save_keeps_what_was_typed(new_page, live_server):
    """Two officers edit the same draft in their own browsers; the second to save gets the form
    back with their text in it, who saved first and when, and the saved values beside theirs."""
    from tests.browser.conftest import screenshot
    from tests.factories import make_commitment, make_economy, make_instrument, make_report

    jpn = make_economy("JPN", iso_alpha2="JP", name="Japan")
    draft = make_report(
        jpn,
        make_commitment(make_instrument("CBPR"), "CBPR-ECON-5"),
        "partial",
        "2023-01-01",
        published=False,
        evidence="Original.",
    )
    pages = {}
    for name in ("first_jpn", "second_jpn"):
        jpn.officers.add(User.objects.create_user(name, password="x-horse-battery", is_staff=True))
        page, watcher = new_page()
        page.goto("/admin/login/")
        page.fill("#id_username", name)
        page.fill("#id_password", "x-horse-battery")
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/workspace/")  # an officer lands on their workspace
        page.goto(f"/admin/tracker/statusreport/{draft.pk}/change/")
        pages[name] = (page, watcher)

    first, _ = pages["first_jpn"]
    first.fill("#id_evidence", "First officer's evidence.")
    first.click("input[name=_save]")
    first.wait_for_url("**/statusreport/")

    second, watcher = pages["second_jpn"]
    second.fill("#id_evidence", "Second officer's evidence.")
    second.click("input[name=_save]")
    second.wait_for_selector("#saved-meanwhile")
    assert "first_jpn saved this report at" in second.inner_text(".errorlist.nonfield")
    assert second.input_value("#id_evidence") == "Second officer's evidence."
    assert "First officer's evidence." in second.inner_text("#saved-meanwhile")
    screenshot(second, "admin-refused-save")
    assert watcher.take() == []
    draft.refresh_from_db()
    assert draft.evidence == "First officer's evidence."

    # Having compared, the second officer saves again: now it goes through.
    second.click("input[name=_save]")
    second.wait_for_url("**/statusreport/")
    draft.refresh_from_db()
    assert draft.evidence == "Second officer's evidence."
