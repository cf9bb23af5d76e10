"""When the tracker's data last changed, cheaply: for ETags and for the page cache.

The latest change time of each table and the latest entry of its history (where deletions are
recorded too) name the state of the data; both are index lookups, so the check costs the same
at any size. A publish changes them, so nothing keyed on them is ever stale after one.
"""

import datetime
import functools

from django.db import connections
from django.db.models import DateTimeField, IntegerField, Max, Model, Value
from django.db.models.expressions import Col


def tables_state(models: list[type[Model]]) -> list[tuple[datetime.datetime | None, ...]]:
    """(latest change, latest history entry) of each model's table, in one UNION ALL query."""
    sql, params, database = _state_query(tuple(models))
    with connections[database].cursor() as cursor:
        cursor.execute(sql, params)
        rows = sorted(cursor.fetchall())
    field = DateTimeField()
    connection = connections[database]
    # Read straight from the cursor, so the values need what the ORM would have done: SQLite
    # gives text, and an aware datetime comes back in the connection's time zone.
    converters = connection.ops.get_db_converters(Col("", field)) + field.get_db_converters(
        connection
    )
    values = []
    for _, latest in rows:
        for converter in converters:
            latest = converter(latest, Col("", field), connection)
        values.append(latest)
    return values


@functools.cache
def _state_query(models: tuple[type[Model], ...]) -> tuple[str, tuple, str]:
    """The SQL of tables_state(), built once per process: it is asked on every request, and
    building eleven querysets (history managers included) costs more than running them."""
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
    union = parts[0].union(*parts[1:], all=True)
    sql, params = union.query.sql_with_params()
    return sql, tuple(params), union.db


def data_version() -> str:
    """A short name for the state of everything the public pages show."""
    from economies.models import Economy
    from instruments.models import Commitment, Forum, Instrument, Theme
    from tracker.models import StatusReport

    state = tables_state([StatusReport, Economy, Instrument, Commitment, Forum, Theme])
    return "|".join(value.isoformat() if value else "-" for value in state)
