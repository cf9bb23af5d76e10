"""The economy page and the comparison of a global tracker (EVERY_ROW_UP_TO lowered so that the
small data shows them) in a real browser: an instrument opens and closes with plain links when
JavaScript is off, and both modes of both pages pass axe-core (WCAG 2.1 AA) at 1280 and 390 px
and the Nu Html Checker, like every public page in test_checkers_browser.py."""

import re

import pytest

from economies import selectors
from tests.browser.conftest import screenshot
from tests.browser.test_checkers_browser import (
    WIDTHS,
    assert_axe_finds_nothing,
    fetch,
    nu_errors,
)
from tracker.selectors import comparison

pytestmark = pytest.mark.browser


@pytest.fixture
def at_scale(dataset, monkeypatch):
    """The dataset's economy page and comparison with their instruments closed: one opened at
    a time."""
    monkeypatch.setattr(selectors, "EVERY_ROW_UP_TO", 1)
    monkeypatch.setattr(comparison, "EVERY_ROW_UP_TO", 1)
    return dataset


def pages(dataset) -> list[tuple[str, str]]:
    economy = dataset["economy"]
    return [
        ("economy-closed", f"/economies/{economy}/"),
        ("economy-opened", f"/economies/{economy}/?instrument={dataset['instrument']}"),
        ("compare-closed", f"/compare/?economies={economy},SGP"),
        ("compare-opened", f"/compare/?economies={economy},SGP&instrument={dataset['instrument']}"),
    ]


def test_an_instrument_opens_and_closes_without_javascript(new_page, at_scale):
    page, watcher = new_page("phone", java_script_enabled=False)
    economy = at_scale["economy"]
    page.goto(f"/economies/{economy}/?as_of=2024-06-30")
    assert page.locator("table.commitments").count() == 0
    show = page.locator(f"#instrument-{_pk(page, at_scale)} .toggle a")
    assert re.fullmatch(r"Show its \d+ commitments?", show.inner_text())
    show.click()
    page.wait_for_url(re.compile(r"as_of=2024-06-30&instrument=\w+#instrument-\d+$"))
    opened = page.locator(f"#instrument-{_pk(page, at_scale)}")
    assert opened.locator("table.commitments tbody tr").count() >= 1
    assert page.locator("table.commitments").count() == 1  # that instrument only
    screenshot(page, "economy-opened-no-js-390")
    opened.get_by_role("link", name="Hide its commitments").click()
    page.wait_for_url(re.compile(r"/\?as_of=2024-06-30#instrument-\d+$"))
    assert page.locator("table.commitments").count() == 0
    assert watcher.take() == []


def _pk(page, dataset) -> str:
    """The id of the dataset's instrument's block: its heading links to the instrument."""
    heading = page.locator(f'h3:has(a[href^="/instruments/{dataset["instrument"]}/"])')
    return heading.get_attribute("id").removeprefix("instrument-").removesuffix("-title")


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violation_in_either_mode(browser, live_server, at_scale, width):
    shown = [(name, path, 200) for name, path in pages(at_scale)]
    assert_axe_finds_nothing(browser, live_server, width, shown)


def test_nu_html_checker_finds_no_error_in_either_mode(live_server, at_scale, tmp_path):
    files = []
    for name, path in pages(at_scale):
        status, html = fetch(live_server.url + path)
        assert status == 200, path
        files.append(tmp_path / f"{name}.html")
        files[-1].write_text(html, encoding="utf-8")
    found = [f"{m['url']} line {m.get('lastLine')}: {m['message']}" for m in nu_errors(files)]
    assert found == [], "\n".join(found)


def test_a_comparison_opens_an_instrument_without_javascript(new_page, at_scale):
    page, watcher = new_page("phone", java_script_enabled=False)
    page.goto(f"/compare/?economies={at_scale['economy']},SGP")
    assert page.locator("table.compare-matrix").count() == 0
    show = page.locator(f"#compare-{at_scale['instrument']} + p.toggle a")
    assert re.fullmatch(r"Compare its \d+ commitments?", show.inner_text())
    show.click()
    page.wait_for_url(re.compile(rf"instrument={at_scale['instrument']}#compare-"))
    assert page.locator("table.compare-matrix").count() == 1  # that instrument only
    assert page.locator("table.compare-matrix tbody tr").count() >= 1
    screenshot(page, "compare-opened-no-js-390")
    page.get_by_role("link", name="Compare on every instrument").click()
    page.wait_for_url(re.compile(r"/compare/\?economies=[^&#]+#statuses-title$"))
    assert page.locator("table.compare-matrix").count() == 0
    assert watcher.take() == []
