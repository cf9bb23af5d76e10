"""Writes to status reports: the review workflow, in one place.

draft → submitted → published, or submitted → returned (with the reviewer's note) → edited →
submitted. A published report is never edited; a correction is a new report. Every write checks
who is asking (tracker.roles) and refuses a save made from an out-of-date copy, so that two people
editing the same report never overwrite each other.
"""

import datetime
from collections.abc import Callable, Iterable
from typing import NoReturn

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from economies.models import Economy
from instruments.models import Commitment
from softlaw import clock
from tracker import notices, roles
from tracker.current_status import current_status_rebuild, current_status_refresh
from tracker.models import CurrentStatus, Origin, ReviewState, StatusReport

EDITABLE_FIELDS = (
    "economy",
    "commitment",
    "status",
    "effective_date",
    "target_date",
    "evidence",
    "source_urls",
    "origin",
)


CONFLICT_MESSAGE = (
    "Someone else changed this report after you opened it. Nothing was saved: reload it to see "
    "their changes, then make yours again."
)


class WorkflowError(ValidationError):
    """A transition that the report's review state does not allow."""


class ConflictError(WorkflowError):
    """The report changed since the copy being saved was read."""


def _require_officer(user: User, economy: Economy) -> None:
    if not roles.is_officer_of(user, economy.pk):
        raise PermissionDenied(f"You are not an officer of {economy.name}.")


def _require_reviewer(user: User) -> None:
    if not roles.is_reviewer(user):
        raise PermissionDenied("Only reviewers publish or return status reports.")


def _refuse(user: User, report: StatusReport, message: str) -> NoReturn:
    """Why tracker.roles refused an officer's write: not an officer of the report's economy
    (PermissionDenied), or a review state that does not allow it (WorkflowError, message)."""
    _require_officer(user, report.economy)
    raise WorkflowError(message)


def report_create(
    *,
    user: User,
    economy: Economy,
    commitment: Commitment,
    status: str,
    effective_date: datetime.date,
    evidence: str,
    target_date: datetime.date | None = None,
    source_urls: str = "",
    origin: str = Origin.SELF_REPORTED,
) -> StatusReport:
    """A new draft report on an economy the user is an officer of."""
    _require_officer(user, economy)
    report = StatusReport(
        economy=economy,
        commitment=commitment,
        status=status,
        effective_date=effective_date,
        target_date=target_date,
        evidence=evidence,
        source_urls=source_urls,
        origin=origin,
        review_state=ReviewState.DRAFT,
        entered_by=user,
        last_changed_by=user,
    )
    report.full_clean()
    report.save()
    return report


def report_confirm_unchanged(
    *, economy: Economy, commitment: Commitment, user: User, today: datetime.date | None = None
) -> StatusReport:
    """A draft saying the current status still holds: the published status, evidence, sources
    and target date of the cell again, effective today, stated by the officer (self-reported).
    The officer submits it with the rest, and it counts for an open round like any report."""
    _require_officer(user, economy)
    today = today or clock.today()
    cell = (
        CurrentStatus.objects.select_related("report")
        .filter(economy=economy, commitment=commitment)
        .first()
    )
    current = cell.report if cell is not None else None
    if current is None:
        raise WorkflowError(
            f"{economy.code} has no published status on {commitment.code} to confirm: "
            "report an update instead."
        )
    if current.target_date is not None and current.target_date < today:
        raise WorkflowError(
            f"The target date {current.target_date} of {commitment.code} has passed: report an "
            "update with the status reached or a new target date instead."
        )
    repeated = StatusReport.objects.filter(
        economy=economy,
        commitment=commitment,
        effective_date=today,
        status=current.status,
        review_state__in=[ReviewState.DRAFT, ReviewState.SUBMITTED],
    ).exists()
    if repeated:
        raise WorkflowError(
            f"{commitment.code} was already confirmed unchanged today: submit that draft."
        )
    return report_create(
        user=user,
        economy=economy,
        commitment=commitment,
        status=current.status,
        effective_date=today,
        target_date=current.target_date,
        evidence=current.evidence,
        source_urls=current.source_urls,
        origin=Origin.SELF_REPORTED,
    )


