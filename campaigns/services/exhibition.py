"""The exhibition export: a ZIP of the selected media files (the original where the author sent
one) and ``credits.csv`` (credit line, author, caption, permalink, rights), written by the
product's safe CSV writer (overgraph/exports.py: no formula injection from captions).

Only media whose author granted the rights can be exported: a selection holding another one is
refused as a whole, naming it, rather than silently shortened.
"""

import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import IO

from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignMedia
from campaigns.services import CampaignError
from campaigns.services.picks import credit_line
from overgraph.exports import csv_chunks

SPOOL_BYTES = 16 * 1024 * 1024  # past this the ZIP is written to a temporary file on disk


def exhibition_media(campaign: Campaign):
    return (
        CampaignMedia.objects.filter(organization=campaign.organization_id, campaign=campaign, for_exhibition=True)
        .select_related("campaign", "rights_changed_by")
        .order_by("published_at", "pk")
    )


def _extension(media: CampaignMedia) -> str:
    suffix = PurePosixPath(media.best_file.name).suffix
    return suffix or ".bin"


def exhibition_zip(*, campaign: Campaign, media: Sequence[CampaignMedia], tz) -> IO[bytes]:
    """The ZIP as a file object positioned at its start."""
    refused = [m for m in media if m.rights != CampaignMedia.Rights.GRANTED]
    if refused:
        raise CampaignError(
            _("These media have no granted rights and cannot be exported: %(ids)s.")
            % {"ids": ", ".join(m.permalink or m.external_id for m in refused)}
        )
    missing = [m for m in media if not m.best_file]
    if missing:
        raise CampaignError(
            _("These media have no stored file (the download failed): %(ids)s.")
            % {"ids": ", ".join(m.permalink or m.external_id for m in missing)}
        )
    if not media:
        raise CampaignError(_("Select media for the exhibition first."))
    target = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (handed to the response, which closes it)
    rows = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:  # photos are compressed already
        for number, item in enumerate(media, start=1):
            author = item.author_handle or "unknown"
            name = f"{number:03d}-{author}-{item.external_id}{_extension(item)}"
            with item.best_file.open("rb") as handle:
                archive.writestr(f"media/{name}", handle.read())
            rows.append(
                [
                    f"media/{name}",
                    credit_line(item),
                    item.author_handle,
                    item.caption,
                    item.permalink,
                    item.published_at,
                    bool(item.original),
                    item.rights_changed_at,
                    item.rights_changed_by.email if item.rights_changed_by else "",
                ]
            )
        header = [
            _("File"),
            _("Credit line"),
            _("Author"),
            _("Caption"),
            _("Permalink"),
            _("Published"),
            _("Original from the author"),
            _("Rights granted on"),
            _("Rights recorded by"),
        ]
        archive.writestr("credits.csv", b"".join(csv_chunks(header, rows, tz=tz)))
    target.seek(0)
    return target
