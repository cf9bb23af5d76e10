"""Scores read from the sums the database keeps: today's, and those at past year-ends.

Two of the sources tracker.scoring.readers chooses among by date, each read in bulk as whole
numbers straight from the cursor (a global tracker has tens of thousands of cells and 100,000s
of year-end rows):

- today: the current-status table, each cell carrying its cell_sums(), summed in one
  aggregate query;
- a past 31 December: the year-end sums (tracker.models.YearEndScore), one row per economy,
  instrument and year in which they changed, walked to the sums standing at each year-end.

Both give the same figures as scoring the statuses cell by cell (the tests hold them to it).
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, FloatField, Sum
from django.db.models.functions import Cast

from instruments.models import Commitment
from tracker.models import CurrentStatus, YearEndScore
from tracker.scoring.formulas import (
    MAX_POINTS,
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
    commitments = Commitment.objects.economy_scope()
    cells = CurrentStatus.objects.filter(is_scored=True)
    if instrument_ids is not None:
        instrument_ids = list(instrument_ids)
        commitments = commitments.filter(instrument_id__in=instrument_ids)
        if len(instrument_ids) <= FEW:
            cells = cells.filter(instrument_id__in=instrument_ids)
    if chosen and len(economy_ids) <= FEW:
        cells = cells.filter(economy_id__in=economy_ids)
    totals = dict(
        commitments.order_by()
        .values("instrument_id")
        .annotate(n=Count("pk"))
        .values_list("instrument_id", "n")
    )
    aggregate = (
        cells.order_by()
        .values("economy_id", "instrument_id")
        .annotate(
            # score_from_sums() in SQL: 100 × earned / (3 × weight), whole numbers (exact in a
            # double) divided once as doubles: the same correctly rounded figure as Python's;
            # null when nothing is scored (both sums null).
            score=Cast(100 * Sum("earned"), FloatField())
            / Cast(MAX_POINTS * Sum("scored_weight"), FloatField()),
            covered=Count("*"),  # COUNT(*): the covering index has all the aggregate reads
            scored=Count("earned"),  # "not applicable" is null: covered, not scored
            sum_reports=Sum("reports"),
        )
        .values_list("economy_id", "instrument_id", "score", "covered", "scored", "sum_reports")
    )
    # Numbers only: read straight from the cursor, without the ORM's per-value converters (a
    # global tracker has tens of thousands of these rows).
    try:
        sql, params = aggregate.query.sql_with_params()
    except EmptyResultSet:  # no economy or no instrument asked for: nothing to add up
        rows = []
    else:
        with connections[aggregate.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    # One Score per row the database summed (of the economies asked for), then one for every
    # other pair: nothing covered. Keyed (economy, instrument); no caller relies on the order.
    wanted = set(economy_ids)
    result: dict[tuple[int, int], Score] = {}
    for economy_id, instrument_id, score, covered, scored, reports in rows:
        total = totals.get(instrument_id)
        if total is None or economy_id not in wanted:
            continue
        result[(economy_id, instrument_id)] = Score(
            economy_id=economy_id,
            instrument_id=instrument_id,
            score=score,
            coverage=covered / total,
            commitments=total,
            covered=covered,
            scored=scored,
            reports=reports,
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
    qs = qs.order_by("economy_id", "instrument_id", "year").values_list(
        "economy_id",
        "instrument_id",
        "year",
        "earned",
        "scored_weight",
        "covered",
        "scored",
        "reports",
    )
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
