"""ETag and Last-Modified for API responses, from one cheap query over the tables they read.

A response changes only when a row of a table it reads is created, changed or deleted, so the
latest change time of each such table and the latest entry of its history (where deletions are
recorded too), with the request's query string, the format asked for and who asks, name its
content. Both are index lookups, so the check costs the same at any size (a row count would read
the whole table: 0.2 s for a million reports). Clients send them back (If-None-Match,
If-Modified-Since) and get 304 Not Modified when nothing changed.

An anonymous client's validators are computed over what it can see (softlaw.changes.public_rows):
a draft saved, submitted or returned moves neither, so they tell nothing about drafting.
"""

import datetime
import hashlib

from django.db.models import Model
from django.utils import timezone

from softlaw.changes import tables_state


def validators_for(
    *, request, models: list[type[Model]], today_matters: bool = False
) -> tuple[str, datetime.datetime | None]:
    """A weak ETag and the Last-Modified time of a response that reads these models.

    today_matters: the content depends on today's date (overdue flags), so it changes at
    midnight even when no row does.
    """
    user = request.user
    state = tables_state(models, public=not user.is_authenticated)
    parts = [
        request.path,
        request.META.get("QUERY_STRING", ""),
        request.accepted_media_type or "",
        f"user:{user.pk}" if user.is_authenticated else "anonymous",
        repr(state),
    ]
    latest = max((changed for changed in state if changed is not None), default=None)
    if today_matters:
        midnight = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        parts.append(midnight.date().isoformat())
        latest = max(latest, midnight) if latest else midnight
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f'W/"{digest}"', latest
