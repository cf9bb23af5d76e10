"""Reads for the economy pages; every figure comes from tracker.scoring."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from economies.models import Economy
from instruments.models import Commitment, Instrument
from tracker import scoring
from tracker.models import StatusReport
from tracker.selectors import (
    Update,
    economies_shown,
    scored_instruments,
    today_or,
    updates_with_previous,
)


def subregions() -> list[str]:
    """The sub-regions economies belong to, for the filter's choices."""
    return list(
        Economy.objects.exclude(subregion="")
        .order_by("subregion")
        .values_list("subregion", flat=True)
        .distinct()
    )


# --- /economies/ ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EconomyRow:
    economy: Economy
    instruments_scored: int  # instruments on which the economy has a score
    coverage: float | None  # share of all economy-scope commitments with a published status
    covered: int
    commitments: int
    latest: datetime.date | None  # latest effective date of a current status
    overdue: int  # current statuses past their target date


@dataclass(frozen=True)
class EconomyList:
    instruments: int
    rows: list[EconomyRow]


def economy_list(
    *, as_of: datetime.date | None = None, economies: QuerySet[Economy] | None = None
) -> EconomyList:
    economy_list = economies_shown(economies=economies)
    ids = [e.pk for e in economy_list]
    instruments = scored_instruments()
    commitments = scoring.scored_commitments(instrument_ids=[i.pk for i in instruments])
    statuses = scoring.current_statuses(
        as_of=as_of, economy_ids=ids, commitment_ids=[c.commitment_id for c in commitments]
    )
    scores = scoring.scores_from_statuses(
        statuses=statuses, commitments=commitments, economy_ids=ids
    )
    by_economy: dict[int, list[scoring.Score]] = defaultdict(list)
    for (economy_id, _), score in scores.items():
        by_economy[economy_id].append(score)
    status_by_economy: dict[int, list[scoring.CurrentStatus]] = defaultdict(list)
    for (economy_id, _), status in statuses.items():
        status_by_economy[economy_id].append(status)
    day = today_or(as_of)
    rows = []
    for economy in economy_list:
        own = by_economy[economy.pk]
        current = status_by_economy[economy.pk]
        rows.append(
            EconomyRow(
                economy=economy,
                instruments_scored=sum(1 for s in own if s.has_data),
                coverage=scoring.coverage_overall(own),
                covered=sum(s.covered for s in own),
                commitments=sum(s.commitments for s in own),
                latest=max((s.effective_date for s in current), default=None),
                overdue=sum(1 for s in current if s.is_overdue(day)),
            )
        )
    return EconomyList(len(instruments), rows)


# --- /economies/<code>/ --------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentRow:
    commitment: Commitment
    report: StatusReport | None  # the current report; None = no data
    overdue: bool
    what_if: scoring.WhatIf | None  # None when already implemented or not applicable


@dataclass(frozen=True)
class InstrumentSection:
    instrument: Instrument
    score: scoring.Score
    regional: scoring.RegionalFigures
    commitments: list[CommitmentRow]
    series: list[tuple[int, scoring.Score]]


@dataclass(frozen=True)
class EconomyProfile:
    economy: Economy
    sections: list[InstrumentSection]
    timeline: list[Update]
    years: list[int]

    @property
    def charted(self) -> list[InstrumentSection]:
        """Instruments on which the economy had a score in some year: the others would draw
        an empty line and a column of 'no data'."""
        return [s for s in self.sections if any(score.has_data for _y, score in s.series)]

    @property
    def uncharted(self) -> list[InstrumentSection]:
        return [s for s in self.sections if s not in self.charted]

    @property
    def series_table(self) -> list[tuple[int, list[scoring.Score]]]:
        """The score over time as table rows: each year with one score per charted instrument."""
        charted = self.charted
        return [
            (year, [section.series[i][1] for section in charted])
            for i, year in enumerate(self.years)
        ]


def economy_profile(
    *,
    economy: Economy,
    as_of: datetime.date | None = None,
    instruments: QuerySet[Instrument] | None = None,
) -> EconomyProfile:
    """Scores beside the regional figures, every commitment with its current report and what
    full implementation would change, the timeline of reports and the score over time."""
    instrument_list = scored_instruments(instruments=instruments)
    instrument_ids = [i.pk for i in instrument_list]
    commitments = scoring.scored_commitments(instrument_ids=instrument_ids)
    region_ids = list(Economy.objects.values_list("pk", flat=True))
    statuses = scoring.current_statuses(
        as_of=as_of, economy_ids=region_ids, commitment_ids=[c.commitment_id for c in commitments]
    )
    scores = scoring.scores_from_statuses(
        statuses=statuses, commitments=commitments, economy_ids=region_ids
    )
    regional = scoring.regional_from_scores(scores)

    # One read of the economy's published reports serves the timeline and the current evidence.
    reports = list(
        StatusReport.objects.published()
        .effective_by(as_of)
        .filter(economy=economy, commitment__instrument_id__in=instrument_ids)
        .select_related("commitment__instrument")
        .order_by("-effective_date", "-published_at", "-pk")
    )
    by_pk = {r.pk: r for r in reports}
    timeline = updates_with_previous(reports, as_of=as_of)

    day = today_or(as_of)
    years = (
        list(range(min(r.effective_date for r in reports).year, day.year + 1)) if reports else []
    )
    series = scoring.score_series(
        years=years, economy_ids=[economy.pk], instrument_ids=instrument_ids, until=day
    )

    rows: dict[int, list[CommitmentRow]] = defaultdict(list)
    for commitment in Commitment.objects.filter(
        instrument_id__in=instrument_ids, scope=Commitment.Scope.ECONOMY
    ).order_by("order", "code"):
        current = statuses.get((economy.pk, commitment.pk))
        what_if = None
        if current is None or current.status not in ("implemented", "not_applicable"):
            what_if = scoring.what_if_implemented(
                statuses=statuses,
                commitments=commitments,
                economy_ids=region_ids,
                economy_id=economy.pk,
                commitment_id=commitment.pk,
                before=scores,
            )
        rows[commitment.instrument_id].append(
            CommitmentRow(
                commitment,
                by_pk.get(current.report_id) if current else None,
                bool(current and current.is_overdue(day)),
                what_if,
            )
        )
    sections = [
        InstrumentSection(
            instrument,
            scores[(economy.pk, instrument.pk)],
            regional.get(instrument.pk, scoring.NO_FIGURES),
            rows[instrument.pk],
            series.get((economy.pk, instrument.pk), []),
        )
        for instrument in instrument_list
    ]
    return EconomyProfile(economy, sections, timeline, years)
