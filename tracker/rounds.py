"""Reporting rounds: who answered, on time or late, and how long review took. The one place of
the answer rule, read by the public round page, the API, the admin's progress grid, the notices
and the officer's checklist.

The rule: a commitment asked by a round counts as answered for an economy when a report on it
for that economy, self-reported by the economy, was submitted (a new statement, or a
confirmation that nothing changed) on or after the round's opening day and was later published.
Secretariat research and independent assessments published meanwhile are not the economy's
answer. The first such submission decides: on
time when submitted by the end of the deadline (or of the grace period, when there is one), late
after it. Anything else, a draft, a report waiting for review or returned, is not an answer yet.
Only published reports count, so nothing about drafts or submissions shows publicly.
"""

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from economies.models import Economy
from instruments.models import Commitment
from softlaw import clock
from tracker.models import Origin, ReportingRound, StatusReport

ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"

ANSWER_LABELS = {ON_TIME: "Answered on time", LATE: "Answered late", MISSING: "Not answered"}

# An economy's answer to the round as a whole.
ALL_ON_TIME = "all_on_time"
ALL_SOME_LATE = "all_some_late"
PARTLY = "partly"
NOT_AT_ALL = "not_at_all"

OVERALL_LABELS = {
    ALL_ON_TIME: "Answered in full, on time",
    ALL_SOME_LATE: "Answered in full, partly late",
    PARTLY: "Answered in part",
    NOT_AT_ALL: "Not answered",
}


# --- the rule ---------------------------------------------------------------------------------


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def round_opens_at(round: ReportingRound) -> datetime.datetime:
    """The first moment a submission answers the round: the start of its opening day."""
    return _start_of(round.opens_on)


def round_closes_at(round: ReportingRound) -> datetime.datetime:
    """The first moment a submission is late: the day after the deadline or grace period."""
    return _start_of(round.closes_on + datetime.timedelta(days=1))


def answer_of(*, round: ReportingRound, report: StatusReport | None) -> str:
    """ON_TIME, LATE or MISSING for the report that answers a commitment (None: none does)."""
    if report is None:
        return MISSING
    return ON_TIME if report.submitted_at < round_closes_at(round) else LATE


def answering_reports(*, round: ReportingRound, commitments, economies=None):
    """The reports that can answer the round: published, submitted since the opening, in the
    order the first one per (economy, commitment) decides."""
    reports = StatusReport.objects.published().filter(
        origin=Origin.SELF_REPORTED,
        submitted_at__gte=round_opens_at(round),
        commitment__in=commitments,
    )
    if economies is not None:
        reports = reports.filter(economy__in=economies)
    return reports.order_by("economy_id", "commitment_id", "submitted_at", "pk")


def _first_answers(reports: Iterable[StatusReport]) -> dict[tuple[int, int], StatusReport]:
    first = {}
    for report in reports:
        first.setdefault((report.economy_id, report.commitment_id), report)
    return first


# --- rounds -------------------------------------------------------------------------------------


def open_rounds(*, on: datetime.date | None = None) -> QuerySet[ReportingRound]:
    """Rounds open on a date (today by default): from the opening day to the deadline, or to
    the end of the grace period when there is one."""
    on = on or clock.today()
    return ReportingRound.objects.filter(opens_on__lte=on).filter(
        Q(deadline__gte=on) | Q(grace_until__gte=on)
    )


def round_state(round: ReportingRound, *, on: datetime.date | None = None) -> str:
    """ "upcoming", "open" or "closed" on a date (today by default)."""
    on = on or clock.today()
    if on < round.opens_on:
        return "upcoming"
    return "open" if on <= round.closes_on else "closed"


def round_commitments(*, round: ReportingRound) -> QuerySet[Commitment]:
    """What the round asks: the economy-scope commitments of its instruments and those it names,
    in the instruments' order."""
    return (
        Commitment.objects.economy_scope()
        .filter(Q(instrument__rounds=round) | Q(rounds=round))
        .distinct()
        .select_related("instrument")
        .order_by("instrument__short_name", "order", "code")
    )


# --- an economy's checklist (the officer's workspace) ---------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ChecklistItem:
    """One commitment a round asks an economy about, and whether it was answered."""

    commitment: Commitment
    answer: str  # ON_TIME, LATE or MISSING
    report: StatusReport | None  # the answering report

    @property
    def answer_label(self) -> str:
        return ANSWER_LABELS[self.answer]


def round_checklist(*, round: ReportingRound, economy: Economy) -> list[ChecklistItem]:
    """Every commitment the round asks, for one economy, with its answer (two queries)."""
    return round_checklists(round=round, economies=[economy])[economy.pk]