@transaction.atomic
def _save_if_current(report: StatusReport, expected_version: int, update_fields: list[str]) -> None:
    """Claim the next version with one conditional UPDATE; refuse if someone saved first."""
    claimed = StatusReport.objects.filter(pk=report.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise ConflictError(CONFLICT_MESSAGE)
    report.version = expected_version + 1
    report.save(update_fields=[*update_fields, "version", "updated_at"])


def report_update(
    *, report: StatusReport, user: User, expected_version: int, **changes
) -> StatusReport:
    """Edit a draft or returned report of the user's own economy."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"report_update() cannot change {sorted(unknown)}")
    if not roles.can_change_report(user, report, fresh=True):
        _refuse(
            user,
            report,
            f"A {report.get_review_state_display().lower()} report cannot be edited"
            + (": publish a correction as a new report." if report.is_published else "."),
        )
    if "economy" in changes:
        _require_officer(user, changes["economy"])
    for field, value in changes.items():
        setattr(report, field, value)
    # Four-eyes: whoever rewrote the report may not publish it (tracker.roles.has_written).
    report.last_changed_by = user
    report.full_clean()
    _save_if_current(report, expected_version, [*changes, "last_changed_by"])
    return report


def report_submit(
    *, report: StatusReport, user: User, expected_version: int | None = None
) -> StatusReport:
    if not roles.can_submit_report(user, report, fresh=True):
        _refuse(user, report, "Only a draft or returned report can be submitted for review.")
    report.review_state = ReviewState.SUBMITTED
    report.submitted_at = timezone.now()
    _save_if_current(
        report,
        report.version if expected_version is None else expected_version,
        ["review_state", "submitted_at"],
    )
    notices.report_submitted(report=report)
    return report


def report_publish(
    *, report: StatusReport, reviewer: User, expected_version: int | None = None
) -> StatusReport:
    if not roles.can_publish_report(reviewer, report):
        _require_reviewer(reviewer)
        if roles.has_written(reviewer, report):
            raise PermissionDenied(roles.FOUR_EYES_MESSAGE)
        raise WorkflowError("Only a submitted report can be published.")
    report.review_state = ReviewState.PUBLISHED
    report.reviewed_by = reviewer
    report.published_at = timezone.now()
    report.review_note = ""
    _save_if_current(
        report,
        report.version if expected_version is None else expected_version,
        ["review_state", "reviewed_by", "published_at", "review_note"],
    )
    notices.report_published(report=report)
    return report


def report_return(
    *, report: StatusReport, reviewer: User, note: str, expected_version: int | None = None
) -> StatusReport:
    _require_reviewer(reviewer)
    if not note.strip():
        raise WorkflowError("Say why the report is returned: the note is required.")
    if not roles.can_review_report(reviewer, report):
        raise WorkflowError("Only a submitted report can be returned.")
    report.review_state = ReviewState.RETURNED
    report.reviewed_by = reviewer
    report.review_note = note.strip()
    _save_if_current(
        report,
        report.version if expected_version is None else expected_version,
        ["review_state", "reviewed_by", "review_note"],
    )
    notices.report_returned(report=report)
    return report


def report_delete(*, report: StatusReport, user: User) -> None:
    """An officer may discard a draft of their own economy; nothing else is ever deleted."""
    if not roles.can_delete_report(user, report, fresh=True):
        _refuse(user, report, "Only a draft can be deleted; submitted and published reports stay.")
    report.delete()


def _name_failing_report(report: StatusReport, exc: ValidationError) -> WorkflowError:
    error_class = ConflictError if isinstance(exc, ConflictError) else WorkflowError
    return error_class(f"{report}: {' '.join(exc.messages)}")


def _all_or_none(reports: Iterable[StatusReport], apply: Callable[[StatusReport], object]) -> int:
    """Apply one transition to several reports in one transaction: all of them, or none if one
    cannot be (its error names the report)."""
    count = 0
    with transaction.atomic():
        for report in reports:
            try:
                apply(report)
            except ValidationError as exc:
                raise _name_failing_report(report, exc) from exc
            count += 1
    return count


def reports_submit(*, reports: Iterable[StatusReport], user: User) -> int:
    """Submit several reports at once: all of them, or none if one cannot be."""
    return _all_or_none(reports, lambda report: report_submit(report=report, user=user))


def reports_publish(*, reports: Iterable[StatusReport], reviewer: User) -> int:
    """Publish several submitted reports at once: all of them, or none if one cannot be."""
    return _all_or_none(reports, lambda report: report_publish(report=report, reviewer=reviewer))


def reports_return(*, reports: Iterable[StatusReport], reviewer: User, note: str) -> int:
    """Return several submitted reports with one note: all of them, or none if one cannot be."""
    return _all_or_none(
        reports, lambda report: report_return(report=report, reviewer=reviewer, note=note)
    )


# Past this many (economy, commitment) cells, rebuilding the whole current-status table in one
# pass is quicker than refreshing the cells one by one.
REBUILD_ABOVE_CELLS = 200


@transaction.atomic
def reports_create_bulk(
    *,
    reports: list[StatusReport],
    user: User | None,
    publish: bool = False,
    reviewer: User | None = None,
    change_reason: str = "Imported from a spreadsheet",
    batch_size: int = 500,
    progress: Callable[..., Iterable] | None = None,
) -> list[StatusReport]:
    """Write many new reports at once (the spreadsheet import), with their history.

    Only for tracker.importing.import_reports(), which has checked every row and who imports
    them (roles.can_import and the economies of roles.economy_ids_for_import, on every path:
    admin, commands, dry runs). This sets the review state: drafts entered by an officer of each
    economy (or by the operator on the server, user None); with publish, reports a reviewer
    entered for publication, submitted for another reviewer to publish, or published at once
    when that second reviewer is named (the operator's command), never by the person who
    entered them.
    """
    if reviewer is not None:
        if not publish:
            raise ValueError("A second reviewer publishes; drafts have none.")
        _require_reviewer(reviewer)
    now = timezone.now()
    for report in reports:
        report.entered_by = report.last_changed_by = user
        report.version = 1
        if not publish:
            report.review_state = ReviewState.DRAFT
        elif reviewer is None:
            report.review_state = ReviewState.SUBMITTED
            report.submitted_at = now
        else:
            if roles.has_written(reviewer, report):
                raise PermissionDenied(roles.FOUR_EYES_MESSAGE)
            report.review_state = ReviewState.PUBLISHED
            report.submitted_at = report.published_at = now
            report.reviewed_by = reviewer
    batches = [reports[i : i + batch_size] for i in range(0, len(reports), batch_size)]
    if progress is not None:
        batches = progress(batches, desc="Writing", unit="batch", total=len(batches))
    created = []
    for batch in batches:
        created += bulk_create_with_history(
            batch,
            StatusReport,
            batch_size=batch_size,
            default_user=user,
            default_change_reason=change_reason,
            default_date=now,
        )
    if any(r.is_published for r in created):
        # bulk_create sends no signals: bring the current-status table in step here.
        cells = {(r.economy_id, r.commitment_id) for r in created}
        if len(cells) > REBUILD_ABOVE_CELLS:
            current_status_rebuild()
        else:
            current_status_refresh(pairs=cells)
    notices.reports_imported(reports=created)
    return created
