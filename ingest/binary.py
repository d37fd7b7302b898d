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
other (DEBUG, query-count tests) and its errors are Django's. Integer arrays without
NULLs skip even psycopg's per-element loop (`packed`), and rows of one model go in
one statement, a column array each (`insert_columns`).
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import psycopg
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone
from psycopg.adapt import Dumper, PyFormat, Transformer


@contextmanager
def binary_cursor() -> Iterator[CursorWrapper]:
    """A cursor of the default connection whose `%b` parameters are bound on the server.

    The same psycopg cursor serves every call on a connection (one inside another gets
    a new one): a cursor remembers the dumpers it chose for each type of value, which
    a new cursor looks up again (~40 µs of a report's INSERT, measured).
    """
    connection.ensure_connection()
    reused = getattr(connection, _REUSED, None)
    if reused is None or reused.raw.closed or reused.raw.connection is not connection.connection:
        reused = _Reused(_new_cursor())
        setattr(connection, _REUSED, reused)
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    if reused.busy:
        with wrap(_new_cursor()) as cursor:
            yield cursor
        return
    reused.busy = True
    try:
        yield wrap(reused.raw)
    finally:
        reused.busy = False


def _new_cursor() -> psycopg.Cursor:
    """A server-binding cursor of the connection that sends packed integer arrays as they are."""
    raw = psycopg.Cursor(connection.connection)
    for packed in _PACKED.values():
        raw.adapters.register_dumper(packed, _PackedDumper)
    return raw


# The attribute of Django's (per-thread) connection that holds its reused cursor.
_REUSED = "_ingest_binary_cursor"


class _Reused:
    """A connection's psycopg cursor for `binary_cursor`, and whether a caller holds it."""

    def __init__(self, raw: psycopg.Cursor) -> None:
        self.raw, self.busy = raw, False


def insert_instance(obj: Model) -> None:
    """INSERT an unsaved instance's row in one statement and set its primary key.

    What `obj.save(force_insert=True)` writes (defaults, auto_now timestamps), without
    the model machinery: no save() override, no signals (the caller does what their
    receivers would), and array values sent whole instead of prepared element by
    element (a report's MinHash arrays are 160 integers).
    """
    insert, values = insert_parts(obj)
    with binary_cursor() as cursor:
        cursor.execute(f"{insert} RETURNING {_pk_column(type(obj))}", values)
        inserted(obj, cursor.fetchone()[0])


def insert_parts(obj: Model) -> tuple[str, dict]:
    """`insert_instance`'s statement without its RETURNING, to compose a larger one with,
    and its values: named `%(attname)b` placeholders, so the statement may read them again."""
    model = type(obj)
    fields, elements, sql = _insert_statement(model)
    values = {
        field.attname: _prepared(field, field.pre_save(obj, add=True), element)
        for field, element in zip(fields, elements, strict=True)
    }
    return sql, values


def inserted(obj: Model, pk: int) -> None:
    """Mark an instance saved under the primary key its INSERT returned."""
    setattr(obj, type(obj)._meta.pk.attname, pk)
    obj._state.adding = False
    obj._state.db = connection.alias


def _pk_column(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.pk.column)


@functools.cache
def _insert_statement(model: type[Model]) -> tuple[list[Field], list[str], str]:
    """The fields a model's INSERT writes, their arrays' element types and its SQL (an
    INSERT … SELECT, which a WHERE may follow), built once per process."""
    fields, _ = _unnest_fields(model)
    elements = [
        field.base_field.db_type(connection) if isinstance(field, ArrayField) else ""
        for field in fields
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(
        f"%({field.attname})b::{field.db_type(connection)}" for field in fields
    )
    return (
        fields,
        elements,
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) SELECT {placeholders}",
    )


def _prepared(field: Field, value: object, element: str) -> object:
    """The value as the database takes it; an array of plain values goes as it is."""
    if element and value is not None:
        return packed(list(value), element)
    return field.get_db_prep_save(value, connection)


def insert_columns(
    model: type[Model], columns: dict[str, list], count: int, *, returning: str = ""
) -> list[tuple]:
    """INSERT `count` rows in one INSERT … SELECT FROM unnest(…), one array per column.

    `columns` maps attnames to their values, row by row. What `bulk_create` would write:
    a column not given gets its default, an auto_now one now. A text column without
    NULLs travels as one string, its values joined by a separator none of them holds
    and split by the server (psycopg dumps an array element by element in Python; a
    batch's texts are thousands). An array column travels as each row's array in its
    text form, cast back by the server (unnest flattens an array of arrays).
    `returning` names columns to return, one tuple per row.
    """
    if not count:
        return []
    fields, types = _unnest_fields(model)
    now = timezone.now()
    arrays, joined = [], []
    for field, type_ in zip(fields, types, strict=True):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values = [now] * count
        elif field.attname in columns:
            values = columns[field.attname]
        else:
            values = [field.get_default()] * count
        text = _joined(values) if _is_text(field, type_) else None
        joined.append(text is not None)
        if text is not None:
            arrays.append(text)
        elif isinstance(field, ArrayField):
            arrays.append(_array_texts(values))
        else:
            arrays.append(packed(values, type_))
    with binary_cursor() as cursor:
        cursor.execute(_unnest_statement(model, returning, tuple(joined)), arrays)
        return cursor.fetchall() if returning else []


