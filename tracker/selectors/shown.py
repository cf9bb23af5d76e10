"""The instruments and economies a page shows, and the date it shows them on."""

import datetime

from django.db.models import QuerySet

from economies.models import Economy
from instruments.models import Instrument
from softlaw import clock

# --- the instruments and economies a page shows ---------------------------------------------


def scored_instruments(*, instruments: QuerySet[Instrument] | None = None) -> list[Instrument]:
    """Instruments with at least one commitment each economy carries out, oldest first
    (an instrument of unknown date last, on every database)."""
    qs = Instrument.objects.all() if instruments is None else instruments
    return list(qs.scored().in_adoption_order())


def economies_shown(*, economies: QuerySet[Economy] | None = None) -> list[Economy]:
    qs = Economy.objects.all() if economies is None else economies
    return list(qs.order_by("name"))


def today_or(as_of: datetime.date | None) -> datetime.date:
    """The date a view stands on: overdue targets are those before it."""
    return as_of or clock.today()
