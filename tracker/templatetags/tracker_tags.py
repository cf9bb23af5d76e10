"""Formatting of figures for templates. Formatting only: the figures come from tracker.scoring."""

import datetime
import functools
import html
from urllib.parse import urlencode

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import dateformat, timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from softlaw import clock, numbers
from tracker import roles, scoring
from tracker.models import Origin, Status

register = template.Library()


def _escape(value) -> str:
    """HTML-escaped text for the tags below that build HTML in Python: what the template
    language's autoescape writes, without its per-call overhead (tables of thousands of cells)."""
    return html.escape(str(value))


# CSS class of each score band of tracker.scoring.SCORE_BANDS: a colour-blind-safe sequential
# palette (cividis-like, dark blue to yellow), each paired with a text colour of 4.5:1 contrast.
BAND_CLASSES = ("band-0", "band-1", "band-2", "band-3", "band-4")

# How a status shows: a symbol and a word, and a colour that repeats them (never colour alone).
# The colour follows the status's points on the same palette as the scores.
STATUS_DISPLAY = {
    Status.IMPLEMENTED: ("✔", "Full", "band-4"),
    Status.PARTIAL: ("◑", "Partial", "band-3"),
    Status.PILOT: ("◔", "Pilot", "band-2"),
    Status.PLANNED: ("◷", "Planned", "band-1"),
    Status.NOT_IMPLEMENTED: ("✖", "Not impl.", "band-0"),
    Status.NOT_APPLICABLE: ("–", "N/A", "not-applicable"),
}
NO_DATA_DISPLAY = ("?", "No data", "no-data")

# Where a status comes from, short enough for a table cell; the full label is its title and is
# read out by screen readers.
ORIGIN_SHORT = {
    Origin.SELF_REPORTED: "Self",
    Origin.SECRETARIAT: "Sec.",
    Origin.INDEPENDENT: "Ind.",
}


def _origin_abbr(origin: str, *, assessor: str = "", assessed_on=None) -> str:
    """An origin as a short word with its full label (an independent assessment's assessor
    and snapshot date included) as its title, and as hidden text for screen readers."""
    label = origin_label(origin, assessor=assessor, assessed_on=assessed_on)
    return (
        f'<abbr class="origin" title="{_escape(label)}"><span aria-hidden="true">'
        f'{_escape(ORIGIN_SHORT[origin])}</span><span class="visually-hidden">{_escape(label)}'
        "</span></abbr>"
    )


def origin_label(origin: str, *, assessor: str = "", assessed_on=None) -> str:
    """'Independent assessment: UNCTAD Global Cyberlaw Tracker, snapshot 27 Apr 2026'."""
    label = Origin(origin).label
    if assessor:
        label += f": {assessor}"
    if assessed_on:
        label += f"{',' if assessor else ':'} snapshot {_day(assessed_on)}"
    return label


def _disagreements(count: int) -> str:
    if not count:
        return ""
    return (
        f'<span class="disagree"><span aria-hidden="true">≠</span> {int(count)} '
        f"disagreement{'s' if count > 1 else ''} between sources</span>"
    )


@register.filter
def score_band(score):
    """CSS class of a score's colour band; 'no-data' when there is no score."""
    index = scoring.band_index(score)
    return "no-data" if index is None else BAND_CLASSES[index]


@register.simple_tag
def score_legend():
    """(css class, label) of each score band, for colour keys."""
    last = len(scoring.SCORE_BANDS) - 1
    return [
        (
            BAND_CLASSES[i],
            f"under {high:g}"
            if i == 0
            else f"{low:g} or more"
            if i == last
            else f"{low:g} to under {high:g}",
        )
        for i, (low, high, _label) in enumerate(scoring.SCORE_BANDS)
    ]


@register.filter
def percent(value, digits=0):
    """0.875 → '88 %'; None → '—'. For coverage (a 0–1 share)."""
    if value is None:
        return "—"
    return f"{numbers.share(value, digits)} %"


@register.filter
def figure(value, digits=1):
    """A score or statistic to a fixed number of decimals, by softlaw.numbers' one rule;
    None → 'no data'."""
    if value is None:
        return "no data"
    return numbers.number(value, digits)


@register.filter
def weight(value):
    """A commitment's weight, by the same rule, without trailing zeros (1.00 → '1')."""
    return numbers.trimmed(value, 2)


