"""Reads for the pages each signed-in role starts from: an officer's workspace (what their
economies owe) and a reviewer's queue (what waits for review, with the change each report
proposes). Writes go through tracker.services; who may see what is decided in tracker.roles.

Each page is read in a fixed number of queries, whatever the number of economies, commitments
or reports: the counts are pinned in the tests.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q
from django.utils import timezone

from economies.models import Economy
from instruments.models import Commitment, Instrument
from softlaw import clock, spreadsheets
from tracker import importing, roles, rounds, scoring
from tracker.models import CurrentStatus, ReviewState, StatusReport
from tracker.selectors import EVERY_ROW_UP_TO

# The reports an officer still works on, and the order the workspace lists them in.
OPEN_STATES = (ReviewState.RETURNED, ReviewState.DRAFT, ReviewState.SUBMITTED)


@dataclass(frozen=True, kw_only=True)
class CommitmentLine:
    """One economy-scope commitment in the workspace, with its economy's current status."""

    commitment: Commitment
    current: CurrentStatus | None  # with .report (origin, evidence); None: no published status
    overdue: bool
    pending: StatusReport | None  # the latest draft, submitted or returned report on the cell
    # Whether the officer edits that report (tracker.roles.can_change_report): it is a draft or
    # a returned one; otherwise the line offers to report an update.
    can_edit: bool
    # Whether "confirm unchanged" applies: a published status, nothing in the workflow on the
    # cell yet, and no target date already passed (tracker.services.report_confirm_unchanged).
    can_confirm: bool


@dataclass(frozen=True, kw_only=True)
class InstrumentGroup:
    instrument: Instrument
    lines: list[CommitmentLine]
    # Shown line by line; above EVERY_ROW_UP_TO commitments in all (a global tracker's 1,200),
    # one instrument at a time, the others summed up with a link that opens them.
    is_open: bool = True

    @property
    def overdue(self) -> int:
        return sum(line.overdue for line in self.lines)

    @property
    def without_status(self) -> int:
        return sum(line.current is None for line in self.lines)

    @property
    def in_review(self) -> int:
        return sum(line.pending is not None for line in self.lines)


@dataclass(frozen=True, kw_only=True)
class EconomyWorkspace:
    """What one economy owes, and the officer's reports on it still in the workflow."""

    economy: Economy
    instruments: list[InstrumentGroup]
    every_row: bool  # every instrument open (at most EVERY_ROW_UP_TO commitments in all)
    returned: list[StatusReport]
    drafts: list[StatusReport]
    own_drafts: list[StatusReport]  # of the drafts, those the user entered or last changed
    submitted: list[StatusReport]
    # (round, checklist items) for each reporting round open today (tracker.rounds).
    round_checklists: list[tuple]

    @property
    def overdue(self) -> int:
        return sum(group.overdue for group in self.instruments)

    @property
    def without_status(self) -> int:
        return sum(group.without_status for group in self.instruments)


