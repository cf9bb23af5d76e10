"""CSV for every API list (?format=csv), each cell made safe to open in a spreadsheet."""

import csv
import datetime
import decimal
import io

from rest_framework.renderers import BaseRenderer
from rest_framework.utils.encoders import JSONEncoder

from softlaw.spreadsheets import safe_cell

_json = JSONEncoder()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = " ".join(str(item) for item in value)
    elif isinstance(value, datetime.date | decimal.Decimal):
        value = _json.default(value)  # the same text as in JSON: 2024-05-01T09:30:00Z
    return safe_cell(value)


class CSVRenderer(BaseRenderer):
    """?format=csv: the rows of the page (or the one record) asked for, one line each.

    Every cell goes through softlaw.spreadsheets.safe_cell, so nothing runs as a formula when the
    file is opened in a spreadsheet. Lists (source links, themes) are joined by spaces.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        columns = self._columns(rows, renderer_context or {})
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(column)) for column in columns])
        return out.getvalue().encode(self.charset)

    @staticmethod
    def _columns(rows, renderer_context) -> list[str]:
        # The serializer's fields, in its order: the header is there even with no rows.
        view = renderer_context.get("view")
        if view is not None and hasattr(view, "get_serializer_class"):
            fields = [
                name
                for name, field in view.get_serializer_class()().fields.items()
                if not field.write_only
            ]
            if not rows or set(fields) == set(rows[0]):
                return fields
        return list(rows[0]) if rows else []
