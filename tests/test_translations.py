"""The French catalogue is complete, exact and up to date, and French pages speak French.

French is the product's first language. These tests fail when someone adds a string to the
code or templates without refreshing ``locale/fr/LC_MESSAGES/django.po`` (see docs/i18n.md).
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.translation import trans_real

from accounts.models import Organization
from conftest import make_organization, make_user

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
FRENCH_PO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po"
# What docs/i18n.md tells people to run; kept in one place so the test and the docs agree.
IGNORED = [".venv", "node_modules", "staticfiles", "var"]
REFRESH_COMMAND = (
    ".venv/bin/python manage.py makemessages -l fr -l en "
    + " ".join(f"--ignore={d}" for d in IGNORED)
    + " && (translate the new entries) && .venv/bin/python manage.py compilemessages --ignore=.venv"
)


# --- A small .po reader (the standard library reads .mo files only) -----------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$")


def read_po(path: Path) -> list[Entry]:
    """Entries of a .po file, the header (empty msgid) excluded but its flags kept on entry 0."""
    entries: list[Entry] = []
    entry, target = Entry(), None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
            continue
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#") and not obsolete:
            continue
        entry.obsolete = entry.obsolete or obsolete
        match = _KEYWORD.match(line)
        if match:
            keyword, index, literal = match.groups()
            target = (keyword, int(index) if index else 0)
            value = ""
        else:
            literal = line
        text = ast.literal_eval(literal)  # .po strings use C escapes, a subset of Python's
        keyword, index = target
        if keyword == "msgid":
            entry.msgid += text
        elif keyword == "msgid_plural":
            entry.msgid_plural += text
        elif keyword == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + text
        else:
            entry.msgstr[index] = entry.msgstr.get(index, value) + text
    return entries


# Python's %(name)s / %s / %d, and the {{ counter }} style of blocktranslate's plural.
_PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%[sdifr]|\{\{\s*\w+\s*\}\}|\{\w*\}")


def placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in _PLACEHOLDER.finditer(text))


@pytest.fixture(scope="module")
def french() -> list[Entry]:
    assert FRENCH_PO.exists(), f"no French catalogue: run {REFRESH_COMMAND}"
    return read_po(FRENCH_PO)


# --- (a) complete and exact ---------------------------------------------------------------------


def test_it_reads_po_files_faithfully(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "Hello %(name)s"\nmsgstr "Bonjour %(name)s"\n\n'
        'msgctxt "menu"\nmsgid ""\n"Two "\n"lines\\n"\nmsgid_plural "many"\nmsgstr[0] "un"\nmsgstr[1] "des"\n\n'
        '#~ msgid "old"\n#~ msgstr "vieux"\n',
        encoding="utf-8",
    )
    header, hello, plural, old = read_po(po)
    assert header.msgid == "" and "Language: fr" in header.msgstr[0]
    assert hello.flags == {"fuzzy", "python-format"} and hello.msgstr == {0: "Bonjour %(name)s"}
    assert plural.key == ("menu", "Two lines\n") and plural.msgstr == {0: "un", 1: "des"}
    assert old.obsolete and old.msgstr == {0: "vieux"}


def test_it_translates_every_french_entry(french):
    header, *entries = french
    assert "fuzzy" not in header.flags, "a fuzzy header is skipped by msgfmt (and French plurals with it)"
    assert "nplurals=2; plural=(n > 1);" in header.msgstr[0]
    untranslated = [e.msgid for e in entries if not e.obsolete and not all(e.msgstr.get(i) for i in _forms(e))]
    fuzzy = [e.msgid for e in entries if not e.obsolete and "fuzzy" in e.flags]
    assert not untranslated, f"untranslated in {FRENCH_PO.relative_to(BASE_DIR)}:\n" + "\n".join(untranslated)
    assert not fuzzy, "fuzzy (check, fix, then remove the flag):\n" + "\n".join(fuzzy)


def _forms(entry: Entry) -> range:
    return range(2) if entry.msgid_plural else range(1)


def test_it_keeps_placeholders_identical(french):
    problems = []
    for entry in french[1:]:
        if entry.obsolete:
            continue
        for index in _forms(entry):
            source = entry.msgid_plural if index and entry.msgid_plural else entry.msgid
            translated = entry.msgstr.get(index, "")
            # French "un" (singular) may drop the count: "%(counter)s non lue" keeps it anyway.
            if placeholders(source) != placeholders(translated):
                problems.append(f"{entry.msgid!r} → {translated!r}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_it_finds_placeholders_of_every_kind():
    assert placeholders("%(name)s has %(count)d, {{ counter }} and %s {x}") == [
        "%(count)d",
        "%(name)s",
        "%s",
        "{x}",
        "{{ counter }}",
    ]


# --- (b) up to date -----------------------------------------------------------------------------


def test_it_has_every_string_of_the_code_in_the_french_catalogue(french, tmp_path, monkeypatch, settings):
    """Extract the strings with Django's own makemessages, into a scratch copy, never the repo.

    makemessages writes next to the nearest ``locale`` directory of each file, so it runs from a
    scratch directory made of links to the project's folders (without ``locale``), with
    LOCALE_PATHS pointing into the scratch directory.
    """
    for entry in BASE_DIR.iterdir():
        if entry.name in {*IGNORED, "locale"} or entry.name.startswith("."):
            continue
        (tmp_path / entry.name).symlink_to(entry)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["fr"], symlinks=True, ignore_patterns=IGNORED, verbosity=0)
    extracted = read_po(tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po")[1:]
    committed = {e.key for e in french[1:] if not e.obsolete}
    missing = sorted(e.msgid for e in extracted if e.key not in committed)
    assert extracted, "makemessages found no string: the scratch copy is wrong"
    assert not missing, (
        f"{len(missing)} string(s) of the code are not in the French catalogue:\n"
        + "\n".join(f"  {m!r}" for m in missing)
        + f"\nRefresh it: {REFRESH_COMMAND}"
    )


# --- (c) French pages ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compiled_catalogues():
    """``pytest`` alone must work: compile the .mo files (git-ignored) when missing or stale."""
    stale = [
        po
        for po in LOCALE_DIR.glob("*/LC_MESSAGES/django.po")
        if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        call_command("compilemessages", locale=[p.parts[-3] for p in stale], verbosity=0)
        # Django caches each language's catalogue on first use; an earlier test may have loaded
        # French before the .mo existed. Forget the caches so the fresh file is read.
        trans_real._translations = {}
        trans_real._default = None


def test_it_shows_the_login_page_in_french(db, compiled_catalogues):
    response = Client(HTTP_ACCEPT_LANGUAGE="fr").get(reverse("account_login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Aller au contenu" in html and "S'inscrire" in html


def test_it_shows_a_french_organisation_in_french(db, compiled_catalogues):
    person = make_user("camille@example.fr")
    city = make_organization("Ville de Boulogne", person, kind=Organization.Kind.SINGLE, language="fr")
    person.last_organization = city
    person.save(update_fields=["last_organization"])
    browser = Client()
    browser.force_login(person)
    response = browser.get(reverse("organization_home", kwargs={"org": city.slug}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Espaces de travail" in html and "Créer un espace de travail" in html
    assert "Workspaces" not in html
