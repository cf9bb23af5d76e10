"""Public pages of the tracker: thin views over tracker.selectors (figures from tracker.scoring).

Every page takes ?as_of=YYYY-MM-DD (the page as it stood on that date) and the filters that make
sense for it; a bad value is a 400 with a message that says what is wrong, never a 500.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse

from economies.selectors import report_address
from softlaw import clock, numbers
from softlaw.pages import BadParameter, page_context, page_of, public_page
from tracker import charts, reference, rounds, scoring, selectors
from tracker.filtersets import CompareFilterSet, RegionFilterSet, TrendsFilterSet
from tracker.models import ReportingRound, Status, StatusReport
from tracker.page_filters import page_filters, read_filters

# Economies per page of the dashboard's heatmap: the whole of APEC fits on one.
HEATMAP_ROWS = 30


# --- pages ---------------------------------------------------------------------------------------


@public_page
def home(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, RegionFilterSet)
    map_slug = request.GET.get("map", "").strip() or None
    try:
        dashboard = selectors.dashboard_for_region(
            as_of=filters.as_of,
            economies=filters.economies,
            instruments=filters.instruments,
            map_slug=map_slug,
        )
    except LookupError:
        raise BadParameter(
            f"map must be the short name of a scored instrument on this page, "
            f"not {map_slug[:40]!r}."
        ) from None
    # A global tracker has hundreds of economies: the table shows them a page at a time (every
    # figure above and below it is over all of them).
    heatmap_page = page_of(request, dashboard.heatmap.economies, per_page=HEATMAP_ROWS)
    return render(
        request,
        "tracker/home.html",
        page_context(
            filters,
            dashboard=dashboard,
            heatmap=dashboard.heatmap,
            heatmap_page=heatmap_page,
            heatmap_rows=selectors.heatmap_rows(
                dashboard.heatmap, economies=heatmap_page.object_list, as_of=filters.as_of
            ),
            today=selectors.today_or(filters.as_of),
            map_slug=map_slug,
            # Today's page only: a past view shows no call for reports.
            open_rounds=(
                [] if filters.as_of else list(rounds.open_rounds().order_by("deadline", "name"))
            ),
        ),
    )


@public_page
def compare(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, CompareFilterSet)
    chosen = filters.filterset.economies_asked()
    comparison = (
        selectors.comparison_for(
            economies=chosen, as_of=filters.as_of, instruments=filters.instruments
        )
        if chosen
        else None
    )
    return render(
        request,
        "tracker/compare.html",
        page_context(
            filters,
            comparison=comparison,
            everyone=filters.filterset.economies_offered(),
            chosen=chosen,
        ),
    )


@public_page
def trends(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, TrendsFilterSet)
    result = selectors.trends_for_region(
        as_of=filters.as_of, economies=filters.economies, instruments=filters.instruments
    )
    return render(
        request,
        "tracker/trends.html",
        page_context(filters, trends=result, charts=charts.trends_charts(result)),
    )


@public_page
def methodology(request: HttpRequest) -> HttpResponse:
    filters = read_filters(request)
    scale = [(choice.value, choice.label, scoring.POINTS.get(choice.value)) for choice in Status]
    # A worked example, computed by the scoring module itself: four commitments of weight 1 —
    # one implemented, one partial, one not applicable and one with no published report.
    example = scoring.score_compute(
        statuses=[
            (Status.IMPLEMENTED, 1),
            (Status.PARTIAL, 1),
            (Status.NOT_APPLICABLE, 1),
        ],
        commitments=4,
    )
    regional_example = scoring.regional_compute([100.0, 50.0, 0.0, None])
    return render(
        request,
        "tracker/methodology.html",
        page_context(
            filters,
            origins=selectors.reports_by_origin(),
            # Written by the reference data's build script beside the data it describes.
            rules=reference.rules_read(),
            sources=reference.sources_read(),
            number_examples=[
                (value, digits, numbers.number(value, digits))
                for value, digits in ((62.5, 0), (0.05, 1), (99.95, 1), (2.675, 2))
            ],
            scale=scale,
            max_points=scoring.MAX_POINTS,
            example=example,
            regional_example=regional_example,
            bands=scoring.SCORE_BANDS,
        ),
    )


def _download_url(dataset: str, fmt: str) -> str:
    try:
        return reverse("data_download", kwargs={"dataset": dataset, "fmt": fmt})
    except NoReverseMatch:  # served by the exports; linked by path until its route exists
        return f"/data/download/{dataset}.{fmt}"


@public_page
def data(request: HttpRequest) -> HttpResponse:
    filters = read_filters(request)
    downloads = [
        (
            dataset,
            description,
            [(fmt.upper(), _download_url(dataset, fmt)) for fmt in ("csv", "xlsx")],
        )
        for dataset, description in (
            (
                "status",
                "Current status of every economy on every commitment (as of the date shown), "
                "with evidence and sources.",
            ),
            (
                "reports",
                "Every published status report (in force on the date shown): the full "
                "history, one report a row.",
            ),
        )
    ]
    return render(
        request,
        "tracker/data.html",
        page_context(
            filters,
            downloads=downloads,
            api_root="/api/v1/",
            api_docs="/api/v1/docs/",
            api_schema="/api/v1/schema/",
            debug=settings.DEBUG,
        ),
    )


@public_page
def updates(request: HttpRequest) -> HttpResponse:
    filters = read_filters(request, economy=True, instrument=True, origin=True)
    page = page_of(
        request,
        filters.reports(
            selectors.updates_queryset(
                as_of=filters.as_of, economies=filters.economies, instruments=filters.instruments
            )
        ),
        per_page=50,
    )
    entries = selectors.updates_with_previous(list(page.object_list), as_of=filters.as_of)
    return render(
        request,
        "tracker/updates.html",
        page_context(filters, page=page, entries=entries),
    )


# A redirect, which the page cache would not keep: it goes past it.
@public_page(cached=False)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A permanent link to one report: to the economy's page (at ?as_of=) where it is shown."""
    filters = read_filters(request)
    report = get_object_or_404(StatusReport.objects.select_related("economy", "commitment"), pk=pk)
    address = report_address(report=report, as_of=filters.as_of)
    if address is None:
        raise Http404("No published report in force by this date has this number.")
    return HttpResponseRedirect(address)


@public_page
def round_list(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    listed = [
        (round, rounds.round_state(round, on=today))
        for round in ReportingRound.objects.order_by("-opens_on", "name")
    ]
    return render(request, "tracker/round_list.html", {"rounds": listed, "as_of": None})


@public_page
def round_detail(request: HttpRequest, slug: str) -> HttpResponse:
    round = get_object_or_404(ReportingRound, slug=slug)
    progress = rounds.round_progress(round=round)
    return render(
        request,
        "tracker/round_detail.html",
        {
            "round": round,
            "progress": progress,
            "instruments": list(round.instruments.order_by("short_name")),
            "as_of": None,
        },
    )
