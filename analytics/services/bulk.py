"""Set-based upserts of facts on their natural keys.

PostgreSQL, large batches (a backfill, bench/ingest.py): COPY the batch into a temporary staging
table, then one ``INSERT … SELECT … ON CONFLICT (key) DO UPDATE`` (or ``DO NOTHING`` for
append-only tables). Measured on this machine (docs/performance.md) against a plain COPY, where
``bulk_create(update_conflicts=True)`` reaches ~0.15: the staging table is the fast path.

PostgreSQL, small batches (a sync's page of ≤ 100 posts): the same statement reading its rows
from one array per column (``INSERT … SELECT … FROM unnest(%s::bigint[], …)``), one round trip
and no staging table. Creating and truncating a temporary table are catalog writes that every
other session must process (cache invalidations): with 32 syncs in flight they cost more than the
rows (docs/performance.md "Sync").

SQLite (the embedded demo): ``INSERT … ON CONFLICT`` through ``executemany`` in chunks — SQLite
has no COPY and its executemany is already a tight loop in C.

Callers pass plain tuples of Python values in ``columns`` order (a JSON column takes the
object, serialised here for each database); values are never interpolated into SQL (only column
and table names taken from model metadata are).
"""

import functools
import json
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice

from django.db import connection, models, transaction
from psycopg.postgres import types as postgres_types
from psycopg.types.json import Jsonb

SQLITE_CHUNK = 2_000
# Rows staged and inserted per statement on PostgreSQL. ~50,000 snapshot rows (~150 bytes) fill
# the 8 MB of temp_buffers (PostgreSQL's default) a session keeps temporary tables in: a bigger
# batch spills the staging table to disk and reads it back. Measured in docs/performance.md.
STAGE_CHUNK = 50_000
# Batches up to this many rows go in one statement with their rows as arrays; more are staged.
ARRAY_ROWS = 1_000


@dataclass(frozen=True)
class UpsertSpec:
    """How one fact table is upserted: its columns, natural key, columns a newer row updates
    (empty: append-only, a redelivered row is ignored), and among those the ones a NULL never
    erases (``COALESCE(new, old)``: a network that did not report a value this time has not
    taken it back)."""

    model: type[models.Model]
    columns: tuple[str, ...]
    key: tuple[str, ...]
    update: tuple[str, ...] = ()
    keep_when_null: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not set(self.key) <= set(self.columns) or not set(self.update) <= set(self.columns):
            raise ValueError("key and update must be columns")
        if not set(self.keep_when_null) <= set(self.update):
            raise ValueError("keep_when_null must be among update")

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def _column(self, name: str) -> str:
        return self.model._meta.get_field(name).column

    def column_names(self) -> list[str]:
        return [self._column(name) for name in self.columns]

    def key_names(self) -> list[str]:
        return [self._column(name) for name in self.key]

    def update_names(self) -> list[str]:
        return [self._column(name) for name in self.update]

    def keep_names(self) -> set[str]:
        return {self._column(name) for name in self.keep_when_null}


@functools.lru_cache(maxsize=1024)
def _quote(name: str) -> str:
    # Cached: the upserts quote the same few names at every batch, and each lookup of
    # ``connection`` goes through Django's per-thread proxy. One database per process.
    return connection.ops.quote_name(name)


def _assignments(spec: UpsertSpec, new: str) -> str:
    """``col = new.col`` for each updated column, ``COALESCE(new.col, table.col)`` where a NULL
    must not erase the stored value."""
    table, keep = _quote(spec.table), spec.keep_names()
    parts = []
    for column in spec.update_names():
        name = _quote(column)
        value = f"COALESCE({new}.{name}, {table}.{name})" if column in keep else f"{new}.{name}"
        parts.append(f"{name} = {value}")
    return ", ".join(parts)


@functools.lru_cache(maxsize=64)
def _conflict_clause(spec: UpsertSpec) -> str:
    keys = ", ".join(_quote(c) for c in spec.key_names())
    if not spec.update:
        return f"ON CONFLICT ({keys}) DO NOTHING"
    return f"ON CONFLICT ({keys}) DO UPDATE SET {_assignments(spec, 'EXCLUDED')}"


