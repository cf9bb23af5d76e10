"""Small builders for test records: each fills what a test does not care about."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from economies.models import Economy
from instruments.models import Commitment, Instrument
from tracker.models import Origin, ReviewState, StatusReport

_seq = itertools.count(1)


def make_economy(code: str = "", **fields) -> Economy:
    n = next(_seq)
    letters = f"{chr(65 + (n // 26) % 26)}{chr(65 + n % 26)}"
    # The sequence comes round to real codes (JP, PG…) after a few hundred economies; skip a
    # generated code a test has already used, or the test fails depending on what ran before.
    while Economy.objects.filter(iso_alpha2=letters).exists() or (
        not code and Economy.objects.filter(code=f"X{letters}").exists()
    ):
        n = next(_seq)
        letters = f"{chr(65 + (n // 26) % 26)}{chr(65 + n % 26)}"
    code = code or f"X{letters}"
    defaults = {
        "iso_alpha2": fields.pop("iso_alpha2", None) or letters,
        "name": f"Economy {code}",
        "year_joined": 1989,
        "subregion": "South-eastern Asia",
        "region": "Asia",
        "grid_row": n,
        "grid_col": 0,
    }
    defaults.update(fields)
    return Economy.objects.create(code=code, **defaults)


def make_instrument(short_name: str = "", **fields) -> Instrument:
    n = next(_seq)
    short_name = short_name or f"INST{n}"
    defaults = {
        "slug": short_name.lower(),
        "title": f"Instrument {short_name}",
        "kind": Instrument.Kind.FRAMEWORK,
        "adopted_on": datetime.date(2010, 1, 1),
        "adopted_precision": Instrument.DatePrecision.YEAR,
    }
    defaults.update(fields)
    return Instrument.objects.create(short_name=short_name, **defaults)


def make_commitment(instrument: Instrument, code: str = "", **fields) -> Commitment:
    n = next(_seq)
    code = code or f"{instrument.short_name}-C{n}"
    defaults = {"title": f"Commitment {code}", "order": n, "weight": Decimal(1)}
    defaults.update(fields)
    return Commitment.objects.create(instrument=instrument, code=code, **defaults)


def make_report(
    economy: Economy,
    commitment: Commitment,
    status: str,
    effective: str | datetime.date,
    *,
    published: bool = True,
    published_at: datetime.datetime | None = None,
    **fields,
) -> StatusReport:
    if isinstance(effective, str):
        effective = datetime.date.fromisoformat(effective)
    state = ReviewState.PUBLISHED if published else fields.pop("review_state", ReviewState.DRAFT)
    if state == ReviewState.WITHDRAWN:
        # A withdrawn report was published once, and says why it was taken back.
        fields.setdefault("withdrawn_reason", "Withdrawn in a test.")
        fields.setdefault("withdrawn_at", timezone.now())
        published_at = published_at or timezone.now()
    defaults = {
        "evidence": "Test evidence.",
        "origin": Origin.SECRETARIAT,
        "review_state": state,
        "published_at": (published_at or timezone.now()) if published else published_at,
    }
    if state == ReviewState.WITHDRAWN:
        defaults["withdrawn_reason"] = "Withdrawn in a test."  # the database requires a reason
    defaults.update(fields)
    return StatusReport.objects.create(
        economy=economy, commitment=commitment, status=status, effective_date=effective, **defaults
    )
