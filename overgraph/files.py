"""Stored files follow their rows: deleting an organisation, a workspace or any row through the
ORM's cascade leaves FileField files on disk, and those are people's photos, PDF reports, logos
and data exports. ``cascade_files`` lists every file a deletion will orphan (Django's own
Collector decides what cascades); ``delete_files_after_commit`` removes them once the deletion
committed (never before: a rolled-back deletion keeps its files).
"""

from collections.abc import Iterable

from django.db import models, router, transaction
from django.db.models.deletion import Collector


def _file_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.get_fields() if isinstance(f, models.FileField)]


def cascade_files(objects: Iterable[models.Model]) -> list[tuple]:
    """(storage, name) of every file held by the objects and by every row their deletion cascades to."""
    objects = list(objects)
    if not objects:
        return []
    collector = Collector(using=router.db_for_write(type(objects[0])))
    collector.collect(objects)
    found = []
    for model, instances in collector.data.items():
        for name in _file_fields(model):
            found += [(getattr(i, name).storage, getattr(i, name).name) for i in instances if getattr(i, name)]
    # Rows the collector deletes without loading them ("fast deletes") are querysets.
    for queryset in collector.fast_deletes:
        names = _file_fields(queryset.model)
        if not names:
            continue
        for row in queryset.values_list(*names):
            found += [(queryset.model._meta.get_field(n).storage, v) for n, v in zip(names, row, strict=True) if v]
    return found


def delete_files_after_commit(files: list[tuple]) -> None:
    def delete() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete)
