"""Drop the report table's `varchar_pattern_ops` (`_like`) indexes no query needs.

Django adds one beside the btree of every indexed CharField, for LIKE 'prefix%'. No
query matches a hash, a review status or a file path by prefix (identity looks them
up by equality, which the unique key and the plain btrees serve), so these three only
cost every ingested report's INSERT. The one on `region_id` stays: the admin's province
filter asks `region_id LIKE '15%'`, and the database collation (C.UTF-8, not C) keeps
the plain btree from serving that.
"""

from django.db import migrations

LIKE_INDEXES = {
    "catalogue_report_sha256_1adf78de_like": "sha256",
    "catalogue_report_review_status_5662556e_like": "review_status",
    "catalogue_report_source_path_372cd540_like": "source_path",
}


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0021_region_counts"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"DROP INDEX IF EXISTS {name}",
            reverse_sql=(
                f"CREATE INDEX IF NOT EXISTS {name} ON catalogue_report "
                f"USING btree ({column} varchar_pattern_ops)"
            ),
        )
        for name, column in LIKE_INDEXES.items()
    ]
