"""``{% factcache "name" %}…{% endfactcache %}``: a fragment of a statistics page rendered once
per facts version (analytics/factcache.py), then read from the cache.

The view puts ``fact_key`` in the context (``analytics.views.base.fragment_key``: the facts
version and everything else the page's fragments depend on); without it every fragment renders
live. The values a fragment shows should be lazy (memoised callables, which the template calls),
so that a cached fragment runs no query at all.

A fragment holding a value of this request — a CSRF token, a nonce — must never be cached:
``{% factcache "posts" live=can_label %}`` renders it live whenever ``can_label`` is true.

A fragment showing data that is not a fact (what people wrote to an account: the inbox's
messages, which the facts version does not follow) adds that data to its key:
``{% factcache "sentiment" vary=sentiment %}`` is read again whenever ``sentiment`` differs.

``{% pagecache %}…{% endpagecache %}`` (around the whole of templates/base.html): a statistics
page as a whole, shared by the members who see the same page. See :class:`PageCacheNode`.
"""

import functools
import hashlib
import hmac
import logging
from pathlib import Path

from django import template
from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.base import FilterExpression
from django.utils.safestring import mark_safe

from analytics import factcache

register = template.Library()
logger = logging.getLogger(__name__)

# The fragments of each template by name, gathered as it is parsed (a template parsed again,
# after an edit in development, replaces them).
_NODES: dict[str, dict[str, "FactCacheNode"]] = {}


class FactCacheNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str, options: dict[str, FilterExpression]) -> None:
        self.nodelist = nodelist
        self.name = name
        self.live = options.get("live")
        self.vary = options.get("vary")

    def key(self, fact_key: str, context: template.Context) -> str:
        if self.vary is None:
            return f"{fact_key}:{self.name}"
        return f"{fact_key}:{self.name}:{factcache.digest([self.vary.resolve(context)])}"

    def render(self, context: template.Context) -> str:
        fact_key = context.get("fact_key")
        if not fact_key or (self.live is not None and self.live.resolve(context)):
            return self.nodelist.render(context)
        fetched = context.render_context.get(self.__class__)
        if fetched is None:
            # The template's fragments, all read with one round trip to the cache.
            nodes = _NODES.get(self.origin.name, {}).values() or [self]
            keys = [node.key(fact_key, context) for node in nodes]
            try:
                fetched = cache.get_many(keys)
            except Exception:  # a cache outage must not fail a page: render instead
                logger.warning("facts cache unreachable: fragments rendered live", exc_info=True)
                fetched = {}
            context.render_context[self.__class__] = fetched
        key = self.key(fact_key, context)
        html = fetched.get(key)
        if html is not None:
            # Our own rendering (escaped when it was rendered), stored by the code below.
            return mark_safe(html)  # noqa: S308 — HTML this node rendered and escaped
        html = self.nodelist.render(context)
        try:
            cache.set(key, str(html), timeout=settings.FACTS_CACHE_SECONDS)
        except Exception:  # the fragment is rendered: serve it uncached
            logger.warning("facts cache unreachable: fragment not stored", exc_info=True)
        return html


@register.tag("factcache")
def do_factcache(parser: template.base.Parser, token: template.base.Token) -> FactCacheNode:
    """``{% factcache "name" [live=<condition>] [vary=<value>] %}``."""
    bits = token.split_contents()
    if len(bits) < 2 or not (bits[1][0] == bits[1][-1] and bits[1][0] in "\"'"):
        raise template.TemplateSyntaxError(f"{bits[0]} takes a quoted name, then live=… and vary=… if needed")
    options = {}
    for bit in bits[2:]:
        option, _sep, value = bit.partition("=")
        if option not in ("live", "vary") or not value:
            raise template.TemplateSyntaxError(f"{bits[0]}: unknown argument {bit!r} (live=<condition>, vary=<value>)")
        options[option] = parser.compile_filter(value)
    nodelist = parser.parse(("endfactcache",))
    parser.delete_first_token()
    node = FactCacheNode(nodelist, bits[1][1:-1], options)
    _NODES.setdefault(parser.origin.name, {})[node.name] = node
    return node


@functools.cache
def csrf_hole() -> str:
    """What a cached page holds where the CSRF token goes, replaced by the reader's own token when
    served. Derived from the secret key: no text a page shows can contain it by chance or design."""
    mac = hmac.new(settings.SECRET_KEY.encode(), b"overgraph page cache csrf hole", hashlib.sha256)
    return f"og-csrf-hole-{mac.hexdigest()[:32]}"


