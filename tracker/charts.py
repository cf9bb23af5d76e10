"""The charts of the public pages, as the data static/js/charts.js draws (softlaw.pages.chart):
built here from what the selectors return, so that views only fetch and render. Each page's
table holds the same figures as its chart."""

from economies.models import Economy
from economies.selectors import EconomyProfile
from instruments.models import Instrument
from instruments.selectors import InstrumentProfile
from softlaw import numbers
from softlaw.pages import chart
from tracker.selectors import Trends


def trends_charts(trends: Trends) -> dict[str, dict]:
    """/trends/: each instrument's regional mean and σ by year (regional_mean, regional_sd)."""
    years = trends.years
    return {
        name.replace("-", "_"): chart(
            title=title,
            filename=f"soft-law-tracker-{name}",
            categories=years,
            series=[
                {
                    "name": t.instrument.short_name,
                    "data": _series_on(years, t.series, attribute),
                }
                for t in trends.trends
                if t.series  # an instrument with no score in any year draws nothing
            ],
            y_name=y_name,
        )
        for name, title, attribute, y_name in (
            ("regional-mean", "Regional mean score by year", "mean", "mean score (0–100)"),
            ("regional-sd", "Spread (σ) of scores by year", "stdev", "σ (score points)"),
        )
    }


def _series_on(years: list[int], series: list, attribute: str) -> list[float | None]:
    """Values on the years axis; a year before the first score is a gap (None), never 0."""
    by_year = {year: getattr(figures, attribute) for year, figures in series}
    return [numbers.rounded(by_year.get(year)) for year in years]


def economy_score_chart(*, economy: Economy, profile: EconomyProfile) -> dict:
    """/economies/<code>/: the economy's score on each charted instrument by year."""
    return chart(
        title=f"{economy.name}: score by year",
        filename=f"soft-law-tracker-{economy.code}-scores",
        categories=profile.years,
        series=[
            {
                "name": section.instrument.short_name,
                "data": [numbers.rounded(score.score) for _year, score in section.series],
            }
            for section in profile.charted
        ],
        y_name="score (0–100)",
    )


def instrument_charts(*, instrument: Instrument, profile: InstrumentProfile) -> dict[str, dict]:
    """/instruments/<slug>/: the regional mean and σ by year (trend), and how many economies
    fall in each score band (distribution)."""
    years = [year for year, _figures in profile.series]
    return {
        "trend": chart(
            title=f"{instrument.short_name}: regional mean and spread by year",
            filename=f"soft-law-tracker-{instrument.slug}-trend",
            categories=years,
            series=[
                {"name": "Mean", "data": [numbers.rounded(f.mean) for _y, f in profile.series]},
                {
                    "name": "σ",
                    "data": [numbers.rounded(f.stdev) for _y, f in profile.series],
                    "dashed": True,
                },
            ],
            y_name="score points",
        ),
        "distribution": chart(
            kind="bar",
            title=f"{instrument.short_name}: economies by score band",
            filename=f"soft-law-tracker-{instrument.slug}-distribution",
            categories=[label for label, _n in profile.distribution.bands] + ["No data"],
            series=[
                {
                    "name": "Economies",
                    "data": [n for _label, n in profile.distribution.bands]
                    + [profile.distribution.no_data],
                }
            ],
            y_name="economies",
        ),
    }