@register.filter
def report_origin(report):
    """Where a report's claim comes from, with an independent assessment's assessor and
    snapshot date."""
    return origin_label(report.origin, assessor=report.assessor, assessed_on=report.assessed_on)


@register.filter
def status_label(code):
    """The full label of a status code ('partial' → 'Partially implemented')."""
    if not code:
        return "No data"
    return Status(code).label


@register.inclusion_tag("includes/status.html")
def status_badge(code, overdue=False, compact=False):
    """A status as symbol + words (+ colour); no code = no data."""
    symbol, short, css = STATUS_DISPLAY.get(code, NO_DATA_DISPLAY) if code else NO_DATA_DISPLAY
    return {
        "symbol": symbol,
        "short": short,
        "label": Status(code).label if code else "No data",
        "css": css,
        "overdue": overdue,
        "compact": compact,
    }


@register.simple_tag
def status_legend():
    """(symbol, short, label, css) of every status and of no data, for legends."""
    rows = [(*STATUS_DISPLAY[s][:2], s.label, STATUS_DISPLAY[s][2]) for s in Status]
    rows.append((NO_DATA_DISPLAY[0], NO_DATA_DISPLAY[1], "No published report", "no-data"))
    return rows


def _with_as_of(url: str, as_of: datetime.date | None) -> str:
    return f"{url}?{urlencode({'as_of': as_of.isoformat()})}" if as_of else url


@functools.lru_cache(maxsize=4096)
def _reverse(name: str, args: tuple, prefix: str, urlconf: str | None) -> str:
    # The same page's address is asked for hundreds of times a request (one per tile or table
    # row); reversing it once per name, arguments, script prefix and URLconf is enough.
    return reverse(name, args=args, urlconf=urlconf)


def public_url(name: str, *args) -> str:
    return _reverse(name, args, get_script_prefix(), get_urlconf())


@register.simple_tag(takes_context=True)
def page_url(context, name, *args):
    """The URL of a public page, carrying the page's as_of (a permanent link keeps its date)."""
    return _with_as_of(public_url(name, *args), context.get("as_of"))


@register.simple_tag(takes_context=True)
def economy_codes(context, economies, instrument, shown=5):
    """The first few economies' codes, each linking to its page, and how many more there are
    (linking to the instrument's matrix). Python rather than a template: the dashboard has two
    of these on each instrument's row."""
    as_of = context.get("as_of")
    links = [
        f'<a href="{_escape(_with_as_of(public_url("economy_detail", e.code), as_of))}">'
        f'<abbr title="{_escape(e.name)}">{_escape(e.code)}</abbr></a>'
        for e in economies[:shown]
    ]
    more = ""
    if len(economies) > shown:
        url = _with_as_of(public_url("instrument_detail", instrument.slug), as_of)
        more = f' and <a href="{_escape(url)}#matrix-title">{len(economies) - shown} more</a>'
    # Every value above is escaped or a number.
    return mark_safe(f'<span class="economy-codes">{", ".join(links)}{more}</span>')


@register.simple_tag(takes_context=True)
def heatmap_columns(context, heatmap):
    """The heatmap's column headings: one instrument each, linking to its page."""
    as_of = context.get("as_of")
    return mark_safe(
        "".join(
            f'<th scope="col"><a href="'
            f'{_escape(_with_as_of(public_url("instrument_detail", i.slug), as_of))}">'
            f'<abbr title="{_escape(i.title)}">{_escape(i.short_name)}</abbr></a></th>'
            for i in heatmap.instruments
        )
    )


