"""Row-page querysets compiled to SQL once per process, then run with each request's key.

A row page runs the same few querysets with a different primary key each time; Django
builds each one's SQL afresh (joins, select list, deferred columns), which cost a cold
page more Python than the queries cost PostgreSQL. A `Prepared` queryset is built once
with a marker value where the key goes, compiled once, and then only executed: its rows
become model instances (with their select_related rows and annotations) as Django's own
ModelIterable makes them, so templates and template tags see the same objects.

Only constant querysets belong here: the SQL must not depend on anything but the key
(no dates, languages or settings read while building it).
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

# Stands for the key while the SQL is compiled; no real row has it.
MARKER = -7_301_931


class Prepared:
    """A queryset `build(MARKER, *variant)` compiled on first use for each variant (a few
    constants, such as how many rows a page shows), run by `rows(key, *variant)`."""

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self.build = build
        self._compiled: dict[tuple, tuple] = {}  # variant -> what rows() needs
        self._lock = Lock()

    def _compile(self, variant: tuple) -> tuple:
        """The SQL, its parameters, where the key goes in them, and how rows become objects."""
        queryset = self.build(MARKER, *variant)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots = [i for i, value in enumerate(params) if value == MARKER]
        if not slots:
            raise ValueError("the prepared queryset does not use its key")
        klass_info = compiler.klass_info
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in compiler.select[first:last]]
        populators = get_related_populators(klass_info, compiler.select, queryset.db)
        shape = (klass_info["model"], first, last, init_list, populators)
        return queryset.db, compiler, sql, list(params), slots, shape

    def rows(self, key: int, *variant) -> list[Model]:
        """The queryset's rows for `key`, as model instances."""
        compiled = self._compiled.get(variant)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(variant) or self._compile(variant)
                self._compiled[variant] = compiled
        db, compiler, sql, params, slots, shape = compiled
        params = list(params)
        for slot in slots:
            params[slot] = key
        with connections[db].cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        return [_instance(row, db, compiler, shape) for row in compiler.results_iter([fetched])]


def _instance(row: Any, db: str, compiler, shape: tuple) -> Model:
    """One row as ModelIterable makes it: the model, its related rows, its annotations."""
    model, first, last, init_list, populators = shape
    obj = model.from_db(db, init_list, row[first:last])
    for populator in populators:
        populator.populate(row, obj)
    for name, position in (compiler.annotation_col_map or {}).items():
        setattr(obj, name, row[position])
    return obj
