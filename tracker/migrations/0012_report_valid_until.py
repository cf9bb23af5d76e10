"""Each published report says until when it was the current status of its cell, and its place
in the cell's current order, so that the status of every cell on a date is one range read."""

from django.db import migrations, models

# One pass over the published reports in current order, cell by cell: each report is current
# until the next one's effective date (LEAD), and the last one still is; its place in the order
# is its row number. Written only where it differs (a second run writes nothing). Window
# functions and UPDATE … FROM: PostgreSQL, and SQLite from 3.33.
FILL = """
UPDATE tracker_statusreport SET valid_until = w.valid_until, cell_position = w.position
FROM (
    SELECT id,
           LEAD(effective_date) OVER cell AS valid_until,
           ROW_NUMBER() OVER cell AS position
    FROM tracker_statusreport
    WHERE review_state = 'published'
    WINDOW cell AS (
        PARTITION BY economy_id, commitment_id ORDER BY effective_date, published_at, id
    )
) AS w
WHERE tracker_statusreport.id = w.id
  AND (tracker_statusreport.valid_until <> w.valid_until
       OR (tracker_statusreport.valid_until IS NULL) <> (w.valid_until IS NULL)
       OR tracker_statusreport.cell_position <> w.position
       OR (tracker_statusreport.cell_position IS NULL) <> (w.position IS NULL))
"""


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FILL)


class Migration(migrations.Migration):

    dependencies = [
        ("tracker", "0011_rounds_and_notices"),
    ]

    operations = [
        migrations.AddField(
            model_name="statusreport",
            name="cell_position",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="statusreport",
            name="valid_until",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="statusreport",
            index=models.Index(
                condition=models.Q(("review_state", "published")),
                fields=["effective_date", "valid_until"],
                include=["id", "economy", "commitment", "status", "target_date", "cell_position"],
                name="report_current_on",
            ),
        ),
    ]
