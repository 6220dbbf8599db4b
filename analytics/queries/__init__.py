"""Analytics queries: objects built from ``(organization, membership, period, filters)`` that
return typed results (STYLE.md rule 12). Pages, charts, exports and the API all read these, so
they show the same numbers."""
