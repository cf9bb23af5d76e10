"""Scores read from the sums the database keeps: today's, and those at past year-ends.

The sources tracker.scoring.readers chooses among by date, each read in bulk as whole
numbers straight from the cursor (a global tracker has tens of thousands of cells and 100,000s
of year-end rows):

- today: the current-status table, each cell carrying its cell_sums(), summed in one
  aggregate query;
- any other past date: the year-end sums of the year before, plus the cell_sums() of the
  reports that became their cell's status since (read as a range of effective dates), less
  those of the reports they replaced (a range of valid_until), in one query;
- a past 31 December: the year-end sums (tracker.models.YearEndScore), one row per economy,
  instrument and year in which they changed, walked to the sums standing at each year-end.

Each gives the same figures as scoring the statuses cell by cell (the tests hold them to it).
"""

import bisect
import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round

from instruments.models import Commitment, economy_scope_filter
from tracker.models import YEAR_END_ROW, CurrentStatus, StatusReport, YearEndScore
from tracker.scoring.formulas import (
    MAX_POINTS,
    POINTS,
    Score,
    ScoredCommitment,
    score_from_sums,
    score_without_data,
)

# Up to how many economies or instruments the reads below filter in SQL. A few (a page about
# one, a comparison, a filter): only theirs are read. Many: reading every row costs less than
# testing each against a long list, and the rows of the others are passed over in Python.
FEW = 25


def scores_from_current_table(
    *, economy_ids: list[int], instrument_ids: Iterable[int] | None, chosen: bool
) -> dict[tuple[int, int], Score]:
    """Today's scores, the formula summed in the database over the current-status table.

    Gives the same figures as scores_from_statuses() over the same statuses (tested), in one
    aggregate query instead of a pass over every cell in Python: each cell carries its
    cell_sums() as whole numbers, so the database adds them up exactly and divides once.
    """
    cells = CurrentStatus.objects.filter(is_scored=True)
    return _summed(
        cells,
        instrument_field="instrument_id",
        earned=Sum("earned"),
        scored_weight=Sum("scored_weight"),
        scored=Count("earned"),  # "not applicable" is null: covered, not scored
        reports=Sum("reports"),
        economy_ids=economy_ids,
        instrument_ids=instrument_ids,
        chosen=chosen,
    )


# score's parts in SQL, from a report's status and its commitment's weight: the points of the
# status (null when not scored), and weight_units(), hundredths of the weight, rounded first (a
# weight read as a double, 0.29 × 100, is 28.999…).
_POINTS = Case(
    *(When(status=status, then=Value(value)) for status, value in POINTS.items()),
    default=None,
    output_field=IntegerField(),
)
_UNITS = Cast(Round(F("commitment__weight") * 100), IntegerField())


def _score_of(earned, scored_weight) -> Cast:
    """score_from_sums() in SQL: 100 × earned / (3 × weight), whole numbers (exact in a double)
    divided once as doubles: the same correctly rounded figure as Python's; null when the sums
    are (nothing scored)."""
    return Cast(100 * earned, FloatField()) / Cast(MAX_POINTS * scored_weight, FloatField())


# The columns of a pair's sums, as the year-end rows name them (the past-date reader sums them).
SUMMED = ("economy_id", "instrument_id", "earned", "scored_weight", "covered", "scored", "reports")


