"""Keep RegionCount and RegionSeries: per region, its public reports, and per measure and unit
its public figures, the reports they stand in and the ids of the latest.

Both are rewritten region by region together with the measure summary
(catalogue.measure_summary.refresh names the regions a write touched; its rebuild
rewrites everything), inside the writer's transaction and under the summary's lock, so a
reader sees new counts exactly when it sees the new catalogue version. Their DELETE and
INSERT ride as WITH clauses on the summary's own DELETE and INSERT (`statements`), so a
report load makes no extra round trip for them.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db import connection

from .models import RegionCount, RegionSeries

# How many of a series' latest figure ids are kept: what the timeline page lists per series.
SERIES_LATEST = 50

_COUNTS = RegionCount._meta.db_table
_SERIES = RegionSeries._meta.db_table
_COUNT_REPORTS = (
    f"INSERT INTO {_COUNTS} (region_id, reports)"
    " SELECT r.region_id, count(*) FROM catalogue_report r"
    " WHERE NOT r.hidden AND r.region_id IS NOT NULL{where} GROUP BY r.region_id"
)
# Public rows are in public reports (catalogue.public), so no test of `hidden` here. Latest:
# newest report date first (an undated report counts as newest), then report, then figure.
_COUNT_SERIES = (
    f"INSERT INTO {_SERIES} (region_id, measure_id, unit, figures, reports, latest)"
    " SELECT r.region_id, i.measure_id, i.unit, count(*), count(DISTINCT i.report_id),"
    " (array_agg(i.id ORDER BY r.published DESC NULLS FIRST, i.report_id DESC, i.id DESC))"
    f"[1:{SERIES_LATEST}]"
    " FROM catalogue_indicator i JOIN catalogue_report r ON r.id = i.report_id"
    " WHERE i.public AND i.measure_id IS NOT NULL AND r.region_id IS NOT NULL{where}"
    " GROUP BY r.region_id, i.measure_id, i.unit"
)


@dataclass(frozen=True)
class Statements:
    """WITH clauses (and their parameters) that delete, then insert, the counts of some regions."""

    delete: str
    delete_params: list
    insert: str
    insert_params: list


def statements(codes: Collection[str] | None) -> Statements:
    """The WITH clauses that recount `codes` (every region when None): the first to prefix a
    DELETE, the second an INSERT that runs after it."""
    if codes is None:
        where, matching, params = "", "", []
    else:
        where, matching, params = (
            " AND r.region_id = ANY(%s)",
            " WHERE region_id = ANY(%s)",
            [sorted(codes)],
        )
    return Statements(
        delete=(
            f"WITH region_counts AS (DELETE FROM {_COUNTS}{matching}),"
            f" region_series AS (DELETE FROM {_SERIES}{matching})"
        ),
        delete_params=params * 2,
        insert=(
            f"WITH region_counts AS ({_COUNT_REPORTS.format(where=where)}),"
            f" region_series AS ({_COUNT_SERIES.format(where=where)})"
        ),
        insert_params=params * 2,
    )


def insert_all() -> None:
    """Count every region into the empty tables (the migration that made them)."""
    counting = statements(None)
    with connection.cursor() as cursor:
        cursor.execute(f"{counting.insert} SELECT 1", counting.insert_params)
