"""The current-status table says where each cell's current status comes from and whether the
latest statuses of two origins on the cell differ, so that today's dashboard sums its origin tags
and disagreements in one query."""

from django.db import migrations, models

# Each cell's origin is its current report's. Two origins disagree where the latest report of
# each (by the current order, read backwards: the same order on every database, nulls included)
# states different statuses.
FILL = [
    """
    UPDATE tracker_currentstatus SET origin = (
        SELECT r.origin FROM tracker_statusreport r WHERE r.id = tracker_currentstatus.report_id
    )
    """,
    """
    UPDATE tracker_currentstatus SET disagree = (
        SELECT COUNT(DISTINCT latest.status) > 1 FROM (
            SELECT r.status, ROW_NUMBER() OVER (
                PARTITION BY r.origin ORDER BY r.effective_date DESC, r.published_at DESC, r.id DESC
            ) AS rank
            FROM tracker_statusreport r
            WHERE r.review_state = 'published'
              AND r.economy_id = tracker_currentstatus.economy_id
              AND r.commitment_id = tracker_currentstatus.commitment_id
        ) AS latest
        WHERE latest.rank = 1
    )
    """,
]


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for statement in FILL:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0012_report_valid_until"),
    ]

    operations = [
        migrations.AddField(
            model_name="currentstatus",
            name="disagree",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="currentstatus",
            name="origin",
            field=models.CharField(
                choices=[
                    ("self_reported", "Self-reported by the economy"),
                    ("secretariat", "Secretariat research"),
                    ("independent", "Independent assessment"),
                ],
                default="secretariat",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
