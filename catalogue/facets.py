"""Facets beside filter values, as Datasette shows them: value, count, selected, toggle link.

A reader's facets and row count read a bounded sample: the newest FACET_BOUND + 1 rows
that match (`Sample`; a text filter's are looked for in windows of ids, catalogue.windows),
so a page costs the same however many rows match; past the
bound the counts are lower bounds, shown as "N+". Each facet query runs under a time
limit (`time_limited`); one that runs out is dropped with a note instead of holding the
page. Many-to-many facets count in the through table. Exact counts over every row
(`EVERY_ROW`) are for ingest's refresh of the whole lists, never a reader's request.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Count, QuerySet
from django.http import QueryDict
from psycopg.errors import QueryCanceled

from . import windows
from .windows import SERIAL, Window

T = TypeVar("T")
_SAVEPOINT = "facet_time_limit"

# Parameters that never survive a change of filter: the page would be out of range and
# an export link is not a page.
RESET = ("page", "format")


@dataclass
class FacetValue:
    """One value of a facet with how many rows have it and the link that toggles it."""

    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class Facet:
    """A facet: the filter parameter it toggles and its most frequent values."""

    param: str
    title: str
    values: list[FacetValue]
    skipped: bool = False  # its query ran out of time: the page says so instead of counting
    # Counted over only the newest `bound` matching rows (more match): each count is a
    # lower bound, shown as "N+".
    bound: int | None = None


def toggle_url(query: QueryDict, param: str, value: str) -> str:
    """The current query string with `param` set to `value`, or removed if it already is."""
    params = query.copy()
    for name in RESET:
        params.pop(name, None)
    if params.get(param) == value:
        params.pop(param)
    else:
        params[param] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@dataclass(frozen=True)
class FacetSpec:
    """A facet over a field with one value per row (unit, level) or a many-to-many relation."""

    field: str
    param: str
    title: str
    labels: dict | None = None
    # What the parameter says for a stored value, where they differ: grouping by
    # measure_id spares a join, and links still say ?measure=<slug>.
    params: dict | None = None
    many: bool = False  # `field` is a many-to-many relation (themes): see through_counts


# Facets and the page count of a filtered list stop at this many rows, the newest that
# match, as search's counts do: past it each count is a lower bound, shown as "N+".
# Each counted row is a row read from the table, so the bound is what a page costs.
FACET_BOUND = 1_000
TOTAL = "__total__"
_IDS = "__ids__"
DENSE = "__dense__"  # a text filter matched more than the bound in its first window


@dataclass(frozen=True)
class Sample:
    """Which rows facets count: the newest `bound` + 1 (None: every row) in `window`
    (None: every row, newest report first; a text filter's rows are looked for in windows
    of ids, see catalogue.windows)."""

    bound: int | None = FACET_BOUND
    window: Window | None = None

    @property
    def whole(self) -> bool:
        """Whether the window, if any, reaches the table's oldest row."""
        return self.window is None or self.window.whole

    def rows(self, queryset: QuerySet, *columns: str) -> QuerySet:
        """`queryset`'s sampled rows as (pk, *columns) tuples."""
        if self.window is not None:
            queryset = self.window.within(queryset)
        rows = queryset.values_list("pk", *columns)
        if self.bound is None:
            return rows.order_by()
        return rows.order_by(*self.order(queryset))[: self.bound + 1]

    def run(self, compute: Callable[[], T]) -> T:
        """`compute()` over this sample (walking the primary key in a first window)."""
        return compute() if self.window is None else self.window.run(compute)

    def order(self, queryset: QuerySet) -> tuple[str, ...]:
        """Newest first: by id within a window; else by report, then id, so that filters on
        the report (place, year) walk the newest matching reports and stop at the bound."""
        has_report = any(f.name == "report" for f in queryset.model._meta.concrete_fields)
        return ("-pk",) if self.window is not None or not has_report else ("-report_id", "-pk")

    def covers(self, total: int) -> bool:
        """Whether `total` rows counted over this sample need no wider window."""
        return self.whole or (self.bound is not None and total > self.bound)

    def wider(self) -> Sample:
        """The next window."""
        return Sample(self.bound, self.window.wider())

    @classmethod
    def newest(
        cls, queryset: QuerySet, bound: int, *, text: bool = False, span: tuple | None = None
    ) -> Sample:
        """The newest `bound` + 1 rows of `queryset`, in windows of ids if it has a `text`
        filter (`span`: its table's newest and oldest ids, when known)."""
        window = windows.first(queryset.model, bound + 1, span=span) if text else None
        return cls(bound, window)


EVERY_ROW = Sample(bound=None, window=None)


def _level_join(model, key: str) -> str:
    """SQL joining grouped keys `g.key` (a region code, or a report id) to their region `rg`."""
    if key == "region_id" and model._meta.db_table == "catalogue_report":
        return "JOIN catalogue_region rg ON rg.code = g.key"
    return (
        "JOIN catalogue_report r ON r.id = g.key JOIN catalogue_region rg ON rg.code = r.region_id"
    )


