"""Model instances from the rows of a written-out ``SELECT`` run on a plain cursor.

For the reads of every request (docs/performance.md "Load"): a one-row read costs ~0.3 ms of
CPU this way against ~0.6 through ``Model.objects.raw()`` (overgraph/written_sql.py, which maps
its columns again at each call) and ~1 ms through a queryset. The statement's text is built
once per process from model metadata (the selectors keep it in a ``functools.cache`` keyed by
the database vendor); the rows go through each field's database converters as the ORM's
compiler applies them (SQLite's dates and booleans, JSON), so one path serves both databases.

A plain cursor bypasses the scoped manager (django-scopes): every statement written with these
helpers filters by organisation itself, and says so.
"""

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model


def columns(model: type[Model], alias: str) -> str:
    """The model's concrete columns, in field order, prefixed by the table's alias in the statement."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def converters(model: type[Model]) -> list[list]:
    """Each concrete field's database converters, as the ORM's compiler applies them: worked out
    once per model and database connection (they are the connection's bound methods)."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    known = wrapper.__dict__.setdefault("_written_rows_converters", {})
    if model not in known:
        known[model] = [
            wrapper.ops.get_db_converters(field.cached_col) + field.cached_col.get_db_converters(wrapper)
            for field in model._meta.concrete_fields
        ]
    return known[model]


def instance(model: type[Model], field_converters: list[list], values) -> Model:
    """A model instance from the values of its concrete columns (as ``columns`` lists them), as
    the ORM builds it: converted values, ``from_db`` (not "adding", bound to the database)."""
    fields = model._meta.concrete_fields
    converted = []
    for field, convert_all, raw in zip(fields, field_converters, values, strict=True):
        value = raw
        for convert in convert_all:
            value = convert(value, field.cached_col, connection)
        converted.append(value)
    return model.from_db(connection.alias, [field.attname for field in fields], converted)


def fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
