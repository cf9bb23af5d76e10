"""A partial index of the published reports still current (valid_until not set), so that the
API lists and counts today's status of every cell without reading the whole history."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('economies', '0001_initial'),
        ('instruments', '0003_instrument_adoption_order'),
        ('tracker', '0015_scope_version'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='statusreport',
            index=models.Index(condition=models.Q(('review_state', 'published'), ('valid_until__isnull', True)), fields=['economy', 'commitment'], name='report_current_today'),
        ),
    ]