@register.simple_tag
def heatmap_regional(heatmap):
    """The heatmap's last row: each instrument's regional mean and σ, rounded."""
    parts = []
    for i in heatmap.instruments:
        f = heatmap.regional.get(i.pk, scoring.NO_FIGURES)
        spread = f' <span class="sd">(σ {figure(f.stdev, 0)})</span>' if f.stdev is not None else ""
        parts.append(
            f'<td class="num" data-regional="{_escape(i.slug)}">{figure(f.mean, 0)}{spread}</td>'
        )
    # Every value above is escaped or a number.
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def unevenness_rows(context, unevenness, economies):
    """The rows of the dashboard's table of how uneven each instrument is (one per instrument:
    sixty at global scale), with the economies at either end."""
    as_of = context.get("as_of")
    parts = []
    for u in unevenness:
        slug = _escape(u.instrument.slug)
        url = _escape(_with_as_of(public_url("instrument_detail", u.instrument.slug), as_of))
        f = u.figures
        parts.append(
            f'<tr data-instrument="{slug}"><th scope="row"><a href="{url}">'
            f"{_escape(u.instrument.short_name)}</a></th>"
            f'<td class="num" data-field="n">{int(f.economies_with_data)} of {int(economies)}</td>'
        )
        if f.economies_with_data:
            laggards = economy_codes(context, u.laggards, u.instrument)
            leaders = economy_codes(context, u.leaders, u.instrument)
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
    # Every value above is escaped, a number or built by economy_codes().
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def map_tiles(context, tile_map):
    """The tiles of the tile-grid map: each economy's code, name, score and coverage, coloured
    by its score's band (and placed by CSS classes: no inline style under the CSP)."""
    as_of = context.get("as_of")
    parts = []
    for tile in tile_map.tiles:
        economy, score = tile.economy, tile.score
        url = _escape(_with_as_of(public_url("economy_detail", economy.code), as_of))
        if score.score is None:
            data_score, shown = "", "No data"
        else:
            data_score, shown = numbers.number(score.score, 1), numbers.number(score.score, 0)
        code, name = _escape(economy.code), _escape(economy.name)
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
    # Every value above is escaped or a number.
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def permalink(context):
    """This page with its filters and as_of set to the date it shows (today by default)."""
    request = context["request"]
    query = request.GET.copy()
    query["as_of"] = (context.get("as_of") or clock.today()).isoformat()
    return f"{request.path}?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def without_as_of(context):
    """This page with its filters, showing today."""
    request = context["request"]
    query = request.GET.copy()
    query.pop("as_of", None)
    return f"{request.path}?{query.urlencode()}" if query else request.path


@register.filter
def source_list(text):
    """The web addresses of a report's sources, one a line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.simple_tag(takes_context=True)
def heatmap_cells(context, row):
    """The cells of one heatmap row.

    Built in Python rather than in the template: a global tracker's heatmap has thousands of
    cells, and the template language spends a third of a millisecond on each.
    """
    economy_url = _escape(page_url(context, "economy_detail", row.economy.code))
    code = _escape(row.economy.code)
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
        parts.append(
            f'<td class="cell {band}" data-economy="{code}" data-instrument="{cell.instrument_id}"'
            f' data-score="{data_score}" data-coverage="{coverage}">'
            f'<a href="{economy_url}#instrument-{cell.instrument_id}">{shown}'
            f'<span class="coverage">{cell.covered}/{cell.commitments} covered</span></a>'
            + (_score_origins(found) if found else "")
            + "</td>"
        )
    # Every value above is escaped or a number.
    return mark_safe("".join(parts))


def _score_origins(found) -> str:
    """Where a score's statuses come from, and how many of them two sources disagree on."""
    if not found.origins:
        return ""
    tags = " + ".join(_origin_abbr(origin) for origin in found.origins)
    return (
        f'<span class="origins"><span class="visually-hidden">From: </span>{tags}</span>'
        + _disagreements(found.disagreements)
    )


# --- tables of thousands of cells, built in Python ---------------------------------------------
# A global tracker's economy page lists over a thousand commitments and its instrument page's
# matrix thousands of statuses: the template language spends a third of a millisecond on each
# row or badge, so these build the same HTML in Python, every value escaped or a number.


def _day(value: datetime.date) -> str:
    return f"{value.day} {_month_abbreviations(get_language())[value.month - 1]} {value.year:04d}"


@functools.lru_cache(maxsize=16)
def _month_abbreviations(language: str | None) -> tuple[str, ...]:
    return tuple(dateformat.format(datetime.date(2000, month, 1), "M") for month in range(1, 13))


# The standard library's escaping, which Django's _escape() wraps: the same output for a plain
# string, without the wrapper's cost on thousands of cells.


