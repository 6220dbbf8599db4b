"""The Content-Security-Policy holds: no inline script without the request's nonce, no inline
event handler, no inline style, no eval, nothing loaded from another host.

Two nets: the template *files* of the project are scanned (a violation is caught even on a page
no test renders yet), and every named page the URL configuration exposes is *rendered*, as a
visitor and as an owner, and its HTML scanned (this also covers allauth's and other packages'
templates, which are not our files).
"""

import contextlib
import re
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Invitation, Membership, Role
from accounts.services.invitations import invitation_link
from conftest import PASSWORD, make_user

BASE_DIR = Path(settings.BASE_DIR)
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
# Attributes that load something into the page (as opposed to <a href>, a navigation).
LOADING_ATTRIBUTES = {"src", "srcset", "poster", "data", "action", "formaction"}
# preconnect/dns-prefetch load nothing but still tell a third party who is reading the page.
LOADING_LINK_RELS = {
    "stylesheet",
    "icon",
    "preload",
    "modulepreload",
    "prefetch",
    "manifest",
    "apple-touch-icon",
    "preconnect",
    "dns-prefetch",
}


# --- Policy -------------------------------------------------------------------------------------


def _directives(header: str) -> dict[str, list[str]]:
    result = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


# --- Scanning HTML ------------------------------------------------------------------------------


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    nonces: set[str] = field(default_factory=set)


class _PolicyScanner(HTMLParser):
    """Collects what the policy would block in rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings = Findings()
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        problems = self.findings.problems
        where = f"<{tag} {' '.join(f'{n}={v!r}' for n, v in attrs)[:120]}>"
        for name, value in values.items():
            if name.startswith("on"):
                problems.append(f"inline event handler {name}= in {where}")
            if name == "style":
                problems.append(f"style= attribute in {where}")
            if value.strip().lower().startswith("javascript:"):
                problems.append(f"javascript: URL in {where}")
            if (name in LOADING_ATTRIBUTES or (tag == "link" and name == "href" and _loads(values))) and _remote(value):
                problems.append(f"resource from another host in {where}")
        if tag == "style":
            problems.append("inline <style> element")
        if tag == "script":
            if values.get("type", "").lower() not in JS_TYPES:
                return  # a data block (json_script): never executed, so outside the policy
            if "src" in values:
                return
            if "nonce" not in values:
                problems.append(f"inline <script> without nonce: {where}")
            else:
                self.findings.nonces.add(values["nonce"])


def _loads(values: dict[str, str]) -> bool:
    return bool(set(values.get("rel", "").lower().split()) & LOADING_LINK_RELS)


def _remote(url: str) -> bool:
    url = url.strip().lower()
    if url.startswith("//"):
        return True
    if url.startswith(("http://", "https://")):
        host = url.split("/")[2]
        return host not in {"testserver", "localhost", "127.0.0.1"}
    return False


def scan_html(html: str) -> Findings:
    scanner = _PolicyScanner()
    scanner.feed(html)
    scanner.close()
    return scanner.findings


def test_it_catches_what_the_policy_blocks():
    """The scanner itself, so a green suite means something."""
    html = """
    <div style="color:red" onclick="x()"><a href="javascript:alert(1)">x</a></div>
    <script>alert(1)</script><script nonce="abc">ok()</script>
    <script type="application/json" id="data">{"a": 1}</script><script src="/static/js/app.js"></script>
    <script src="https://cdn.example.com/lib.js"></script><link rel="stylesheet" href="//cdn.example.com/a.css">
    <a href="https://docs.example.com/">docs</a><style>p{}</style>
    """
    findings = scan_html(html)
    assert findings.nonces == {"abc"}
    assert len(findings.problems) == 7, findings.problems


# --- The template files -------------------------------------------------------------------------


def _project_template_files() -> list[Path]:
    """templates/ and every project app's templates/ (not the packages installed in .venv)."""
    roots = [BASE_DIR / "templates"]
    for config in apps.get_app_configs():
        path = Path(config.path)
        if path.is_relative_to(BASE_DIR) and ".venv" not in path.parts:
            roots.append(path / "templates")
    return sorted(p for root in roots if root.is_dir() for p in root.rglob("*.html"))


