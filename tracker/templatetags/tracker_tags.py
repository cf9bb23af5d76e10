"""Formatting of figures for templates. Formatting only: the figures come from tracker.scoring."""

import datetime
import functools
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from tracker import scoring
from tracker.models import Status

register = template.Library()

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
    return f"{value * 100:.{int(digits)}f} %"


@register.filter
def figure(value, digits=1):
    """A score or statistic to a fixed number of decimals; None → 'no data'."""
    if value is None:
        return "no data"
    return f"{value:.{int(digits)}f}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


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
        f'<a href="{escape(_with_as_of(public_url("economy_detail", e.code), as_of))}">'
        f'<abbr title="{escape(e.name)}">{escape(e.code)}</abbr></a>'
        for e in economies[:shown]
    ]
    more = ""
    if len(economies) > shown:
        url = _with_as_of(public_url("instrument_detail", instrument.slug), as_of)
        more = f' and <a href="{escape(url)}#matrix-title">{len(economies) - shown} more</a>'
    # Every value above is escaped or a number.
    return mark_safe(f'<span class="economy-codes">{", ".join(links)}{more}</span>')


@register.simple_tag(takes_context=True)
def map_tiles(context, tile_map):
    """The tiles of the tile-grid map: each economy's code, name, score and coverage, coloured
    by its score's band (and placed by CSS classes: no inline style under the CSP)."""
    as_of = context.get("as_of")
    parts = []
    for tile in tile_map.tiles:
        economy, score = tile.economy, tile.score
        url = escape(_with_as_of(public_url("economy_detail", economy.code), as_of))
        if score.score is None:
            data_score, shown = "", "No data"
        else:
            data_score, shown = _fixed(score.score, 1), _fixed(score.score, 0)
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
    # Every value above is escaped or a number.
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def permalink(context):
    """This page with its filters and as_of set to the date it shows (today by default)."""
    request = context["request"]
    query = request.GET.copy()
    query["as_of"] = (context.get("as_of") or datetime.date.today()).isoformat()
    return f"{request.path}?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def without_as_of(context):
    """This page with its filters, showing today."""
    request = context["request"]
    query = request.GET.copy()
    query.pop("as_of", None)
    return f"{request.path}?{query.urlencode()}" if query else request.path


@register.filter
def grid_row(economy):
    """CSS class placing an economy's tile on the map's grid (CSS classes, not inline style,
    so that a strict Content-Security-Policy needs no 'unsafe-inline')."""
    return f"gr-{economy.grid_row}"


@register.filter
def grid_col(economy):
    return f"gc-{economy.grid_col}"


@register.filter
def source_list(text):
    """The web addresses of a report's sources, one a line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _fixed(value: float, digits: int) -> str:
    """What Django's floatformat gives for a plain number (half up, no separators), fast."""
    quantum = Decimal(1).scaleb(-digits)
    return str(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


@register.simple_tag(takes_context=True)
def heatmap_cells(context, row):
    """The cells of one heatmap row.

    Built in Python rather than in the template: a global tracker's heatmap has thousands of
    cells, and the template language spends a third of a millisecond on each.
    """
    economy_url = escape(page_url(context, "economy_detail", row.economy.code))
    code = escape(row.economy.code)
    parts = []
    for cell in row.cells:
        if cell.score is None:
            band, data_score, shown = "no-data", "", '<span class="score">No data</span>'
        else:
            band = score_band(cell.score)
            data_score = _fixed(cell.score, 1)
            shown = f'<span class="score">{_fixed(cell.score, 0)}</span>'
        coverage = _fixed(cell.coverage, 3) if cell.coverage is not None else ""
        parts.append(
            f'<td class="cell {band}" data-economy="{code}" data-instrument="{cell.instrument_id}"'
            f' data-score="{data_score}" data-coverage="{coverage}">'
            f'<a href="{economy_url}#instrument-{cell.instrument_id}">{shown}'
            f'<span class="coverage">{cell.covered}/{cell.commitments} covered</span></a></td>'
        )
    # Every value above is escaped or a number.
    return mark_safe("".join(parts))
