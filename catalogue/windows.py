"""Newest-first windows of ids: how search, the lists' text filter and facets find the
newest rows that match without reading every match.

A text's GIN index yields all its matches at once, and their posting lists grow with the
table, so a common word would cost more the bigger the catalogue. Rows are therefore
looked for among the newest ids first. A window is the ids above `top - size` (a literal
range, which the planner sees); the first holds FIRST ids per row wanted and is walked
down the primary key, not through bitmaps (`walked`): it reads at most its own rows and
stops at the last row wanted, so a common word costs the rows of one window at any
table size. When it holds too few matches the text is rare, and each next window, WIDEN
times wider, is left to the planner (the GIN index, for a rare word) until a window
reaches the table's oldest id. A table no bigger than the first window is one window,
left to the planner too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TypeVar

from django.db import connection, transaction
from django.db.models import QuerySet

T = TypeVar("T")
FIRST = 32  # ids in the first window per row wanted
WIDEN = 8  # each next window is this many times wider
SERIAL = "SET LOCAL max_parallel_workers_per_gather = 0"
WALK = "SET LOCAL enable_bitmapscan = off"


@dataclass(frozen=True)
class Window:
    """The ids above `top - size` of a table whose newest and oldest ids are `top` and
    `bottom` (`size` None: every id); `walk` says its rows are read down the primary key."""

    size: int | None
    top: int = 0
    bottom: int = 0
    walk: bool = False

    @property
    def whole(self) -> bool:
        """Whether the window reaches the table's oldest id (or has no bound)."""
        return self.size is None or self.top - self.size < self.bottom

    def within(self, queryset: QuerySet) -> QuerySet:
        """`queryset`'s rows in the window."""
        # A literal, not a subquery: the planner then sees how narrow the range is.
        return queryset if self.whole else queryset.filter(pk__gt=self.top - self.size)

    def wider(self) -> Window:
        """The next window, left to the planner."""
        return replace(self, size=self.size * WIDEN, walk=False)

    def run(self, compute: Callable[[], T]) -> T:
        """`compute()`, its queries walking the primary key if this window is walked."""
        if not self.walk or self.whole:
            return compute()
        with walked():
            return compute()


EVERY_ID = Window(None)


def spans(models: list[type]) -> dict[type, tuple[int, int]]:
    """The newest and oldest id of each model's table ((0, 0) when empty), in one query."""
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    columns = ", ".join(f"(SELECT max(id) FROM {t}), (SELECT min(id) FROM {t})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")  # noqa: S608 - table names from the models
        ends = cursor.fetchone()
    return {model: (ends[2 * k] or 0, ends[2 * k + 1] or 0) for k, model in enumerate(models)}


def first(model: type, want: int, *, span: tuple[int, int] | None = None) -> Window:
    """The first window in which to look for `want` rows of `model`'s table (walked)."""
    top, bottom = span if span is not None else spans([model])[model]
    return Window(FIRST * want, top, bottom, walk=True)


def widening(window: Window) -> Iterator[Window]:
    """`window`, then ever wider ones, the last reaching the table's oldest id."""
    while True:
        yield window
        if window.whole:
            return
        window = window.wider()


@contextmanager
def walked() -> Iterator[None]:
    """A block whose queries read no bitmaps, so that an id window is walked down the
    primary key, and start no parallel workers; the block's end undoes both."""
    nested = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(WALK if nested else f"{WALK}; {SERIAL}")
        yield
        if nested:  # past a savepoint SET LOCAL outlives the block: undo it (an error rolls back)
            cursor.execute("SET LOCAL enable_bitmapscan = on")


def newest(matched: QuerySet, *, want: int, span: tuple[int, int] | None = None) -> list[int]:
    """Ids of the `want` newest rows of `matched`, looked for in widening windows of ids;
    `span` is the table's newest and oldest id when the caller knows them."""
    for window in widening(first(matched.model, want, span=span)):
        query = window.within(matched).order_by("-pk").values_list("pk", flat=True)[:want]
        ids = window.run(lambda query=query: list(query))
        if len(ids) >= want:
            return ids
    return ids