class _Cells:
    """What every cell of a table shares, looked up once per table rather than once per cell:
    the language's month names, the status badges, the labels of the report origins."""

    def __init__(self):
        self.language = get_language()
        self.months = _month_abbreviations(self.language)
        self.origins = {value: _escape(label) for value, label in Origin.choices}

    def day(self, value: datetime.date) -> str:
        """A date as the date filter writes it with "j M Y" ('1 Jun 2012')."""
        return f"{value.day} {self.months[value.month - 1]} {value.year:04d}"

    def origin(self, origin: str, assessor: str = "", assessed_on=None) -> str:
        """The full origin label, escaped (assessor and snapshot date when given)."""
        if not assessor and not assessed_on:
            return self.origins[origin]
        return _escape(origin_label(origin, assessor=assessor, assessed_on=assessed_on))

    def time(self, value: datetime.date | None) -> str:
        """A <time> element for a date, or a dash when there is none."""
        if value is None:
            return "—"
        return f'<time datetime="{value.isoformat()}">{self.day(value)}</time>'

    def badge(self, code: str | None, *, overdue: bool = False, compact: bool = False) -> str:
        return _badge(code or "", bool(overdue), bool(compact), self.language)


class _PageLinks(dict):
    """page number → this page's address with ?page= set and its other parameters kept, as
    {% querystring page=n %} writes it (escaped)."""

    def __init__(self, request):
        super().__init__()
        self.query = request.GET.copy()

    def __call__(self, page: int) -> str:
        return self[page]

    def __missing__(self, page: int) -> str:
        self.query["page"] = page
        self[page] = link = _escape(f"?{self.query.urlencode()}")
        return link


@functools.lru_cache(maxsize=128)
def _badge(code: str, overdue: bool, compact: bool, language: str | None) -> str:
    """What {% status_badge %} renders (includes/status.html), without a template per badge."""
    context = status_badge(code, overdue=overdue, compact=compact)
    symbol, short, label = (_escape(context[key]) for key in ("symbol", "short", "label"))
    badge = f'<span class="status {_escape(context["css"])}{" compact" if compact else ""}">'
    badge += f'<span class="sym" aria-hidden="true">{symbol}</span>'
    if compact:
        badge += (
            f' <span class="short" aria-hidden="true">{short}</span>'
            f'<span class="visually-hidden">{label}</span>'
        )
    else:
        badge += f" {label}"
    badge += "</span>"
    if overdue:
        badge += ' <span class="overdue"><span aria-hidden="true">⚠</span> Overdue</span>'
    return badge


