"""The report table's indexes for ingest: three unused `_like` copies out, the URL in,
the near-duplicate index without a pending list.

- Django adds a `varchar_pattern_ops` (`_like`) index beside the btree of every indexed
  CharField, for LIKE 'prefix%'. No query matches a hash, a review status or a file
  path by prefix (identity looks them up by equality, which the unique key and the
  plain btrees serve), so these three only cost every ingested report's INSERT. The one
  on `region_id` stays: the admin's province filter asks `region_id LIKE '15%'`, and
  the database collation (C.UTF-8, not C) keeps the plain btree from serving that.
- Identity looks a report up by its original URL: without an index that walked the
  whole table for every ingested file.
- Ingest looks near duplicates up by `minhash_bands` right after inserting each report;
  with GIN's pending list (fastupdate) every look-up scanned the whole list.
"""

import django.contrib.postgres.indexes
from django.db import migrations, models

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
        *(
            migrations.RunSQL(
                sql=f"DROP INDEX IF EXISTS {name}",
                reverse_sql=(
                    f"CREATE INDEX IF NOT EXISTS {name} ON catalogue_report "
                    f"USING btree ({column} varchar_pattern_ops)"
                ),
            )
            for name, column in LIKE_INDEXES.items()
        ),
        migrations.SeparateDatabaseAndState(
            # The same index without its pending list: no rebuild needed.
            database_operations=[
                migrations.RunSQL(
                    sql=(
                        "ALTER INDEX report_minhash_bands SET (fastupdate = off); "
                        "SELECT gin_clean_pending_list('report_minhash_bands')"
                    ),
                    reverse_sql="ALTER INDEX report_minhash_bands RESET (fastupdate)",
                )
            ],
            state_operations=[
                migrations.RemoveIndex(model_name="report", name="report_minhash_bands"),
                migrations.AddIndex(
                    model_name="report",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fastupdate=False, fields=["minhash_bands"], name="report_minhash_bands"
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["url"], name="report_url"),
        ),
    ]
