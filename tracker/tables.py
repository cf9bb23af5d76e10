"""The rows and cells of the pages' large tables, built in Python rather than in templates.

A global tracker's heatmap, instrument matrix and economy tables run to thousands of cells, and
the template language spends a third of a millisecond on each, so these build the same HTML in
Python. They write no value from the data but through tracker.markup: `escape` for text and
attributes, `safe_url` for addresses (http and https only), `badge` for statuses.
tests/tracker/test_html_builders.py feeds markup and a `javascript:` address into every field of
every builder. The template tags (tracker/templatetags/tracker_tags.py) are thin wrappers.
"""

import functools

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from softlaw import numbers
from tracker import roles, scoring
from tracker.markup import (
    Cells,
    PageLinks,
    ReportLinks,
    cell_origins_html,
    disagreements,
    escape,
    figure,
    origin_abbr,
    page_link,
    percent,
    safe_url,
    score_band,
    source_list,
)


def economy_codes(economies, instrument, *, as_of=None, shown=5) -> SafeString:
    """The first few economies' codes, each linking to its page, and how many more there are
    (linking to the instrument's matrix)."""
    links = [
        f'<a href="{page_link("economy_detail", e.code, as_of=as_of)}">'
        f'<abbr title="{escape(e.name)}">{escape(e.code)}</abbr></a>'
        for e in economies[:shown]
    ]
    more = ""
    if len(economies) > shown:
        url = page_link("instrument_detail", instrument.slug, as_of=as_of)
        more = f' and <a href="{url}#matrix-title">{len(economies) - shown} more</a>'
    return mark_safe(f'<span class="economy-codes">{", ".join(links)}{more}</span>')


def heatmap_columns(heatmap, *, as_of=None) -> SafeString:
    """The heatmap's column headings: one instrument each, linking to its page."""
    return mark_safe(
        "".join(
            f'<th scope="col"><a href="{page_link("instrument_detail", i.slug, as_of=as_of)}">'
            f'<abbr title="{escape(i.title)}">{escape(i.short_name)}</abbr></a></th>'
            for i in heatmap.instruments
        )
    )


def heatmap_regional(heatmap) -> SafeString:
    """The heatmap's last row: each instrument's regional mean and σ, rounded."""
    parts = []
    for i in heatmap.instruments:
        f = heatmap.regional.get(i.pk, scoring.NO_FIGURES)
        spread = f' <span class="sd">(σ {figure(f.stdev, 0)})</span>' if f.stdev is not None else ""
        parts.append(
            f'<td class="num" data-regional="{escape(i.slug)}">{figure(f.mean, 0)}{spread}</td>'
        )
    return mark_safe("".join(parts))


def heatmap_cells(row, *, as_of=None) -> SafeString:
    """The cells of one heatmap row: each instrument's score and coverage, and where its
    statuses come from."""
    economy_url = page_link("economy_detail", row.economy.code, as_of=as_of)
    code = escape(row.economy.code)
    language = get_language()
    parts = []
    origins = row.origins or [None] * len(row.cells)
    for cell, found in zip(row.cells, origins, strict=True):
        if cell.score is None:
            band, data_score, shown = "no-data", "", '<span class="score">No data</span>'
        else:
            band = score_band(cell.score)
            data_score = numbers.number(cell.score, 1)
            shown = f'<span class="score">{numbers.number(cell.score, 0)}</span>'
        coverage = numbers.number(cell.coverage, 3) if cell.coverage is not None else ""
        instrument = int(cell.instrument_id)
        parts.append(
            f'<td class="cell {band}" data-economy="{code}" data-instrument="{instrument}"'
            f' data-score="{data_score}" data-coverage="{coverage}">'
            f'<a href="{economy_url}#instrument-{instrument}">{shown}'
            f'<span class="coverage">{int(cell.covered)}/{int(cell.commitments)} covered</span></a>'
            + (_score_origins(found, language) if found else "")
            + "</td>"
        )
    return mark_safe("".join(parts))


def _score_origins(found, language: str | None) -> str:
    """Where a score's statuses come from, and how many of them two sources disagree on."""
    if not found.origins:
        return ""
    return _origin_tags(tuple(found.origins), int(found.disagreements), language)


@functools.lru_cache(maxsize=256)
def _origin_tags(origins: tuple[str, ...], disagreeing: int, language: str | None) -> str:
    # A handful of combinations, over thousands of cells of a global heatmap: built once each
    # (per language: the labels are translated).
    tags = " + ".join(origin_abbr(origin) for origin in origins)
    return (
        f'<span class="origins"><span class="visually-hidden">From: </span>{tags}</span>'
        + disagreements(disagreeing)
    )