def _copy_types(spec: UpsertSpec) -> list[int] | None:
    """PostgreSQL type oids of the columns, for a binary COPY (None: a type psycopg does not know
    built in, copy as text). Built-in oids are the same in every database: no query needed."""
    oids = []
    for name in spec.columns:
        db_type = spec.model._meta.get_field(name).db_type(connection) or ""
        info = postgres_types.get(db_type.split("(")[0].strip())
        if info is None:
            return None
        oids.append(info.oid)
    return oids


def _batches(rows: Iterable[Sequence]) -> Iterator[list[Sequence]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, STAGE_CHUNK)):
        yield batch


def _staged(cursor, spec: UpsertSpec, rows: Iterable[Sequence]) -> Iterator[str]:
    """COPY ``rows`` into this session's staging table of ``spec``, STAGE_CHUNK rows at a time,
    and yield its quoted name once per chunk for the caller's statement; empty it at the end.

    One staging table per column list: two specs of one table with different columns must not
    share it. A temporary table lives in this session only: concurrent writers never see each
    other's rows. Binary COPY: psycopg's text formatting costs three times as much client time.
    """
    columns = ", ".join(_quote(c) for c in spec.column_names())
    digest = zlib.crc32(columns.encode()) & 0xFFFFFFFF
    stage = _quote(f"_stage_{spec.table}_{digest:08x}")
    types = _copy_types(spec)
    copy_sql = f"COPY {stage} ({columns}) FROM STDIN" + (" (FORMAT BINARY)" if types else "")
    created = False
    for batch in _batches(rows):
        if not created:
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {stage} AS SELECT {columns} FROM {_quote(spec.table)} WITH NO DATA"  # noqa: S608
            )
            created = True
        cursor.execute(f"TRUNCATE {stage}")
        # psycopg 3's own cursor: Django's wrapper has no copy(). Statements other than COPY go
        # through Django's wrapper, so query counts in tests and instrumentation see them.
        with cursor.cursor.copy(copy_sql) as copy:
            if types:
                copy.set_types(types)
            for row in batch:
                copy.write_row(row)
        yield stage
    if created:
        cursor.execute(f"TRUNCATE {stage}")  # frees the rows now, not at the session's next batch


def _small(rows: Iterable[Sequence]) -> tuple[list[Sequence] | None, Iterable[Sequence]]:
    """(the rows as a list, if at most ARRAY_ROWS; else None) and the rows to stage."""
    iterator = iter(rows)
    head = list(islice(iterator, ARRAY_ROWS + 1))
    if len(head) <= ARRAY_ROWS:
        return head, ()
    return None, chain(head, iterator)


@functools.lru_cache(maxsize=64)
def _array_shape(spec: UpsertSpec) -> tuple[str, tuple[bool, ...]]:
    """``unnest(%s::type[], …) AS s(columns)`` and which columns are JSON: the same text at every
    batch of a spec, built once."""
    casts, json_columns = [], []
    for name in spec.columns:
        field = spec.model._meta.get_field(name)
        json_columns.append(isinstance(field, models.JSONField))
        casts.append(f"%s::{field.db_type(connection)}[]")
    columns = ", ".join(_quote(c) for c in spec.column_names())
    return f"unnest({', '.join(casts)}) AS s({columns})", tuple(json_columns)