def scores_on_past_date(
    *,
    as_of: datetime.date,
    economy_ids: list[int],
    instrument_ids: Iterable[int] | None,
    chosen: bool,
    at_year_end: bool,
) -> dict[tuple[int, int], Score]:
    """The scores on a past date: at a year-end (tracker.scoring.readers.source_for says), the
    year-end sums standing then; on any other date, the year-end sums of the year before, plus
    the cells whose status changed since (the reports that became their cell's status after
    that year-end and still were on the date, less those they replaced), read in one query of
    three parts. However late the date, it reads one year's changes, not the whole history.

    With YE the year-end before the date D, a report current on D and not on YE took effect
    in (YE, D] and was not replaced by D; a report current on YE and not on D took effect by YE
    and was replaced in (YE, D]. Each cell's cell_sums() are worked out in SQL from its status
    and its commitment's weight as whole numbers, as the year-end sums are, so the figures are
    those of scoring the statuses current on the date cell by cell (tested)."""
    totals = _commitment_totals(instrument_ids)
    few_instruments = instrument_ids is not None and len(totals) <= FEW
    few_economies = chosen and len(economy_ids) <= FEW
    current = Q(effective_date__lte=as_of) & (
        Q(valid_until__isnull=True) | Q(valid_until__gt=as_of)
    )
    if at_year_end:
        year_end, changes = as_of, ()
    elif as_of.year > datetime.MINYEAR:
        year_end = datetime.date(as_of.year - 1, 12, 31)
        changes = (
            (1, current & Q(effective_date__gt=year_end)),
            (-1, Q(effective_date__lte=year_end, valid_until__gt=year_end, valid_until__lte=as_of)),
        )
    else:  # no year-end before the calendar's first year: every status on the date is new
        year_end, changes = None, ((1, current),)

    # What each pair stood on at the year-end (its latest row by then), then each change
    # added or taken away, summed in the database: the same shape as the other readers' rows.
    parts = []
    if year_end is not None:
        standing = _latest_of_each_pair(YearEndScore.objects.all(), up_to=year_end.year)
        if few_instruments:
            standing = standing.filter(instrument_id__in=list(totals))
        if few_economies:
            standing = standing.filter(economy_id__in=economy_ids)
        parts.append(standing.values_list(*SUMMED))
    for sign, changed in changes:
        cells = StatusReport.objects.published().filter(
            changed, economy_scope_filter("commitment__")
        )
        if few_instruments:
            cells = cells.filter(commitment__instrument_id__in=list(totals))
        if few_economies:
            cells = cells.filter(economy_id__in=economy_ids)
        parts.append(
            # Named as the year-end rows' columns (SUMMED), whichever part comes first.
            cells.order_by()
            .values("economy_id", instrument_id=F("commitment__instrument_id"))
            .annotate(
                earned=sign * Coalesce(Sum(_POINTS * _UNITS), 0),
                scored_weight=sign
                * Coalesce(Sum(Case(When(status__in=list(POINTS), then=_UNITS))), 0),
                covered=sign * Count("*"),
                scored=sign * Count(_POINTS),
                reports=sign * Sum("cell_position"),
            )
            .values_list(*SUMMED)
        )
    union = parts[0].union(*parts[1:], all=True)
    try:
        sql, params = union.query.sql_with_params()
    except EmptyResultSet:  # no economy or no instrument asked for: nothing to add up
        return _scores([], totals=totals, economy_ids=economy_ids)
    connection = connections[union.db]
    economy, instrument, earned, weight, covered, scored, reports = map(
        connection.ops.quote_name, SUMMED
    )
    double, whole = FloatField().db_type(connection), BigIntegerField().db_type(connection)
    # _score_of() written out in the outer SQL (NULLIF: no scored weight, no score); a pair
    # whose cells all changed away is covered by none (no data).
    summed = (
        f"SELECT {economy}, {instrument}, "
        f"CAST(100 * SUM({earned}) AS {double}) "
        f"/ NULLIF(CAST({MAX_POINTS} * SUM({weight}) AS {double}), 0), "
        f"CAST(SUM({covered}) AS {whole}), CAST(SUM({scored}) AS {whole}), "
        f"CAST(SUM({reports}) AS {whole}) "
        f"FROM ({sql}) changes GROUP BY {economy}, {instrument} HAVING SUM({covered}) > 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(summed, params)
        rows = cursor.fetchall()
    return _scores(rows, totals=totals, economy_ids=economy_ids)


def _summed(
    cells: QuerySet,
    *,
    instrument_field: str,
    earned,
    scored_weight,
    scored,
    reports,
    economy_ids: list[int],
    instrument_ids: Iterable[int] | None,
    chosen: bool,
) -> dict[tuple[int, int], Score]:
    """The scores of the cells, grouped by (economy, instrument) and summed in one query: each
    cell's earned points and scored weight in hundredths, how many cells are covered and
    scored, and how many published reports stand behind them."""
    totals = _commitment_totals(instrument_ids)
    if instrument_ids is not None and len(totals) <= FEW:
        cells = cells.filter(**{f"{instrument_field}__in": list(totals)})
    if chosen and len(economy_ids) <= FEW:
        cells = cells.filter(economy_id__in=economy_ids)
    aggregate = (
        cells.order_by()
        .values("economy_id", instrument_field)
        .annotate(
            score=_score_of(earned, scored_weight),  # null when nothing is scored
            covered=Count("*"),  # COUNT(*): the covering index has all the aggregate reads
            scored_cells=scored,
            sum_reports=reports,
        )
        .values_list(
            "economy_id", instrument_field, "score", "covered", "scored_cells", "sum_reports"
        )
    )
    return _scores(_fetch(aggregate), totals=totals, economy_ids=economy_ids)


def _commitment_totals(instrument_ids: Iterable[int] | None) -> dict[int, int]:
    """How many economy-scope commitments each instrument (of those asked for) has: the
    instruments that have a score."""
    commitments = Commitment.objects.economy_scope()
    if instrument_ids is not None:
        commitments = commitments.filter(instrument_id__in=list(instrument_ids))
    return dict(
        commitments.order_by()
        .values("instrument_id")
        .annotate(n=Count("pk"))
        .values_list("instrument_id", "n")
    )


def _fetch(qs: QuerySet) -> list[tuple]:
    """The rows of a query of numbers only, straight from the cursor, without the ORM's
    per-value converters (a global tracker has tens of thousands of these rows)."""
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # no economy or no instrument asked for: nothing to add up
        return []
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _scores(
    rows: Iterable[tuple], *, totals: dict[int, int], economy_ids: list[int]
) -> dict[tuple[int, int], Score]:
    """One Score per (economy, instrument, score, covered, scored, reports) row of the
    economies asked for, then one for every other pair: nothing covered. Keyed (economy,
    instrument); no caller relies on the order."""
    wanted = set(economy_ids)
    result: dict[tuple[int, int], Score] = {}
    # Built as the tuple it is, in Score's field order (economy, instrument, score, coverage,
    # commitments, covered, scored, reports): a quarter of the cost of naming each field, over
    # the tens of thousands of cells of a global tracker.
    make = tuple.__new__
    for economy_id, instrument_id, score, covered, scored_count, reports_count in rows:
        total = totals.get(instrument_id)
        if total is None or economy_id not in wanted:
            continue
        result[(economy_id, instrument_id)] = make(
            Score,
            (
                economy_id,
                instrument_id,
                score,
                covered / total,
                total,
                covered,
                scored_count,
                reports_count,
            ),
        )
    if len(result) < len(wanted) * len(totals):
        for economy_id in economy_ids:
            for instrument_id, total in totals.items():
                if (economy_id, instrument_id) not in result:
                    result[(economy_id, instrument_id)] = score_without_data(
                        economy_id=economy_id, instrument_id=instrument_id, commitments=total
                    )
    return result


# --- year-end sums ------------------------------------------------------------------------------


# The sums as the walk hands them out: the cursor's own tuples (a global tracker has 100,000s of
# year-end rows, and a named tuple each would triple the walk's cost), always unpacked into names.
YearEndSums = tuple[int, int, int, int, int]  # earned, scored weight, covered, scored, reports


def scores_at_year_ends(
    *, years: Sequence[int], economy_ids: list[int], commitments: Sequence[ScoredCommitment]
) -> dict[tuple[int, int], list[tuple[int, Score]]]:
    """Score of each economy on each instrument of the commitments at the end of each of the
    years (sorted), from the year-end sums: {(economy_id, instrument_id): [(year, Score), …]}."""
    totals: dict[int, int] = defaultdict(int)
    for commitment in commitments:
        totals[commitment.instrument_id] += 1
    walked = (
        dict(year_end_walk(years=years, economy_ids=economy_ids, instrument_ids=list(totals)))
        if years
        else {}
    )
    nothing = [None] * len(years)
    return {
        (economy_id, instrument_id): [
            (year, _score_of_sums(economy_id, instrument_id, total, sums))
            for year, sums in zip(
                years, walked.get((economy_id, instrument_id), nothing), strict=True
            )
        ]
        for economy_id in economy_ids
        for instrument_id, total in totals.items()
    }


def _score_of_sums(
    economy_id: int, instrument_id: int, commitments: int, sums: YearEndSums | None
) -> Score:
    if sums is None:  # before the pair's first report
        return score_without_data(
            economy_id=economy_id, instrument_id=instrument_id, commitments=commitments
        )
    earned, scored_weight, covered, scored, reports = sums
    return Score(
        economy_id=economy_id,
        instrument_id=instrument_id,
        score=score_from_sums(earned, scored_weight) if scored else None,
        coverage=covered / commitments,
        commitments=commitments,
        covered=covered,
        scored=scored,
        reports=reports,
    )


def year_end_walk(
    *, years: list[int], economy_ids: list[int], instrument_ids: list[int]
) -> Iterator[tuple[tuple[int, int], list[YearEndSums | None]]]:
    """For each (economy, instrument) pair among those asked that has year-end sums, the sums
    standing at the end of each of the years (sorted), None before its first report:
    ((economy_id, instrument_id), [sums or None, …])."""
    if not economy_ids or not instrument_ids:
        return
    qs = YearEndScore.objects.filter(year__lte=years[-1])
    if len(instrument_ids) <= FEW:
        qs = qs.filter(instrument_id__in=instrument_ids)
    if len(economy_ids) <= FEW:
        qs = qs.filter(economy_id__in=economy_ids)
    if len(years) == 1:  # one row a pair
        qs = _latest_of_each_pair(qs, up_to=years[0])
    else:
        qs = qs.order_by("economy_id", "instrument_id", "year")
    qs = qs.values_list(*YEAR_END_ROW)
    # Whole numbers only: straight from the cursor (a global tracker has 100,000s of rows).
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    yield from _standing_at_year_ends(
        rows,
        years=years,
        economy_ids=set(economy_ids),
        instrument_ids=set(instrument_ids),
    )


def year_end_scores(
    *, years: Sequence[int], economy_ids: list[int], instrument_ids: list[int]
) -> dict[int, list[list[float]]]:
    """The scores the economies had on each instrument at the end of each of the years
    (sorted): {instrument_id: [[score of each economy that had one] for each year]}, for the
    regional figures over time. Each year-end row's score is worked out in SQL (as today's
    are, _summed()) and stands from its year until the pair's next row, so the rows are read
    once and never walked year by year in Python (a global tracker has 100,000s of them)."""
    by_instrument: dict[int, list[list[float]]] = {
        instrument_id: [[] for _ in years] for instrument_id in instrument_ids
    }
    if not years or not economy_ids or not instrument_ids:
        return by_instrument
    qs = YearEndScore.objects.filter(year__lte=years[-1])
    if len(instrument_ids) <= FEW:
        qs = qs.filter(instrument_id__in=instrument_ids)
    if len(economy_ids) <= FEW:
        qs = qs.filter(economy_id__in=economy_ids)
    qs = (
        qs.order_by("economy_id", "instrument_id", "year")
        .annotate(
            score=Case(
                When(scored__gt=0, then=_score_of(F("earned"), F("scored_weight"))),
                output_field=FloatField(),
            )
        )
        .values_list("economy_id", "instrument_id", "year", "score")
    )
    wanted_economies = set(economy_ids)

    def stand(columns, score, first: int, until: int | None = None) -> None:
        # A row's score at the year-ends from the first on or after its year to the next row's.
        if columns is not None and score is not None:
            for column in columns[first:until]:
                column.append(score)

    pair, columns, first, score = None, None, 0, None
    for economy_id, instrument_id, year, row_score in _fetch(qs):
        start = bisect.bisect_left(years, year)
        if (economy_id, instrument_id) == pair:
            stand(columns, score, first, start)
        else:  # the pair before: its last row stands to the last year-end
            stand(columns, score, first)
            pair = (economy_id, instrument_id)
            columns = by_instrument.get(instrument_id) if economy_id in wanted_economies else None
        first, score = start, row_score
    stand(columns, score, first)
    return by_instrument


def _latest_of_each_pair(qs: QuerySet[YearEndScore], *, up_to: int) -> QuerySet[YearEndScore]:
    """The latest row of each pair by the end of a year: what it stood on then, without the
    years before (a global tracker's late year-end would otherwise read every earlier row of
    every pair). On PostgreSQL, DISTINCT ON read backwards along the pair's unique index;
    elsewhere, the rows with no later one by then."""
    qs = qs.filter(year__lte=up_to)
    if connections[qs.db].features.can_distinct_on_fields:
        newest_first = ("-economy_id", "-instrument_id", "-year")
        return qs.order_by(*newest_first).distinct("economy_id", "instrument_id")
    later = YearEndScore.objects.filter(
        economy_id=OuterRef("economy_id"),
        instrument_id=OuterRef("instrument_id"),
        year__gt=OuterRef("year"),
        year__lte=up_to,
    )
    return qs.filter(~Exists(later)).order_by()


def _standing_at_year_ends(rows, *, years, economy_ids, instrument_ids):
    """year_end_walk() over the rows read, in order of economy, instrument and year."""
    pair, per_year, standing, year_ends, year_end = None, None, None, iter(()), None
    for economy_id, instrument_id, year, earned, scored_weight, covered, scored, reports in rows:
        if (economy_id, instrument_id) != pair:
            if per_year is not None:
                yield pair, _until_the_last(per_year, standing, len(years))
            pair = (economy_id, instrument_id)
            wanted = economy_id in economy_ids and instrument_id in instrument_ids
            per_year, standing = ([] if wanted else None), None
            year_ends = iter(years)
            year_end = next(year_ends)
        if per_year is None:
            continue
        # The year-ends before this row's year stand on the sums before it.
        while year_end is not None and year_end < year:
            per_year.append(standing)
            year_end = next(year_ends, None)
        standing = (earned, scored_weight, covered, scored, reports)
    if per_year is not None:
        yield pair, _until_the_last(per_year, standing, len(years))


def _until_the_last(
    per_year: list[YearEndSums | None], standing: YearEndSums | None, years: int
) -> list[YearEndSums | None]:
    """The year-ends after a pair's last row stand on its last sums."""
    per_year.extend([standing] * (years - len(per_year)))
    return per_year
