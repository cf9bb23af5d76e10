"""The rows of an economy's commitments on its page (economies.selectors.economy_profile):
each with its current report (evidence, sources, place in the timeline), where its status comes
from, and what full implementation would change, read for the commitments shown only."""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import F, QuerySet, Window
from django.db.models.functions import LastValue, RowNumber

from economies.models import Economy
from tracker import scoring
from tracker.models import CURRENT_ORDER, StatusReport
from tracker.selectors import CellOrigins, cell_origins, today_or

# The timeline's order, newest first: CURRENT_ORDER reversed.
NEWEST_FIRST = [F(name).desc() for name in CURRENT_ORDER]

# The rows shown are read as plain rows of what the page shows, not as model instances.


def placed_in_timeline(
    shown: QuerySet[StatusReport], report_ids: list[int], **windows: Window
) -> QuerySet[StatusReport]:
    """The reports of `report_ids` among `shown` (a timeline's reports), each with its
    `position` in that timeline, newest first (1 = newest), numbered in one query however long
    the timeline; `windows`, more window expressions computed over all of `shown` alike."""
    return (
        shown.annotate(
            position=Window(RowNumber(), order_by=NEWEST_FIRST),
            # The report's own id, as a window expression over the same order (so no second
            # sort): a filter on a window applies after the numbering, where a filter on pk
            # itself would number the reports asked for only.
            report_id=Window(LastValue("pk"), order_by=NEWEST_FIRST),
            **windows,
        )
        .order_by()
        .filter(report_id__in=report_ids)
    )


class CommitmentLine(NamedTuple):
    pk: int
    instrument_id: int
    code: str
    title: str


class CurrentReport(NamedTuple):
    pk: int
    status: str
    effective_date: datetime.date
    target_date: datetime.date | None
    evidence: str
    source_urls: str
    origin: str
    assessor: str
    assessed_on: datetime.date | None
    is_illustrative: bool
    position: int  # where the report stands in the economy's timeline, 0 = newest


@dataclass(frozen=True, slots=True)
class CommitmentRow:
    commitment: CommitmentLine
    report: CurrentReport | None  # None = no data
    overdue: bool
    what_if: scoring.WhatIf | None  # None when already implemented or not applicable
    origins: CellOrigins | None = None  # what each origin last said on the cell


def commitment_rows(
    *,
    economy: Economy,
    lines: list[CommitmentLine],
    instrument_ids: list[int],
    shown: QuerySet[StatusReport],
    region: scoring.RegionScores,
    as_of: datetime.date | None,
) -> list[CommitmentRow]:
    """The rows of the commitments shown (`lines`, of the open instruments): each with its
    current report, where its status comes from and what full implementation would change."""
    own = scoring.region_snapshot(
        as_of=as_of, economy_ids=[economy.pk], instrument_ids=instrument_ids
    )
    statuses = [own.statuses.get((economy.pk, line.pk)) for line in lines]

    # The current reports (evidence and sources), each with its place in the timeline so that
    # its "history" link opens the right page of it.
    current = {
        row[0]: CurrentReport(*row[:-1], position=row[-1] - 1)
        for row in placed_in_timeline(shown, [s.report_id for s in statuses if s]).values_list(
            *CurrentReport._fields
        )
    }

    # Where each status comes from, and what the other origins say (one query).
    origins = cell_origins(
        as_of=as_of, economy_ids=[economy.pk], commitment_ids=[line.pk for line in lines]
    )

    day = today_or(as_of)
    what_if = _what_if_asker(
        economy=economy,
        statuses=own.statuses,
        commitments=own.commitments,
        region_ids=region.economy_ids,
        scores=region.scores,
    )
    return [
        CommitmentRow(
            line,
            current[status.report_id] if status else None,
            bool(status and status.is_overdue(day)),
            what_if(line.pk, status),
            origins.get((economy.pk, line.pk)),
        )
        for line, status in zip(lines, statuses, strict=True)
    ]


def _what_if_asker(
    *,
    economy: Economy,
    statuses: dict[tuple[int, int], scoring.CellStatus],
    commitments: list[scoring.ScoredCommitment],
    region_ids: list[int],
    scores: dict[tuple[int, int], scoring.Score],
) -> Callable[[int, scoring.CellStatus | None], scoring.WhatIf | None]:
    """What full implementation of a commitment would change (None when it is already
    implemented or not applicable), asked of the scoring module.

    Given the region's scores (`before`), what_if_implemented reads the statuses of the one
    economy only, so the region's statuses are never read one by one. And two commitments of an
    instrument with the same weight and the same current status leave the same statuses behind
    once either is implemented: the scoring module is asked once for both.
    """
    by_id = {c.commitment_id: c for c in commitments}
    members: dict[int, list[scoring.ScoredCommitment]] = defaultdict(list)
    for c in commitments:
        members[c.instrument_id].append(c)
    answers: dict[tuple, scoring.WhatIf] = {}

    def ask(commitment_id: int, status: scoring.CellStatus | None) -> scoring.WhatIf | None:
        if status is not None and status.status in ("implemented", "not_applicable"):
            return None
        commitment = by_id[commitment_id]
        key = (commitment.instrument_id, commitment.weight, status.status if status else None)
        if key not in answers:
            answers[key] = scoring.what_if_implemented(
                statuses=statuses,
                commitments=members[commitment.instrument_id],
                economy_ids=region_ids,
                economy_id=economy.pk,
                commitment_id=commitment_id,
                before=scores,
            )
        return dataclasses.replace(answers[key], commitment_id=commitment_id)

    return ask