def officer_workspace(
    *,
    user: User | AnonymousUser,
    today: datetime.date | None = None,
    opened: str | None = None,
) -> list[EconomyWorkspace]:
    """For each economy the user is an officer of: every economy-scope commitment grouped by
    instrument with the current published status, the reports still in the workflow, and the
    checklists of the reporting rounds open today. Five queries (economies, commitments,
    current statuses, open reports, open rounds) and two for each open round
    (tracker.rounds.checklists_by_economy), whatever the number of economies.

    Above EVERY_ROW_UP_TO commitments in all, only the instrument `opened` names (a slug) is
    open; every figure is still over every commitment."""
    today = today or clock.today()
    economies = list(roles.economies_of_officer(user).order_by("name"))
    if not economies:
        return []
    economy_ids = [e.pk for e in economies]
    commitments = list(
        roles.reportable_commitments()
        .select_related("instrument")
        .order_by("instrument__short_name", "order", "code")
    )
    current = {
        (cell.economy_id, cell.commitment_id): cell
        for cell in CurrentStatus.objects.filter(economy_id__in=economy_ids).select_related(
            "report"
        )
    }
    open_reports = (
        StatusReport.objects.filter(economy_id__in=economy_ids, review_state__in=OPEN_STATES)
        .select_related("economy", "commitment", "reviewed_by")
        .order_by("effective_date", "pk")
    )
    pending: dict[tuple[int, int], StatusReport] = {}
    by_state: dict[tuple[int, str], list[StatusReport]] = defaultdict(list)
    for report in open_reports:
        pending[(report.economy_id, report.commitment_id)] = report  # the latest one stays
        by_state[(report.economy_id, report.review_state)].append(report)
    checklists = rounds.checklists_by_economy(economies=economies, on=today)

    workspaces = []
    for economy in economies:
        groups: list[InstrumentGroup] = []
        for commitment in commitments:
            cell = current.get((economy.pk, commitment.pk))
            in_workflow = pending.get((economy.pk, commitment.pk))
            line = CommitmentLine(
                commitment=commitment,
                current=cell,
                overdue=cell is not None and cell_overdue(cell, today),
                pending=in_workflow,
                can_edit=in_workflow is not None and roles.can_change_report(user, in_workflow),
                can_confirm=cell is not None
                and in_workflow is None
                and (cell.target_date is None or cell.target_date >= today),
            )
            if not groups or groups[-1].instrument.pk != commitment.instrument_id:
                groups.append(InstrumentGroup(instrument=commitment.instrument, lines=[]))
            groups[-1].lines.append(line)
        every_row = len(commitments) <= EVERY_ROW_UP_TO
        if not every_row:
            groups = [replace(group, is_open=group.instrument.slug == opened) for group in groups]
        workspaces.append(
            EconomyWorkspace(
                economy=economy,
                instruments=groups,
                every_row=every_row,
                returned=by_state[(economy.pk, ReviewState.RETURNED)],
                drafts=by_state[(economy.pk, ReviewState.DRAFT)],
                own_drafts=[
                    r
                    for r in by_state[(economy.pk, ReviewState.DRAFT)]
                    if roles.has_written(user, r)
                ],
                submitted=by_state[(economy.pk, ReviewState.SUBMITTED)],
                round_checklists=checklists[economy.pk],
            )
        )
    return workspaces


def cell_overdue(cell: CurrentStatus, today: datetime.date) -> bool:
    return scoring.is_overdue(status=cell.status, target_date=cell.target_date, today=today)


def draft_reports_of(*, user: User | AnonymousUser):
    """The drafts of the user's economies that the user entered or last changed, which "submit
    my drafts" sends for review (a colleague's half-written draft stays theirs to send)."""
    return StatusReport.objects.filter(
        Q(entered_by=user) | Q(last_changed_by=user),
        economy_id__in=roles.officer_economy_ids(user),
        review_state=ReviewState.DRAFT,
    ).select_related("economy", "commitment")


def published_status(
    *, user: User | AnonymousUser, economy_id: str, commitment_id: str
) -> CurrentStatus | None:
    """The status published now on a cell of one of the user's economies (with its report), for
    the form that reports an update on it; None for a cell without one, or not the user's."""
    if not (str(economy_id).isdigit() and str(commitment_id).isdigit()):
        return None
    if int(economy_id) not in roles.officer_economy_ids(user):
        return None
    return (
        CurrentStatus.objects.select_related("report", "commitment", "economy")
        .filter(economy_id=economy_id, commitment_id=commitment_id)
        .first()
    )


def editable_reports_of(*, user: User | AnonymousUser):
    """The drafts and returned reports of the user's economies: theirs to correct and submit."""
    return StatusReport.objects.filter(
        economy_id__in=roles.officer_economy_ids(user), review_state__in=roles.EDITABLE_STATES
    ).select_related("economy", "commitment")


# --- the prefilled spreadsheet -----------------------------------------------------------------

