"""The `editor` group: staff who curate catalogue data but cannot manage users or groups.

Editors view and change reports and their extracted rows, add indicators the parser
missed and delete only those (deleting a machine row would come back on re-ingest, so
they reject it instead). Regions and themes are reference tables: view only.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "editor"
PERMISSIONS = {
    "report": ["view", "change"],
    "programme": ["view", "change"],
    "initiative": ["view", "change"],
    "indicator": ["view", "change", "add", "delete"],
    "region": ["view"],
    "theme": ["view"],
}


def create_editor_group(apps, schema_editor):
    # Permissions are normally created after migrate (post_migrate); create them now.
    app_config = apps.get_app_config("catalogue")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITOR)
    codenames = [
        f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions
    ]
    permissions = Permission.objects.filter(
        content_type__app_label="catalogue", codename__in=codenames
    )
    assert permissions.count() == len(codenames), "catalogue permissions are missing"
    group.permissions.set(permissions)


def remove_editor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITOR).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalogue", "0003_search_and_history"),
    ]

    operations = [migrations.RunPython(create_editor_group, remove_editor_group)]