def grouped_counts(queryset: QuerySet, specs: list[FacetSpec], *, sample: Sample) -> dict:
    """Field -> Counter of values for each single-valued spec, and TOTAL rows, in one query
    (and the sampled ids, when the sample is bounded).

    Counted over the sampled rows of `queryset` (see Sample), which the query reads
    once (a materialised CTE) through the primary key's index, so the cost follows the
    bound, not the matches. A region's level is counted per report (or region) first
    and only those groups are joined to their region: a join per distinct report, not
    per row.
    """
    model = queryset.model
    levels = [spec.field for spec in specs if spec.field.endswith("__level")]
    local = [spec.field for spec in specs if not spec.field.endswith("__level")]
    keys = [f"{field.partition('__')[0]}_id" for field in levels]
    sql, params = sample.rows(queryset, *local, *keys).query.sql_with_params()
    names = [f"c{i}" for i in range(len(local) + len(keys))]
    parts = ["SELECT 0, NULL, count(*) FROM sample"]
    if sample.bound is not None:  # the sampled ids, for the many-to-many facets
        parts.append("SELECT -1, string_agg(pk::text, ','), NULL FROM sample")
    for i, name in enumerate(names[: len(local)], start=1):
        parts.append(f"SELECT {i}, {name}::text, count(*) FROM sample GROUP BY 2")
    for j, (name, key) in enumerate(zip(names[len(local) :], keys, strict=True), len(local) + 1):
        grouped = f"SELECT {name} AS key, count(*) AS n FROM sample GROUP BY 1"
        join = _level_join(model, key)
        parts.append(f"SELECT {j}, rg.level, sum(g.n)::bigint FROM ({grouped}) g {join} GROUP BY 2")
    union = " UNION ALL ".join(parts)
    statement = f"WITH sample (pk, {', '.join(names)}) AS MATERIALIZED ({sql}) {union}"
    fields = [*local, *levels]
    counts: dict = {field: Counter() for field in fields}
    with connection.cursor() as cursor:
        cursor.execute(statement, params)  # noqa: S608 - columns and tables from the models
        for index, value, n in cursor.fetchall():
            if index == 0:
                counts[TOTAL] = n
            elif index == -1:
                counts[_IDS] = [int(pk) for pk in value.split(",")] if value else []
            elif value is not None:
                counts[fields[index - 1]][value] = int(n)
    return counts


def through_counts(
    queryset: QuerySet,
    relation: str,
    *,
    sample: Sample,
    ids: list[int] | None = None,
    value: str = "slug",
    label: str = "name",
) -> Counter:
    """(value, label) of each target -> how many of `queryset`'s sampled rows (`ids`, when
    `grouped_counts` found them already) link to it through the many-to-many `relation`.

    Counted in the through table, semi-joined to the rows: no NOT IN over every row, as
    `.exclude(relation__isnull=True)` on the rows themselves gives. The target's value
    and label come in the same query (the target table is small).
    """
    field = queryset.model._meta.get_field(relation)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    rows = sample.rows(queryset).values("pk") if ids is None else ids
    rows = (
        through.objects.filter(**{f"{source}__in": rows})
        .values_list(f"{target}__{value}", f"{target}__{label}")
        .annotate(n=Count("*"))
        .order_by()
    )
    return Counter({(key, name): n for key, name, n in rows})


def bounded_count(
    queryset: QuerySet,
    bound: int,
    *,
    text: bool = False,
    span: tuple | None = None,
    serial: bool = True,
) -> int:
    """How many rows `queryset` has, counting at most the newest `bound` + 1 (in windows of
    ids when it is filtered by `text`), so the cost follows the bound, not the matches."""
    return newest_count(queryset, bound, text=text, span=span, serial=serial).total


@dataclass(frozen=True)
class Counted:
    """A bounded count, and whether its first window of ids already held more than the
    bound (a text matching densely: its rows are best read walking the list's order)."""

    total: int
    dense: bool


def newest_count(
    queryset: QuerySet,
    bound: int,
    *,
    text: bool = False,
    span: tuple | None = None,
    serial: bool = True,
) -> Counted:
    """`queryset`'s rows counted as `bounded_count` counts them, and whether they are dense;
    `serial`: without parallel workers (a bounded read: they cost more than they save)."""
    first = sample = Sample.newest(queryset, bound, text=text, span=span)
    with ExitStack() as stack:
        if serial:
            stack.enter_context(transaction.atomic())
            stack.enter_context(connection.cursor()).execute(SERIAL)
        while True:
            total = sample.run(sample.rows(queryset).count)
            if sample.covers(total):
                dense = sample == first and first.window is not None and total > bound
                return Counted(total, dense)
            sample = sample.wider()


