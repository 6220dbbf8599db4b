"""Small, frequent reads with their SQL written once instead of compiled by the ORM at each call.

The ORM builds a queryset's SQL again every time it runs: 0.6 to 1 ms of Python for a one-row
``SELECT`` (joins resolved, columns listed, ordering hashed), against ~0.3 ms through
``Model.objects.raw()`` with the same text. The sync worker made about ten such reads per
account — 40 % of its CPU on one core shared by 32 sync threads (docs/performance.md "Sync").
``select_sql`` writes the text once per (model, shape) from the model's metadata; ``raw()``
still applies the fields' converters (SQLite's dates and JSON), so one path serves both
databases, and the manager's scope check (django-scopes) still runs.

Only table and column names taken from model metadata go into the text; values stay parameters.
"""

import functools
from collections.abc import Sequence

from django.db import connection, models

OPERATORS = {"", "=", "<", "<=", ">", ">=", "in"}


@functools.cache
def _select_sql(
    vendor: str,
    model: type[models.Model],
    *,
    where: tuple[str, ...],
    fields: tuple[str, ...],
    order_by: tuple[str, ...],
    limit: int | None,
    lock: str,
) -> str:
    meta, quote = model._meta, connection.ops.quote_name

    def column(name: str) -> str:
        return quote(meta.pk.column if name == "pk" else meta.get_field(name).column)

    chosen = [meta.pk, *(meta.get_field(name) for name in fields if name != "pk")] if fields else meta.concrete_fields
    conditions = []
    for condition in where:
        name, _, operator = condition.partition(" ")
        if operator not in OPERATORS:
            raise ValueError(f"unsupported condition {condition!r}")
        if operator == "in":
            conditions.append(f"{column(name)} IN %s")  # a tuple parameter, expanded by the caller
        else:
            conditions.append(f"{column(name)} {operator or '='} %s")
    text = f"SELECT {', '.join(quote(f.column) for f in chosen)} FROM {quote(meta.db_table)}"  # noqa: S608 — names from model metadata
    if conditions:
        text += " WHERE " + " AND ".join(conditions)
    if order_by:
        text += " ORDER BY " + ", ".join(
            f"{column(name.lstrip('-'))} DESC" if name.startswith("-") else column(name) for name in order_by
        )
    if limit is not None:
        text += f" LIMIT {int(limit)}"
    if lock and vendor == "postgresql":  # SQLite has one writer at a time: no row locks (as the ORM)
        text += f" {lock}"
    return text


def select_sql(
    model: type[models.Model],
    *where: str,
    fields: Sequence[str] = (),
    order_by: Sequence[str] = (),
    limit: int | None = None,
    lock: str = "",
) -> str:
    """``SELECT`` text of ``model``'s rows matching ``where`` ("field" for equality, "field <=",
    "field in"…, each one parameter, in order); all columns, or the primary key and ``fields``;
    ``lock``: a row-lock clause (``FOR NO KEY UPDATE``) applied on PostgreSQL only."""
    return _select_sql(
        connection.vendor, model, where=where, fields=tuple(fields), order_by=tuple(order_by), limit=limit, lock=lock
    )


def in_list(text: str, values: Sequence) -> tuple[str, list]:
    """``text`` with its one ``IN %s`` expanded to one placeholder per value (both databases)."""
    return text.replace(" IN %s", f" IN ({', '.join(['%s'] * len(values))})", 1), list(values)


def first(model: type[models.Model], sql: str, params: Sequence) -> models.Model | None:
    """The first row of ``sql`` as a ``model`` instance, or None."""
    return next(iter(model.objects.raw(sql, params)), None)
