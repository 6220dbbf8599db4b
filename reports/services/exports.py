"""Full data exports: create (the task is queued after commit), build the ZIP with progress, and
delete the files once they expire."""

import datetime as dt
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import Organization, User, Workspace
from reports.exports import export_tables, write_workspace_zip
from reports.models import DataExport

logger = logging.getLogger(__name__)


@transaction.atomic
def export_create(*, organization: Organization, workspace: Workspace, actor: User | None) -> DataExport:
    from reports.tasks import export_build_task

    export = DataExport.objects.create(
        organization=organization, workspace=workspace, created_by=actor, progress_total=len(export_tables())
    )
    transaction.on_commit(lambda: export_build_task.delay(export.pk))
    return export


def export_build(*, export_id: int) -> bool:
    """Write the ZIP (idempotent: only a waiting export is claimed)."""
    with scopes_disabled():
        claimed = DataExport.objects.filter(pk=export_id, status=DataExport.Status.PENDING).update(
            status=DataExport.Status.RUNNING
        )
        if not claimed:
            return False
        export = DataExport.objects.select_related("organization", "workspace").get(pk=export_id)

    def progress(done: int, total: int) -> None:
        DataExport.objects.filter(pk=export_id).update(progress_done=done, progress_total=total)

    try:
        with scope(organization=export.organization), tempfile.TemporaryFile() as archive:
            counts = write_workspace_zip(
                archive, organization=export.organization, workspace=export.workspace, progress=progress
            )
            archive.seek(0)
            export.file.save(f"{export.organization_id}/export-{export.pk}.zip", File(archive), save=False)
            now = timezone.now()
            export.size = export.file.size
            export.row_counts = counts
            export.status = DataExport.Status.DONE
            export.finished_at = now
            export.expires_at = now + dt.timedelta(hours=settings.REPORTS_EXPORT_TTL_HOURS)
            export.save(update_fields=["file", "size", "row_counts", "status", "finished_at", "expires_at"])
    except Exception as error:
        logger.exception("export %s failed", export_id)
        with scopes_disabled():
            DataExport.objects.filter(pk=export_id).update(
                status=DataExport.Status.FAILED, error=f"{error.__class__.__name__}: {error}"[:2000]
            )
        raise
    return True


def exports_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the files of expired exports (the row stays, marked expired, for the history)."""
    now = now or timezone.now()
    purged = 0
    with scopes_disabled():
        for export in DataExport.objects.filter(status=DataExport.Status.DONE, expires_at__lte=now):
            if export.file:
                export.file.delete(save=False)
            DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.EXPIRED, file="")
            purged += 1
    return purged
