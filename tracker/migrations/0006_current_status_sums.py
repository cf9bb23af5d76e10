from django.db import migrations, models


def fill_sums(apps, schema_editor):
    """Give every existing cell its count of published reports and its sums in hundredths of a
    weight (see scoring.cell_sums)."""
    CurrentStatus = apps.get_model("tracker", "CurrentStatus")
    StatusReport = apps.get_model("tracker", "StatusReport")
    published = (
        StatusReport.objects.filter(
            review_state="published",
            economy_id=models.OuterRef("economy_id"),
            commitment_id=models.OuterRef("commitment_id"),
        )
        .order_by()
        .values("economy_id")
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    CurrentStatus.objects.update(reports=models.Subquery(published))
    units = models.Func(models.F("weight") * 100, function="ROUND")
    CurrentStatus.objects.filter(points__isnull=False).update(
        earned=models.ExpressionWrapper(
            models.F("points") * units, output_field=models.PositiveIntegerField()
        ),
        scored_weight=models.ExpressionWrapper(units, output_field=models.PositiveIntegerField()),
    )


class Migration(migrations.Migration):
    dependencies = [("tracker", "0005_current_status_plural")]

    operations = [
        migrations.AddField(
            model_name="currentstatus",
            name="earned",
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="currentstatus",
            name="scored_weight",
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="currentstatus",
            name="reports",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.RunPython(fill_sums, migrations.RunPython.noop),
    ]
