"""A small region whose every figure is worked out by hand, shared by the page tests and by the
browser tests (when the reference data is not there).

Three economies, two scored instruments and one with collective commitments only:

CBPR (forum ECSG, theme privacy), commitments C1 → C2 → C3 (each needs the one before):
  JPN  C1 implemented 2012-06-01; C2 partial 2013-03-01, then implemented 2016-01-01;
       C3 not applicable 2014-01-01                  → today (3 + 3) / 6 = 100, coverage 3/3
                                                     → on 2015-01-01 (3 + 2) / 6 = 83.3
  SGP  C1 pilot 2014-05-01, target 2015-12-31        → 1 / 3 = 33.3, coverage 1/3, overdue
  PNG  a draft on C1 only (not published)            → no data, coverage 0/3
AIDER (forum DESG, theme paperless-trade), A1 weight 2, A2 weight 1:
  JPN  A1 partial, A2 not implemented, 2018-01-01    → (2·2 + 0) / (2·3 + 3) = 44.4, 2/2
  SGP  A1 implemented 2019-01-01                     → 2·3 / 2·3 = 100, coverage 1/2
  PNG  A2 planned 2020-01-01, target 2030-12-31      → 0 / 3 = 0 (a score, not no data), 1/2
PRP: collective commitments only, never scored.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from economies.models import Economy
from instruments.models import Commitment, Forum, Instrument, Theme
from tests.factories import make_commitment, make_economy, make_instrument, make_report
from tracker.models import ReviewState

D = datetime.date

# By hand, from the table above.
JPN_CBPR = 100.0
JPN_CBPR_2015 = 100 * 5 / 6
SGP_CBPR = 100 * 1 / 3
JPN_AIDER = 100 * 4 / 9
SGP_AIDER = 100.0
PNG_AIDER = 0.0


@dataclass
class Region:
    jpn: Economy
    sgp: Economy
    png: Economy
    cbpr: Instrument
    aider: Instrument
    prp: Instrument
    c1: Commitment
    c2: Commitment
    c3: Commitment
    a1: Commitment
    a2: Commitment
    privacy: Theme
    paperless: Theme
    ecsg: Forum
    desg: Forum


def build_region() -> Region:
    jpn = make_economy(
        "JPN", iso_alpha2="JP", name="Japan", subregion="Eastern Asia", grid_row=1, grid_col=4
    )
    sgp = make_economy(
        "SGP",
        iso_alpha2="SG",
        name="Singapore",
        subregion="South-eastern Asia",
        grid_row=4,
        grid_col=0,
    )
    png = make_economy(
        "PNG",
        iso_alpha2="PG",
        name="Papua New Guinea",
        subregion="Melanesia",
        grid_row=4,
        grid_col=3,
    )
    privacy = Theme.objects.create(slug="privacy", name="Privacy")
    paperless = Theme.objects.create(slug="paperless-trade", name="Paperless trade")
    ecsg = Forum.objects.create(short_name="ECSG", name="Electronic Commerce Steering Group")
    desg = Forum.objects.create(short_name="DESG", name="Digital Economy Steering Group")

    cbpr = make_instrument(
        "CBPR",
        title="APEC Cross-Border Privacy Rules System",
        adopted_on=D(2011, 11, 1),
        adopted_precision=Instrument.DatePrecision.MONTH,
        forum=ecsg,
        summary="Voluntary certification of privacy practices.",
    )
    cbpr.themes.add(privacy)
    c1 = make_commitment(cbpr, "CBPR-ECON-1", title="Be an APEC member economy", order=1)
    c2 = make_commitment(cbpr, "CBPR-ECON-2", title="Participate in CPEA", order=2)
    c3 = make_commitment(cbpr, "CBPR-ECON-3", title="Letter of intent", order=3)
    c2.prerequisites.add(c1)
    c3.prerequisites.add(c2)
    make_commitment(
        cbpr, "CBPR-COMP-1", title="Recognise Accountability Agents", scope="collective"
    )

    aider = make_instrument(
        "AIDER",
        title="APEC Internet and Digital Economy Roadmap",
        adopted_on=D(2017, 11, 1),
        adopted_precision=Instrument.DatePrecision.MONTH,
        forum=desg,
    )
    aider.themes.add(paperless)
    a1 = make_commitment(aider, "AIDER-KFA-01", title="Digital infrastructure", weight=Decimal(2))
    a2 = make_commitment(aider, "AIDER-KFA-02", title="Interoperability")

    prp = make_instrument("PRP", title="Privacy Recognition for Processors", forum=ecsg)
    make_commitment(prp, "PRP-ELEM-1", title="Processor recognition", scope="collective")

    make_report(jpn, c1, "implemented", "2012-06-01", evidence="Japan joined APEC in 1989.")
    make_report(jpn, c2, "partial", "2013-03-01")
    make_report(
        jpn,
        c2,
        "implemented",
        "2016-01-01",
        evidence="Japan participates in CPEA.",
        source_urls="https://example.org/cpea",
    )
    make_report(jpn, c3, "not_applicable", "2014-01-01")
    make_report(sgp, c1, "pilot", "2014-05-01", target_date=D(2015, 12, 31))
    make_report(
        png, c1, "implemented", "2019-01-01", published=False, review_state=ReviewState.DRAFT
    )
    make_report(jpn, a1, "partial", "2018-01-01")
    make_report(jpn, a2, "not_implemented", "2018-01-01")
    make_report(sgp, a1, "implemented", "2019-01-01")
    make_report(png, a2, "planned", "2020-01-01", target_date=D(2030, 12, 31))
    return Region(
        jpn, sgp, png, cbpr, aider, prp, c1, c2, c3, a1, a2, privacy, paperless, ecsg, desg
    )


def add_economies(region: Region, n: int, *, reports: bool = True) -> None:
    """More economies (and their reports on every scored commitment), to show that a page's
    query count does not grow with rows."""
    for i in range(n):
        # Q… codes are user-assigned in ISO 3166, so they never meet a real economy's.
        letter = chr(65 + i % 26)
        economy = make_economy(
            f"QQ{letter}",
            iso_alpha2=f"Q{letter}",
            subregion="Eastern Asia",
            grid_row=10 + i,
            grid_col=5,
        )
        if reports:
            for commitment in (region.c1, region.c2, region.c3, region.a1, region.a2):
                make_report(economy, commitment, "partial", D(2020, 1, 1 + i))
                make_report(economy, commitment, "implemented", D(2021, 1, 1 + i))
