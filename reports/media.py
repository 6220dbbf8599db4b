"""Images a report embeds: the branding logo (validated on upload) and the thumbnails of the top
posts, fetched once when the report is built and embedded as ``data:`` URIs, so the PDF, the web
page and a share link show the same picture and a reader's browser never calls a network's CDN."""

import base64
import io
import logging

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from networks.http import BoundarySession

logger = logging.getLogger(__name__)

LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
LOGO_MAX_PIXELS = 4000
THUMBNAIL_PX = 320
# A thumbnail's download is capped in bytes and time: a slow or huge CDN answer must not hold a
# report (the card then shows no picture).
FETCH_MAX_BYTES = 8 * 1024 * 1024
FETCH_TIMEOUT = (3.0, 5.0)


class InvalidImageError(ValueError):
    pass


def validate_logo(data: bytes) -> tuple[bytes, str]:
    """The logo's bytes and content type when they are a PNG or JPEG within the limits, else
    ``InvalidImageError`` with a message for the person who uploaded it."""
    if len(data) > settings.REPORTS_LOGO_MAX_BYTES:
        raise InvalidImageError(
            _("The logo is too large (%(size)d KB): at most %(max)d KB.")
            % {"size": len(data) // 1024, "max": settings.REPORTS_LOGO_MAX_BYTES // 1024}
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidImageError(_("The logo must be a PNG or JPEG image.")) from None
    if image_format not in LOGO_TYPES:
        raise InvalidImageError(_("The logo must be a PNG or JPEG image."))
    if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
        raise InvalidImageError(_("The logo is at most %(max)d pixels wide and high.") % {"max": LOGO_MAX_PIXELS})
    return data, LOGO_TYPES[image_format]


def data_uri(data: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def thumbnail(data: bytes, size: int = THUMBNAIL_PX) -> bytes | None:
    """A JPEG thumbnail of any image Pillow reads, or None."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((size, size))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def fetch_thumbnail(url: str) -> str:
    """The post's picture as a thumbnail ``data:`` URI, or "" (no picture, a video, an error).

    Networks' media URLs are signed and expire (Instagram's after a few days): a post whose URL
    expired since its last sync shows no picture, as does a video."""
    if not url.startswith(("http://", "https://")):
        return ""
    # Through the one outbound HTTP boundary (networks.http), like campaigns' media downloads.
    session = BoundarySession(network="cdn")
    try:
        with session.get(url, timeout=FETCH_TIMEOUT, stream=True) as response:
            if response.status_code != 200 or not response.headers.get("Content-Type", "").startswith("image/"):
                return ""
            body = bytearray()
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > FETCH_MAX_BYTES:
                    return ""
    except requests.RequestException as error:
        logger.info("report thumbnail not fetched: %s", error.__class__.__name__)
        return ""
    finally:
        session.close()
    small = thumbnail(bytes(body))
    return data_uri(small, "image/jpeg") if small else ""
