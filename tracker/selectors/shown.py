"""The instruments and economies a page shows, and the date it shows them on."""

import datetime

from django.db.models import QuerySet

from economies.models import Economy
from instruments.models import Instrument
from softlaw import clock

# Up to this many commitments in all, a page that lists commitments under their instruments
# (an economy's page, the comparison) lists every one of them, as a regional tracker's pages
# always have. Above it (a global tracker: 60 instruments of 20 commitments), each instrument
# shows its figures and opens on demand, one at a time: the page then reads and sends the rows
# of that instrument only.
EVERY_ROW_UP_TO = 200

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
