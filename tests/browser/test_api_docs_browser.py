"""The interactive API docs in a real Chromium: they render every resource from the project's
own files under the site's Content-Security-Policy, and no request reaches another host."""

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("page_name", "marker"), [("docs", ".opblock"), ("redoc", "h1")])
def test_docs_render_offline(new_page, live_server, page_name, marker):
    page, watcher = new_page()
    local = urlparse(live_server.url).netloc
    reached = []
    page.on("response", lambda response: reached.append(response.url))
    response = page.goto(f"/api/v1/{page_name}/", wait_until="networkidle")
    assert response.status == 200
    page.locator(marker).first.wait_for()
    text = page.inner_text("body")
    assert "Soft-Law Tracker API" in text
    for resource in ("/api/v1/status/" if page_name == "docs" else "status", "scores"):
        assert resource in text
    screenshot(page, f"api-{page_name}")
    elsewhere = [url for url in reached if urlparse(url).netloc not in ("", local)]
    assert elsewhere == []
    # Nothing refused by the Content-Security-Policy, no script error; except Redoc's credit
    # logo, which its bundle links from a CDN and the policy is there to refuse.
    cdn_logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    problems = watcher.take()
    assert [problem for problem in problems if cdn_logo not in problem] == []
    if page_name == "redoc":
        assert any("Content Security Policy" in problem for problem in problems)
