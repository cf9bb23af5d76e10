"""Keeps tracker.models.CurrentStatus and YearEndScore in step with the published reports.

Every save or delete of a StatusReport refreshes its (economy, commitment) cell, and the
year-end sums of its (economy, instrument), through the signal handlers below, whatever path
made it (admin, API, services, import). Paths that write reports in bulk, which sends no
signals, call current_status_refresh() or current_status_rebuild() themselves.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, PositiveIntegerField, Value, When
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from instruments.models import Commitment, economy_scope_filter, instrument_page_scope
from softlaw.changes import data_changed
from tracker import as_of
from tracker.models import CELL_TARGET, CURRENT_ORDER, CurrentStatus, StatusReport, YearEndScore
from tracker.scoring.formulas import POINTS, cell_sums, weight_units, year_end_sums


def _figures(status: str, weight) -> dict:
    """What a cell carries for today's aggregate: its points and its cell_sums()."""
    earned, scored_weight = cell_sums(status, weight)
    return {"points": POINTS.get(status), "earned": earned, "scored_weight": scored_weight}


def _published_by_cell(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], list[StatusReport]]:
    """The published reports of each cell, in CURRENT_ORDER: the last one is the current one."""
    economy_ids = {e for e, _ in pairs}
    commitment_ids = {c for _, c in pairs}
    cells: dict[tuple[int, int], list[StatusReport]] = {}
    reports = (
        StatusReport.objects.published()
        .filter(
            economy_id__in=economy_ids,
            commitment_id__in=commitment_ids,
        )
        .select_related("commitment")
        .only(
            "pk",
            "economy_id",
            "commitment_id",
            "commitment__instrument_id",
            "commitment__weight",
            "commitment__scope",
            "commitment__target_date",
            "status",
            "effective_date",
            "target_date",
            "origin",
            *as_of.FIELDS,
        )
        .in_current_order()
    )
    for report in reports:
        key = (report.economy_id, report.commitment_id)
        if key in pairs:
            cells.setdefault(key, []).append(report)
    return cells


def origins_disagree(statements: Iterable[tuple[str, str]]) -> bool:
    """Whether the latest statuses of two origins on a cell differ, given each published report's
    (origin, status) in CURRENT_ORDER: the last one of each origin is what it says now (the rule
    tracker.selectors.cell_origins applies on any date)."""
    latest = dict(statements)
    return len(set(latest.values())) > 1


def _lock_cells(pairs: set[tuple[int, int]]) -> None:
    """On PostgreSQL, hold each cell until the transaction ends, so two publishes on one cell
    take turns: the second reads the first's report once it is committed, and the cell never
    keeps the status of whichever wrote last. (SQLite runs one write at a time anyway.)"""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for economy_id, commitment_id in sorted(pairs):  # one order everywhere: no deadlock
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [(economy_id << 32) + commitment_id])


@transaction.atomic
def current_status_refresh(*, pairs: Iterable[tuple[int, int]]) -> None:
    """Recompute the current status of the given (economy_id, commitment_id) cells."""
    pairs = set(pairs)
    if not pairs:
        return
    _lock_cells(pairs)
    _refresh_cells(pairs)
    commitments = Commitment.objects.filter(pk__in={c for _, c in pairs}).values_list(
        "pk", "instrument_id", "instrument__slug", "scope"
    )
    instrument_of, scopes = {}, set()
    for pk, instrument_id, slug, scope in commitments:
        scopes.add(instrument_page_scope(slug))
        if scope == Commitment.Scope.ECONOMY:
            instrument_of[pk] = instrument_id
    # Bulk writes send no signal: the public pages' version is raised here (not the catalogue's:
    # the cells are reports' figures), with the pages of the instruments the cells belong to.
    # Every public change of a report comes here (the signal handlers below), or to
    # current_status_rebuild(), which raises them all.
    data_changed(catalogue=False, scopes=scopes)
    year_end_refresh(pairs={(e, instrument_of[c]) for e, c in pairs if c in instrument_of})


