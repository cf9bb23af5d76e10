"""The upkeep that makes the status of every cell on any date one range read
(StatusReport.objects.current_on, which tracker.scoring reads past dates through).

Each published report carries until when it was the current status of its cell (valid_until:
the effective date of the report that replaced it, null while it still is) and its place in the
cell's current order (cell_position, 1 = the first). For the published reports r1..rn of a cell
in CURRENT_ORDER, r_i is current from its effective date until r_i+1's: so the status of the
cell on a date D is the one report with effective_date ≤ D < valid_until (or no valid_until),
and the published reports in force on the cell by D are r1..r_i, i of them. Two reports of the
same day give the earlier-published one an empty interval: the later one wins the tie.

tracker.current_status keeps both fields in step in the same pass that recomputes the cells'
current status (every save and deletion through its signal handlers, every bulk path through
current_status_refresh() and current_status_rebuild()); a report that is not published carries
neither, which the pre-save handler below sees to on every save.
"""

import datetime
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import pre_save
from django.dispatch import receiver

from tracker.models import ReviewState, StatusReport

# The two derived fields.
FIELDS = ("valid_until", "cell_position", "origin_until")
BATCH_SIZE = 1000


def positions(
    cell: list,
) -> Iterator[tuple[object, datetime.date | None, int, datetime.date | None]]:
    """(report, valid_until, cell_position, origin_until) of each published report of one cell,
    given in CURRENT_ORDER; a report is anything with an effective_date and an origin."""
    origin_next: dict[str, datetime.date] = {}  # the next report's date, by origin
    origin_until = [None] * len(cell)
    for index in range(len(cell) - 1, -1, -1):
        report = cell[index]
        origin_until[index] = origin_next.get(report.origin)
        origin_next[report.origin] = report.effective_date
    for index, report in enumerate(cell):
        following = cell[index + 1].effective_date if index + 1 < len(cell) else None
        yield report, following, index + 1, origin_until[index]


def cells_positions_update(cells: Iterable[list[StatusReport]]) -> int:
    """Give the published reports of each cell (each list in CURRENT_ORDER, read with both
    fields) their valid_until and cell_position; writes only the reports whose values moved,
    and returns how many."""
    changed = []
    for cell in cells:
        for report, valid_until, position, origin_until in positions(cell):
            derived = (valid_until, position, origin_until)
            if (report.valid_until, report.cell_position, report.origin_until) != derived:
                report.valid_until, report.cell_position, report.origin_until = derived
                changed.append((report.pk, *derived))
    for start in range(0, len(changed), BATCH_SIZE):
        _write(changed[start : start + BATCH_SIZE])
    return len(changed)


def _write(rows: list[tuple[int, datetime.date | None, int, datetime.date | None]]) -> None:
    """Set (pk, valid_until, cell_position, origin_until) of many reports in one UPDATE from a
    list of values (UPDATE … FROM: PostgreSQL, and SQLite from 3.33): a million reports take
    most of an hour through bulk_update()'s CASE per row, minutes this way."""
    if not rows:
        return
    if connection.vendor not in ("postgresql", "sqlite"):
        StatusReport.objects.bulk_update(
            [
                StatusReport(pk=pk, valid_until=u, cell_position=p, origin_until=o)
                for pk, u, p, o in rows
            ],
            FIELDS,
        )
        return
    quote = connection.ops.quote_name
    table = quote(StatusReport._meta.db_table)
    # PostgreSQL types a column of the list that holds nothing but nulls as text.
    row = (
        "(%s, %s::date, %s::integer, %s::date)"
        if connection.vendor == "postgresql"
        else "(%s, %s, %s, %s)"
    )
    params = []
    date = connection.ops.adapt_datefield_value
    for pk, valid_until, position, origin_until in rows:
        params += [pk, date(valid_until), position, date(origin_until)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {quote('valid_until')} = v.column2, "
            f"{quote('cell_position')} = v.column3, {quote('origin_until')} = v.column4 "
            f"FROM (VALUES {', '.join([row] * len(rows))}) AS v "
            f"WHERE {table}.{quote(StatusReport._meta.pk.column)} = v.column1",
            params,
        )


class _Row(NamedTuple):
    pk: int
    effective_date: datetime.date
    origin: str
    valid_until: datetime.date | None
    cell_position: int | None
    origin_until: datetime.date | None


class PositionsPass:
    """The same upkeep, for a pass over every published report in CURRENT_ORDER by cell
    (current_status_rebuild()): feed it (pk, economy_id, commitment_id, effective_date, origin,
    valid_until, cell_position, origin_until) rows, then finish(); it writes what moved in
    batches."""

    def __init__(self, *, batch_size: int = BATCH_SIZE):
        self.batch_size = batch_size
        self.cell_key = None
        self.cell: list[_Row] = []
        self.pending: list[tuple[int, datetime.date | None, int, datetime.date | None]] = []
        self.changed = 0

    def add(
        self,
        pk,
        economy_id,
        commitment_id,
        effective_date,
        origin,
        valid_until,
        position,
        origin_until,
    ) -> None:
        if (economy_id, commitment_id) != self.cell_key:
            self._close_cell()
            self.cell_key = (economy_id, commitment_id)
        self.cell.append(_Row(pk, effective_date, origin, valid_until, position, origin_until))

    def finish(self) -> int:
        self._close_cell()
        self._write()
        return self.changed

    def _close_cell(self) -> None:
        for row, valid_until, position, origin_until in positions(self.cell):
            derived = (valid_until, position, origin_until)
            if (row.valid_until, row.cell_position, row.origin_until) != derived:
                self.pending.append((row.pk, *derived))
        self.cell = []
        if len(self.pending) >= self.batch_size:
            self._write()

    def _write(self) -> None:
        _write(self.pending)
        self.changed += len(self.pending)
        self.pending = []


@transaction.atomic
def positions_rebuild() -> int:
    """Recompute both fields of every report from the published reports alone (after loading a
    backup made before they existed); writes only what moved and returns how many."""
    rows = (
        StatusReport.objects.published()
        .in_current_order(by_cell=True)
        .values_list(
            "pk",
            "economy_id",
            "commitment_id",
            "effective_date",
            "origin",
            "valid_until",
            "cell_position",
            "origin_until",
        )
    )
    positions_pass = PositionsPass()
    for row in rows.iterator(chunk_size=5000):
        positions_pass.add(*row)
    return positions_pass.finish() + unpublished_clear()


def unpublished_clear() -> int:
    """Take the derived fields off any report that is not published; returns how many had
    them."""
    return (
        StatusReport.objects.exclude(review_state=ReviewState.PUBLISHED)
        .filter(
            Q(valid_until__isnull=False)
            | Q(cell_position__isnull=False)
            | Q(origin_until__isnull=False)
        )
        .update(valid_until=None, cell_position=None, origin_until=None)
    )


@receiver(pre_save, sender=StatusReport, dispatch_uid="as_of_not_published")
def _report_saving(sender, instance: StatusReport, **kwargs):
    # A report that is not (or no longer) published is current on no date. A published one is
    # given its values by the refresh that follows its save.
    if instance.review_state != ReviewState.PUBLISHED:
        instance.valid_until = instance.cell_position = instance.origin_until = None