# The import's columns an officer fills in (an independent assessment's assessor and snapshot
# date are the secretariat's), with the import's reference columns beside the codes they name,
# for the person filling it in: the economy's name after its code, the instrument before the
# commitment and its title after. The import reads those as reference and ignores them.
_ECONOMY_NAME, _INSTRUMENT, _COMMITMENT_TITLE = importing.REFERENCE_COLUMNS
SPREADSHEET_COLUMNS = (
    "economy",
    _ECONOMY_NAME,
    _INSTRUMENT,
    "commitment",
    _COMMITMENT_TITLE,
    *importing.STATEMENT_COLUMNS,
    "origin",
)


def spreadsheet_rows(*, economy: Economy) -> list[dict]:
    """Every economy-scope commitment of the economy with its current published status (blank
    where there is none), ready to edit and import back: rows left as they are import as
    unchanged and are skipped. Origin is left blank, so that an officer's change is recorded
    as self-reported."""
    commitments = roles.reportable_commitments().select_related("instrument")
    current = {
        cell.commitment_id: cell.report
        for cell in CurrentStatus.objects.filter(economy=economy).select_related("report")
    }
    rows = []
    for commitment in commitments.order_by("instrument__short_name", "order", "code"):
        report = current.get(commitment.pk)
        rows.append(
            {
                "economy": economy.code,
                "economy_name": economy.name,
                "instrument": commitment.instrument.short_name,
                "commitment": commitment.code,
                "commitment_title": commitment.title,
                "status": report.status if report else "",
                "effective_date": report.effective_date if report else "",
                "target_date": (report.target_date or "") if report else "",
                "evidence": report.evidence if report else "",
                "source_url": report.source_urls if report else "",
                "origin": "",
            }
        )
    return rows


def spreadsheet_xlsx(*, economy: Economy) -> bytes:
    """The prefilled workbook, written by the formula-safe exporting code."""
    return spreadsheets.write(
        "xlsx", SPREADSHEET_COLUMNS, spreadsheet_rows(economy=economy), title=economy.code
    )


# --- the reviewer's queue ----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class QueueItem:
    """A submitted report, the published status it would replace, and whether this reviewer
    may publish it (and if not, why)."""

    report: StatusReport
    current: CurrentStatus | None
    waited: datetime.timedelta
    can_publish: bool
    why_not: str

    @property
    def confirms_current(self) -> bool:
        """Whether the report restates the published status with the same evidence (the
        workspace's "confirm unchanged"), rather than proposing a change."""
        return (
            self.current is not None
            and self.current.status == self.report.status
            and self.current.report.evidence == self.report.evidence
        )


def review_queue(
    *, user: User | AnonymousUser, now: datetime.datetime | None = None
) -> list[QueueItem]:
    """Every submitted report, of every economy, oldest submission first. Two queries: the
    reports, and the current statuses of their cells."""
    if not roles.is_reviewer(user):
        return []
    now = now or timezone.now()
    reports = list(
        StatusReport.objects.filter(review_state=ReviewState.SUBMITTED)
        .select_related("economy", "commitment__instrument")
        .order_by("submitted_at", "pk")
    )
    current: dict[tuple[int, int], CurrentStatus] = {}
    if reports:
        cells = CurrentStatus.objects.filter(
            economy_id__in={r.economy_id for r in reports},
            commitment_id__in={r.commitment_id for r in reports},
        ).select_related("report")
        current = {(c.economy_id, c.commitment_id): c for c in cells}
    items = []
    for report in reports:
        written = roles.has_written(user, report)
        items.append(
            QueueItem(
                report=report,
                current=current.get((report.economy_id, report.commitment_id)),
                waited=now - (report.submitted_at or report.updated_at),
                can_publish=roles.can_publish_report(user, report),
                why_not=_why_not(user, report) if written else "",
            )
        )
    return items


def _why_not(user: User | AnonymousUser, report: StatusReport) -> str:
    did = "entered" if report.entered_by_id == user.pk else "last changed"
    return f"You {did} this report: another reviewer publishes it. {roles.FOUR_EYES_MESSAGE}"
