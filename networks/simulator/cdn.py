"""The media CDN (scontent.cdninstagram.com's role): the bytes behind the ``media_url`` of Instagram media.

Real media URLs are signed and expire (their ``oe`` parameter is the expiry, as a hexadecimal Unix
time); past it the CDN answers 403 "URL signature expired". That is why a product that must keep a
photo (a UGC campaign) downloads it when it collects it (DESIGN.md "Platform rules").

Images are real JPEGs drawn with Pillow from the media id (same id, same bytes); videos are one
real, tiny H.264 MP4 (1 s, 64x64, generated once with ffmpeg's test source and embedded here so the
simulator needs no encoder).
"""

from __future__ import annotations

import base64
import hashlib
import io
from datetime import timedelta
from functools import lru_cache

from networks.simulator.server import Reply, Request, Router

# How long a media URL stays valid after the API returned it (Instagram's are valid for days).
URL_LIFETIME = timedelta(days=3)
IMAGE_SIZE = (640, 640)
_VIDEO = base64.b64decode(
    "AAAAIGZ0eXBpc29tAAACAGlzb21pc28yYXZjMW1wNDEAAAORbW9vdgAAAGxtdmhkAAAAAAAAAAAAAAAAAAAD6AAAA+gAAQAAAQAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAgAAArx0cmFrAAAAXHRraGQAAAADAAAAAAAAAAAAAAABAAAAAAAAA+gAAAAAAAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAABAAAAAAEAAAABAAAAAAAAkZWR0cwAAABxlbHN0AAAAAAAAAAEAAAPoAAAQAAABAAAAAAI0bWRpYQAAACBtZGhkAAAAAAAAAAAAAAAAAABAAAAAQABVxAAAAAAALWhkbHIAAAAAAAAAAHZpZGUAAAAAAAAAAAAAAABWaWRlb0hhbmRsZXIAAAAB321pbmYAAAAUdm1oZAAAAAEAAAAAAAAAAAAAACRkaW5mAAAAHGRyZWYAAAAAAAAAAQAAAAx1cmwgAAAAAQAAAZ9zdGJsAAAAv3N0c2QAAAAAAAAAAQAAAK9hdmMxAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAEAAQABIAAAASAAAAAAAAAABFExhdmM2My4xLjEwMiBsaWJ4MjY0AAAAAAAAAAAAAAAAGP//AAAANWF2Y0MBZAAK/+EAGGdkAAqs2UQmwEQAAAMABAAAAwBAPEiWWAEABmjr48siwP34+AAAAAAQcGFzcAAAAAEAAAABAAAAFGJ0cnQAAAAAAAA4iAAAAAAAAAAYc3R0cwAAAAAAAAABAAAACAAACAAAAAAUc3RzcwAAAAAAAAABAAAAAQAAAEhjdHRzAAAAAAAAAAcAAAABAAAQAAAAAAEAACgAAAAAAQAAEAAAAAABAAAAAAAAAAEAAAgAAAAAAQAAIAAAAAACAAAIAAAAABxzdHNjAAAAAAAAAAEAAAABAAAACAAAAAEAAAA0c3RzegAAAAAAAAAAAAAACAAABdYAAACJAAAAGgAAAA0AAAANAAAAVgAAABYAAAASAAAAFHN0Y28AAAAAAAAAAQAAA8EAAABhdWR0YQAAAFltZXRhAAAAAAAAACFoZGxyAAAAAAAAAABtZGlyYXBwbAAAAAAAAAAAAAAAACxpbHN0AAAAJKl0b28AAAAcZGF0YQAAAAEAAAAATGF2ZjYzLjEuMTAyAAAACGZyZWUAAAcZbWRhdAAAAp8GBf//m9xF6b3m2Ui3lizYINkj7u94MjY0IC0gY29yZSAxNjUgLSBILjI2NC9NUEVHLTQgQVZDIGNvZGVjIC0gQ29weWxlZnQgMjAwMy0yMDI1IC0gaHR0cDovL3d3dy52aWRlb2xhbi5vcmcveDI2NC5odG1sIC0gb3B0aW9uczogY2FiYWM9MSByZWY9MyBkZWJsb2NrPTE6MDowIGFuYWx5c2U9MHgzOjB4MTEzIG1lPWhleCBzdWJtZT03IHBzeT0xIHBzeV9yZD0xLjAwOjAuMDAgbWl4ZWRfcmVmPTEgbWVfcmFuZ2U9MTYgY2hyb21hX21lPTEgdHJlbGxpcz0xIDh4OGRjdD0xIGNxbT0wIGRlYWR6b25lPTIxLDExIGZhc3RfcHNraXA9MSBjaHJvbWFfcXBfb2Zmc2V0PS0yIHRocmVhZHM9MiBsb29rYWhlYWRfdGhyZWFkcz0xIHNsaWNlZF90aHJlYWRzPTAgbnI9MCBkZWNpbWF0ZT0xIGludGVybGFjZWQ9MCBibHVyYXlfY29tcGF0PTAgY29uc3RyYWluZWRfaW50cmE9MCBiZnJhbWVzPTMgYl9weXJhbWlkPTIgYl9hZGFwdD0xIGJfYmlhcz0wIGRpcmVjdD0xIHdlaWdodGI9MSBvcGVuX2dvcD0wIHdlaWdodHA9MiBrZXlpbnQ9MjUwIGtleWludF9taW49OCBzY2VuZWN1dD00MCBpbnRyYV9yZWZyZXNoPTAgcmNfbG9va2FoZWFkPTQwIHJjPWNyZiBtYnRyZWU9MSBjcmY9MjMuMCBxY29tcD0wLjYwIHFwbWluPTAgcXBtYXg9NjkgcXBzdGVwPTQgaXBfcmF0aW89MS40MCBhcT0xOjEuMDAAgAAAAy9liIQAn+1zw0px/gtZ2P4Cj4J3NyQ12+nO9F1hxS4IovTA89XOIAevd5TA69oZpNSQXmp43qUsLx5J7HnYA15qJoUZOAHjrdOk0CzZt50KKvoHNbILnjz+bDSbxP8RuUTJAm9s16HdU1iEOtR6X8WElFYgH8y41EVQyiatuYcf+fkzB5slptz0lNcGeMQQaZHPZ72cThDpzLztksP/75GbNl0rZvMlnY+Uvk019iwTeiI25PxbqftxL7OBk4jng5pd3fsA2q6QQO50OTaEznUsjXuEsMwAYN0T3yg4Tq+MexflpWmtDbddieUhwd3xvxfiM60jOqzOsYpOZX4vWyhKwTBEezh0XDWu7aemEhAsL1rm0JE1B2Z4WrGt5l2AaVebTQGsJV1dCCOqT8RZIE1wFaGOz3LMrG2fWJZSxGf05/wM4GDh9YIOXEkpURifFzc2BXQyYPmpJdAH9ro9Auw4zPu+A1Gwbn/jAAwlB2N6iRfaRQa0d5dV/AHCPJ3C3aVoXh0J773rhwT+gYwBYYDV3XOEW01/+Qx2OloM62sqzIWFJlBVTFwKutX4pYN9Eht7W1+u+DR94VXrczS128qvlbmjfnNY96BY0d+KTNLiCnR4dneqhzcX+M9j+bvWNvCdCeA8IIXWTvCdAPQwfHLkYeA3JCZchexHFvLoRTb3fWOC38qi067187u5m3iNrvdmrwl9bEZYL9I6CF50TLoaRIdoexF6JM/3kqA0aTKySjUU+QkZLqllMcKTwUezDfp7WY0r1M5bTA68uzI5FeE+pgp/uooZoyt/p4b2M/1ca0slN6JLhdR/I/ySuJx+dNDDfnp0q9HzOgZLy/LFpfbKKVjQBmEh96wvPgw6d0B1N/QhQAovhoX3kMnDSZlmguoaDcydp2o4hgqxFHrRPzXwenLywzdpRR636cIF4qZ5bn3HNqEzcXfwViOoVKf7SVR4OgrjgTRO6S2jY8Ikd4BaW4pmjsxb5Ia3vDho8LESQPj3QAUXkmwceqj5iFUARzHy+neTqIJCmX8bATJXMvl0crY9BVOPMZ2wop9v7O2dP6Yyz90NM5+N75KnC8RP9QAAAIVBmiRsRH8P+SJ7uOny5Jr1vcAbUskUVUDmWVyY1laMjN3/qVo2EI2MHjmaRkbIoJDy04Ef0PDL+3ACOCsyp54riEMtpGM9LmgnTmyE58JO55lEix2vHipsI6qfhrQwtRPwu6cDN+NYbk3U6xC3EM3Ex8nqU6KUKOWv/gxJLPmuf6/qMQavAAAAFkGeQniM/369kQRShc8Qvc9kViTheV0AAAAJAZ5hdEIfiCEJAAAACQGeY2pCH2/fpQAAAFJBmmdJqEFomUwIQ/8QqzAG4deTfJEFstGeSdixj/sQ1wolyPt0LCnvxPWfsiMxSGLH7aGfQf05h7qerD/xexy+h8Mvb4BrWY7XTPm9SO3xnti9AAAAEkGehUURLHdozIZaSckQOZP8pwAAAA4BnqZqQh9lFfBj1RMAuQ=="
)