def _binding_cursor():
    """A cursor of this thread's connection that sends its parameters apart from the SQL text
    (psycopg's server-side binding), wrapped by Django like any other (query counts, debug).

    Django's default cursor binds on the client: every element of the one-array-per-column
    parameters is quoted into the text in Python (``Dumper.quote``), which was 12 % of the sync
    worker's CPU (docs/performance.md "Sync"). Sent as parameters, the arrays need no quoting.
    Statements are still not prepared (Django's ``prepare_threshold`` is None: poolers keep
    working)."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    # _prepare_cursor: what connection.cursor() does with the cursor it creates.
    return connection._prepare_cursor(ServerBindingCursor(connection.connection))


def _array_source(spec: UpsertSpec, rows: list[Sequence]) -> tuple[str, list[list]]:
    """``unnest(%s::type[], …) AS s(columns)`` and its parameters: one array per column."""
    source, json_columns = _array_shape(spec)
    params = []
    for index, is_json in enumerate(json_columns):
        values = [row[index] for row in rows]
        params.append([None if v is None else Jsonb(v) for v in values] if is_json else values)
    return source, params


def _upsert_postgresql(spec: UpsertSpec, rows: Iterable[Sequence], returning: Sequence[str] = ()) -> list | int:
    """The upsert; with ``returning`` (model field names), the rows' values of those columns
    instead of a count."""
    columns = ", ".join(_quote(c) for c in spec.column_names())
    keys = ", ".join(_quote(c) for c in spec.key_names())
    distinct = f"DISTINCT ON ({keys}) " if spec.update else ""
    answer = f" RETURNING {', '.join(_quote(spec._column(name)) for name in returning)}" if returning else ""
    small, rows = _small(rows)
    written, fetched = 0, []
    if small:
        source, params = _array_source(spec, small)
        with _binding_cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {_quote(spec.table)} ({columns}) SELECT {distinct}{columns} FROM {source} "  # noqa: S608
                f"{_conflict_clause(spec)}{answer}",
                params,
            )
            return cursor.fetchall() if returning else cursor.rowcount
    with connection.cursor() as cursor:
        for stage in _staged(cursor, spec, rows):
            # ON CONFLICT DO UPDATE refuses to touch one row twice: keep one row per key.
            select = f"SELECT {distinct}{columns} FROM {stage}"  # noqa: S608
            cursor.execute(f"INSERT INTO {_quote(spec.table)} ({columns}) {select} {_conflict_clause(spec)}{answer}")
            written += cursor.rowcount
            if returning:
                fetched += cursor.fetchall()
    return fetched if returning else written


def _update_postgresql(spec: UpsertSpec, rows: Iterable[Sequence]) -> int:
    table = _quote(spec.table)
    match = " AND ".join(f"{table}.{_quote(c)} = s.{_quote(c)}" for c in spec.key_names())
    small, rows = _small(rows)
    written = 0
    if small:
        source, params = _array_source(spec, small)
        with _binding_cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {_assignments(spec, 's')} FROM {source} WHERE {match}", params)  # noqa: S608
            return cursor.rowcount
    with connection.cursor() as cursor:
        for stage in _staged(cursor, spec, rows):
            cursor.execute(f"UPDATE {table} SET {_assignments(spec, 's')} FROM {stage} AS s WHERE {match}")  # noqa: S608
            written += cursor.rowcount
    return written


def _sqlite_adapters(spec: UpsertSpec, names: Sequence[str]) -> list:
    """Django's own conversion of each datetime, date and JSON column: sqlite3's default adapter
    writes an aware datetime as text with "+00:00", which then compares wrongly (as text) with
    the values Django writes and queries with."""
    ops = connection.ops
    adapters: list = []
    for name in names:
        field = spec.model._meta.get_field(name)
        if isinstance(field, models.DateTimeField):
            adapters.append(ops.adapt_datetimefield_value)
        elif isinstance(field, models.DateField):
            adapters.append(ops.adapt_datefield_value)
        elif isinstance(field, models.JSONField):
            adapters.append(json.dumps)
        else:
            adapters.append(None)
    return adapters


def _executemany_sqlite(sql: str, rows: Iterable[Sequence], adapters: list) -> int:
    if any(adapters):
        rows = ([a(v) if a and v is not None else v for a, v in zip(adapters, row, strict=True)] for row in rows)
    written = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(iterator, SQLITE_CHUNK)):
            before = connection.connection.total_changes
            cursor.executemany(sql, chunk)
            written += connection.connection.total_changes - before
    return written


def _upsert_sqlite(spec: UpsertSpec, rows: Iterable[Sequence]) -> int:
    columns = ", ".join(_quote(c) for c in spec.column_names())
    marks = ", ".join("%s" for _ in spec.columns)
    sql = f"INSERT INTO {_quote(spec.table)} ({columns}) VALUES ({marks}) {_conflict_clause(spec)}"  # noqa: S608
    # Unlike PostgreSQL, SQLite applies a repeated key's rows one after the other: no DISTINCT ON.
    return _executemany_sqlite(sql, rows, _sqlite_adapters(spec, spec.columns))


def _update_sqlite(spec: UpsertSpec, rows: Iterable[Sequence]) -> int:
    table, keep = _quote(spec.table), spec.keep_names()
    sets = ", ".join(
        f"{_quote(c)} = COALESCE(%s, {_quote(c)})" if c in keep else f"{_quote(c)} = %s" for c in spec.update_names()
    )
    match = " AND ".join(f"{_quote(c)} = %s" for c in spec.key_names())
    names = (*spec.update, *spec.key)
    order = [spec.columns.index(name) for name in names]
    sql = f"UPDATE {table} SET {sets} WHERE {match}"  # noqa: S608
    return _executemany_sqlite(sql, ([row[i] for i in order] for row in rows), _sqlite_adapters(spec, names))


# savepoint=False: inside a caller's transaction (save_posts writes posts then snapshots) that
# transaction is the unit; a savepoint per call costs two round trips and nothing recovers from
# a failed upsert halfway. A batch PostgreSQL writes with ONE statement (up to ARRAY_ROWS rows)
# needs no transaction of its own: a statement is atomic, and BEGIN and COMMIT would be two more
# round trips at every daily sync.
def _one_statement(rows: Iterable[Sequence]) -> tuple[bool, Iterable[Sequence]]:
    """(whether PostgreSQL writes these rows with one statement, the rows to write)."""
    if connection.vendor != "postgresql":
        return False, rows
    small, rest = _small(rows)
    return (True, small) if small is not None else (False, rest)


def bulk_upsert(spec: UpsertSpec, rows: Iterable[Sequence]) -> int:
    """Insert or update ``rows`` (tuples in ``spec.columns`` order). Returns the number of rows
    inserted or updated (rows ignored as duplicates of append-only facts are not counted)."""
    single, rows = _one_statement(rows)
    if single:
        return _upsert_postgresql(spec, rows)
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            return _upsert_postgresql(spec, rows)
        if connection.vendor == "sqlite":
            return _upsert_sqlite(spec, rows)
    raise NotImplementedError(f"bulk_upsert does not support {connection.vendor}")


@transaction.atomic(savepoint=False)
def bulk_upsert_returning(spec: UpsertSpec, rows: Iterable[Sequence], returning: Sequence[str]) -> list[tuple]:
    """``bulk_upsert`` answering the ``returning`` fields of every row it inserted or updated (with
    ``update`` columns: every row given) — the ids of new rows without reading them back.
    PostgreSQL only (SQLite's executemany cannot return rows)."""
    if connection.vendor != "postgresql":
        raise NotImplementedError("bulk_upsert_returning needs PostgreSQL")
    return _upsert_postgresql(spec, rows, returning)


def bulk_update(spec: UpsertSpec, rows: Iterable[Sequence]) -> int:
    """Update the existing rows matched on ``spec.key`` with the ``spec.update`` values of
    ``rows`` (tuples in ``spec.columns`` order); rows that match nothing are ignored, nothing is
    inserted — for a partial update of rows whose other NOT NULL columns the caller does not
    have. One row per key. Returns the number of rows updated."""
    if not spec.update:
        raise ValueError("bulk_update needs columns to update")
    single, rows = _one_statement(rows)
    if single:
        return _update_postgresql(spec, rows)
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            return _update_postgresql(spec, rows)
        if connection.vendor == "sqlite":
            return _update_sqlite(spec, rows)
    raise NotImplementedError(f"bulk_update does not support {connection.vendor}")