def counted(queryset: QuerySet, specs: list[FacetSpec], run: Callable, *, sample: Sample) -> dict:
    """Field -> Counter for each spec (None where `run` gave None: its query ran out of time),
    and TOTAL rows (None likewise), over `sample`'s rows, widening its window until the
    window holds more than the bound or covers the table; DENSE says the first one did.

    `run(compute)` runs one query (under a time limit, or not). Single-valued fields
    share one query per window; each many-to-many field has its own, once, over the
    ids that query sampled.
    """
    single = [spec for spec in specs if not spec.many]
    counts: dict = {spec.field: None for spec in single} | {TOTAL: None}
    first = sample
    while single:
        grouped = run(
            lambda sample=sample: sample.run(
                lambda: grouped_counts(queryset, single, sample=sample)
            )
        )
        if grouped is None:
            break
        counts = grouped
        if sample.covers(grouped[TOTAL]):
            break
        sample = sample.wider()
    # More matches than the bound among the first window's ids: matches are dense there.
    total = counts[TOTAL]
    counts[DENSE] = sample == first and first.window is not None and (total or 0) > first.bound
    ids = counts.pop(_IDS, None)  # the sample's rows, already found: not looked for again
    for spec in specs:
        if spec.many:
            counts[spec.field] = run(
                lambda field=spec.field: through_counts(queryset, field, sample=sample, ids=ids)
            )
    return counts


def _by_text(mapping: dict | None) -> dict:
    return {str(key): value for key, value in (mapping or {}).items()}


def build_facet(
    spec: FacetSpec,
    counter: Counter,
    *,
    query: QueryDict,
    limit: int = 12,
    bound: int | None = None,
) -> Facet:
    """The `limit` most frequent values of `counter` as a facet with toggle links; `bound`
    when they were counted over only that many of more matching rows."""
    current = query.get(spec.param)
    top = sorted(counter.items(), key=lambda item: (-item[1], str(item[0])))[:limit]
    values = []
    for value, count in top:
        if spec.many:  # through_counts: (value, label)
            value, label = value
            param = str(value)
        else:  # stored values come as text (grouped_counts): look them up as text
            param = str(_by_text(spec.params).get(str(value), value))
            label = str(_by_text(spec.labels).get(str(value), value))
        values.append(
            FacetValue(param, label, count, param == current, toggle_url(query, spec.param, param))
        )
    return Facet(spec.param, spec.title, values, bound=bound)


def time_limit_ms() -> int:
    """How long one facet query may run (settings.FACET_TIME_LIMIT_MS, 300 ms by default)."""
    return int(getattr(settings, "FACET_TIME_LIMIT_MS", 300))


def limited(compute: Callable[[], T], *, ms: int | None = None) -> T | None:
    """`compute()` under a statement timeout of `ms`; None if the database cancelled it."""
    with time_limited(ms) as run:
        return run(compute)


@contextmanager
def time_limited(ms: int | None = None) -> Iterator[Callable[[Callable[[], T]], T | None]]:
    """A block where `run(compute)` gives `compute()`, or None if one of its statements ran
    longer than `ms` milliseconds (settings.FACET_TIME_LIMIT_MS by default).

    The limit is `SET LOCAL statement_timeout` after a savepoint (in a transaction of
    its own outside one); it holds for each statement separately, so the facets of a
    page share one savepoint: a cancelled one rolls back to it and sets the limit
    again, and the end of the block rolls back to it, which undoes the setting, so the
    queries after it run without the limit. Facet queries only read: nothing is lost.
    Several statements share one execute (no parameters): two round trips per block.
    The block's queries run without parallel workers (SERIAL): each reads a bounded
    number of rows, and starting workers would cost more than it saves.
    """
    arm = f"SET LOCAL statement_timeout = {int(ms or time_limit_ms())}; {SERIAL}"
    with ExitStack() as stack:
        if not connection.in_atomic_block:
            stack.enter_context(transaction.atomic())
        cursor = stack.enter_context(connection.cursor())
        cursor.execute(f"SAVEPOINT {_SAVEPOINT}; {arm}")

        def run(compute: Callable[[], T]) -> T | None:
            try:
                return compute()
            except OperationalError as error:
                if not isinstance(error.__cause__, QueryCanceled):
                    raise
                cursor.execute(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}; {arm}")
                return None

        try:
            yield run
        finally:
            _release(cursor)


def _release(cursor) -> None:
    """Roll back to the facets' savepoint (undoing the limit) and release it.

    This statement still starts under the limit; should the limit cancel it (a loaded
    machine, a tiny limit), the second attempt runs without it.
    """
    sql = f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}; RELEASE SAVEPOINT {_SAVEPOINT}"
    try:
        cursor.execute(sql)
    except OperationalError as error:
        if not isinstance(error.__cause__, QueryCanceled):
            raise
        cursor.execute(sql)
