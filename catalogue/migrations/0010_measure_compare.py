"""Editors may pick an indicator's measure and edit the measure taxonomy.

Picking a measure in the indicator form searches the Measure admin, which needs
view permission; correcting a measure's names, units or keywords needs change.
Measures are never added or deleted by hand: they come from fixtures/measures.json.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "editor"
CODENAMES = ["view_measure", "change_measure"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("catalogue")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="catalogue", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name=EDITOR):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="catalogue", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name=EDITOR):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0009_load_measures")]

    operations = [migrations.RunPython(grant, revoke)]
