"""Report text and body move to a one-to-one table, out of the row every list reads."""

import django.db.models.deletion
from django.db import migrations, models

COPY = """
INSERT INTO catalogue_reporttext (report_id, text, body)
SELECT id, text, body FROM catalogue_report
"""
COPY_BACK = """
UPDATE catalogue_report r SET text = t.text, body = t.body
FROM catalogue_reporttext t WHERE t.report_id = r.id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0012_catalogue_state"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReportText",
            fields=[
                (
                    "report",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="content",
                        serialize=False,
                        to="catalogue.report",
                        verbose_name="报告",
                    ),
                ),
                ("text", models.TextField(verbose_name="原始文本")),
                ("body", models.TextField(verbose_name="正文")),
            ],
            options={
                "verbose_name": "报告正文",
                "verbose_name_plural": "报告正文",
            },
        ),
        migrations.RunSQL(COPY, COPY_BACK),
        # Reversing works on an empty table only: the columns come back NOT NULL.
        migrations.RemoveField(model_name="report", name="body"),
        migrations.RemoveField(model_name="report", name="text"),
    ]
