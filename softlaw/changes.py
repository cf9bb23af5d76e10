"""When the tracker's data last changed, cheaply: for ETags and for the page cache.

For the API's ETags and Last-Modified: the latest change time of each table and the latest entry
of its history (where deletions are recorded too), index lookups that cost the same at any size.
For anonymous clients, only what they can see counts (public_rows()): a draft edited, submitted
or returned, or an officer named, moves nothing public, not even an ETag.

For the page cache, asked on every public request: a single number (DataVersion), raised once
each transaction that changes what the public pages show has committed. A second number, the
catalogue's (economies, instruments, commitments, forums, themes: settings.CATALOGUE_MODELS), is
raised by changes to those only, not by reports: what reads nothing else (the API's lists of
them) stays cached across publishes. Every such write raises it: the signals below (saves,
deletions, many-to-many changes, fixtures) and the bulk paths of tracker.current_status, which
every bulk write of reports goes through. A publish raises it before the publish returns, so no
cached page is stale after one; a draft's save does not. Should the database go away between a
commit and its raise, the shared cache is emptied and the process raises the number before it
reads it again.

Scoped pages (scoped_versions): a page that shows the catalogue plus the figures of one part of
the data only (an instrument's page: its own reports) is keyed on the catalogue's number and the
number of each scope it names (a string the app chooses, "instrument:<slug>"), held by
SCOPE_VERSION_MODEL. A change that raises the catalogue's number reaches every scoped page (a
rebuild, a fixture, an edit to the catalogue); a change that does not must name the scopes it
touches (data_changed(catalogue=False, scopes=…)): the bulk paths of tracker.current_status,
which every public change of a report goes through, do.

This module knows no model of the tracker's: settings name the models whose changes show
publicly (PUBLIC_MODELS), the relations that do not (PRIVATE_RELATIONS) and the models that hold
the numbers (DATA_VERSION_MODEL, SCOPE_VERSION_MODEL); a model says itself which of its rows are
public, through a `public_rows()` class method (default: all of them).
"""

import datetime
import functools
import time
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections, transaction
from django.db.models import BigIntegerField, DateTimeField, F, IntegerField, Max, Model, Q, Value
from django.db.models.expressions import Col
from django.db.models.functions import Greatest
from django.db.models.signals import m2m_changed, post_delete, post_save


def public_rows(model: type[Model]) -> tuple[Q, Q]:
    """Which rows, and which rows of its history, anonymous clients can see changes of: what
    the model's own `public_rows()` says, every row otherwise."""
    if hasattr(model, "public_rows"):
        return model.public_rows()
    return Q(), Q()


def tables_state(
    models: list[type[Model]], *, public: bool = False
) -> list[tuple[datetime.datetime | None, ...]]:
    """(latest change, latest history entry) of each model's table, in one UNION ALL query;
    public: of the rows anonymous clients see only."""
    sql, params, database = _state_query(tuple(models), public)
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
def _state_query(models: tuple[type[Model], ...], public: bool) -> tuple[str, tuple, str]:
    """The SQL of tables_state(), built once per process: it is asked on every request, and
    building eleven querysets (history managers included) costs more than running them."""
    parts = []
    position = 0
    for model in models:
        rows, history = public_rows(model) if public else (Q(), Q())
        columns = [(model.history.model, "history_date", history)]
        if any(field.name == "updated_at" for field in model._meta.get_fields()):
            columns.insert(0, (model, "updated_at", rows))
        for table, column, shown in columns:
            parts.append(
                table.objects.filter(shown)
                .order_by()
                .annotate(position=Value(position, output_field=IntegerField()))
                .values("position")
                .annotate(latest=Max(column))
                .values_list("position", "latest")
            )
            position += 1
    union = parts[0].union(*parts[1:], all=True)
    sql, params = union.query.sql_with_params()
    return sql, tuple(params), union.db


# --- the page cache's version ---------------------------------------------------------------------


EVERYTHING = 1  # DataVersion rows: raised by every change to what the public sees
CATALOGUE = 2  # raised by changes to the models of settings.CATALOGUE_MODELS only


# Numbers whose raise failed after their change had committed (the database went away between
# the two), raised by this process before it reads one again: DataVersion's by number, the
# scopes' by name.
_unraised: set[int | str] = set()


def _raise_unraised() -> None:
    if _unraised:
        scopes = tuple(sorted(_unraised, key=str))
        _raise(scopes)
        _unraised.difference_update(scopes)


def page_version(scope: int = EVERYTHING) -> int:
    """The number DataVersion holds (for the whole data, or the catalogue only): one primary-key
    read, its SQL built once per process (it is asked on every public request, and building the
    query costs more than running it)."""
    _raise_unraised()
    sql, params, database = _version_query(scope)
    with connections[database].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else 0


