"""The rows the API serves for status reports, current statuses, scores and regional figures.

Reports and statuses are read with values_list() (one query a page, no model instances); every
figure and flag comes from tracker.scoring.
"""

import datetime
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.db.models import Q, QuerySet

from economies.models import Economy
from instruments.models import Instrument
from tracker import roles, scoring
from tracker.models import StatusReport

# API field → model path, in the order of the serializers' fields.
STATUS_PATHS = {
    "economy": "economy__code",
    "commitment": "commitment__code",
    "instrument": "commitment__instrument__slug",
    "status": "status",
    "effective_date": "effective_date",
    "target_date": "target_date",
    "origin": "origin",
    "assessor": "assessor",
    "assessed_on": "assessed_on",
    "evidence": "evidence",
    "source_urls": "source_urls",
    "report": "id",
    "published_at": "published_at",
    "updated_at": "updated_at",
}

REPORT_PATHS = {
    "id": "id",
    "economy": "economy__code",
    "commitment": "commitment__code",
    "instrument": "commitment__instrument__slug",
    "status": "status",
    "effective_date": "effective_date",
    "target_date": "target_date",
    "evidence": "evidence",
    "source_urls": "source_urls",
    "origin": "origin",
    "assessor": "assessor",
    "assessed_on": "assessed_on",
    "review_state": "review_state",
    "review_note": "review_note",
    "is_illustrative": "is_illustrative",
    # Roles, never user names (report_rows): "economy officer, Japan" or "secretariat".
    "entered_by_role": "entered_by_officer",
    "reviewed_by_role": "reviewed_by_id",
    "created_at": "created_at",
    "updated_at": "updated_at",
    "submitted_at": "submitted_at",
    "published_at": "published_at",
    "version": "version",
}