@functools.cache
def page_release() -> str:
    """``factcache.release()`` and what else a whole page is made of: every template (the header,
    the other apps' includes) and the static files' manifest (the hashed asset names)."""
    root = Path(settings.BASE_DIR)
    content = hashlib.blake2b(factcache.release().encode(), digest_size=8)
    files = sorted(root.glob("templates/**/*.html"))
    manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
    if settings.STATIC_ROOT and manifest.is_file():
        files.append(manifest)
    for path in files:
        content.update(str(path).encode())
        content.update(path.read_bytes())
    return content.hexdigest()


def _header_state(context: template.Context) -> tuple:
    """What the header shows of the person reading: their organisations and roles (the switcher,
    the admin links) and the bell's unread count. Everything else on a statistics page is in its
    ``page_key``."""
    memberships = context.get("nav_memberships")
    if callable(memberships):
        memberships = memberships()
    unread = context.get("nav_unread")
    if callable(unread):
        unread = unread()
    return (
        tuple((m.organization_id, m.organization.slug, m.organization.name, m.role) for m in memberships or ()),
        unread,
    )


class PageCacheNode(template.Node):
    """A statistics page rendered once, then served to every member who would see the same page.

    Off unless the view puts ``page_key`` in the context (``analytics.views.base.fragment_key``
    plus whatever else the view shows that is not a fact, through ``vary``): other pages always
    render. The entry's key adds what the header shows of the reader (:func:`_header_state`), the
    address with its query string (the language form's ``next``), and :func:`page_release`.

    What belongs to one reader only is never stored: the CSRF token is rendered as
    :func:`csrf_hole` and each response gets its reader's own token; a page with messages to show
    (they are shown once) is rendered, not cached. A page must not use a CSP nonce (none of the
    statistics pages does: their scripts are files). A cache outage renders the page."""

    def __init__(self, nodelist: template.NodeList, vary: FilterExpression | None) -> None:
        self.nodelist = nodelist
        self.vary = vary
        self._by_type: dict[type, list[template.Node]] = {}

    def get_nodes_by_type(self, nodetype: type) -> list[template.Node]:
        """Django's ``{% extends %}`` looks for the parent's blocks on every render, walking the
        whole of base.html (~6 % of a page's CPU, docs/performance.md "Load"). A parsed template
        never changes (an edited one is parsed again, into new nodes): walk once per type."""
        if nodetype not in self._by_type:
            self._by_type[nodetype] = super().get_nodes_by_type(nodetype)
        return list(self._by_type[nodetype])

    def key(self, page_key: str, request, context: template.Context) -> str:
        parts = [request.get_full_path(), page_release(), _header_state(context)]
        if self.vary is not None:
            parts.append(self.vary.resolve(context))
        return f"{page_key}:page:{factcache.digest(parts)}"

    def render(self, context: template.Context) -> str:
        page_key = context.get("page_key")
        request = context.get("request")
        messages = context.get("messages")
        if not page_key or request is None or (messages is not None and len(messages)):
            return self.nodelist.render(context)
        key = self.key(page_key, request, context)
        try:
            html = cache.get(key)
        except Exception:  # a cache outage must not fail a page: render it
            logger.warning("facts cache unreachable: page rendered live", exc_info=True)
            return self.nodelist.render(context)
        if html is None:
            with context.push(csrf_token=csrf_hole()):
                html = str(self.nodelist.render(context))
            try:
                cache.set(key, html, timeout=settings.FACTS_CACHE_SECONDS)
            except Exception:  # the page is rendered: serve it uncached
                logger.warning("facts cache unreachable: page not stored", exc_info=True)
        # Our own rendering (escaped when it was rendered), with this reader's CSRF token.
        return mark_safe(html.replace(csrf_hole(), str(get_token(request))))  # noqa: S308


@register.tag("pagecache")
def do_pagecache(parser: template.base.Parser, token: template.base.Token) -> PageCacheNode:
    """``{% pagecache [vary=<value>] %}``."""
    bits = token.split_contents()
    vary = None
    for bit in bits[1:]:
        option, _sep, value = bit.partition("=")
        if option != "vary" or not value:
            raise template.TemplateSyntaxError(f"{bits[0]}: unknown argument {bit!r} (vary=<value>)")
        vary = parser.compile_filter(value)
    nodelist = parser.parse(("endpagecache",))
    parser.delete_first_token()
    return PageCacheNode(nodelist, vary)
