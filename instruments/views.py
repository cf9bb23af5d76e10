"""Public instrument pages: thin views over instruments.selectors."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from instruments import selectors
from instruments.models import Instrument, instrument_page_scopes
from softlaw.pages import page_context, page_of, public_page
from tracker import charts
from tracker.page_filters import read_filters

# Economies per page of an instrument's matrix: the whole of APEC fits on one.
MATRIX_ROWS = 50


@public_page
def instrument_list(request: HttpRequest) -> HttpResponse:
    filters = read_filters(request, instrument=True)
    rows = selectors.instrument_list(as_of=filters.as_of, instruments=filters.instruments)
    return render(request, "instruments/instrument_list.html", page_context(filters, rows=rows))


# The page shows the catalogue and this instrument's reports only (its figures, matrix, origins
# and series; the years of its series start where its own data does): keyed on its own scope.
@public_page(scopes=instrument_page_scopes)
def instrument_detail(request: HttpRequest, slug: str) -> HttpResponse:
    instrument = get_object_or_404(
        Instrument.objects.select_related("forum__parent", "superseded_by"), slug=slug
    )
    filters = read_filters(request, economy=True)
    profile = selectors.instrument_profile(
        instrument=instrument, as_of=filters.as_of, economies=filters.economies
    )
    # A global tracker's matrix has hundreds of economies: it shows them a page at a time (the
    # figures, the distribution and the trend are over all of them).
    matrix_page = page_of(request, profile.ranking, per_page=MATRIX_ROWS)
    return render(
        request,
        "instruments/instrument_detail.html",
        page_context(
            filters,
            instrument=instrument,
            themes=list(instrument.themes.order_by("name")),
            supersedes=list(instrument.supersedes.order_by("short_name")),
            profile=profile,
            matrix_page=matrix_page,
            matrix_rows=profile.matrix_rows(matrix_page.object_list),
            charts=charts.instrument_charts(instrument=instrument, profile=profile),
        ),
    )
