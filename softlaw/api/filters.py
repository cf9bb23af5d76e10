"""Ordering of API lists: ?ordering= checked against the fields a list may be sorted by (an
unknown field is a 400), for querysets and for rows built in Python alike."""

from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

ORDERING_PARAM = "ordering"


def ordering_requested(request, view) -> list[tuple[str, bool]] | None:
    """(public field name, descending) pairs from ?ordering=a,-b; None when not asked.

    view.ordering_fields maps each public name to what it sorts on.
    """
    raw = request.query_params.get(ORDERING_PARAM, "").strip()
    if not raw:
        return None
    allowed = view.ordering_fields
    requested = []
    for term in (part.strip() for part in raw.split(",")):
        name = term.removeprefix("-")
        if name not in allowed:
            raise ValidationError(
                {
                    ORDERING_PARAM: [
                        f"Cannot order by {name[:40]!r}: use one or more of "
                        f"{', '.join(allowed)}, comma-separated, each optionally with a "
                        "leading - for descending."
                    ]
                }
            )
        requested.append((name, term.startswith("-")))
    return requested


def ordering_parameter(view) -> dict:
    names = list(view.ordering_fields)
    return {
        "name": ORDERING_PARAM,
        "required": False,
        "in": "query",
        "description": "Sort by these fields, comma-separated; a leading - sorts descending.",
        "schema": {
            "type": "array",
            "items": {"type": "string", "enum": [*names, *(f"-{name}" for name in names)]},
        },
        "style": "form",
        "explode": False,
    }


class OrderingFilter(BaseFilterBackend):
    """?ordering= on a queryset. Unlike DRF's, an unknown field is a 400, not silently ignored.

    view.ordering_fields maps public names to model paths; view.ordering is the default, and
    the last element of it breaks ties so that pages never overlap.
    """

    def get_ordering(self, request, queryset, view) -> list[str]:
        requested = ordering_requested(request, view)
        if requested is None:
            return list(view.ordering)
        fields = view.ordering_fields
        ordering = [f"-{fields[name]}" if desc else fields[name] for name, desc in requested]
        tiebreak = view.ordering[-1]
        if tiebreak.lstrip("-") not in {term.lstrip("-") for term in ordering}:
            ordering.append(tiebreak)
        return ordering

    def filter_queryset(self, request, queryset, view):
        return queryset.order_by(*self.get_ordering(request, queryset, view))

    def get_schema_operation_parameters(self, view):
        return [ordering_parameter(view)]


def sort_rows(rows: list[dict], requested: list[tuple[str, bool]] | None, view) -> list[dict]:
    """Sort computed rows (scores, regional figures) the way OrderingFilter sorts querysets.

    view.ordering_fields maps public names to row keys; missing figures (no data) sort last
    whichever the direction.
    """
    for name, descending in reversed(requested or []):
        key = view.ordering_fields[name]
        present = [row for row in rows if row[key] is not None]
        absent = [row for row in rows if row[key] is None]
        present.sort(key=lambda row, key=key: row[key], reverse=descending)
        rows = present + absent
    return rows


class RowOrdering(BaseFilterBackend):
    """Documents ?ordering= for computed rows, which the view sorts with sort_rows()."""

    def filter_queryset(self, request, queryset, view):
        return queryset

    def get_schema_operation_parameters(self, view):
        parameter = ordering_parameter(view)
        parameter["description"] += " Missing figures (no data) sort last."
        return [parameter]
