"""Each published report says until when it was the latest word of its origin on its cell, so
that what each origin says about every cell on a date is one range read."""

from django.db import migrations, models

# One pass over the published reports in current order, by cell and origin: each is its
# origin's latest until the next one of the same origin (LEAD). Written only where it differs.
FILL = """
UPDATE tracker_statusreport SET origin_until = w.origin_until
FROM (
    SELECT id,
           LEAD(effective_date) OVER (
               PARTITION BY economy_id, commitment_id, origin
               ORDER BY effective_date, published_at, id
           ) AS origin_until
    FROM tracker_statusreport
    WHERE review_state = 'published'
) AS w
WHERE tracker_statusreport.id = w.id
  AND (tracker_statusreport.origin_until <> w.origin_until
       OR (tracker_statusreport.origin_until IS NULL) <> (w.origin_until IS NULL))
"""


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FILL)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0013_current_status_origin"),
    ]

    operations = [
        migrations.AddField(
            model_name="statusreport",
            name="origin_until",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="statusreport",
            index=models.Index(
                condition=models.Q(("review_state", "published")),
                fields=["economy", "origin_until", "effective_date"],
                include=["commitment", "origin", "status"],
                name="report_origin_latest",
            ),
        ),
    ]
