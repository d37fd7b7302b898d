"""Region.name_en: every division's English name, computed once from its Chinese name."""

from django.db import migrations, models

from catalogue.region_names import english_name


def fill_name_en(apps, schema_editor):
    """Store the English name of every division (pinyin and a translated suffix)."""
    Region = apps.get_model("catalogue", "Region")
    regions = list(Region.objects.only("code", "name"))
    for region in regions:
        region.name_en = english_name(region.name)
    Region.objects.bulk_update(regions, ["name_en"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0015_public_flag"),
    ]

    operations = [
        migrations.AddField(
            model_name="region",
            name="name_en",
            field=models.CharField(blank=True, max_length=128, verbose_name="英文名称"),
        ),
        migrations.RunPython(fill_name_en, migrations.RunPython.noop),
    ]
