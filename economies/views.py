"""Public economy pages: thin views over economies.selectors."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from economies import selectors
from economies.models import Economy
from softlaw.pages import page_context, page_of, public_page
from tracker import charts
from tracker.page_filters import opened_instrument, read_filters
from tracker.selectors import scored_instruments

# Commitments per page of an instrument opened alone (a global tracker's economy page): what a
# person reads; a regional tracker's instruments fit on one.
INSTRUMENT_ROWS = 50


@public_page
def economy_list(request: HttpRequest) -> HttpResponse:
    filters = read_filters(request, economy=True)
    listing = selectors.economy_list(as_of=filters.as_of, economies=filters.economies)
    return render(request, "economies/economy_list.html", page_context(filters, listing=listing))


@public_page
def economy_detail(request: HttpRequest, code: str) -> HttpResponse:
    economy = get_object_or_404(Economy, code=code.upper())
    filters = read_filters(request, instrument=True, opens=True)
    instruments = scored_instruments(instruments=filters.instruments)
    opened = opened_instrument(filters, instruments)
    # Years of history make thousands of reports: the timeline shows them a page at a time.
    timeline = page_of(
        request,
        selectors.economy_timeline(economy=economy, instruments=instruments, as_of=filters.as_of),
        per_page=selectors.TIMELINE_ROWS,
    )
    # A global tracker's page opens one instrument at a time, a page of its commitments each.
    profile = selectors.economy_profile(
        economy=economy,
        instruments=instruments,
        as_of=filters.as_of,
        opened=opened,
        rows_page=lambda lines: page_of(
            request, lines, per_page=INSTRUMENT_ROWS, parameter="instrument_page"
        ),
    )
    return render(
        request,
        "economies/economy_detail.html",
        page_context(
            filters,
            economy=economy,
            profile=profile,
            score_chart=charts.economy_score_chart(economy=economy, profile=profile),
            timeline=timeline,
            entries=selectors.timeline_entries(timeline.object_list, as_of=filters.as_of),
            withdrawn=selectors.withdrawn_reports(
                economy=economy, instruments=instruments, as_of=filters.as_of
            ),
        ),
    )