def _links(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def status_rows(
    values: Iterable[Sequence], *, as_of: datetime.date | None, today: datetime.date
) -> list[dict]:
    """Rows of StatusReport.values_list(*STATUS_PATHS.values()), with the overdue flag.

    Unpacked by position and built as literals: this runs for every row of 1,000-row pages.
    """
    overdue_on = as_of or today
    return [
        {
            "economy": economy,
            "commitment": commitment,
            "instrument": instrument,
            "status": status,
            "effective_date": effective_date,
            "target_date": target_date,
            "overdue": scoring.is_overdue(status=status, target_date=target_date, today=overdue_on),
            "origin": origin,
            "assessor": assessor,
            "assessed_on": assessed_on,
            "evidence": evidence,
            "source_urls": _links(source_urls) if source_urls else [],
            "report": report,
            "published_at": published_at,
            "updated_at": updated_at,
            "as_of": as_of,
        }
        for (
            economy,
            commitment,
            instrument,
            status,
            effective_date,
            target_date,
            origin,
            assessor,
            assessed_on,
            evidence,
            source_urls,
            report,
            published_at,
            updated_at,
        ) in values
    ]


def report_values(reports: QuerySet[StatusReport]) -> QuerySet:
    """The values report_rows() reads: REPORT_PATHS, with whether an officer of the report's
    economy entered it, and the economy's name to say so (tracker.roles.with_entered_by)."""
    return roles.with_entered_by(reports).values(*REPORT_PATHS.values(), "economy_name")


def report_rows(values: Iterable[dict]) -> list[dict]:
    """Rows of report_values(), renamed to the API's fields."""
    rows = []
    for value in values:
        row = {name: value[path] for name, path in REPORT_PATHS.items()}
        row["source_urls"] = _links(row["source_urls"])
        row["entered_by_role"] = roles.entered_by_role(
            by_officer=value["entered_by_officer"], economy_name=value["economy_name"]
        )
        row["reviewed_by_role"] = roles.SECRETARIAT if value["reviewed_by_id"] else None
        rows.append(row)
    return rows


def report_row(report_id: int) -> dict:
    return report_rows(report_values(StatusReport.objects.filter(pk=report_id)))[0]


def changed_cells(
    since: datetime.datetime,
) -> tuple[set[tuple[int, int]], set[int]]:
    """What a score depends on that changed since a time: (economy id, instrument id) pairs
    with a published report changed since, and instruments whose commitments changed since."""
    # order_by(): without it, the models' default ordering would join the DISTINCT and keep
    # one row per report (1.2 million of them on a global tracker) instead of one a pair.
    pairs = set(
        StatusReport.objects.published()
        .filter(updated_at__gte=since)
        .order_by()
        .values_list("economy_id", "commitment__instrument_id")
        .distinct()
    )
    instruments = set(
        Instrument.objects.filter(Q(updated_at__gte=since) | Q(commitments__updated_at__gte=since))
        .order_by()
        .values_list("pk", flat=True)
        .distinct()
    )
    return pairs, instruments


class EconomyKey(NamedTuple):
    """What a row of figures names of an economy (an Economy has both too)."""

    pk: int
    code: str


def economy_keys(economies: QuerySet[Economy]) -> list[EconomyKey]:
    """The economies a query picks, as the rows of figures name them: read as tuples, not
    model instances (the scores API asks for a global tracker's 200 on every request)."""
    return [EconomyKey(pk, code) for pk, code in economies.values_list("pk", "code")]


def _region(
    *,
    economies: Sequence[Economy | EconomyKey],
    instruments: Sequence[Instrument],
    as_of: datetime.date | None,
) -> scoring.RegionScores:
    """The scores of the economies asked for on the instruments asked for, as of the date."""
    return scoring.region_scores(
        as_of=as_of,
        economy_ids=[e.pk for e in economies],
        instrument_ids=[i.pk for i in instruments],
    )


def score_rows(
    *,
    economies: Sequence[Economy | EconomyKey],
    instruments: Sequence[Instrument],
    as_of: datetime.date | None,
    updated_since: datetime.datetime | None = None,
) -> list[dict]:
    """One row per economy × instrument (economies in order, then instruments in order)."""
    scores = _region(economies=economies, instruments=instruments, as_of=as_of).scores
    keep = None
    if updated_since is not None:
        pairs, changed_instruments = changed_cells(updated_since)

        def keep(economy_id, instrument_id):
            return (economy_id, instrument_id) in pairs or instrument_id in changed_instruments

    rows = []
    for economy in economies:
        for instrument in instruments:
            if keep is not None and not keep(economy.pk, instrument.pk):
                continue
            score = scores[(economy.pk, instrument.pk)]
            rows.append(
                {
                    "economy": economy.code,
                    "instrument": instrument.slug,
                    "score": score.score,
                    "coverage": score.coverage,
                    "commitments": score.commitments,
                    "covered": score.covered,
                    "scored": score.scored,
                    "as_of": as_of,
                }
            )
    return rows


class ScorePages(Sequence):
    """score_rows() in its order (economies, then instruments), computed a slice at a time: a
    page of /api/v1/scores/ reads the scores of its own economies only, not the whole grid.
    (Without ?ordering= or ?updated_since=, which need every row; the figures are the same,
    since a score depends on its own economy alone.)"""

    def __init__(
        self,
        *,
        economies: Sequence[Economy | EconomyKey],
        instruments: Sequence[Instrument],
        as_of: datetime.date | None,
    ):
        self.economies, self.instruments, self.as_of = economies, instruments, as_of

    def __len__(self) -> int:
        return len(self.economies) * len(self.instruments)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            found = self[index : index + 1] if index != -1 else self[index:]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop, step = index.indices(len(self))
        if stop <= start:
            return []
        per_economy = len(self.instruments)
        first, last = start // per_economy, (stop - 1) // per_economy
        rows = score_rows(
            economies=self.economies[first : last + 1],
            instruments=self.instruments,
            as_of=self.as_of,
        )
        offset = first * per_economy
        return rows[start - offset : stop - offset : step]


def regional_rows(
    *,
    economies: Sequence[Economy | EconomyKey],
    instruments: Sequence[Instrument],
    as_of: datetime.date | None,
    updated_since: datetime.datetime | None = None,
) -> list[dict]:
    """One row per instrument: how its scores spread over the economies asked for."""
    regional = _region(economies=economies, instruments=instruments, as_of=as_of).regional
    if updated_since is not None:
        pairs, changed_instruments = changed_cells(updated_since)
        economy_ids = {e.pk for e in economies}
        changed_instruments |= {i for e, i in pairs if e in economy_ids}
        instruments = [i for i in instruments if i.pk in changed_instruments]
    rows = []
    for instrument in instruments:
        figures = regional.get(instrument.pk, scoring.NO_FIGURES)
        rows.append(
            {
                "instrument": instrument.slug,
                "economies_with_data": figures.economies_with_data,
                "mean": figures.mean,
                "median": figures.median,
                "min": figures.min,
                "max": figures.max,
                "stdev": figures.stdev,
                "gini": figures.gini,
                "as_of": as_of,
            }
        )
    return rows
