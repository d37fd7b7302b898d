"""Facets beside filter values, as Datasette shows them: value, count, selected, toggle link.

Each facet query runs under a time limit (`limited`); one that runs out is dropped
with a note instead of holding the page. Many-to-many facets count in the through table.
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


def grouped_counts(queryset: QuerySet, fields: list[str]) -> tuple[list[Counter], int]:
    """Counts of each of `fields`' values and the number of rows, from one GROUP BY over them all.

    Each row falls in exactly one group, so the groups' sizes add up to the row count
    and to each field's value counts: one pass over the filtered rows instead of one
    per facet plus one for the paginator.
    """
    rows = queryset.order_by().values_list(*fields).annotate(n=Count("pk"))
    total, counters = 0, [Counter() for _ in fields]
    for *values, n in rows:
        total += n
        for counter, value in zip(counters, values, strict=True):
            if value is not None:
                counter[value] += n
    return counters, total


def through_counts(
    queryset: QuerySet, relation: str, *, value: str = "slug", label: str = "name"
) -> Counter:
    """(value, label) of each target -> how many of `queryset`'s rows link to it through the
    many-to-many `relation`.

    Counted in the through table, semi-joined to the rows: no NOT IN over every row, as
    `.exclude(relation__isnull=True)` on the rows themselves gives. The target's value
    and label come in the same query (the target table is small).
    """
    field = queryset.model._meta.get_field(relation)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    rows = (
        through.objects.filter(**{f"{source}__in": queryset.order_by().values("pk")})
        .values_list(f"{target}__{value}", f"{target}__{label}")
        .annotate(n=Count("*"))
        .order_by()
    )
    return Counter({(key, name): n for key, name, n in rows})


def build_facet(spec: FacetSpec, counter: Counter, *, query: QueryDict, limit: int = 12) -> Facet:
    """The `limit` most frequent values of `counter` as a facet with toggle links."""
    current = query.get(spec.param)
    top = sorted(counter.items(), key=lambda item: (-item[1], str(item[0])))[:limit]
    values = []
    for value, count in top:
        if spec.many:  # through_counts: (value, label)
            value, label = value
            param = str(value)
        else:
            param = str((spec.params or {}).get(value, value))
            label = str((spec.labels or {}).get(value, value))
        values.append(
            FacetValue(param, label, count, param == current, toggle_url(query, spec.param, param))
        )
    return Facet(spec.param, spec.title, values)


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
    """
    arm = f"SET LOCAL statement_timeout = {int(ms or time_limit_ms())}"
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