def unevenness_rows(unevenness, economies, *, as_of=None) -> SafeString:
    """The rows of the dashboard's table of how uneven each instrument is (one per instrument:
    sixty at global scale), with the economies at either end."""
    parts = []
    for u in unevenness:
        url = page_link("instrument_detail", u.instrument.slug, as_of=as_of)
        f = u.figures
        parts.append(
            f'<tr data-instrument="{escape(u.instrument.slug)}"><th scope="row"><a href="{url}">'
            f"{escape(u.instrument.short_name)}</a></th>"
            f'<td class="num" data-field="n">{int(f.economies_with_data)} of {int(economies)}</td>'
        )
        if f.economies_with_data:
            laggards = economy_codes(u.laggards, u.instrument, as_of=as_of)
            leaders = economy_codes(u.leaders, u.instrument, as_of=as_of)
            parts.append(
                f'<td class="ends" data-field="min"><span class="num">{figure(f.min)}</span> '
                f"{laggards}</td>"
                f'<td class="num" data-field="mean">{figure(f.mean)}</td>'
                f'<td class="num" data-field="median">{figure(f.median)}</td>'
                f'<td class="ends" data-field="max"><span class="num">{figure(f.max)}</span> '
                f"{leaders}</td>"
                f'<td class="num" data-field="stdev">{figure(f.stdev)}</td>'
                f'<td class="num" data-field="gini">{figure(f.gini, 2)}</td>'
            )
        else:
            by_date = " by this date" if as_of else ""
            parts.append(
                '<td colspan="6" class="no-data-text">No data: no economy has a published '
                f"status on this instrument{by_date}.</td>"
            )
        parts.append("</tr>")
    return mark_safe("".join(parts))


def map_tiles(tile_map, *, as_of=None) -> SafeString:
    """The tiles of the tile-grid map: each economy's code, name, score and coverage, coloured
    by its score's band (and placed by CSS classes: no inline style under the CSP)."""
    parts = []
    for tile in tile_map.tiles:
        economy, score = tile.economy, tile.score
        url = page_link("economy_detail", economy.code, as_of=as_of)
        if score.score is None:
            data_score, shown = "", "No data"
        else:
            data_score, shown = numbers.number(score.score, 1), numbers.number(score.score, 0)
        code, name = escape(economy.code), escape(economy.name)
        parts.append(
            f'<li class="tile gr-{int(economy.grid_row)} gc-{int(economy.grid_col)} '
            f'{score_band(score.score)}" data-economy="{code}" data-score="{data_score}">'
            f'<a href="{url}#instrument-{int(score.instrument_id)}">'
            f'<abbr class="tile-code" title="{name}">{code}</abbr>'
            f'<span class="visually-hidden">{name}:</span>'
            f'<span class="tile-score">{shown}</span>'
            f'<span class="tile-coverage">{int(score.covered)}/{int(score.commitments)}</span>'
            f"</a></li>"
        )
    return mark_safe("".join(parts))


def commitment_rows(rows, timeline, *, cells: Cells, page_links: PageLinks) -> SafeString:
    """The rows of one instrument's table of commitments on an economy's page: status, dates,
    evidence and sources of the current report, and what full implementation would change.

    `timeline` is the page of the timeline shown: a report's "history" link goes to the
    timeline's page that holds it, and a report that is not on this one lends its id to its
    evidence cell, so that a link to the report still lands on it.
    """
    per_page, number = timeline.paginator.per_page, timeline.number
    parts = []
    for row in rows:
        commitment, report = row.commitment, row.report
        code = escape(commitment.code)
        parts.append(
            f'<tr id="c-{code}" data-commitment="{code}">'
            f'<th scope="row"><span class="code">{code}</span> {escape(commitment.title)}</th>'
        )
        if report is None:
            parts.append(
                f"<td>{cells.badge('')}</td><td>—</td><td>—</td>"
                '<td class="evidence"><span class="no-data-text">No published report.</span></td>'
            )
        else:
            anchor = f"report-{int(report.pk)}"
            page = report.position // per_page + 1
            if page == number:
                history, own_id = f"#{anchor}", ""
            else:
                history, own_id = f"{page_links(page)}#{anchor}", f' id="{anchor}"'
            illustrative = (
                " · <strong>illustrative, not a real statement</strong>"
                if report.is_illustrative
                else ""
            )
            sources = "".join(
                f"<li>{_source_link(url, escape(Truncator(url).chars(70)))}</li>"
                for url in source_list(report.source_urls)
            )
            origin = cells.origin(report.origin, report.assessor, report.assessed_on)
            parts.append(
                f"<td>{cells.badge(report.status, overdue=row.overdue)}</td>"
                f"<td>{cells.time(report.effective_date)}</td>"
                f"<td>{cells.time(report.target_date)}</td>"
                f'<td class="evidence"{own_id}><p>{escape(report.evidence)}</p>'
                f'<p class="meta">{origin}'
                f'{illustrative} · <a href="{history}">history</a></p>'
                + _disagreement_note(cells, row.origins)
                + (f'<ul class="sources">{sources}</ul>' if sources else "")
                + "</td>"
            )
        w = row.what_if
        if w is None:
            parts.append('<td class="what-if">—</td></tr>')
        else:
            parts.append(
                f'<td class="what-if">score {figure(w.score_before)} → '
                f"<strong>{figure(w.score_after)}</strong>; regional σ {figure(w.stdev_before)}"
                f" → {figure(w.stdev_after)}</td></tr>"
            )
    return mark_safe("".join(parts))


