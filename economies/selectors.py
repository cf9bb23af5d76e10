"""Reads for the economy pages; every figure comes from tracker.scoring."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.core.paginator import Page
from django.db.models import F, Min, QuerySet, Window
from django.db.models.functions import Lag, RowNumber

from economies.commitment_rows import (
    NEWEST_FIRST,
    CommitmentLine,
    CommitmentRow,
    commitment_rows,
    placed_in_timeline,
)
from economies.models import Economy
from instruments.models import Commitment, Instrument
from tracker import roles, scoring
from tracker.markup import public_url
from tracker.models import CURRENT_ORDER, STATEMENT_FIELDS, ReviewState, StatusReport
from tracker.selectors import (
    EVERY_ROW_UP_TO,
    Update,
    economies_shown,
    scored_instruments,
    today_or,
)


def subregions() -> list[str]:
    """The sub-regions economies belong to, for the filter's choices."""
    return list(
        Economy.objects.exclude(subregion="")
        .order_by("subregion")
        .values_list("subregion", flat=True)
        .distinct()
    )


# --- /economies/ ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EconomyRow:
    economy: Economy
    instruments_scored: int  # instruments on which the economy has a score
    coverage: float | None  # share of all economy-scope commitments with a published status
    covered: int
    commitments: int
    latest: datetime.date | None  # latest effective date of a current status
    overdue: int  # current statuses past their target date


@dataclass(frozen=True)
class EconomyList:
    instruments: int
    rows: list[EconomyRow]


def economy_list(
    *, as_of: datetime.date | None = None, economies: QuerySet[Economy] | None = None
) -> EconomyList:
    economy_list = economies_shown(economies=economies)
    ids = [e.pk for e in economy_list]
    instrument_ids = [i.pk for i in scored_instruments()]
    # Scores, latest statuses and overdue counts, each summed in the database: no walk over
    # every cell of a global tracker.
    region = scoring.region_scores(as_of=as_of, economy_ids=ids, instrument_ids=instrument_ids)
    activity = scoring.economies_activity(
        as_of=as_of, economy_ids=ids, instrument_ids=instrument_ids
    )
    by_economy: dict[int, list[scoring.Score]] = defaultdict(list)
    for (economy_id, _), score in region.scores.items():
        by_economy[economy_id].append(score)
    rows = []
    for economy in economy_list:
        own = by_economy[economy.pk]
        latest, overdue = activity.get(economy.pk, (None, 0))
        rows.append(
            EconomyRow(
                economy=economy,
                instruments_scored=sum(1 for s in own if s.has_data),
                coverage=scoring.coverage_overall(own),
                covered=sum(s.covered for s in own),
                commitments=sum(s.commitments for s in own),
                latest=latest,
                overdue=overdue,
            )
        )
    return EconomyList(len(instrument_ids), rows)


# --- /economies/<code>/ --------------------------------------------------------------------------

# Up to EVERY_ROW_UP_TO commitments in all (tracker.selectors.shown), an economy's page lists
# every one under its instrument; above it, each instrument opens on demand (?instrument=).
# Reports per page of an economy's timeline: a regional tracker's longest fits on one.
TIMELINE_ROWS = 50


@dataclass(frozen=True)
class InstrumentSection:
    instrument: Instrument
    score: scoring.Score
    regional: scoring.RegionalFigures
    commitments: list[CommitmentRow]  # the rows shown: none while the instrument is closed
    series: list[tuple[int, scoring.Score]]
    is_open: bool = True
    rows_page: Page | None = None  # the page of its rows, when opened alone and paged


@dataclass(frozen=True)
class EconomyProfile:
    economy: Economy
    sections: list[InstrumentSection]
    years: list[int]
    every_row: bool = True  # every instrument open (at most EVERY_ROW_UP_TO commitments in all)
    opened: Instrument | None = None  # the instrument opened alone, when not every_row

    @cached_property
    def commitment_count(self) -> int:
        """The economy-scope commitments of the instruments shown."""
        return sum(section.score.commitments for section in self.sections)

    @cached_property
    def charted(self) -> list[InstrumentSection]:
        """Instruments on which the economy had a score in some year: the others would draw
        an empty line and a column of 'no data'."""
        return [s for s in self.sections if any(score.has_data for _y, score in s.series)]

    @cached_property
    def uncharted(self) -> list[InstrumentSection]:
        charted = {id(s) for s in self.charted}
        return [s for s in self.sections if id(s) not in charted]

    @cached_property
    def series_table(self) -> list[tuple[int, list[scoring.Score]]]:
        """The score over time as table rows: each year with one score per charted instrument."""
        charted = self.charted
        return [
            (year, [section.series[i][1] for section in charted])
            for i, year in enumerate(self.years)
        ]


