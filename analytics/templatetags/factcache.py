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
``{% factcache "sentiment" vary=texts_version %}`` is read again whenever ``texts_version`` differs.
"""

import logging

from django import template
from django.conf import settings
from django.core.cache import cache
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
