"""The three roles as groups with their permissions; officers are further scoped per economy."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Officers": [
        ("tracker", "statusreport", ["add", "change", "delete", "view"]),
        ("economies", "economy", ["view"]),
        ("instruments", "commitment", ["view"]),
        ("instruments", "instrument", ["view"]),
    ],
    "Reviewers": [
        ("tracker", "statusreport", ["view", "publish"]),
        ("economies", "economy", ["view"]),
        ("instruments", "commitment", ["view"]),
        ("instruments", "instrument", ["view"]),
    ],
    "Editors": [
        ("economies", "economy", ["add", "change", "view"]),
        ("instruments", "forum", ["add", "change", "delete", "view"]),
        ("instruments", "theme", ["add", "change", "delete", "view"]),
        ("instruments", "instrument", ["add", "change", "delete", "view"]),
        ("instruments", "commitment", ["add", "change", "delete", "view"]),
        ("tracker", "statusreport", ["view"]),
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_label in ("economies", "instruments", "tracker"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, model, actions in grants:
            for action in actions:
                group.permissions.add(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0001_initial"),
        ("economies", "0001_initial"),
        ("instruments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
