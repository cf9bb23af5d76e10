"""The pieces the HTML built in Python is made of (tracker/tables.py), and the one place that
keeps it safe: every value from the data goes through `escape`, every address from the data
through `safe_url` (http and https only), every status through `badge`, which {% status_badge %}
renders too. Also the figures' formatting the templates' filters share (tracker_tags).
"""

import datetime
import functools
import html
from urllib.parse import urlencode, urlsplit

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import dateformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from softlaw import numbers
from tracker import scoring
from tracker.models import Origin, Status

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

OVERDUE = '<span class="overdue"><span aria-hidden="true">⚠</span> Overdue</span>'


def escape(value) -> str:
    """HTML-escaped text, for an element's content or a quoted attribute: what the template
    language's autoescape writes, without its per-call overhead on thousands of cells."""
    return html.escape(str(value))


def safe_url(url) -> str | None:
    """The address if it is a web address (http or https, with a host), else None: an address
    from the data becomes a link only then, never a `javascript:`, `data:` or relative one."""
    url = str(url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def source_list(text) -> list[str]:
    """The web addresses of a report's sources, one a line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- figures --------------------------------------------------------------------------------


def score_band(score) -> str:
    """CSS class of a score's colour band; 'no-data' when there is no score."""
    index = scoring.band_index(score)
    return "no-data" if index is None else BAND_CLASSES[index]


def figure(value, digits=1) -> str:
    """A score or statistic to a fixed number of decimals, by softlaw.numbers' one rule;
    None → 'no data'."""
    return "no data" if value is None else numbers.number(value, digits)


def percent(value, digits=0) -> str:
    """0.875 → '88 %'; None → '—'. For coverage (a 0–1 share)."""
    return "—" if value is None else f"{numbers.share(value, digits)} %"


# --- statuses, origins, dates ---------------------------------------------------------------


def badge(code, *, overdue=False, compact=False, key=False) -> SafeString:
    """A status as symbol + words (+ colour); no code = no data. Compact: the symbol and a
    short word, the full label for screen readers. A key (in a legend, its label beside it):
    compact, without the hidden label."""
    return mark_safe(_badge(code or "", bool(overdue), bool(compact), bool(key), get_language()))


@functools.lru_cache(maxsize=256)
def _badge(code: str, overdue: bool, compact: bool, key: bool, language: str | None) -> str:
    display = STATUS_DISPLAY.get(code, NO_DATA_DISPLAY) if code else NO_DATA_DISPLAY
    symbol, short, css = (escape(part) for part in display)
    label = escape(Status(code).label if code else "No data")
    sym = f'<span class="sym" aria-hidden="true">{symbol}</span>'
    word = f' <span class="short" aria-hidden="true">{short}</span>'
    if key:
        return f'<span class="status compact {css}">{sym}{word}</span>'
    if compact:
        inner = f'{sym}{word}<span class="visually-hidden">{label}</span>'
    else:
        inner = f"{sym} {label}"
    html = f'<span class="status {css}{" compact" if compact else ""}">{inner}</span>'
    return html + (f" {OVERDUE}" if overdue else "")


def status_legend() -> list[tuple[SafeString, str]]:
    """(key badge, label) of every status and of no data, for legends."""
    rows = [(badge(s, key=True), s.label) for s in Status]
    return [*rows, (badge("", key=True), "No published report")]


def origin_label(origin: str, *, assessor: str = "", assessed_on=None) -> str:
    """'Independent assessment: UNCTAD Global Cyberlaw Tracker, snapshot 27 Apr 2026'."""
    label = Origin(origin).label
    if assessor:
        label += f": {assessor}"
    if assessed_on:
        label += f"{',' if assessor else ':'} snapshot {_day(assessed_on)}"
    return label


def origin_abbr(origin: str, *, assessor: str = "", assessed_on=None) -> str:
    """An origin as a short word with its full label (an independent assessment's assessor
    and snapshot date included) as its title, and as hidden text for screen readers."""
    label = escape(origin_label(origin, assessor=assessor, assessed_on=assessed_on))
    return (
        f'<abbr class="origin" title="{label}"><span aria-hidden="true">'
        f'{escape(ORIGIN_SHORT[origin])}</span><span class="visually-hidden">{label}'
        "</span></abbr>"
    )


def _day(value: datetime.date) -> str:
    return f"{value.day} {_month_abbreviations(get_language())[value.month - 1]} {value.year:04d}"


@functools.lru_cache(maxsize=16)
def _month_abbreviations(language: str | None) -> tuple[str, ...]:
    return tuple(dateformat.format(datetime.date(2000, month, 1), "M") for month in range(1, 13))


class Cells:
    """What every cell of a table shares, looked up once per table rather than once per cell:
    the language's month names, the status badges, the labels of the report origins."""

    def __init__(self):
        self.language = get_language()
        self.months = _month_abbreviations(self.language)
        self.origins = {value: escape(label) for value, label in Origin.choices}

    def day(self, value: datetime.date) -> str:
        """A date as the date filter writes it with "j M Y" ('1 Jun 2012')."""
        return f"{value.day} {self.months[value.month - 1]} {value.year:04d}"

    def origin(self, origin: str, assessor: str = "", assessed_on=None) -> str:
        """The full origin label, escaped (assessor and snapshot date when given)."""
        if not assessor and not assessed_on:
            return self.origins[origin]
        return escape(origin_label(origin, assessor=assessor, assessed_on=assessed_on))

    def time(self, value: datetime.date | None) -> str:
        """A <time> element for a date, or a dash when there is none."""
        if value is None:
            return "—"
        return f'<time datetime="{value.isoformat()}">{self.day(value)}</time>'

    def badge(self, code: str | None, *, overdue: bool = False, compact: bool = False) -> str:
        return _badge(code or "", bool(overdue), bool(compact), False, self.language)


def disagreements(count: int) -> str:
    """'≠ 2 disagreements between sources', or nothing."""
    if not count:
        return ""
    return (
        f'<span class="disagree"><span aria-hidden="true">≠</span> {int(count)} '
        f"disagreement{'s' if count > 1 else ''} between sources</span>"
    )


def cell_origins(found, cells: Cells | None = None) -> SafeString:
    """Under a matrix cell's status: where it comes from and, when another origin's latest
    status differs, that it disagrees and what the other says (in words, not colour alone)."""
    return mark_safe(cell_origins_html(found, cells or Cells()))


def cell_origins_html(found, cells: Cells) -> str:
    """cell_origins() as the table builders put it into a cell (their own output is marked
    safe once, not each of thousands of cells)."""
    if found is None:
        return ""
    current = found.current
    html = " " + origin_abbr(
        current.origin, assessor=current.assessor, assessed_on=current.assessed_on
    )
    if found.disagree:
        others = "; ".join(
            f"{origin_abbr(o.origin, assessor=o.assessor, assessed_on=o.assessed_on)} "
            f"{cells.badge(o.status, compact=True)}"
            for o in found.others()
            if o.status != current.status
        )
        html += f'<span class="disagree">Disagrees: {others}</span>'
    return html


# --- addresses ------------------------------------------------------------------------------


def with_as_of(url: str, as_of: datetime.date | None) -> str:
    """A page's address carrying the date it shows (a permanent link keeps its date)."""
    return f"{url}?{urlencode({'as_of': as_of.isoformat()})}" if as_of else url


@functools.lru_cache(maxsize=4096)
def _reverse(name: str, args: tuple, prefix: str, urlconf: str | None) -> str:
    # The same page's address is asked for hundreds of times a request (one per tile or table
    # row); reversing it once per name, arguments, script prefix and URLconf is enough.
    return reverse(name, args=args, urlconf=urlconf)


def public_url(name: str, *args) -> str:
    """The address of a public page (not escaped)."""
    return _reverse(name, args, get_script_prefix(), get_urlconf())


def page_link(name: str, *args, as_of=None) -> str:
    """The escaped address of a public page at a date, for an href."""
    return escape(with_as_of(public_url(name, *args), as_of))


class PageLinks(dict):
    """page number → this page's address with ?page= set and its other parameters kept, as
    {% querystring page=n %} writes it (escaped)."""

    def __init__(self, request):
        super().__init__()
        self.query = request.GET.copy()

    def __call__(self, page: int) -> str:
        return self[page]

    def __missing__(self, page: int) -> str:
        self.query["page"] = page
        self[page] = link = escape(f"?{self.query.urlencode()}")
        return link


class ReportLinks:
    """report id → the escaped address of the report's own link (/reports/<pk>/, which takes
    the visitor to the economy's page that shows it) at the date, for an href. Reversed once
    per table, not once per cell: a global tracker's matrix links to thousands of reports."""

    def __init__(self, *, as_of=None):
        # Every number reverses to the same address around it.
        head, _, tail = public_url("report_detail", 0).rpartition("/0/")
        self.head = escape(f"{head}/")
        self.tail = escape(f"/{tail}{with_as_of('', as_of)}")

    def __call__(self, report_id: int) -> str:
        return f"{self.head}{int(report_id)}{self.tail}"
