"""The external checkers on every public page, as an auditor would run them:

- axe-core (npm, pinned in package-lock.json) injected into Debian's Chromium, at 1280 and 390 px
  wide: no violation of WCAG 2.1 A or AA (tags wcag2a, wcag2aa, wcag21a, wcag21aa);
- the Nu Html Checker (npm vnu-jar, run with Debian's Java) on each page's HTML: no error.

Neither skips in CI (CI=true): a missing Chromium, Java or npm package fails the run."""

import datetime
import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from instruments.models import Instrument
from softlaw import clock
from tests.browser.conftest import screenshot
from tracker.models import ReportingRound

pytestmark = pytest.mark.browser

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Also one best-practice rule: landmarks of one kind have names of their own, so a screen reader's
# list of regions tells them apart.
ALSO = ["landmark-unique"]
WIDTHS = {"1280": {"width": 1280, "height": 800}, "390": {"width": 390, "height": 844}}

# Swagger UI builds its whole page from script, with markup of its own that this project does not
# write (axe-core 4.14 finds buttons nested in other controls, and text under 4.5:1). The
# docs page says so and points to Redoc, which must pass; only Swagger's own container is left out
# of the accessibility check. The page around it (lang, title, the note) is still checked, and the
# Nu Html Checker reads the whole page as the server sends it.
SWAGGER_OWN_MARKUP = "#swagger-ui"


def missing(what: str):
    message = f"{what} is missing: run `make install browser`"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; the checkers never skip in CI.")
    pytest.skip(message)


def open_round(dataset) -> str:
    """A reporting round open today on the dataset's instrument, so that the dashboard shows its
    banner and the round pages have something to show; its slug."""
    today = clock.today()
    round, _ = ReportingRound.objects.get_or_create(
        slug="checked-round",
        defaults={
            "name": "Checked round",
            "opens_on": today - datetime.timedelta(days=7),
            "deadline": today + datetime.timedelta(days=7),
        },
    )
    round.instruments.add(Instrument.objects.get(slug=dataset["instrument"]))
    return round.slug


def public_pages(dataset) -> list[tuple[str, str, int]]:
    """(name, path, expected status) for every page a visitor can reach without signing in."""
    round_slug = open_round(dataset)
    return [
        ("home", "/", 200),
        ("home-as-of", "/?as_of=2015-12-31", 200),
        ("economies", "/economies/", 200),
        ("economy", f"/economies/{dataset['economy']}/", 200),
        ("instruments", "/instruments/", 200),
        ("instrument", f"/instruments/{dataset['instrument']}/", 200),
        ("compare", "/compare/?economies=JPN,SGP,PNG", 200),
        ("trends", "/trends/", 200),
        ("methodology", "/methodology/", 200),
        ("data", "/data/", 200),
        ("updates", "/updates/", 200),
        ("rounds", "/rounds/", 200),
        ("round", f"/rounds/{round_slug}/", 200),
        ("api-docs", "/api/v1/docs/", 200),
        ("api-redoc", "/api/v1/redoc/", 200),
        ("sign-in", "/admin/login/", 200),
        ("not-found", "/economies/XXX/", 404),
        ("bad-request", "/?as_of=not-a-date", 400),
    ]


def load(page, path: str, status: int):
    response = page.goto(path, wait_until="load")
    assert response.status == status, path
    charts = page.locator("figure[data-chart]").count()
    if charts:
        page.locator("figure[data-chart]").first.scroll_into_view_if_needed()
        page.wait_for_function(
            "n => document.querySelectorAll('figure[data-chart-ready]').length === n", arg=charts
        )
    if path.endswith("/docs/"):
        page.locator(".opblock").first.wait_for()
    if path.endswith("/redoc/"):
        page.locator("#redoc-container h1").first.wait_for()
        # Redoc fills its menu and panels after the first heading.
        page.wait_for_load_state("networkidle")