_DJANGO_COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_DJANGO_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)


def _template_as_html(source: str) -> str:
    """The template's markup with Django tags and variables replaced by neutral text."""
    source = _HTML_COMMENT.sub("", _DJANGO_COMMENT.sub("", source))
    # A variable inside a nonce attribute is the nonce; anything else becomes a harmless word.
    return _DJANGO_TAG.sub("x", source)


def test_it_finds_the_project_templates():
    files = _project_template_files()
    assert BASE_DIR / "templates" / "base.html" in files
    assert len(files) > 10


def test_it_keeps_templates_free_of_inline_scripts_handlers_and_styles():
    problems = []
    for path in _project_template_files():
        source = path.read_text(encoding="utf-8")
        if path.suffix == ".html" and "/emails/" in str(path):
            continue  # e-mail bodies never run under the page's policy
        problems += [f"{path.relative_to(BASE_DIR)}: {p}" for p in scan_html(_template_as_html(source)).problems]
    assert not problems, "\n".join(problems)


_URL = re.compile(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s"'<>)]*""", re.I)
# Namespaces are names, not downloads (an SVG's xmlns is always http://www.w3.org/2000/svg).
_NAMESPACE_URLS = re.compile(r"^(https?:)?//www\.w3\.org/", re.I)
_JS_CSS_COMMENT = re.compile(r"/\*.*?\*/|(?<![:\"'\\])//[^\n]*", re.S)


def _static_files(*suffixes: str, vendor: bool = False) -> list[Path]:
    files = []
    for root in map(Path, settings.STATICFILES_DIRS):
        for path in root.rglob("*"):
            if path.suffix in suffixes and (vendor or "vendor" not in path.relative_to(root).parts):
                files.append(path)
    return sorted(files)


def test_it_loads_nothing_from_a_cdn():
    """Resources come from this server: a URL in a loading context, outside comments, is a CDN."""
    problems = []
    for path in _static_files(".js", ".css"):
        code = _JS_CSS_COMMENT.sub("", path.read_text(encoding="utf-8"))
        problems += [f"{path}: {url}" for url in _URL.findall(code) if not _NAMESPACE_URLS.match(url)]
    for path in _static_files(".css", vendor=True):
        css = _JS_CSS_COMMENT.sub("", path.read_text(encoding="utf-8"))
        problems += [f"{path}: {m}" for m in re.findall(r"(?:url\(|@import)\s*['\"]?(?:https?:)?//[^)'\"]+", css)]
    for path in _project_template_files():
        html = _template_as_html(path.read_text(encoding="utf-8"))
        problems += [f"{path}: {p}" for p in scan_html(html).problems if "another host" in p]
    assert not problems, "\n".join(problems)


def _allauth_scripts() -> list[Path]:
    """The scripts allauth's pages load (e-mail management, recovery codes): served by us too."""
    scripts = []
    for finder in finders.get_finders():
        for name, storage in finder.list([]):
            if name.startswith(("account/js/", "mfa/js/")) and name.endswith(".js"):
                scripts.append(Path(storage.path(name)))
    return scripts


def test_it_never_evaluates_strings_as_code():
    problems = []
    scripts = _allauth_scripts()
    assert scripts, "allauth's scripts were not found"
    for path in [*_static_files(".js"), *scripts]:
        code = _JS_CSS_COMMENT.sub("", path.read_text(encoding="utf-8"))
        for pattern in (r"\beval\s*\(", r"\bnew\s+Function\s*\(", r"\bset(?:Timeout|Interval)\s*\(\s*['\"`]"):
            problems += [f"{path}: {m}" for m in re.findall(pattern, code)]
    assert not problems, "\n".join(problems)


def test_it_keeps_htmx_from_evaluating_attributes():
    """The vendored htmx can eval hx-on/js: attributes; the page's config switches that off
    (and the policy, without 'unsafe-eval', would block it anyway)."""
    base = (BASE_DIR / "templates" / "base.html").read_text(encoding="utf-8")
    assert '"allowEval": false' in base
    assert '"allowScriptTags": false' in base