# The separator of a joined text column: a control character reports do not hold (a
# column where one does goes as an array, and so does a lone empty string:
# string_to_array('') is an empty array, not one empty string). Split on the server,
# the column costs it what the array did (backend CPU of 600 statements each way).
_SEPARATOR = "\x1f"


def _is_text(field: Field, type_: str) -> bool:
    return not isinstance(field, ArrayField) and (type_ == "text" or type_.startswith("varchar"))


def _joined(values: list) -> str | None:
    """The values as one string to split on the server, or None when they cannot be."""
    if None in values:
        return None
    try:
        text = _SEPARATOR.join(values)
    except TypeError:  # not all strings
        return None
    return text if text and text.count(_SEPARATOR) == len(values) - 1 else None


@functools.cache
def _unnest_fields(model: type[Model]) -> tuple[list[Field], list[str]]:
    """The fields an INSERT of a model writes (all but generated ones and an automatic
    primary key) and their types, once per process."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.generated and not (f.primary_key and isinstance(f, AutoFieldMixin))
    ]
    return fields, [field.db_type(connection) for field in fields]


@functools.cache
def _unnest_statement(model: type[Model], returning: str, joined: tuple[bool, ...]) -> str:
    """The SQL of `insert_columns`, for which of its columns come joined; once per process."""
    fields, types = _unnest_fields(model)
    quote = connection.ops.quote_name
    names = [f"c{n}" for n in range(len(fields))]
    arrays = []
    for field, type_, split in zip(fields, types, joined, strict=True):
        if split:
            arrays.append(f"string_to_array(%b::text, E'\\x1f')::{type_}[]")
        else:
            arrays.append(f"%b::{'text' if isinstance(field, ArrayField) else type_}[]")
    selected = ", ".join(
        f"{name}::{type_}" if isinstance(field, ArrayField) else name
        for name, field, type_ in zip(names, fields, types, strict=True)
    )
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"SELECT {selected} FROM unnest({', '.join(arrays)}) AS given({', '.join(names)})"
    )
    return f"{sql} RETURNING {returning}" if returning else sql


def _array_texts(arrays: list[list | None]) -> list[str | None]:
    """Each array as PostgreSQL's text form of it (psycopg's own quoting), None as NULL."""
    transformer = Transformer(connection.connection)
    texts = []
    for value in arrays:
        if value is None:
            texts.append(None)
        else:
            texts.append(bytes(transformer.get_dumper(value, PyFormat.TEXT).dump(value)).decode())
    return texts


class _PackedArray(bytes):
    """A one-dimensional integer array without NULLs, already in PostgreSQL's binary form."""

    oid = 0


class _Int8Array(_PackedArray):
    oid = 1016  # bigint[]


class _Int4Array(_PackedArray):
    oid = 1007  # integer[]


class _PackedDumper(Dumper):
    """Sends a _PackedArray's bytes as they are, typed by its class."""

    format = psycopg.pq.Format.BINARY

    def __init__(self, cls: type, context: object = None) -> None:
        super().__init__(cls, context)
        self.oid = cls.oid

    def dump(self, obj: _PackedArray) -> bytes:
        """The array's binary form."""
        return obj


# Element type name -> packed class -> (numpy element type, element oid).
_PACKED = {"bigint": _Int8Array, "integer": _Int4Array}
_ELEMENTS = {_Int8Array: (">i8", 20), _Int4Array: (">i4", 23)}
_HEAD = struct.Struct(">iiIii")


def packed(values: list, element: str) -> object:
    """Integers for a `bigint[]` or `integer[]` parameter, packed by numpy in one go.

    psycopg dumps an array element by element in Python (~0.25 µs each: a batch's
    integer columns are thousands); a list holding anything but ints (None, bools),
    a value out of range or another element type comes back as it is, for psycopg.
    """
    cls = _PACKED.get(element)
    if cls is None or not values or set(map(type, values)) != {int}:
        return values
    dtype, oid = _ELEMENTS[cls]
    array = np.empty(len(values), np.dtype([("length", ">i4"), ("value", dtype)]))
    array["length"] = array.dtype["value"].itemsize
    try:
        array["value"] = values
    except OverflowError:
        return values
    return cls(_HEAD.pack(1, 0, oid, len(values), 1) + array.tobytes())
