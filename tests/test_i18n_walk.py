"""Every main page (tests/walk.py) in English and in French: nothing the French catalogue translates
shows in English on the French page, and numbers and dates follow each language's conventions.

The check, page by page: the page's texts (text nodes and the attributes people read or hear: alt,
title, aria-label, placeholder), whitespace-collapsed, are rendered in English; every French catalogue
entry whose English text is one of them must not be one of the French page's texts. Entries whose
French equals the English ("Instagram", "Email"…) and entries with placeholders are left out."""

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from tests.walk import walk_data

pytestmark = pytest.mark.django_db

FRENCH_MO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.mo"
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}
# Languages offered by name in their own language (reports' language choice): the same on every page.
ENDONYMS = {"English", "Français"}


class Texts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self._add(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self._add(data)

    def _add(self, text):
        text = " ".join(text.split())
        if text:
            self.texts.add(text)


def texts_of(html: str) -> set[str]:
    parser = Texts()
    parser.feed(html)
    return parser.texts


def french_catalogue() -> dict[str, str]:
    """English -> French for the project's own singular entries without placeholders."""
    with FRENCH_MO.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    entries = {}
    for msgid, french in catalog.items():
        if not isinstance(msgid, str) or not msgid or "\x04" in msgid:
            continue
        if re.search(r"%|\{", msgid) or french.strip() == msgid.strip():
            continue
        entries[" ".join(msgid.split())] = " ".join(french.split())
    # An English text that is also some entry's French (a word both languages share) proves nothing.
    return {en: fr for en, fr in entries.items() if en not in entries.values()}


@pytest.fixture(scope="module")
def catalogue():
    if not FRENCH_MO.exists():
        pytest.skip(f"{FRENCH_MO} is missing: make messages")
    return french_catalogue()


def render(client, user, url: str, language: str) -> str:
    # Both the person's own choice and the cookie (public pages follow the cookie, else the organisation's).
    user.language = language
    user.save(update_fields=["language"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_it_leaves_no_english_on_the_french_pages(tenancy, client, catalogue):
    walk = walk_data(tenancy)
    client.force_login(tenancy.alice)
    untranslated, checked = {}, set()
    for name, url in walk.pages.items():
        english = texts_of(render(client, tenancy.alice, url, "en"))
        french = texts_of(render(client, tenancy.alice, url, "fr"))
        checked |= english & catalogue.keys()
        left = sorted(text for text in english & french - ENDONYMS if text in catalogue)
        if left:
            untranslated[name] = left
    assert len(checked) > 200, "the walk should meet hundreds of translated strings"
    assert untranslated == {}, f"English left on French pages (is the French .mo compiled?): {untranslated}"


def test_it_formats_numbers_and_dates_per_language(tenancy, client):
    walk = walk_data(tenancy, with_report=False)
    client.force_login(tenancy.alice)
    english = render(client, tenancy.alice, walk.pages["dashboard"], "en")
    french = render(client, tenancy.alice, walk.pages["dashboard"], "fr")
    # Followers in the 20-30 thousands: "21,435" in English, "21 435" (a no-break space) in French.
    assert re.search(r"\b[23]\d,\d{3}\b", english)
    assert re.search(r"\b[23]\d[\u00a0\u202f]\d{3}\b", french)
    assert not re.search(r"\b[23]\d,\d{3}\b", " ".join(texts_of(french)))
    # The period's dates: month names in each language.
    assert re.search(r"\b(Oct|October)\b", english) and re.search(r"\boct(\.|obre)", french)
    assert not re.search(r"\b(October|November)\b", " ".join(texts_of(french)))
