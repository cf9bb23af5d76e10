from django.db import migrations

INDEX = "current_status_sums"


def create(apps, schema_editor):
    """On PostgreSQL, a covering index holding what today's score aggregate reads, so that it
    is an index-only scan already grouped by economy and instrument (SQLite has no INCLUDE)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON tracker_currentstatus "
        "(economy_id, instrument_id) INCLUDE (earned, scored_weight, reports) WHERE is_scored"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0007_year_end_scores")]

    operations = [migrations.RunPython(create, drop)]
