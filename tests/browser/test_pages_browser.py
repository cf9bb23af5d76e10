"""Every public page in a real Chromium: it loads cleanly wide and on a phone, its figures are
the scoring module's, as_of and filters change them, focus is visible, and tables and the map
work without JavaScript. Screenshots go to test-artifacts/screenshots/."""

import datetime
import re
import struct

import pytest

from economies.models import Economy
from instruments.models import Instrument
from softlaw import clock, numbers
from tests.browser.conftest import SCREENSHOTS, screenshot
from tracker import scoring
from tracker.models import StatusReport

pytestmark = pytest.mark.browser


def pages(dataset) -> dict[str, str]:
    return {
        "home": "/",
        "home-as-of": "/?as_of=2015-12-31",
        "economies": "/economies/",
        "economy": f"/economies/{dataset['economy']}/",
        "instruments": "/instruments/",
        "instrument": f"/instruments/{dataset['instrument']}/",
        "compare": "/compare/?economies=JPN,SGP,PNG",
        "trends": "/trends/",
        "methodology": "/methodology/",
        "data": "/data/",
        "updates": "/updates/",
    }


def visit(page, watcher, path: str):
    response = page.goto(path, wait_until="load")
    assert response.status == 200, path
    # A page with charts has drawn them (Chart.js loaded from the project, no error) once the
    # reader reaches the first of them.
    charts = page.locator("figure[data-chart]").count()
    if watcher.javascript and charts:
        page.locator("figure[data-chart]").first.scroll_into_view_if_needed()
        page.wait_for_function(
            "n => document.querySelectorAll('figure[data-chart-ready]').length === n", arg=charts
        )
    return response


def test_every_page_loads_cleanly_wide_and_on_a_phone(new_page, dataset):
    for viewport in ("wide", "phone"):
        page, watcher = new_page(viewport)
        for name, path in pages(dataset).items():
            visit(page, watcher, path)
            assert watcher.take() == [], f"{path} ({viewport})"
            # Landmarks and one main heading on every page.
            assert page.locator("main#main h1").count() == 1, path
            assert page.locator("header nav[aria-label=Main]").count() == 1
            assert page.locator("footer").count() == 1
            # No inline script code (a strict Content-Security-Policy comes later).
            inline = page.evaluate(
                "[...document.scripts].filter(s => !s.src && s.type !== 'application/json').length"
            )
            assert inline == 0, path
            if viewport == "phone":
                widths = page.evaluate(
                    "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                )
                assert widths[0] <= widths[1], f"{path} scrolls sideways on a phone: {widths}"
            screenshot(page, f"{name}-{viewport}")


def heatmap_cells(page) -> dict[tuple[str, int], tuple[str, str, str]]:
    """(economy code, instrument id) → (data-score, data-coverage, the number shown)."""
    rows = page.eval_on_selector_all(
        "table.heatmap td.cell",
        """cells => cells.map(c => [c.dataset.economy, Number(c.dataset.instrument),
            c.dataset.score, c.dataset.coverage, c.querySelector('.score').textContent.trim()])""",
    )
    return {(code, inst): (score, coverage, shown) for code, inst, score, coverage, shown in rows}


def expected_cells(as_of=None) -> dict[tuple[str, int], tuple[str, str, str]]:
    codes = dict(Economy.objects.values_list("pk", "code"))
    scored = set(
        Instrument.objects.filter(commitments__scope="economy").values_list("pk", flat=True)
    )
    result = {}
    for (economy_id, instrument_id), s in scoring.scores_for_region(as_of=as_of).items():
        if instrument_id not in scored:
            continue
        score = "" if s.score is None else f"{s.score:.1f}"
        shown = "No data" if s.score is None else f"{s.score:.0f}"
        result[(codes[economy_id], instrument_id)] = (score, f"{s.coverage:.3f}", shown)
    return result


def test_heatmap_equals_the_scoring_module_and_as_of_changes_it(new_page, dataset):
    page, watcher = new_page()
    visit(page, watcher, "/")
    today = heatmap_cells(page)
    assert len(today) == Economy.objects.count() * len({i for _, i in expected_cells()})
    assert today == expected_cells()
    # No data is printed as such, never as 0 %.
    assert any(shown == "No data" for _s, _c, shown in today.values())

    # The as-of view: a date before the latest reports, entered through the form.
    first = StatusReport.objects.published().order_by("effective_date").first().effective_date
    latest = StatusReport.objects.published().order_by("-effective_date").first().effective_date
    as_of = first + (latest - first) / 2
    page.fill("#f-as_of", as_of.isoformat())
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(rf"as_of={as_of.isoformat()}"))
    assert (
        page.locator(".as-of-banner").inner_text().startswith("Showing the tracker as it stood on")
    )
    then = heatmap_cells(page)
    assert then == expected_cells(as_of)
    assert then != today
    # Every internal link keeps the date: a permanent link to what the page said then.
    hrefs = page.eval_on_selector_all(
        "main a[href^='/economies'], main a[href^='/instruments']",
        "links => links.map(a => a.href)",
    )
    assert hrefs and all(f"as_of={as_of.isoformat()}" in h for h in hrefs)
    assert watcher.take() == []
    screenshot(page, "home-as-of-form-wide")


