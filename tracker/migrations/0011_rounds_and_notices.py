# Reporting rounds (maintained by editors), and the outbox of email notices with each user's
# choice to receive them.

from django.contrib.auth.management import create_permissions

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def grant_rounds_to_editors(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("tracker")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    for action in ("add", "change", "delete", "view"):
        editors.permissions.add(
            Permission.objects.get(
                content_type__app_label="tracker", codename=f"{action}_reportinground"
            )
        )


def revoke_rounds(apps, schema_editor):
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="tracker", codename__endswith="_reportinground"
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('instruments', '0001_initial'),
        ('tracker', '0010_report_withdrawal_assessor_last_changed'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalReportingRound',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=200)),
                ('slug', models.SlugField(help_text='The last part of its public address, /rounds/…/.', max_length=80)),
                ('description', models.TextField(blank=True, help_text='What the round asks, for the public.')),
                ('opens_on', models.DateField(verbose_name='opening date')),
                ('deadline', models.DateField()),
                ('grace_until', models.DateField(blank=True, help_text='Optional: answers submitted up to this date still count as on time.', null=True, verbose_name='grace period until')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('updated_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical reporting round',
                'verbose_name_plural': 'historical reporting rounds',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='NoticePreference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email_notices', models.BooleanField(default=True, help_text='Reports to review, reports returned or published, and reporting rounds.', verbose_name='email me notices')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='notice_preference', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='Notice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('event', models.CharField(help_text='What happened, e.g. report 12 submitted (version 3).', max_length=120)),
                ('subject', models.CharField(max_length=200)),
                ('body', models.TextField()),
                ('state', models.CharField(choices=[('pending', 'Waiting to be sent'), ('sent', 'Sent'), ('skipped', 'Not sent: the recipient turned notices off')], default='pending', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('last_error', models.TextField(blank=True)),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notices', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['created_at', 'pk'],
                'indexes': [models.Index(fields=['state', 'created_at'], name='notice_outbox')],
                'constraints': [models.UniqueConstraint(fields=('recipient', 'event'), name='notice_once_per_event'), models.CheckConstraint(condition=models.Q(('state__in', ['pending', 'sent', 'skipped'])), name='notice_state_valid')],
            },
        ),
        migrations.CreateModel(
            name='ReportingRound',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200)),
                ('slug', models.SlugField(help_text='The last part of its public address, /rounds/…/.', max_length=80, unique=True)),
                ('description', models.TextField(blank=True, help_text='What the round asks, for the public.')),
                ('opens_on', models.DateField(verbose_name='opening date')),
                ('deadline', models.DateField()),
                ('grace_until', models.DateField(blank=True, help_text='Optional: answers submitted up to this date still count as on time.', null=True, verbose_name='grace period until')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('commitments', models.ManyToManyField(blank=True, help_text='Single commitments asked for, beside those of the instruments above.', related_name='rounds', to='instruments.commitment')),
                ('instruments', models.ManyToManyField(blank=True, help_text='Every economy-scope commitment of these instruments is asked for.', related_name='rounds', to='instruments.instrument')),
            ],
            options={
                'ordering': ['-opens_on', 'name'],
                'constraints': [models.CheckConstraint(condition=models.Q(('deadline__gte', models.F('opens_on'))), name='round_deadline_not_before_opening'), models.CheckConstraint(condition=models.Q(('grace_until__isnull', True), ('grace_until__gte', models.F('deadline')), _connector='OR'), name='round_grace_not_before_deadline')],
            },
        ),
        migrations.RunPython(grant_rounds_to_editors, revoke_rounds),
    ]