def _reports_shown(
    *, economy: Economy, instruments: list[Instrument], as_of: datetime.date | None
) -> QuerySet[StatusReport]:
    """The economy's published reports in force by the date, on the instruments shown."""
    return (
        StatusReport.objects.published()
        .effective_by(as_of)
        .filter(economy=economy, commitment__instrument__in=[i.pk for i in instruments])
    )


def economy_timeline(
    *, economy: Economy, instruments: list[Instrument], as_of: datetime.date | None = None
) -> QuerySet[StatusReport]:
    """The timeline of the economy's published reports, newest first, each with the status it
    replaced on its commitment (`previous_status`, None for the first) and who entered it, by
    role (`entered_by_officer`, `economy_name`): a page of it is one query however long the
    history."""
    return (
        roles.with_entered_by(_reports_shown(economy=economy, instruments=instruments, as_of=as_of))
        .select_related("commitment__instrument")
        # What an entry shows: every row of the history goes through the window's sort.
        .only(
            *STATEMENT_FIELDS,
            "published_at",
            "commitment__code",
            "commitment__instrument__short_name",
        )
        .annotate(
            # The report just before on the same cell, in the order scoring replays them.
            previous_status=Window(
                Lag("status"),
                partition_by=[F("commitment_id")],
                order_by=[F(name).asc() for name in CURRENT_ORDER],
            )
        )
        .order_by(*NEWEST_FIRST)
    )


def _withdrawn_shown(
    *, economy: Economy, instruments: list[Instrument], as_of: datetime.date | None
) -> QuerySet[StatusReport]:
    """The economy's reports withdrawn after publication, on the instruments shown, in force
    by the date: listed apart from the timeline, all at once."""
    return (
        StatusReport.objects.filter(review_state=ReviewState.WITHDRAWN)
        .effective_by(as_of)
        .filter(economy=economy, commitment__instrument__in=[i.pk for i in instruments])
    )


def withdrawn_reports(
    *, economy: Economy, instruments: list[Instrument], as_of: datetime.date | None = None
) -> list[StatusReport]:
    """The economy's reports withdrawn after publication, newest first: out of every figure and
    list, shown only in the cell's public history, marked withdrawn with the reason."""
    return list(
        _withdrawn_shown(economy=economy, instruments=instruments, as_of=as_of)
        .select_related("commitment__instrument")
        .only(
            "status",
            "effective_date",
            "origin",
            "assessor",
            "assessed_on",
            "withdrawn_reason",
            "withdrawn_at",
            "commitment__code",
            "commitment__instrument__short_name",
        )
        .order_by(*NEWEST_FIRST)
    )


def timeline_entries(
    reports: Iterable[StatusReport], *, as_of: datetime.date | None = None
) -> list[Update]:
    """A page of economy_timeline() as updates, each flagged when overdue on the view's date."""
    day = today_or(as_of)
    return [
        Update(
            report,
            report.previous_status,
            scoring.is_overdue(status=report.status, target_date=report.target_date, today=day),
        )
        for report in reports
    ]


