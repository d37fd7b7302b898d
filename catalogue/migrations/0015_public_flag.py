"""A `public` flag on extracted rows, with partial GIN indexes over public search vectors."""

import django.contrib.postgres.indexes
from django.db import migrations, models


def fill_public(apps, schema_editor):
    """Set the flag of existing rows from hidden reports and rejected rows."""
    from catalogue.public import refresh_all

    refresh_all()


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0014_report_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="public",
            field=models.BooleanField(
                db_default=True, default=True, editable=False, verbose_name="公开"
            ),
        ),
        migrations.AddField(
            model_name="initiative",
            name="public",
            field=models.BooleanField(
                db_default=True, default=True, editable=False, verbose_name="公开"
            ),
        ),
        migrations.AddField(
            model_name="programme",
            name="public",
            field=models.BooleanField(
                db_default=True, default=True, editable=False, verbose_name="公开"
            ),
        ),
        migrations.RunPython(fill_public, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="indicator", name="indicator_search_vector"),
        migrations.RemoveIndex(model_name="initiative", name="initiative_search_vector"),
        migrations.RemoveIndex(model_name="programme", name="programme_search_vector"),
        migrations.AddIndex(
            model_name="indicator",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("public", True)),
                fields=["search_vector"],
                name="indicator_search_public",
            ),
        ),
        migrations.AddIndex(
            model_name="initiative",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("public", True)),
                fields=["search_vector"],
                name="initiative_search_public",
            ),
        ),
        migrations.AddIndex(
            model_name="programme",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("public", True)),
                fields=["search_vector"],
                name="programme_search_public",
            ),
        ),
    ]
