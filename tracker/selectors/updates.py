"""The latest published reports, each beside the status it replaced: /updates/ and the feed."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from economies.models import Economy
from instruments.models import Instrument
from tracker import scoring
from tracker.models import StatusReport
from tracker.selectors.shown import today_or

# --- updates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Update:
    """A published status report, with the status it replaced on the same commitment."""

    report: StatusReport
    previous_status: str | None  # None: the first status published for the pair
    overdue: bool


def updates_queryset(
    *,
    as_of: datetime.date | None = None,
    economies: QuerySet[Economy] | None = None,
    instruments: QuerySet[Instrument] | None = None,
) -> QuerySet[StatusReport]:
    """Published reports in force by a date, newest effective date first."""
    qs = (
        StatusReport.objects.published()
        .effective_by(as_of)
        .select_related("economy", "commitment__instrument")
        .order_by("-effective_date", "-published_at", "-pk")
    )
    if economies is not None:
        qs = qs.filter(economy__in=economies)
    if instruments is not None:
        qs = qs.filter(commitment__instrument__in=instruments)
    return qs


def updates_with_previous(
    reports: list[StatusReport], *, as_of: datetime.date | None = None
) -> list[Update]:
    """Each report with the status that held on its commitment just before it (one query)."""
    if not reports:
        return []
    history = (
        StatusReport.objects.published()
        .effective_by(as_of)
        .filter(
            economy_id__in={r.economy_id for r in reports},
            commitment_id__in={r.commitment_id for r in reports},
        )
        # The order in which scoring decides which report is current.
        .in_current_order()
        .values_list("pk", "economy_id", "commitment_id", "status")
    )
    previous: dict[int, str | None] = {}
    last_seen: dict[tuple[int, int], str] = {}
    for pk, economy_id, commitment_id, status in history:
        previous[pk] = last_seen.get((economy_id, commitment_id))
        last_seen[(economy_id, commitment_id)] = status
    day = today_or(as_of)
    return [
        Update(
            report,
            previous.get(report.pk),
            scoring.is_overdue(status=report.status, target_date=report.target_date, today=day),
        )
        for report in reports
    ]


def updates_latest(
    *,
    as_of: datetime.date | None = None,
    economies: QuerySet[Economy] | None = None,
    instruments: QuerySet[Instrument] | None = None,
    limit: int = 8,
) -> list[Update]:
    reports = list(
        updates_queryset(as_of=as_of, economies=economies, instruments=instruments)[:limit]
    )
    return updates_with_previous(reports, as_of=as_of)


def updates_for_feed(*, limit: int = 50) -> list[StatusReport]:
    """The reports published last, for the Atom feed: a feed reader wants what is new."""
    return list(
        StatusReport.objects.published()
        .select_related("economy", "commitment__instrument")
        .order_by("-published_at", "-pk")[:limit]
    )
