"""Keep RegionCount and RegionSeries: per region, its public reports, and per measure and unit
its public figures and the reports they stand in.

Both are rewritten region by region together with the measure summary
(catalogue.measure_summary.refresh names the regions a write touched; its rebuild
rewrites everything), inside the writer's transaction and under the summary's lock, so a
reader sees new counts exactly when it sees the new catalogue version.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import connection

from .models import RegionCount, RegionSeries

_REPORTS = (
    "INSERT INTO {table} (region_id, reports)"
    " SELECT r.region_id, count(*) FROM catalogue_report r"
    " WHERE NOT r.hidden AND r.region_id IS NOT NULL{where} GROUP BY r.region_id"
)
# Public rows are in public reports (catalogue.public), so no test of `hidden` here.
# How many of a series' latest figure ids are kept: what the timeline page lists per series.
SERIES_LATEST = 50
_SERIES = (
    "INSERT INTO {table} (region_id, measure_id, unit, figures, reports, latest)"
    " SELECT r.region_id, i.measure_id, i.unit, count(*), count(DISTINCT i.report_id),"
    " (array_agg(i.id ORDER BY r.published DESC NULLS FIRST, i.report_id DESC, i.id DESC))"
    f"[1:{SERIES_LATEST}]"
    " FROM catalogue_indicator i JOIN catalogue_report r ON r.id = i.report_id"
    " WHERE i.public AND i.measure_id IS NOT NULL AND r.region_id IS NOT NULL{where}"
    " GROUP BY r.region_id, i.measure_id, i.unit"
)


def refresh(codes: Collection[str]) -> None:
    """Recount the regions `codes` (call it in the writer's transaction, under the summary lock)."""
    if not codes:
        return
    codes = sorted(codes)
    RegionCount.objects.filter(region_id__in=codes).delete()
    RegionSeries.objects.filter(region_id__in=codes).delete()
    _insert(" AND r.region_id = ANY(%s)", [codes])


def rebuild() -> None:
    """Recount every region (call it in the writer's transaction, under the summary lock)."""
    RegionCount.objects.all().delete()
    RegionSeries.objects.all().delete()
    insert_all()


def insert_all() -> None:
    """Count every region into the empty tables (rebuild, and the migration that made them)."""
    _insert("", [])


def _insert(where: str, params: list) -> None:
    with connection.cursor() as cursor:
        for sql, model in ((_REPORTS, RegionCount), (_SERIES, RegionSeries)):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(sql.format(table=table, where=where), params)
