"""Keep MeasureSummary: each region's latest public figure per measure, unit and period kind.

The summary is rewritten region by region inside the writer's transaction, so a reader
sees the new figures exactly when it sees the new catalogue version:

- ingest wraps each report load in `batch()` and names the report it wrote;
- staff saves of reports and extracted rows (edits, rejections, hides) refresh the
  regions of their report through the signals connected by `connect()`;
- `rebuild()` (the `rebuild_measure_summary` command, migration 0019) rewrites it all.

The per-region counts (catalogue.region_counts) are rewritten with it, for the same regions.

Inside `batch()` saves only note what they touch and the regions are refreshed once at
its end, so a report load with dozens of saves costs one refresh.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.signals import post_delete, post_save, pre_save

from . import region_counts
from .models import Indicator, Initiative, MeasureSummary, Programme, Report

_LOCK = "catalogue.measure_summary"
# Summary column <- indicator lookup, in the order of the INSERT.
COLUMNS = {
    "region_id": "report__region_id",
    "measure_id": "measure_id",
    "unit": "unit",
    "period_kind": "period_kind",
    "indicator_id": "pk",
    "report_id": "report_id",
    "level": "report__region__level",
    "value": "value",
    "qualifier": "qualifier",
    "figure": "figure",
    "period": "period",
    "period_year": "period_year",
    "published": "report__published",
}
KEY = ("report__region_id", "measure_id", "unit", "period_kind")
# Latest first: the latest period year, then the latest report, then the largest figure.
LATEST = (
    F("period_year").desc(nulls_last=True),
    F("report__published").desc(nulls_last=True),
    F("report_id").desc(),
    F("value").desc(),
    "pk",
)


def latest_rows(indicators: QuerySet[Indicator]) -> QuerySet:
    """The latest of `indicators` per region, measure, unit and period kind, as summary columns."""
    return (
        indicators.filter(measure__isnull=False, report__region__isnull=False)
        .order_by(*KEY, *LATEST)
        .distinct(*KEY)
        .values_list(*COLUMNS.values())
    )


def insert_latest(
    indicators: QuerySet[Indicator], *, table: str, with_: tuple[str, list] = ("", [])
) -> int:
    """INSERT … SELECT the latest rows of `indicators` into `table` (after the WITH clause
    `with_`, if any); how many were written."""
    sql, params = latest_rows(indicators).query.sql_with_params()
    names = ", ".join(connection.ops.quote_name(name) for name in COLUMNS)
    prefix, prefix_params = with_
    with connection.cursor() as cursor:
        cursor.execute(
            f"{prefix} INSERT INTO {connection.ops.quote_name(table)} ({names}) {sql}",
            [*prefix_params, *params],
        )
        return cursor.rowcount


def _rewrite(indicators: QuerySet[Indicator], codes: set[str] | None) -> int:
    """Delete the summary and the region counts of `codes` (all when None), then insert them
    again from `indicators`: two statements, the counts riding on the summary's."""
    counting = region_counts.statements(codes)
    table = connection.ops.quote_name(MeasureSummary._meta.db_table)
    where, params = ("", []) if codes is None else (" WHERE region_id = ANY(%s)", [sorted(codes)])
    with connection.cursor() as cursor:
        cursor.execute(
            f"{counting.delete} DELETE FROM {table}{where}", [*counting.delete_params, *params]
        )
    return insert_latest(
        indicators,
        table=MeasureSummary._meta.db_table,
        with_=(counting.insert, counting.insert_params),
    )