# --- Rendered pages -----------------------------------------------------------------------------


def _named_routes(patterns, namespace: str = "", params: frozenset[str] = frozenset()):
    for entry in patterns:
        names = params | frozenset(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_routes(entry.url_patterns, inner, names)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, names


@pytest.fixture
def page_urls(tenancy):
    """Every named GET page whose URL arguments we can fill from the tenancy cast."""
    with scopes_disabled():
        membership = Membership.objects.get(organization=tenancy.org_a, user=tenancy.bob)
        invitation = Invitation.objects.create(
            organization=tenancy.org_a,
            email="newcomer@example.com",
            role=Role.ANALYST,
            invited_by=tenancy.alice,
            expires_at=timezone.now() + timedelta(days=7),
        )
    values = {
        "org": tenancy.org_a.slug,
        "workspace_id": tenancy.a1.pk,
        "membership_id": membership.pk,
        "invitation_id": invitation.pk,
        "token": invitation_link(invitation).rstrip("/").rsplit("/", 1)[-1],
    }
    urls = {}
    for name, params in _named_routes(get_resolver().url_patterns):
        if not params <= values.keys():
            continue
        with contextlib.suppress(NoReverseMatch):  # a converter refusing our values: not a page we reach
            urls[name] = reverse(name, kwargs={p: values[p] for p in params})
    return urls


MUST_BE_CHECKED = {
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_email",
    "organization_home",
    "workspace_home",
    "member_list",
    "organization_settings",
    "profile",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_view_recovery_codes",
    "api_docs",
    "admin:index",
    "admin:accounts_organization_add",
    "admin:django_celery_beat_periodictask_add",
}


def _check_page(url: str, response) -> list[str]:
    problems = []
    header = response.get("Content-Security-Policy")
    if not header:
        return [f"{url}: no Content-Security-Policy header"]
    policy = _directives(header)
    script_src = policy.get("script-src", policy.get("default-src", []))
    if {"'unsafe-inline'", "'unsafe-eval'"} & set(script_src):
        problems.append(f"{url}: script-src allows {script_src}")
    findings = scan_html(response.content.decode("utf-8"))
    problems += [f"{url}: {p}" for p in findings.problems]
    for nonce in findings.nonces:
        if f"'nonce-{nonce}'" not in script_src:
            problems.append(f"{url}: a script's nonce is not the one in the header")
    return problems


def _logged_in_for_real(user) -> Client:
    """Through allauth's login form (not force_login), so pages that ask for a recent login
    (activating two-factor, recovery codes) render instead of asking to reauthenticate."""
    # allauth lets only a verified address activate two-factor.
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = browser.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, "the login form should accept the cast's password"
    response = browser.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, "reauthentication should accept the cast's password"
    return browser


def _activate_two_factor(user) -> None:
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)


def _platform_admin() -> Client:
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(make_user("root@example.com", is_staff=True, is_superuser=True))
    return browser


def test_it_sends_the_policy_on_every_page(tenancy, page_urls, client):
    assert page_urls.keys() >= MUST_BE_CHECKED
    owner = _logged_in_for_real(tenancy.alice)
    passes = [
        ("visitor", client, None),
        ("owner", owner, None),
        ("owner with two-factor", owner, lambda: _activate_two_factor(tenancy.alice)),
        ("platform admin", _platform_admin(), None),
    ]
    checked, problems = set(), []
    for who, browser, prepare in passes:
        if prepare:
            prepare()
        for name, url in page_urls.items():
            response = browser.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            checked.add(name)
            problems += [f"{who} {name} {p}" for p in _check_page(url, response)]
    assert not problems, "\n".join(problems)
    assert checked >= MUST_BE_CHECKED, f"not rendered: {MUST_BE_CHECKED - checked}"


def test_it_allows_inline_styles_on_redoc_only(client, db):
    policy = client.get("/api/redoc/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert "'unsafe-inline'" in directives["style-src"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-inline'" not in client.get("/accounts/login/")["Content-Security-Policy"]