def scoped_versions(scopes: tuple[str, ...]) -> tuple[int, ...]:
    """The catalogue's number, then each named scope's (0 for a scope never raised), in one
    query: what a scoped page's key names."""
    _raise_unraised()
    sql, params, database = _scoped_query(scopes)
    with connections[database].cursor() as cursor:
        cursor.execute(sql, params)
        found = dict(cursor.fetchall())
    return tuple(found.get(position, 0) for position in range(len(scopes) + 1))


def _scope_model() -> type[Model]:
    return apps.get_model(settings.SCOPE_VERSION_MODEL)


@functools.lru_cache(maxsize=4096)
def _scoped_query(scopes: tuple[str, ...]) -> tuple[str, tuple, str]:
    """The SQL of scoped_versions(), built once per process and set of scopes (one a page)."""
    position = IntegerField()
    parts = [
        _version_model()
        .objects.filter(pk=CATALOGUE)
        .annotate(position=Value(0, output_field=position))
        .values_list("position", "version")
    ]
    for number, scope in enumerate(scopes, start=1):
        parts.append(
            _scope_model()
            .objects.filter(pk=scope)
            .annotate(position=Value(number, output_field=position))
            .values_list("position", "version")
        )
    union = parts[0].union(*parts[1:], all=True)
    sql, params = union.query.sql_with_params()
    return sql, tuple(params), union.db


def _version_model() -> type[Model]:
    return apps.get_model(settings.DATA_VERSION_MODEL)


@functools.cache
def _version_query(scope: int) -> tuple[str, tuple, str]:
    query = _version_model().objects.filter(pk=scope).values_list("version")
    sql, params = query.query.sql_with_params()
    return sql, tuple(params), query.db


def data_changed(*, catalogue: bool = True, scopes: Iterable[str] = ()) -> None:
    """Raise the version once the current transaction commits (at once outside one). After the
    commit, not inside the transaction: a number every writer raised under its own lock would
    make concurrent publishes wait on each other; raised after, a reader can only see the old
    number while the old data is what it reads too, or for the instant before the publish
    returns. catalogue=False: the change touches reports and what is derived from them only,
    and leaves the catalogue's number as it is; it names the scopes it touches (scopes), whose
    numbers are raised with the others."""
    numbers = (EVERYTHING, CATALOGUE) if catalogue else (EVERYTHING,)
    transaction.on_commit(functools.partial(_raise_version, numbers + tuple(sorted(set(scopes)))))


def _raise_version(scopes: tuple[int | str, ...] = (EVERYTHING, CATALOGUE)) -> None:
    try:
        _raise(scopes)
    except DatabaseError:
        # Committed, but its number is not raised: no cached page of the older data may stay
        # (the shared cache is emptied; pages rendered from here on read the committed data),
        # and this process raises the number before it reads it again.
        _unraised.update(scopes)
        cache.clear()
        raise


def _raise(scopes: tuple[int | str, ...]) -> None:
    """Raise DataVersion's numbers (ints) and the scopes' (strings): by one, and at least to
    the clock's microseconds, so that no number is ever given twice, whatever the database: a
    database made afresh, or restored from a backup, goes on above every number it or any other
    database gave before, and a shared cache that outlived it holds no page under its numbers."""
    stamp = time.time_ns() // 1000
    for scope in scopes:
        model = _scope_model() if isinstance(scope, str) else _version_model()
        raised = Greatest(F("version") + 1, Value(stamp, output_field=BigIntegerField()))
        if not model.objects.filter(pk=scope).update(version=raised):
            model.objects.get_or_create(pk=scope, defaults={"version": stamp})


def _changed(sender, instance=None, model=None, raw=False, **kwargs):
    # A draft, a submission or a return changes nothing the public pages show.
    if getattr(instance, "is_public", True):
        # Saves and deletions: the instance's model; many-to-many changes: either side.
        labels = {type(instance)._meta.label, model._meta.label if model else None}
        # A fixture's rows (raw) go round the paths that name their scopes: every scope.
        data_changed(catalogue=raw or not labels.isdisjoint(settings.CATALOGUE_MODELS))


def connect_signals() -> None:
    """Raise the version on every change to a model of settings.PUBLIC_MODELS."""
    for label in settings.PUBLIC_MODELS:
        model = apps.get_model(label)
        uid = f"data_changed_{label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}_save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}_delete")
        for field in model._meta.many_to_many:
            if f"{label}.{field.name}" in settings.PRIVATE_RELATIONS:
                continue
            m2m_changed.connect(
                _changed, sender=field.remote_field.through, dispatch_uid=f"{uid}_{field.name}"
            )
