"""Formatting of figures for templates. Formatting only: the figures come from tracker.scoring."""

from django import template

register = template.Library()

# Five steps of a colour-blind-safe sequential palette (light to dark blue-green, viridis-like
# in lightness), each paired with a text colour that keeps 4.5:1 contrast.
BANDS = [
    (20, "band-0"),
    (40, "band-1"),
    (60, "band-2"),
    (80, "band-3"),
    (101, "band-4"),
]


@register.filter
def score_band(score):
    """CSS class of a score's colour band; 'no-data' when there is no score."""
    if score is None:
        return "no-data"
    for upper, css in BANDS:
        if score < upper:
            return css
    return BANDS[-1][1]


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
