"""Load the measure taxonomy (fixtures/measures.json) so a fresh database has it.

Only inserts measures that are missing: a measure staff edited in the admin keeps
their edit. `ingest` adds measures the fixture gained later.
"""

import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "measures.json"


def load(apps, schema_editor):
    Measure = apps.get_model("catalogue", "Measure")
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    Measure.objects.bulk_create(
        [
            Measure(
                slug=row["slug"],
                name=row["name"],
                name_en=row["name_en"],
                kind=row["kind"],
                units=row["units"],
                keywords=row["keywords"],
            )
            for row in rows
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0008_measures")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
