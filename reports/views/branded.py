"""Pages that show a report in its brand's colours: the colours are per tenant, so they are written
into a ``<style>`` element carrying the request's CSP nonce (the policy allows no inline style
otherwise, and style attributes stay forbidden)."""

from csp.constants import NONCE, SELF
from csp.decorators import csp_update

branded = csp_update({"style-src": [SELF, NONCE]})
