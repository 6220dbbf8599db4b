"""Bad input through every form of the product, found rather than listed: the walk of every main page
(tests/walk.py) is read for its forms, and each form is sent back with hostile values in every field —
oversize text, wrong types, HTML/JS injection, spreadsheet formulas and unicode edge cases. Nothing may
answer with a server error, and afterwards no page may carry the injected markup unescaped.

Forms that end something (logout, deletions, leaving) go last, so that they do not take the rest of the
walk down with them; the person is logged in again before each send."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest

from tests.walk import walk_data

pytestmark = pytest.mark.django_db

MARKUP = '<script>alert("og-xss")</script>"\'><img src=x onerror=alert(1)>'
UNESCAPED = ('<script>alert("og-xss")', "<img src=x onerror")
PAYLOADS = {
    "injection": MARKUP,
    "formula": '=HYPERLINK("http://evil.example","x")',
    "oversize": "Ω" * 20_000,
    # Right-to-left override, zero-width space, combining accent, flag and emoji, byte-order mark.
    "unicode": "\u202eevil\u200b e\u0301 \U0001f1eb\U0001f1f7 \U0001f600 \ufeff",
    "wrong type": "-1e309",
}
# What a typed field gets instead of the payload, besides the payload itself: numbers and dates that
# cannot be, choices that are not offered.
TYPED = {
    "number": ["abc", "-99999999999999999999", "1e309"],
    "date": ["2026-02-30", "31/12/2026", "0000-00-00"],
    "datetime-local": ["2026-13-01T25:61", "yesterday"],
    "time": ["25:61"],
    "email": ["not-an-email", "a@" + "b" * 300 + ".fr"],
    "url": ["javascript:alert(1)", "http://" + "a" * 3000],
    "file": [],
}
ENDINGS = ("delete", "logout", "leave", "erase", "revoke", "remove", "disconnect", "close")


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> input type ("select", "textarea"…)
    defaults: dict[str, str] = field(default_factory=dict)

    @property
    def ends_something(self) -> bool:
        return any(word in self.action.lower() for word in ENDINGS)


class Forms(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page, self.forms, self._form = page, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urljoin(self.page, attrs.get("action") or self.page)
            self._form = Form(self.page, action, (attrs.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form and tag in ("input", "select", "textarea") and attrs.get("name"):
            kind = tag if tag != "input" else (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            self._form.fields[attrs["name"]] = kind
            self._form.defaults.setdefault(attrs["name"], attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def forms_of(page: str, html: str) -> list[Form]:
    parser = Forms(page)
    parser.feed(html)
    return parser.forms


def hostile(form: Form, payload: str) -> list[dict[str, str]]:
    """The form's own values with every field but the CSRF token spoiled by the payload, then once per
    typed field with each of that type's impossible values."""
    spoiled = {name: payload for name in form.fields if name != "csrfmiddlewaretoken"}
    sends = [{**form.defaults, **spoiled}]
    for name, kind in form.fields.items():
        for value in TYPED.get(kind, ["not one of the choices"] if kind == "select" else []):
            sends.append({**form.defaults, name: value})
    return sends


def test_it_survives_hostile_input_in_every_form(tenancy, client):
    walk = walk_data(tenancy, with_report=False)
    client.force_login(tenancy.alice)
    forms = []
    for url in walk.pages.values():
        response = client.get(url)
        assert response.status_code == 200, url
        forms += forms_of(url, response.content.decode())
    forms.sort(key=lambda form: form.ends_something)
    posts = [form for form in forms if form.method == "post"]
    assert len(posts) >= 60 and len(forms) - len(posts) >= 5, "the walk should meet dozens of forms"

    client.raise_request_exception = False  # a server error is counted, and the walk goes on
    errors, sent = [], 0
    for form in forms:
        for payload in PAYLOADS.values():
            for data in hostile(form, payload):
                client.force_login(tenancy.alice)
                send = client.post if form.method == "post" else client.get
                response = send(form.action, data)
                sent += 1
                if response.status_code >= 500:
                    errors.append(f"{form.method.upper()} {form.action} {sorted(data)}: {response.status_code}")
    assert sent > 300
    assert errors == []

    client.force_login(tenancy.alice)
    for name, url in walk.pages.items():
        response = client.get(url)
        if response.status_code == 200:
            page = response.content.decode()
            assert not any(marker in page for marker in UNESCAPED), f"unescaped input on {name}"