def economy_profile(
    *,
    economy: Economy,
    instruments: list[Instrument],
    as_of: datetime.date | None = None,
    opened: Instrument | None = None,
    rows_page: Callable[[list[CommitmentLine]], Page] | None = None,
) -> EconomyProfile:
    """Scores beside the regional figures, the commitments with their current report and what
    full implementation would change, and the score over time, on the instruments shown
    (scored ones: tracker.selectors.scored_instruments).

    Up to EVERY_ROW_UP_TO commitments in all, every instrument lists its commitments. Above it,
    only the `opened` one does (none by default), a page of them at a time: `rows_page` cuts
    its commitments into the page shown. The statuses, reports and origins read are then those
    of that instrument only, so the page costs the same however many instruments there are.
    """
    instrument_ids = [i.pk for i in instruments]
    # The region's scores (for its figures, the economy's own scores, and what full
    # implementation would change) are summed by the scoring module; only the rows shown read
    # the economy's statuses one by one.
    region = scoring.region_scores(as_of=as_of, instrument_ids=instrument_ids)
    every_row = (
        sum(region.score_of(economy.pk, pk).commitments for pk in instrument_ids) <= EVERY_ROW_UP_TO
    )
    if every_row:
        open_ids = instrument_ids
    else:
        open_ids = [opened.pk] if opened is not None and opened.pk in instrument_ids else []
    shown = _reports_shown(economy=economy, instruments=instruments, as_of=as_of)

    day = today_or(as_of)
    first = shown.aggregate(first=Min("effective_date"))["first"]
    years = list(range(first.year, day.year + 1)) if first else []
    series = scoring.score_series(
        years=years, economy_ids=[economy.pk], instrument_ids=instrument_ids, until=day
    )

    rows: dict[int, list[CommitmentRow]] = defaultdict(list)
    page = None
    if open_ids:
        lines = list(
            map(
                CommitmentLine._make,
                Commitment.objects.economy_scope()
                .filter(instrument_id__in=open_ids)
                .order_by("order", "code")
                .values_list(*CommitmentLine._fields),
            )
        )
        if not every_row and rows_page is not None:
            page = rows_page(lines)
            lines = list(page.object_list)
        for line, row in zip(
            lines,
            commitment_rows(
                economy=economy,
                lines=lines,
                instrument_ids=open_ids,
                shown=shown,
                region=region,
                as_of=as_of,
            ),
            strict=True,
        ):
            rows[line.instrument_id].append(row)
    sections = [
        InstrumentSection(
            instrument,
            region.scores[(economy.pk, instrument.pk)],
            region.figures_of(instrument.pk),
            rows[instrument.pk],
            series.get((economy.pk, instrument.pk), []),
            is_open=instrument.pk in open_ids,
            rows_page=page if instrument.pk in open_ids else None,
        )
        for instrument in instruments
    ]
    return EconomyProfile(
        economy, sections, years, every_row=every_row, opened=None if every_row else opened
    )


# --- /reports/<pk>/ ------------------------------------------------------------------------------


def report_address(*, report: StatusReport, as_of: datetime.date | None = None) -> str | None:
    """The address of the economy's page, at the date, on which the report is shown (its
    anchor, #report-<pk>, included); None when that page does not show it (a report not
    published, not in force by the date, or on no scored instrument).

    The page is the economy's page without filters, as economy_detail shows it: its timeline
    lists the published reports 50 a page (TIMELINE_ROWS), and its withdrawn reports all at once.
    A report on the timeline's first page, or (when the page lists every commitment) the current
    report of its commitment, whose evidence cell carries its anchor, is on the page's own
    address; any other on the page of the timeline that holds it (?as_of=…&page=N, as the
    page's own links write it). Four queries, however long the timeline.
    """
    economy = report.economy
    instruments = scored_instruments()
    if report.review_state == ReviewState.WITHDRAWN:
        shown = (
            _withdrawn_shown(economy=economy, instruments=instruments, as_of=as_of)
            .filter(pk=report.pk)
            .exists()
        )
        return _economy_address(economy, as_of=as_of, anchor=report.pk) if shown else None
    placed = list(
        placed_in_timeline(
            _reports_shown(economy=economy, instruments=instruments, as_of=as_of),
            [report.pk],
            # 1 for the report each commitment stands on (the current-status rule).
            cell_rank=Window(RowNumber(), partition_by=[F("commitment_id")], order_by=NEWEST_FIRST),
        ).values_list("position", "cell_rank")
    )
    if not placed:
        return None
    position, cell_rank = placed[0]
    # economy_profile's rule: the page lists every economy-scope commitment of its instruments
    # when they are few enough (the count its scores are out of).
    every_row = (
        Commitment.objects.economy_scope().filter(instrument_id__in=[i.pk for i in instruments])
    ).count() <= EVERY_ROW_UP_TO
    if every_row and cell_rank == 1 and report.commitment.scope == Commitment.Scope.ECONOMY:
        page = 1  # its commitment's row carries its anchor
    else:
        page = (position - 1) // TIMELINE_ROWS + 1
    return _economy_address(economy, as_of=as_of, page=page, anchor=report.pk)


def _economy_address(
    economy: Economy, *, as_of: datetime.date | None, anchor: int, page: int = 1
) -> str:
    query = {"as_of": as_of.isoformat()} if as_of else {}
    if page > 1:
        query["page"] = str(page)
    return (
        public_url("economy_detail", economy.code)
        + (f"?{urlencode(query)}" if query else "")
        + f"#report-{int(anchor)}"
    )