def media_url(request: Request, media_id: str, extension: str = "jpg") -> str:
    """The signed, expiring URL of a media file on this simulator (the host the client used)."""
    base = f"http://{request.headers['host']}" if request.headers.get("host") else request.sim.base_url
    expires = int((request.now + URL_LIFETIME).timestamp())
    return f"{base}/v/sim/{media_id}.{extension}?oe={expires:x}"


@lru_cache(maxsize=512)
def image_bytes(media_id: str) -> bytes:
    """A deterministic picture (sky, sun, a skyline) whose colours and shapes come from the id."""
    from PIL import Image, ImageDraw  # imported here: only the CDN route needs Pillow

    digest = hashlib.sha256(media_id.encode()).digest()
    width, height = IMAGE_SIZE
    image = Image.new("RGB", IMAGE_SIZE)
    draw = ImageDraw.Draw(image)
    top = (digest[0] // 2, digest[1] // 2 + 60, 150 + digest[2] // 3)
    bottom = (200 + digest[3] // 5, 120 + digest[4] // 3, 80 + digest[5] // 3)
    for y in range(height):
        t = y / (height - 1)
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    sun_x, sun_y, radius = 80 + digest[6] * 2, 60 + digest[7] // 2, 30 + digest[8] // 6
    draw.ellipse([sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius], fill=(255, 214, 102))
    x = 0
    for index in range(9, 31):
        building_width = 30 + digest[index] % 50
        building_height = 120 + digest[index] * 1.2
        shade = 30 + digest[index] % 60
        draw.rectangle([x, height - building_height, x + building_width, height], fill=(shade, shade, shade + 20))
        x += building_width + 2
        if x > width:
            break
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def serve_media(request: Request) -> Reply:
    media_id, extension = request.params["media_id"], request.params["extension"]
    try:
        expires = int(request.arg("oe") or "", 16)
    except ValueError:
        return Reply(403, "Bad URL timestamp", content_type="text/plain; charset=utf-8")
    if request.now.timestamp() > expires:
        return Reply(403, "URL signature expired", content_type="text/plain; charset=utf-8")
    if extension == "mp4":
        return Reply(200, _VIDEO, {"Cache-Control": "max-age=1209600"}, content_type="video/mp4")
    return Reply(200, image_bytes(media_id), {"Cache-Control": "max-age=1209600"}, content_type="image/jpeg")


def register(router: Router) -> None:
    router.add("GET", r"^/v/sim/(?P<media_id>\d+)(?:_thumb)?\.(?P<extension>jpg|mp4)$", serve_media, "cdn-media")