def _lock() -> None:
    """Serialise summary rewrites: two writers refreshing one region would collide on its key."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [_LOCK])


def refresh(*, regions: Iterable[str] = (), reports: Iterable[int] = ()) -> None:
    """Recompute the summary of `regions` and of the regions of `reports` (and their reprints)."""
    codes = {code for code in regions if code}
    report_ids = {pk for pk in reports if pk}
    if report_ids:
        codes |= set(_reprint_groups(report_ids).values_list("region_id", flat=True))
    codes.discard(None)
    if not codes:
        return
    with transaction.atomic():
        _lock()
        _rewrite(Indicator.objects.public().filter(report__region_id__in=codes), codes)


def _reprint_groups(report_ids: set[int]) -> QuerySet[Report]:
    """The reports `report_ids` and every report of their reprint groups (hiding one shows another)."""
    heads = Report.objects.filter(pk__in=report_ids, duplicate_of__isnull=False).values(
        "duplicate_of"
    )
    return Report.objects.filter(
        Q(pk__in=report_ids)
        | Q(duplicate_of__in=report_ids)
        | Q(pk__in=heads)
        | Q(duplicate_of__in=heads)
    ).filter(region__isnull=False)


def rebuild() -> int:
    """Rewrite the whole summary (and the region counts) from the public rows; how many rows
    the summary holds."""
    with transaction.atomic():
        _lock()
        return _rewrite(Indicator.objects.public(), None)


@dataclass
class Touched:
    """What the writes inside one batch touched: regions, and reports whose regions to refresh."""

    regions: set[str] = field(default_factory=set)
    reports: set[int] = field(default_factory=set)


_batch: ContextVar[Touched | None] = ContextVar("measure_summary_batch", default=None)


@contextmanager
def batch() -> Iterator[Touched]:
    """Within the block saves only note what they touch; the summary is refreshed once at its end.

    Use it inside the writer's transaction. Writes that send no signal (bulk inserts,
    queryset updates) add their reports to the yielded Touched themselves.
    """
    outer = _batch.get()
    if outer is not None:
        yield outer
        return
    touched = Touched()
    token = _batch.set(touched)
    try:
        yield touched
    finally:
        _batch.reset(token)
    refresh(regions=touched.regions, reports=touched.reports)


def _touch(*, regions: Iterable[str] = (), reports: Iterable[int] = ()) -> None:
    """Refresh now, or note for the end of the current batch."""
    touched = _batch.get()
    if touched is None:
        refresh(regions=regions, reports=reports)
    else:
        touched.regions.update(code for code in regions if code)
        touched.reports.update(pk for pk in reports if pk)


def touch_regions(*, regions: Iterable[str] = (), reports: Iterable[int] = ()) -> None:
    """These regions, and the regions of these reports, changed: refresh them (now or at the
    end of the current batch)."""
    _touch(regions=regions, reports=reports)


def touch_reports(report_ids: Iterable[int]) -> None:
    """The public flags of these reports' rows changed: refresh their regions (now or at the
    end of the current batch)."""
    _touch(reports=report_ids)


def note_old_region(sender, instance: Report, update_fields=None, **signal: object) -> None:
    """Before a report's region may change, remember the old one: its summary loses the report."""
    if instance.pk is None or (
        update_fields is not None and not {"region", "region_id"} & set(update_fields)
    ):
        return
    instance._summary_old_region = (
        Report.objects.filter(pk=instance.pk).values_list("region_id", flat=True).first()
    )


def report_saved(sender, instance: Report, **signal: object) -> None:
    """A report was saved (hidden, shown, edited) or deleted: refresh its region(s)."""
    regions = {instance.region_id, getattr(instance, "_summary_old_region", None)}
    _touch(regions=[code for code in regions if code], reports=[instance.pk])


def row_saved(sender, instance, **signal: object) -> None:
    """An extracted row was saved (edited, rejected, restored) or deleted: refresh its region."""
    _touch(reports=[instance.report_id])


def connect() -> None:
    """Keep the summary after staff saves (called from catalogue.state.connect)."""
    pre_save.connect(note_old_region, sender=Report, dispatch_uid="summary-report-old")
    post_save.connect(report_saved, sender=Report, dispatch_uid="summary-report")
    post_delete.connect(report_saved, sender=Report, dispatch_uid="summary-report-delete")
    for model in (Programme, Initiative, Indicator):
        post_save.connect(row_saved, sender=model, dispatch_uid=f"summary-{model.__name__}")
        # History already sends a signal per deleted row: these deletes were never bulk.
        post_delete.connect(row_saved, sender=model, dispatch_uid=f"summary-del-{model.__name__}")