def _source_link(url: str, text: str) -> str:
    """A link to a report's source with the (escaped) text; only the text when the address is
    not a web address."""
    href = safe_url(url)
    return f'<a href="{escape(href)}" rel="external noopener">{text}</a>' if href else text


def _disagreement_note(cells: Cells, found) -> str:
    """On an economy's commitment row: what the other origins' latest reports say when they
    disagree with the status shown, which the figure uses (the current-status rule)."""
    if found is None or not found.disagree:
        return ""
    others = "; ".join(
        f"{cells.origin(o.origin, o.assessor, o.assessed_on)}: {cells.badge(o.status)} "
        f"since {cells.time(o.effective_date)}"
        for o in found.others()
    )
    return (
        f'<p class="disagree"><strong>Sources disagree.</strong> {others}. The score uses the '
        "status above, the latest by effective date.</p>"
    )


def series_cells(scores) -> SafeString:
    """One year's cells of a score-over-time table: each score with its coverage."""
    return mark_safe(
        "".join(
            f'<td class="num">{figure(s.score)} '
            f'<span class="sd">({int(s.covered)}/{int(s.commitments)})</span></td>'
            for s in scores
        )
    )


def matrix_cells(row, *, as_of=None) -> SafeString:
    """The status cells of one economy's row of an instrument's matrix, each linking to the
    current report (its own address, which lands on the economy's page that shows it)."""
    cells = Cells()
    links = ReportLinks(as_of=as_of)
    return mark_safe("".join(_status_cell(cell, cells, links) for cell in row.cells))


def compare_rows(section, *, as_of=None) -> SafeString:
    """The rows of one instrument's table on the compare page: a commitment a row, then each
    compared economy's status, linking to the current report (its own address, which lands on
    the economy's page that shows it)."""
    cells = Cells()
    links = ReportLinks(as_of=as_of)
    parts = []
    for row in section.commitments:
        parts.append(
            f'<tr><th scope="row"><span class="code">{escape(row.commitment.code)}</span> '
            f"{escape(row.commitment.title)}</th>"
        )
        for cell in row.cells:
            parts.append(_status_cell(cell, cells, links, economy=cell.economy.code))
        parts.append("</tr>")
    return mark_safe("".join(parts))


def _status_cell(cell, cells: Cells, links: ReportLinks, *, economy: str | None = None) -> str:
    """A table cell with a status (linking to its report) and where it comes from, or
    "no data"."""
    status = cell.status
    named = f' data-economy="{escape(economy)}"' if economy is not None else ""
    if status is None:
        return f'<td class="status-cell"{named} data-status="">{cells.badge("", compact=True)}</td>'
    return (
        f'<td class="status-cell"{named} data-status="{escape(status.status)}">'
        f'<a href="{links(status.report_id)}"'
        f' title="since {cells.day(status.effective_date)}">'
        f"{cells.badge(status.status, overdue=cell.overdue, compact=True)}</a>"
        f"{cell_origins_html(cell.origins, cells)}</td>"
    )