def _refresh_cells(pairs: set[tuple[int, int]]) -> None:
    cells = _published_by_cell(pairs)
    # In the same pass, each published report's valid_until and cell_position (tracker.as_of).
    as_of.cells_positions_update(cells.values())
    for economy_id, commitment_id in pairs:
        cell = cells.get((economy_id, commitment_id))
        report = cell[-1] if cell else None
        if report is None:
            CurrentStatus.objects.filter(
                economy_id=economy_id, commitment_id=commitment_id
            ).delete()
            continue
        CurrentStatus.objects.update_or_create(
            economy_id=economy_id,
            commitment_id=commitment_id,
            defaults={
                "instrument_id": report.commitment.instrument_id,
                "weight": report.commitment.weight,
                "is_scored": report.commitment.is_scored,
                "report_id": report.pk,
                "status": report.status,
                **_figures(report.status, report.commitment.weight),
                "reports": len(cell),
                "effective_date": report.effective_date,
                # The report's target, or else the deadline its commitment states.
                "target_date": report.target_date or report.commitment.target_date,
                "origin": report.origin,
                "disagree": origins_disagree((r.origin, r.status) for r in cell),
            },
        )


@transaction.atomic
def current_status_rebuild(*, batch_size: int = 5000) -> int:
    """Rebuild the whole table from the published reports; returns the number of cells."""
    # The catalogue's number too: every scoped page (softlaw.changes) is keyed on it.
    data_changed(catalogue=True)
    CurrentStatus.objects.all().delete()
    rows = (
        StatusReport.objects.published()
        .in_current_order(by_cell=True)
        .values_list(
            "pk",
            "economy_id",
            "commitment_id",
            "commitment__instrument_id",
            "commitment__weight",
            "commitment__scope",
            "status",
            "effective_date",
            CELL_TARGET,
            *as_of.FIELDS,
            "origin",
        )
    )
    # In the same pass, each published report's valid_until and cell_position (tracker.as_of).
    positions = as_of.PositionsPass()
    pending: list[CurrentStatus] = []
    total = 0
    previous = None
    count = 0
    statements: list[tuple[str, str]] = []  # (origin, status) of the cell's reports so far
    for row in rows.iterator(chunk_size=batch_size):
        # pk, economy, commitment, effective date, origin, and the three derived fields.
        positions.add(*row[:3], row[7], row[12], *row[9:12])
        key = (row[1], row[2])
        if previous is not None and (previous[1], previous[2]) != key:
            pending.append(_cell(previous, count, disagree=origins_disagree(statements)))
            count = 0
            statements = []
        previous = row
        count += 1
        statements.append((row[12], row[6]))
        if len(pending) >= batch_size:
            CurrentStatus.objects.bulk_create(pending)
            total += len(pending)
            pending = []
    if previous is not None:
        pending.append(_cell(previous, count, disagree=origins_disagree(statements)))
    CurrentStatus.objects.bulk_create(pending)
    positions.finish()
    as_of.unpublished_clear()  # from scratch: a report not published carries neither field
    year_end_rebuild(batch_size=batch_size)
    return total + len(pending)


def _year_end_reports(qs):
    """Published reports on economy-scope commitments, grouped by economy and instrument, each
    group in the order tracker.scoring.readers replays them."""
    return (
        qs.published()
        .filter(economy_scope_filter("commitment__"))
        .order_by("economy_id", "commitment__instrument_id", *CURRENT_ORDER)
        .values_list(
            "economy_id",
            "commitment__instrument_id",
            "commitment_id",
            "commitment__weight",
            "status",
            "effective_date",
        )
    )


def _year_end_rows(grouped) -> Iterable[YearEndScore]:
    """YearEndScore rows from _year_end_reports() rows (any iterable of them, in its order)."""

    def rows_of(key, reports):
        for year, earned, weight, covered, scored, count in year_end_sums(reports):
            yield YearEndScore(
                economy_id=key[0],
                instrument_id=key[1],
                year=year,
                earned=earned,
                scored_weight=weight,
                covered=covered,
                scored=scored,
                reports=count,
            )

    key, reports = None, []
    for economy_id, instrument_id, commitment_id, weight, status, effective in grouped:
        if (economy_id, instrument_id) != key:
            if key is not None:
                yield from rows_of(key, reports)
            key, reports = (economy_id, instrument_id), []
        reports.append((commitment_id, weight, status, effective))
    if key is not None:
        yield from rows_of(key, reports)


@transaction.atomic
def year_end_refresh(*, pairs: Iterable[tuple[int, int]]) -> None:
    """Recompute the year-end sums of the given (economy_id, instrument_id) pairs."""
    by_economy: dict[int, set[int]] = defaultdict(set)
    for economy_id, instrument_id in pairs:
        by_economy[economy_id].add(instrument_id)
    for economy_id, instrument_ids in sorted(by_economy.items()):
        YearEndScore.objects.filter(
            economy_id=economy_id, instrument_id__in=instrument_ids
        ).delete()
        reports = _year_end_reports(
            StatusReport.objects.filter(
                economy_id=economy_id, commitment__instrument_id__in=instrument_ids
            )
        )
        YearEndScore.objects.bulk_create(_year_end_rows(reports))