def test_filter_keyboard_focus_print_and_no_javascript(new_page, dataset):
    page, watcher = new_page()
    visit(page, watcher, "/")
    all_rows = page.locator("table.heatmap tbody tr").count()
    subregion = Economy.objects.get(code=dataset["economy"]).subregion
    page.select_option("#f-subregion", subregion)
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile("subregion="))
    codes = page.eval_on_selector_all(
        "table.heatmap tbody th .code", "els => els.map(e => e.textContent)"
    )
    assert set(codes) == set(
        Economy.objects.filter(subregion=subregion).values_list("code", flat=True)
    )
    assert 0 < len(codes) < all_rows

    # Keyboard: the first Tab reaches the skip link, shown with a visible focus ring.
    visit(page, watcher, "/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const e = document.activeElement, s = getComputedStyle(e),
                   r = e.getBoundingClientRect();
                   return [e.className, s.outlineStyle, parseFloat(s.outlineWidth), r.left]; }"""
    )
    assert focused[0] == "skip-link" and focused[1] == "solid" and focused[2] >= 2
    assert focused[3] >= 0  # on screen
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Tab on to a heatmap cell: its ring shows too.
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('td.cell')"):
            break
    ring = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert ring[0] == "solid" and ring[1] >= 2
    page.locator(":focus").screenshot(path=str(SCREENSHOTS / "focus-heatmap-cell-wide.png"))

    # Print: navigation and filters are left out, the heatmap stays.
    page.emulate_media(media="print")
    assert not page.locator("header nav").is_visible()
    assert not page.locator("form.filters").first.is_visible()
    assert page.locator("table.heatmap").is_visible()
    page.emulate_media(media="screen")
    assert watcher.take() == []

    # Without JavaScript the heatmap, the map and every chart's table still work.
    page, watcher = new_page("phone", java_script_enabled=False)
    visit(page, watcher, "/")
    economies = Economy.objects.count()
    assert page.locator("table.heatmap tbody tr").count() == economies
    assert page.locator("ol.tile-map li.tile").count() == economies
    page.select_option("#map-instrument", dataset["instrument"])
    page.click("form.single button[type=submit]")
    page.wait_for_url(re.compile(f"map={dataset['instrument']}"))
    assert dataset["instrument"].upper() in page.locator("#map-title").inner_text().upper()
    visit(page, watcher, "/trends/")
    assert page.locator(".chart-canvas").first.is_hidden()
    assert page.locator("table.series").first.is_visible()
    assert page.locator(".chart-download").first.is_hidden()  # nothing to press without JS
    assert watcher.take() == []
    screenshot(page, "trends-no-javascript-phone")


def test_the_chart_library_is_fetched_only_when_the_reader_reaches_a_chart(new_page, dataset):
    page, watcher = new_page("phone")
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(f"/economies/{dataset['economy']}/", wait_until="networkidle")
    figure = page.locator("figure[data-chart]").first
    assert not figure.is_visible() or figure.bounding_box()["y"] > 844 + 400
    assert [url for url in fetched if "/vendor/" in url] == []
    assert page.locator("figure[data-chart-ready]").count() == 0
    figure.scroll_into_view_if_needed()
    page.wait_for_function(
        "n => document.querySelectorAll('figure[data-chart-ready]').length === n",
        arg=page.locator("figure[data-chart]").count(),
    )
    assert [url for url in fetched if "/vendor/" in url] == [
        f"{page.url.split('/economies/')[0]}/static/vendor/chartjs/chart.min.js"
    ]
    assert watcher.take() == []


def canvas_pixels(figure) -> dict:
    """The size of the figure's chart canvas, its top-left pixel (RGBA) and how many of its
    pixels are not white."""
    return figure.locator("canvas").evaluate(
        """c => {
            // Read from a copy: reading the chart's own canvas back makes Chromium warn.
            const copy = document.createElement('canvas');
            copy.width = c.width;
            copy.height = c.height;
            const ctx = copy.getContext('2d', {willReadFrequently: true});
            ctx.drawImage(c, 0, 0);
            const d = ctx.getImageData(0, 0, c.width, c.height).data;
            let ink = 0;
            for (let i = 0; i < d.length; i += 4) {
                if (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250) ink++;
            }
            return {width: c.width, height: c.height, cssWidth: c.clientWidth,
                    cssHeight: c.clientHeight, corner: [...d.slice(0, 4)], ink};
        }"""
    )


def test_charts_draw_and_download_as_images(new_page, dataset):
    page, watcher = new_page()
    # The instrument page last: its trend chart is compared with its table below.
    for path in ("/trends/", f"/instruments/{dataset['instrument']}/"):
        visit(page, watcher, path)
        figures = page.locator("figure[data-chart-ready]")
        assert figures.count() >= 2
        for i in range(figures.count()):
            figure = figures.nth(i)
            # One canvas, named for screen readers, drawn: a white background (so that the
            # image reads anywhere) and lines, bars, axes and labels on it.
            assert figure.locator("canvas").count() == 1
            label = figure.locator("canvas").get_attribute("aria-label")
            assert figure.locator("canvas").get_attribute("role") == "img"
            caption = figure.locator("figcaption").inner_text()
            assert label == f"{caption} (chart; the table below gives the same figures)"
            drawn = canvas_pixels(figure)
            assert drawn["corner"] == [255, 255, 255, 255], path
            assert drawn["ink"] > drawn["width"] * drawn["height"] / 100, (path, drawn)
            with page.expect_download() as info:
                figure.locator(".chart-download").click()
            download = info.value
            assert download.suggested_filename.startswith("soft-law-tracker-")
            assert download.suggested_filename.endswith(".png")
            with open(download.path(), "rb") as image:
                header = image.read(24)
            assert header[:8] == b"\x89PNG\r\n\x1a\n"
            # The image has twice the chart's size on screen (it prints sharply); the chart on
            # the page keeps its own.
            width, height = struct.unpack(">II", header[16:24])
            assert width == 2 * drawn["cssWidth"] and height == 2 * drawn["cssHeight"], path
            assert canvas_pixels(figure)["width"] == drawn["width"]

    # The instrument's trend chart draws the figures of the table beside it, and its last point
    # is today's regional figure from the scoring module.
    data = page.evaluate("JSON.parse(document.getElementById('trend-data').textContent)")
    rows = page.eval_on_selector_all(
        "table[data-chart-table=trend] tbody tr",
        "trs => trs.map(tr => [...tr.children].map(c => c.textContent.trim()))",
    )
    assert [int(r[0]) for r in rows] == data["categories"]
    assert [r[2] for r in rows] == [
        "no data" if v is None else f"{v:.1f}" for v in data["series"][0]["data"]
    ]
    instrument = Instrument.objects.get(slug=dataset["instrument"])
    figures = scoring.regional_for_instruments(instrument_ids=[instrument.pk])[instrument.pk]
    assert data["categories"][-1] == clock.today().year
    assert data["series"][0]["data"][-1] == numbers.rounded(figures.mean)
    assert data["series"][1]["data"][-1] == numbers.rounded(figures.stdev)
    assert watcher.take() == []


@pytest.fixture
def large_region(live_server):
    """The small region with 60 more economies (the matrix takes two pages) and 60 more reports
    for Japan (its timeline takes two pages)."""
    from tests.factories import make_economy, make_report
    from tests.region import D, build_region

    region = build_region()
    for i in range(60):
        economy = make_economy(subregion="Polynesia")
        make_report(economy, region.c1, ("implemented", "partial", "pilot")[i % 3], D(2020, 1, 2))
    for n in range(60):
        make_report(region.jpn, region.a2, "pilot", D(2019, 1, 1) + datetime.timedelta(n))
    return region


def test_long_matrix_and_timeline_go_page_by_page_on_a_phone(new_page, large_region):
    page, watcher = new_page("phone")
    visit(page, watcher, "/instruments/cbpr/?subregion=&as_of=2024-06-30")
    assert page.locator("table.matrix tbody tr").count() == 50
    assert page.locator("[data-figure=n]").inner_text() == "62 of 63"
    page.click("nav.pagination a[rel=next]")
    page.wait_for_url(re.compile(r"as_of=2024-06-30&page=2#matrix-title$"))
    assert page.locator("table.matrix tbody tr").count() == 13
    assert "Economies 51–63 of 63" in page.locator("nav.pagination").inner_text()
    page.click("nav.pagination a[rel=prev]")
    page.wait_for_url(re.compile(r"page=1#matrix-title$"))
    # A cell opens the economy's page on the same date, on the report it shows.
    cell = page.locator("table.matrix tbody tr[data-economy=JPN] td.status-cell a").first
    cell.click()
    page.wait_for_url(re.compile(r"/economies/JPN/\?as_of=2024-06-30#report-\d+$"))
    target = page.evaluate("document.querySelector(':target').tagName")
    assert target == "TD"  # its timeline entry is on page 2: the commitment's evidence cell
    page.click(":target a:text('history')")
    page.wait_for_url(re.compile(r"as_of=2024-06-30&page=2#report-\d+$"))
    assert page.evaluate("document.querySelector(':target').tagName") == "LI"
    assert page.locator("ol.timeline > li").count() == 16
    page.click("nav.pagination a[rel=prev]")
    page.wait_for_url(re.compile(r"page=1#timeline-title$"))
    assert page.locator("ol.timeline > li").count() == 50
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"scrolls sideways on a phone: {widths}"
    assert watcher.take() == []
    screenshot(page, "economy-timeline-pages-phone")
