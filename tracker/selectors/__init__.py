"""Reads for the public pages: each returns plain data, with every figure from tracker.scoring.

Selectors take the economies and instruments a page shows as querysets (already filtered by the
page's filter sets) and an `as_of` date (None = today's view), and never compute a figure
themselves: they pick, order and label what tracker.scoring computes. One module a page or a
concern: shown (what a page shows), dashboard, updates, comparison, trends, origins.
"""

from tracker.selectors.comparison import (
    CompareCell,
    CompareCommitment,
    CompareRow,
    CompareSection,
    Comparison,
    comparison_for,
)
from tracker.selectors.dashboard import (
    Dashboard,
    Headline,
    Heatmap,
    HeatmapRow,
    MapTile,
    TileMap,
    Unevenness,
    dashboard_for_region,
    heatmap_for_region,
    heatmap_rows,
    tile_map_for,
    unevenness_for,
)
from tracker.selectors.origins import (
    NO_ORIGINS,
    ORIGIN_ORDER,
    Assessment,
    CellOrigins,
    OriginCount,
    OriginStatus,
    ScoreOrigins,
    cell_origins,
    origins_by_score,
    origins_on,
    origins_today,
    reports_by_origin,
)
from tracker.selectors.shown import (
    EVERY_ROW_UP_TO,
    economies_shown,
    scored_instruments,
    today_or,
)
from tracker.selectors.trends import Trend, Trends, trends_for_region
from tracker.selectors.updates import (
    Update,
    updates_for_feed,
    updates_latest,
    updates_queryset,
    updates_with_previous,
)

__all__ = [
    "EVERY_ROW_UP_TO",
    "NO_ORIGINS",
    "ORIGIN_ORDER",
    "Assessment",
    "CellOrigins",
    "CompareCell",
    "CompareCommitment",
    "CompareRow",
    "CompareSection",
    "Comparison",
    "Dashboard",
    "Headline",
    "Heatmap",
    "HeatmapRow",
    "MapTile",
    "OriginCount",
    "OriginStatus",
    "ScoreOrigins",
    "TileMap",
    "Trend",
    "Trends",
    "Unevenness",
    "Update",
    "cell_origins",
    "comparison_for",
    "dashboard_for_region",
    "economies_shown",
    "heatmap_for_region",
    "heatmap_rows",
    "origins_by_score",
    "origins_on",
    "origins_today",
    "reports_by_origin",
    "scored_instruments",
    "tile_map_for",
    "today_or",
    "trends_for_region",
    "unevenness_for",
    "updates_for_feed",
    "updates_latest",
    "updates_queryset",
    "updates_with_previous",
]