@transaction.atomic
def year_end_rebuild(*, batch_size: int = 5000) -> int:
    """Rebuild every year-end row from the published reports; returns the number of rows."""
    YearEndScore.objects.all().delete()
    total = 0
    pending: list[YearEndScore] = []
    for row in _year_end_rows(
        _year_end_reports(StatusReport.objects.all()).iterator(chunk_size=batch_size)
    ):
        pending.append(row)
        if len(pending) >= batch_size:
            YearEndScore.objects.bulk_create(pending)
            total += len(pending)
            pending = []
    YearEndScore.objects.bulk_create(pending)
    return total + len(pending)


def _cell(row, reports: int, *, disagree: bool) -> CurrentStatus:
    pk, economy_id, commitment_id, instrument_id, weight, scope, status, effective, target = row[:9]
    origin = row[12]
    return CurrentStatus(
        economy_id=economy_id,
        commitment_id=commitment_id,
        instrument_id=instrument_id,
        weight=weight,
        is_scored=scope == Commitment.Scope.ECONOMY,
        report_id=pk,
        status=status,
        **_figures(status, weight),
        reports=reports,
        effective_date=effective,
        target_date=target,
        origin=origin,
        disagree=disagree,
    )


@receiver(post_save, sender=StatusReport, dispatch_uid="current_status_on_save")
def _report_saved(sender, instance: StatusReport, raw=False, **kwargs):
    if raw:
        return  # loading a fixture: the caller rebuilds
    pairs = {(instance.economy_id, instance.commitment_id)}
    # A report moved to another cell (a draft being edited) leaves its old cell to recompute.
    stale = set(
        CurrentStatus.objects.filter(report_id=instance.pk).values_list(
            "economy_id", "commitment_id"
        )
    )
    if not instance.is_public and not stale:
        return  # a draft, a submission or a return: no cell, no public page changes
    current_status_refresh(pairs=pairs | stale)


@receiver(post_delete, sender=StatusReport, dispatch_uid="current_status_on_delete")
def _report_deleted(sender, instance: StatusReport, **kwargs):
    if instance.is_public:
        current_status_refresh(pairs={(instance.economy_id, instance.commitment_id)})


@receiver(pre_save, sender="instruments.Commitment", dispatch_uid="year_end_before_commitment")
def _commitment_saving(sender, instance, raw=False, **kwargs):
    # What the commitment counted towards before the edit: its old instrument's year-end sums
    # lose it.
    instance._scored_before = (
        Commitment.objects.filter(pk=instance.pk)
        .values_list("instrument_id", "weight", "scope")
        .first()
        if instance.pk and not raw
        else None
    )


@receiver(post_save, sender="instruments.Commitment", dispatch_uid="current_status_on_commitment")
def _commitment_saved(sender, instance, raw=False, **kwargs):
    # An editor may move a commitment to another instrument, reweigh it or change its scope;
    # its cells follow.
    if raw:
        return
    units = weight_units(Decimal(instance.weight))
    earned = Case(
        *(When(status=status, then=Value(points * units)) for status, points in POINTS.items()),
        default=None,
        output_field=PositiveIntegerField(),
    )
    # A cell without a target of its own carries the commitment's deadline.
    CurrentStatus.objects.filter(
        commitment_id=instance.pk, report__target_date__isnull=True
    ).exclude(target_date=instance.target_date).update(target_date=instance.target_date)
    CurrentStatus.objects.filter(commitment_id=instance.pk).update(
        instrument_id=instance.instrument_id,
        weight=instance.weight,
        is_scored=instance.is_scored,
        earned=earned,
        scored_weight=Case(
            When(points__isnull=False, then=Value(units)),
            default=None,
            output_field=PositiveIntegerField(),
        ),
    )
    before = getattr(instance, "_scored_before", None)
    now = (instance.instrument_id, Decimal(instance.weight), instance.scope)
    if before is not None and (before[0], Decimal(before[1]), before[2]) == now:
        return  # a new title or note: no figure moves
    economy_ids = set(
        StatusReport.objects.published()
        .filter(commitment_id=instance.pk)
        .order_by()  # the default ordering would join the DISTINCT: one row a report
        .values_list("economy_id", flat=True)
        .distinct()
    )
    instruments = {instance.instrument_id} | ({before[0]} if before is not None else set())
    year_end_refresh(pairs={(e, i) for e in economy_ids for i in instruments})
