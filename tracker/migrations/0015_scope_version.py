"""A number per part of the public pages (an instrument's page), so that a publish on one
instrument leaves the cached pages of the others as they are."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0014_report_origin_until'),
    ]

    operations = [
        migrations.CreateModel(
            name='ScopeVersion',
            fields=[
                ('scope', models.CharField(max_length=120, primary_key=True, serialize=False)),
                ('version', models.PositiveBigIntegerField(default=0)),
            ],
        ),
    ]