def update_items(entries, *, as_of=None) -> SafeString:
    """The items of a list of published updates (the updates page, the dashboard's latest):
    when, which economy, instrument and commitment (linking to the report), the status it
    replaced and the new one, and where the claim comes from."""
    cells = Cells()
    links = ReportLinks(as_of=as_of)
    economy_urls: dict[str, str] = {}
    instrument_urls: dict[str, str] = {}
    parts = []
    for entry in entries:
        report = entry.report
        economy, commitment = report.economy, report.commitment
        instrument = commitment.instrument
        if economy.code not in economy_urls:
            economy_urls[economy.code] = page_link("economy_detail", economy.code, as_of=as_of)
        if instrument.slug not in instrument_urls:
            instrument_urls[instrument.slug] = page_link(
                "instrument_detail", instrument.slug, as_of=as_of
            )
        change = _status_change(cells, entry, before_target="")
        parts.append(
            f'<li class="update" id="update-{int(report.pk)}">'
            f'<p class="update-head">{cells.time(report.effective_date)} '
            f'<a href="{economy_urls[economy.code]}">{escape(economy.name)}</a> '
            f'· <a href="{instrument_urls[instrument.slug]}">{escape(instrument.short_name)}</a> '
            f'<a href="{links(report.pk)}" class="code">{escape(commitment.code)}</a></p>'
            f'<p class="update-change">{change}</p>'
            f'<p class="update-title">{escape(commitment.title)}</p>'
            f'<p class="meta" data-field="origin">'
            f"{cells.origin(report.origin, report.assessor, report.assessed_on)}</p></li>"
        )
    return mark_safe("".join(parts))


def score_rows(sections) -> SafeString:
    """The rows of an economy's table of scores beside the regional figures: one instrument
    a row, each linking to the instrument's commitments further down the page."""
    parts = []
    for section in sections:
        instrument, score, regional = section.instrument, section.score, section.regional
        shown = "No data" if score.score is None else figure(score.score)
        if regional.economies_with_data:
            spread = (
                f"{figure(regional.min, 0)}–{figure(regional.max, 0)} "
                f'<span class="sd">({int(regional.economies_with_data)} economies)</span>'
            )
        else:
            spread = "no data"
        parts.append(
            f'<tr data-instrument="{escape(instrument.slug)}">'
            f'<th scope="row"><a href="#instrument-{int(instrument.pk)}">'
            f"{escape(instrument.short_name)}</a></th>"
            f'<td class="cell {score_band(score.score)}" data-field="score">{shown}</td>'
            f'<td class="num" data-field="coverage">{percent(score.coverage)} '
            f'<span class="sd">({int(score.covered)}/{int(score.commitments)})</span></td>'
            f'<td class="num" data-field="mean">{figure(regional.mean)}</td>'
            f'<td class="num" data-field="stdev">{figure(regional.stdev)}</td>'
            f'<td class="num">{spread}</td></tr>'
        )
    return mark_safe("".join(parts))


def _status_change(cells: Cells, entry, *, before_target: str) -> str:
    """An update's change: the status it replaced (or that it is the first report), the new
    status, and its target date when it has one."""
    report = entry.report
    if entry.previous_status:
        change = (
            f"{cells.badge(entry.previous_status, compact=True)} "
            '<span aria-hidden="true">→</span><span class="visually-hidden">changed to</span> '
        )
    else:
        change = '<span class="first">First report:</span> '
    change += cells.badge(report.status, overdue=entry.overdue)
    if report.target_date:
        change += (
            f'{before_target}<span class="target">target {cells.day(report.target_date)}</span>'
        )
    return change


def timeline_items(entries) -> SafeString:
    """The entries of an economy's timeline: each report with the status it replaced, its
    origin, who entered it (by role), sources and evidence."""
    cells = Cells()
    parts = []
    for entry in entries:
        report = entry.report
        change = _status_change(cells, entry, before_target=" ")
        meta = cells.origin(report.origin, report.assessor, report.assessed_on)
        if hasattr(report, "entered_by_officer"):
            # By role and economy, never by name (tracker.roles.with_entered_by).
            role = roles.entered_by_role(
                by_officer=report.entered_by_officer, economy_name=report.economy_name
            )
            meta += f" · entered by {escape(role)}"
        if report.published_at:
            published = timezone.template_localtime(report.published_at)
            meta += f" · published {cells.day(published)} after review"
        meta += "".join(
            f" · {_source_link(url, f'source {number}')}"
            for number, url in enumerate(source_list(report.source_urls), start=1)
        )
        parts.append(
            f'<li id="report-{int(report.pk)}">'
            f'<p class="update-head">{cells.time(report.effective_date)} '
            f'<span class="code">{escape(report.commitment.code)}</span> '
            f"({escape(report.commitment.instrument.short_name)})</p>"
            f'<p class="update-change">{change}</p>'
            f'<p class="meta">{meta}</p>'
            f"<details><summary>Evidence</summary><p>{escape(report.evidence)}</p></details>"
            "</li>"
        )
    return mark_safe("".join(parts))