def round_checklists(
    *, round: ReportingRound, economies: list[Economy]
) -> dict[int, list[ChecklistItem]]:
    """round_checklist() for several economies at once, by economy id (two queries)."""
    commitments = list(round_commitments(round=round))
    first = _first_answers(
        answering_reports(round=round, commitments=commitments, economies=economies)
    )
    checklists = {}
    for economy in economies:
        checklists[economy.pk] = [
            ChecklistItem(
                commitment=commitment,
                answer=answer_of(round=round, report=report),
                report=report,
            )
            for commitment in commitments
            for report in [first.get((economy.pk, commitment.pk))]
        ]
    return checklists


def checklists_for(*, economy: Economy, on: datetime.date | None = None) -> list[tuple]:
    """(round, items) for every round open on a date: what the workspace partial renders."""
    return checklists_by_economy(economies=[economy], on=on)[economy.pk]


def checklists_by_economy(
    *, economies: list[Economy], on: datetime.date | None = None
) -> dict[int, list[tuple]]:
    """checklists_for() for several economies, by economy id: one query for the open rounds,
    and two a round, whatever the number of economies."""
    by_economy: dict[int, list[tuple]] = {economy.pk: [] for economy in economies}
    for round in open_rounds(on=on).order_by("deadline", "name"):
        for economy_id, items in round_checklists(round=round, economies=economies).items():
            by_economy[economy_id].append((round, items))
    return by_economy


# --- progress of every economy (the public page, the API, the admin grid) ---------------------


@dataclass(frozen=True, kw_only=True)
class EconomyProgress:
    """How one economy answered a round."""

    economy: Economy
    asked: int
    on_time: int
    late: int
    missing: int
    # Median time from submission to publication of its answering reports; None without any.
    median_review: datetime.timedelta | None
    missing_commitments: tuple[Commitment, ...] = ()
    # The answer on each commitment, in the order of RoundProgress.commitments.
    answers: tuple[str, ...] = ()

    @property
    def answered(self) -> int:
        return self.on_time + self.late

    @property
    def share_answered(self) -> float | None:
        """Answered / asked; None when the round asks nothing."""
        return self.answered / self.asked if self.asked else None

    @property
    def overall(self) -> str:
        if self.asked and self.missing == 0:
            return ALL_ON_TIME if self.late == 0 else ALL_SOME_LATE
        return PARTLY if self.answered else NOT_AT_ALL

    @property
    def overall_label(self) -> str:
        return OVERALL_LABELS[self.overall]

    @property
    def answer_cells(self) -> list[tuple[str, str]]:
        """(answer, label) per commitment, for the grid."""
        return [(answer, ANSWER_LABELS[answer]) for answer in self.answers]

    @property
    def median_review_days(self) -> float | None:
        if self.median_review is None:
            return None
        return round(self.median_review.total_seconds() / 86400, 1)


@dataclass(frozen=True, kw_only=True)
class RoundProgress:
    """How every economy answered a round."""

    round: ReportingRound
    state: str  # "upcoming", "open", "closed"
    commitments: list[Commitment]
    economies: list[EconomyProgress]

    @property
    def on_time(self) -> int:
        return sum(e.on_time for e in self.economies)

    @property
    def late(self) -> int:
        return sum(e.late for e in self.economies)

    @property
    def missing(self) -> int:
        return sum(e.missing for e in self.economies)

    def count_by_overall(self, overall: str) -> int:
        return sum(1 for e in self.economies if e.overall == overall)

    @property
    def economies_on_time(self) -> int:
        return self.count_by_overall(ALL_ON_TIME)

    @property
    def economies_not_at_all(self) -> int:
        return self.count_by_overall(NOT_AT_ALL)


def median_timedelta(values: list[datetime.timedelta]) -> datetime.timedelta | None:
    return statistics.median(values) if values else None


def round_progress(
    *,
    round: ReportingRound,
    economies: Iterable[Economy] | None = None,
    on: datetime.date | None = None,
) -> RoundProgress:
    """Every economy (or those given) against every commitment the round asks; three queries
    (commitments, economies, answering reports) whatever the number of economies."""
    commitments = list(round_commitments(round=round))
    economies = list(Economy.objects.order_by("name") if economies is None else economies)
    reports = answering_reports(round=round, commitments=commitments).only(
        "pk", "economy_id", "commitment_id", "submitted_at", "published_at"
    )
    first = _first_answers(reports)
    rows = []
    for economy in economies:
        counts = {ON_TIME: 0, LATE: 0, MISSING: 0}
        waits = []
        missing = []
        answers = []
        for commitment in commitments:
            report = first.get((economy.pk, commitment.pk))
            answer = answer_of(round=round, report=report)
            answers.append(answer)
            counts[answer] += 1
            if report is None:
                missing.append(commitment)
            else:
                waits.append(report.published_at - report.submitted_at)
        rows.append(
            EconomyProgress(
                economy=economy,
                asked=len(commitments),
                on_time=counts[ON_TIME],
                late=counts[LATE],
                missing=counts[MISSING],
                median_review=median_timedelta(waits),
                missing_commitments=tuple(missing),
                answers=tuple(answers),
            )
        )
    return RoundProgress(
        round=round, state=round_state(round, on=on), commitments=commitments, economies=rows
    )
