"""The one place where the tracker computes a figure.

Every score, coverage and regional figure shown on a page, served by the API or written to an
export comes from this package, following the formulas on the methodology page; nothing else
computes a score. By level:

- formulas: the formulas and their named results, plain Python without Django;
- figures: what the public pages derive from scores (bands, distribution, σ change, what-if);
- readers: what the formulas read, and from where by date (current-status table, year-end
  sums or the reports current on the date: readers.source_for() decides); sums: those three,
  read in bulk;
- region: the region-level operations the selectors call (a snapshot of a region at a date,
  its scores, the convergence series up to a date).

The names below are the package's public ones: `from tracker import scoring; scoring.X`.
"""

from tracker.scoring.figures import (
    SCORE_BANDS,
    Distribution,
    SigmaChange,
    WhatIf,
    band_index,
    coverage_overall,
    distribution_compute,
    sigma_change,
    what_if_implemented,
)
from tracker.scoring.formulas import (
    MAX_POINTS,
    NO_FIGURES,
    POINTS,
    UNSCORED,
    CellStatus,
    RegionalFigures,
    Score,
    ScoredCommitment,
    ScoreParts,
    YearEndRow,
    cell_sums,
    gini,
    is_overdue,
    regional_compute,
    regional_from_scores,
    score_compute,
    score_from_sums,
    score_without_data,
    scores_from_statuses,
    weight_units,
    year_end_sums,
)
from tracker.scoring.readers import (
    Activity,
    Source,
    current_statuses,
    economies_activity,
    scored_commitments,
    scores_for_region,
    source_for,
)
from tracker.scoring.region import (
    Convergence,
    RegionScores,
    RegionSnapshot,
    convergence_series,
    convergence_until,
    region_scores,
    region_snapshot,
    regional_for_instruments,
    score_for_economy,
    score_series,
)

__all__ = [
    "MAX_POINTS",
    "NO_FIGURES",
    "POINTS",
    "SCORE_BANDS",
    "UNSCORED",
    "Activity",
    "CellStatus",
    "Convergence",
    "Distribution",
    "RegionScores",
    "RegionSnapshot",
    "RegionalFigures",
    "Score",
    "ScoreParts",
    "ScoredCommitment",
    "SigmaChange",
    "Source",
    "WhatIf",
    "YearEndRow",
    "band_index",
    "cell_sums",
    "convergence_series",
    "convergence_until",
    "coverage_overall",
    "current_statuses",
    "distribution_compute",
    "economies_activity",
    "gini",
    "is_overdue",
    "region_scores",
    "region_snapshot",
    "regional_compute",
    "regional_for_instruments",
    "regional_from_scores",
    "score_compute",
    "score_for_economy",
    "score_from_sums",
    "score_series",
    "score_without_data",
    "scored_commitments",
    "scores_for_region",
    "scores_from_statuses",
    "sigma_change",
    "source_for",
    "weight_units",
    "what_if_implemented",
    "year_end_sums",
]
