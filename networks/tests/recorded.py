"""Test helpers: recorded real API responses (../shared/apidata) served at the HTTP boundary.

``Replay`` is a requests transport adapter mounted on every BoundarySession (networks/http.py):
tweepy and pyfacebook run for real above it; only the outside world is replaced.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

SHARED = Path(__file__).resolve().parents[3] / "shared"
APIDATA = SHARED / "apidata"
NEEDS_SHARED = pytest.mark.skipif(
    not APIDATA.is_dir(), reason=f"recorded API responses not found at {APIDATA} (../shared is absent)"
)
GRAPH_HEADERS = {"Content-Type": "application/json; charset=UTF-8"}
X_HEADERS = {"content-type": "application/json; charset=utf-8"}


def recorded_json(relative: str):
    return json.loads((APIDATA / relative).read_text())


def recorded_x_body(cassette: str, index: int = 0) -> tuple[dict, dict]:
    """The JSON body and headers of a tweepy cassette interaction (from its decoded copy)."""
    interaction = recorded_json(f"twitter/_decoded/{cassette}.json")[index]
    headers = {k: v[0] for k, v in interaction["response"]["headers"].items() if k != "content-encoding"}
    return interaction["response"]["json"], headers


@dataclass
class Route:
    method: str
    path: re.Pattern
    status: int
    body: bytes
    headers: dict


class Replay(BaseAdapter):
    def __init__(self) -> None:
        super().__init__()
        self.routes: list[Route] = []
        self.calls: list[requests.PreparedRequest] = []

    def add(self, method: str, path: str, body, *, status: int = 200, headers: dict | None = None) -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.routes.insert(0, Route(method, re.compile(path), status, raw, dict(headers or {})))

    def send(self, request, **kwargs):
        self.calls.append(request)
        path = urlparse(request.url).path
        for route in self.routes:
            if route.method == request.method and route.path.fullmatch(path):
                return self._response(request, route.status, route.body, route.headers)
        return self._response(request, 599, b'{"unrouted": true}', {"Content-Type": "application/json"})

    @staticmethod
    def _response(request, status: int, body: bytes, headers: dict) -> requests.Response:
        response = requests.Response()
        response.status_code = status
        response._content = body
        response.headers = CaseInsensitiveDict(headers)
        response.url = request.url
        response.request = request
        response.reason = "OK" if status < 400 else "Error"
        return response

    def close(self) -> None:
        pass

    def params(self, index: int = -1) -> dict[str, list[str]]:
        return parse_qs(urlparse(self.calls[index].url).query)

    def urls(self) -> list[str]:
        return [c.url for c in self.calls]
