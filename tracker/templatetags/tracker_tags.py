"""Formatting of figures for templates. Formatting only: the figures come from tracker.scoring.

Thin wrappers: the HTML is built by tracker.tables (the large tables) and tracker.markup (the
status badge, origins, escaping and safe addresses), which the Python code calls too.
"""

from django import template
from django.utils.safestring import mark_safe

from softlaw import clock, numbers
from tracker import markup, scoring, tables
from tracker.markup import figure, percent, score_band, source_list
from tracker.models import Status

register = template.Library()

# Filters the templates and tracker.tables share.
for shared in (figure, percent, score_band, source_list):
    register.filter(shared)


@register.simple_tag
def score_legend():
    """(css class, label) of each score band, for colour keys."""
    last = len(scoring.SCORE_BANDS) - 1
    return [
        (
            markup.BAND_CLASSES[i],
            f"under {high:g}"
            if i == 0
            else f"{low:g} or more"
            if i == last
            else f"{low:g} to under {high:g}",
        )
        for i, (low, high, _label) in enumerate(scoring.SCORE_BANDS)
    ]


@register.filter
def weight(value):
    """A commitment's weight, by the same rule, without trailing zeros (1.00 → '1')."""
    return numbers.trimmed(value, 2)


@register.filter
def report_origin(report):
    """Where a report's claim comes from, with an independent assessment's assessor and
    snapshot date."""
    return markup.origin_label(
        report.origin, assessor=report.assessor, assessed_on=report.assessed_on
    )


@register.filter
def status_label(code):
    """The full label of a status code ('partial' → 'Partially implemented')."""
    return Status(code).label if code else "No data"


@register.simple_tag
def status_badge(code, overdue=False, compact=False):
    """A status as symbol + words (+ colour); no code = no data (tracker.markup.badge)."""
    return markup.badge(code, overdue=overdue, compact=compact)


@register.simple_tag
def status_legend():
    """(key badge, label) of every status and of no data, for legends."""
    return markup.status_legend()


@register.simple_tag
def overdue_mark():
    """The mark of a report whose target date has passed, as the badges show it."""
    return mark_safe(markup.OVERDUE)


@register.simple_tag(takes_context=True)
def page_url(context, name, *args):
    """The URL of a public page, carrying the page's as_of (a permanent link keeps its date)."""
    return markup.with_as_of(markup.public_url(name, *args), context.get("as_of"))


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


# --- the large tables, built by tracker.tables ----------------------------------------------


def _at_page_date(builder):
    """A tag for a builder whose links carry the page's as_of (a permanent link keeps its date)."""

    def tag(context, *args, **kwargs):
        return builder(*args, as_of=context.get("as_of"), **kwargs)

    tag.__name__, tag.__doc__ = builder.__name__, builder.__doc__
    return tag


for builder in (
    tables.heatmap_regional,
    tables.series_cells,
    tables.score_rows,
    tables.timeline_items,
):
    register.simple_tag(builder)
for builder in (
    tables.economy_codes,
    tables.heatmap_columns,
    tables.heatmap_cells,
    tables.unevenness_rows,
    tables.map_tiles,
    tables.matrix_cells,
    tables.compare_rows,
    tables.update_items,
):
    register.simple_tag(_at_page_date(builder), takes_context=True)


@register.simple_tag(takes_context=True)
def commitment_rows(context, rows, timeline):
    """tracker.tables.commitment_rows, with the month names, badges and page links shared by
    the tables of every instrument on the page."""
    cells, page_links = context.render_context.setdefault(
        "commitment_rows", (markup.Cells(), markup.PageLinks(context["request"]))
    )
    return tables.commitment_rows(rows, timeline, cells=cells, page_links=page_links)