@register.simple_tag(takes_context=True)
def commitment_rows(context, rows, timeline):
    """The rows of one instrument's table of commitments on an economy's page: status, dates,
    evidence and sources of the current report, and what full implementation would change.

    `timeline` is the page of the timeline shown: a report's "history" link goes to the
    timeline's page that holds it, and a report that is not on this one lends its id to its
    evidence cell, so that a link to the report still lands on it.
    """
    # Shared by the tables of every instrument on the page.
    cells, page_link = context.render_context.setdefault(
        "commitment_rows", (_Cells(), _PageLinks(context["request"]))
    )
    per_page, number = timeline.paginator.per_page, timeline.number

    parts = []
    for row in rows:
        commitment, report = row.commitment, row.report
        code = _escape(commitment.code)
        parts.append(
            f'<tr id="c-{code}" data-commitment="{code}">'
            f'<th scope="row"><span class="code">{code}</span> {_escape(commitment.title)}</th>'
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
                history, own_id = f"{page_link(page)}#{anchor}", f' id="{anchor}"'
            illustrative = (
                " · <strong>illustrative, not a real statement</strong>"
                if report.is_illustrative
                else ""
            )
            sources = "".join(
                f'<li><a href="{_escape(url)}" rel="external noopener">'
                f"{_escape(Truncator(url).chars(70))}</a></li>"
                for url in source_list(report.source_urls)
            )
            origin = cells.origin(report.origin, report.assessor, report.assessed_on)
            parts.append(
                f"<td>{cells.badge(report.status, overdue=row.overdue)}</td>"
                f"<td>{cells.time(report.effective_date)}</td>"
                f"<td>{cells.time(report.target_date)}</td>"
                f'<td class="evidence"{own_id}><p>{_escape(report.evidence)}</p>'
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
    # Every value above is escaped or a number.
    return mark_safe("".join(parts))


def _disagreement_note(cells: "_Cells", found) -> str:
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


@register.simple_tag
def series_cells(scores):
    """One year's cells of a score-over-time table: each score with its coverage."""
    return mark_safe(
        "".join(
            f'<td class="num">{figure(s.score)} '
            f'<span class="sd">({int(s.covered)}/{int(s.commitments)})</span></td>'
            for s in scores
        )
    )


@register.simple_tag(takes_context=True)
def matrix_cells(context, row):
    """The status cells of one economy's row of an instrument's matrix, each linking to the
    current report on the economy's page."""
    cells = _Cells()
    economy_url = _escape(page_url(context, "economy_detail", row.economy.code))
    parts = []
    for cell in row.cells:
        status = cell.status
        if status is None:
            parts.append(
                f'<td class="status-cell" data-status="">{cells.badge("", compact=True)}</td>'
            )
        else:
            parts.append(
                f'<td class="status-cell" data-status="{_escape(status.status)}">'
                f'<a href="{economy_url}#report-{int(status.report_id)}"'
                f' title="since {cells.day(status.effective_date)}">'
                f"{cells.badge(status.status, overdue=cell.overdue, compact=True)}</a>"
                f"{_cell_origins(cells, cell.origins)}</td>"
            )
    # Every value above is escaped or a number.
    return mark_safe("".join(parts))


@register.simple_tag
def cell_origin(found):
    """Where one cell's status comes from, and what a disagreeing origin says (the compare
    page's cells; the instrument matrix builds the same in matrix_cells)."""
    # Every value is escaped by _cell_origins.
    return mark_safe(_cell_origins(_Cells(), found))


def _cell_origins(cells: "_Cells", found) -> str:
    """Under a matrix cell's status: where it comes from and, when another origin's latest
    status differs, that it disagrees and what the other says (in words, not colour alone)."""
    if found is None:
        return ""
    current = found.current
    html = " " + _origin_abbr(
        current.origin, assessor=current.assessor, assessed_on=current.assessed_on
    )
    if found.disagree:
        others = "; ".join(
            f"{_origin_abbr(o.origin, assessor=o.assessor, assessed_on=o.assessed_on)} "
            f"{cells.badge(o.status, compact=True)}"
            for o in found.others()
            if o.status != current.status
        )
        html += f'<span class="disagree">Disagrees: {others}</span>'
    return html


@register.simple_tag
def score_rows(sections):
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
            f'<tr data-instrument="{_escape(instrument.slug)}">'
            f'<th scope="row"><a href="#instrument-{int(instrument.pk)}">'
            f"{_escape(instrument.short_name)}</a></th>"
            f'<td class="cell {score_band(score.score)}" data-field="score">{shown}</td>'
            f'<td class="num" data-field="coverage">{percent(score.coverage)} '
            f'<span class="sd">({int(score.covered)}/{int(score.commitments)})</span></td>'
            f'<td class="num" data-field="mean">{figure(regional.mean)}</td>'
            f'<td class="num" data-field="stdev">{figure(regional.stdev)}</td>'
            f'<td class="num">{spread}</td></tr>'
        )
    # Every value above is escaped or a number.
    return mark_safe("".join(parts))


@register.simple_tag
def timeline_items(entries):
    """The entries of an economy's timeline: each report with the status it replaced, its
    origin, who entered it (by role), sources and evidence."""
    cells = _Cells()
    parts = []
    for entry in entries:
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
            change += f' <span class="target">target {cells.day(report.target_date)}</span>'
        meta = cells.origin(report.origin, report.assessor, report.assessed_on)
        if hasattr(report, "entered_by_officer"):
            # By role and economy, never by name (tracker.roles.with_entered_by).
            role = roles.entered_by_role(
                by_officer=report.entered_by_officer, economy_name=report.economy_name
            )
            meta += f" · entered by {_escape(role)}"
        if report.published_at:
            published = timezone.template_localtime(report.published_at)
            meta += f" · published {cells.day(published)} after review"
        meta += "".join(
            f' · <a href="{_escape(url)}" rel="external noopener">source {number}</a>'
            for number, url in enumerate(source_list(report.source_urls), start=1)
        )
        parts.append(
            f'<li id="report-{int(report.pk)}">'
            f'<p class="update-head">{cells.time(report.effective_date)} '
            f'<span class="code">{_escape(report.commitment.code)}</span> '
            f"({_escape(report.commitment.instrument.short_name)})</p>"
            f'<p class="update-change">{change}</p>'
            f'<p class="meta">{meta}</p>'
            f"<details><summary>Evidence</summary><p>{_escape(report.evidence)}</p></details>"
            "</li>"
        )
    # Every value above is escaped or a number.
    return mark_safe("".join(parts))
