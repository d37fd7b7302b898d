"""Load the administrative division table (fixtures/divisions.csv) so a fresh database has it."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parents[2] / "fixtures" / "divisions.csv"
DEPTH = {"province": 0, "prefecture": 1, "county": 2}


def load(apps, schema_editor):
    Region = apps.get_model("catalogue", "Region")
    with CSV.open(encoding="utf-8", newline="") as fh:
        rows = [row for row in csv.DictReader(line for line in fh if not line.startswith("#"))]
    rows.sort(key=lambda row: (DEPTH[row["level"]], row["code"]))
    Region.objects.bulk_create(
        [
            Region(
                code=row["code"],
                name=row["name"],
                short_name=row["short_name"],
                level=row["level"],
                parent_id=row["parent"] or None,
            )
            for row in rows
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "short_name", "level", "parent"],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