def violations(page, path: str) -> list[str]:
    page.add_script_tag(path=str(AXE))
    context = {"exclude": [[SWAGGER_OWN_MARKUP]]} if path.endswith("/docs/") else None
    result = page.evaluate(
        """([context, tags, also]) => axe.run(context || document, {
               runOnly: {type: "tag", values: tags},
               rules: Object.fromEntries(also.map(rule => [rule, {enabled: true}])),
               resultTypes: ["violations"]})""",
        [context, WCAG_21_AA, ALSO],
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]


def assert_axe_finds_nothing(browser, live_server, width: str, pages) -> None:
    """Load each (name, path, status) at the width and run axe-core on it; every page is
    screenshotted, and no violation may be found on any."""
    if not AXE.exists():
        missing(f"{AXE} (npm axe-core)")
    # The script is added as a <script> element; the site's policy would refuse it, as it should.
    context = browser.new_context(viewport=WIDTHS[width], base_url=live_server.url, bypass_csp=True)
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        found = {}
        for name, path, status in pages:
            load(page, path, status)
            screenshot(page, f"axe-{name}-{width}")
            problems = violations(page, path)
            if problems:
                found[path] = problems
        assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_wcag_21_aa_violation_on_any_public_page(browser, live_server, dataset, width):
    assert_axe_finds_nothing(browser, live_server, width, public_pages(dataset))


def test_axe_is_really_checking(browser, live_server, dataset):
    """The check above would pass on a page axe never read: here it finds what a broken page has."""
    if not AXE.exists():
        missing(f"{AXE} (npm axe-core)")
    context = browser.new_context(viewport=WIDTHS["1280"], base_url=live_server.url)
    try:
        page = context.new_page()
        page.set_content(
            '<html><body><p style="color:#777;background:#fff">grey</p>'
            '<img src="x.png"><p id="a"></p><p id="a"></p></body></html>'
        )
        found = {problem.split(" ")[0] for problem in violations(page, "/test/")}
        assert {"color-contrast", "image-alt", "html-has-lang", "document-title"} <= found
        page.set_content(
            '<html lang="en"><head><title>t</title></head><body><main>'
            '<section aria-label="Same"><h2>a</h2></section>'
            '<section aria-label="Same"><h2>b</h2></section></main></body></html>'
        )
        assert [problem.split(" ")[0] for problem in violations(page, "/test/")] == [
            "landmark-unique"
        ]
    finally:
        context.close()


def nu_errors(files: list[Path]) -> list[dict]:
    java = shutil.which("java")
    if java is None:
        missing("Java (Debian's default-jre-headless)")
    if not VNU.exists():
        missing(f"{VNU} (npm vnu-jar)")
    run = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its JSON report on stderr; exit status 1 means "errors found".
    assert run.returncode in (0, 1), run.stderr[-2000:]
    return json.loads(run.stderr)["messages"]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_nu_html_checker_finds_no_error_on_any_public_page(live_server, dataset, tmp_path):
    files, paths = {}, {}
    for name, path, status in public_pages(dataset):
        got, html = fetch(live_server.url + path)
        assert got == status, path
        assert html.lstrip().lower().startswith("<!doctype html>"), path
        files[name] = tmp_path / f"{name}.html"
        files[name].write_text(html, encoding="utf-8")
        paths[files[name].name] = path
    messages = nu_errors(list(files.values()))
    found = [
        f"{paths[Path(m['url'].removeprefix('file:')).name]} line {m.get('lastLine')}: "
        f"{m['message']} [{m.get('extract', '').strip()}]"
        for m in messages
    ]
    assert found == [], "\n".join(found)


def test_nu_html_checker_is_really_checking(tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head>'
        '<body><p id="a"></p><p id="a"></p><div><span></div></body></html>'
    )
    messages = [m["message"] for m in nu_errors([broken])]
    assert any("Duplicate ID" in m for m in messages), messages
    assert any("span" in m for m in messages), messages
