"""When the tracker's data last changed, cheaply: for ETags and for the page cache.

The latest change time of each table and the latest entry of its history (where deletions are
recorded too) name the state of the data; both are index lookups, so the check costs the same
at any size. A publish changes them, so nothing keyed on them is ever stale after one.
"""

import datetime

from django.db.models import IntegerField, Max, Model, Value


def tables_state(models: list[type[Model]]) -> list[tuple[datetime.datetime | None, ...]]:
    """(latest change, latest history entry) of each model's table, in one UNION ALL query."""
    parts = []
    position = 0
    for model in models:
        columns = [(model.history.model, "history_date")]
        if any(field.name == "updated_at" for field in model._meta.get_fields()):
            columns.insert(0, (model, "updated_at"))
        for table, column in columns:
            parts.append(
                table.objects.order_by()
                .annotate(position=Value(position, output_field=IntegerField()))
                .values("position")
                .annotate(latest=Max(column))
                .values_list("position", "latest")
            )
            position += 1
    rows = sorted(parts[0].union(*parts[1:], all=True))
    return [latest for _, latest in rows]


def data_version() -> str:
    """A short name for the state of everything the public pages show."""
    from economies.models import Economy
    from instruments.models import Commitment, Forum, Instrument, Theme
    from tracker.models import StatusReport

    state = tables_state([StatusReport, Economy, Instrument, Commitment, Forum, Theme])
    return "|".join(value.isoformat() if value else "-" for value in state)
