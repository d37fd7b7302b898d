"""A cursor for the writer's large statements: parameters bound on the server, in binary.

Part of the writer (load.py). Django binds parameters on the client (psycopg's
ClientCursor): each value, and each element of an array, is quoted into the SQL text
by Python code. For the batch's column arrays (ingest.new_rows) and each report's
MinHash arrays that quoting was the loader's largest cost of its own (~1.5 ms CPU per
report, measured on 300 generated reports). A statement run through `binary_cursor()`
with its placeholders written `%b` has its parameters sent beside the SQL in
PostgreSQL's binary format, which psycopg encodes in C, arrays included (about a tenth
of the CPU). It is Django's cursor wrapper around psycopg's server-binding cursor on
the same connection and transaction, so its statements are counted and logged like any
other (DEBUG, query-count tests) and its errors are Django's.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model


@contextmanager
def binary_cursor() -> Iterator[CursorWrapper]:
    """A cursor of the default connection whose `%b` parameters are bound on the server."""
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    with wrap(raw) as cursor:
        yield cursor


def insert_instance(obj: Model) -> None:
    """INSERT an unsaved instance's row in one statement and set its primary key.

    What `obj.save(force_insert=True)` writes (defaults, auto_now timestamps), without
    the model machinery: no save() override, no signals (the caller does what their
    receivers would), and array values sent whole instead of prepared element by
    element (a report's MinHash arrays are 160 integers).
    """
    model = type(obj)
    fields, sql = _insert_statement(model)
    values = [_prepared(field, field.pre_save(obj, add=True)) for field in fields]
    with binary_cursor() as cursor:
        cursor.execute(sql, values)
        setattr(obj, model._meta.pk.attname, cursor.fetchone()[0])
    obj._state.adding = False
    obj._state.db = connection.alias


@functools.cache
def _insert_statement(model: type[Model]) -> tuple[list[Field], str]:
    """The fields a model's INSERT writes and its SQL, built once per process."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(f"%b::{field.db_type(connection)}" for field in fields)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders}) "
        f"RETURNING {quote(model._meta.pk.column)}"
    )
    return fields, sql


def _prepared(field: Field, value: object) -> object:
    """The value as the database takes it; an array of plain values goes as it is."""
    if isinstance(field, ArrayField) and value is not None:
        return list(value)
    return field.get_db_prep_save(value, connection)
