"""The sentiment block of the account and post pages (and of listening's and campaigns' pages):
the summary, its chart and the chart's figure as JSON for ``analytics/_sentiment.html``.

The figure travels as the text of a hidden element (not ``json_script``): htmx drops the <script>
tags of the content it swaps in, and the account page's body is swapped when the period changes."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder

from analytics.charts import Chart
from analytics.queries.sentiment import SentimentSummary
from analytics.text.timeline import sentiment_chart


def sentiment_block(summary: SentimentSummary, *, slug: str = "sentiment", title: str | None = None) -> dict:
    chart: Chart = sentiment_chart(summary.points, slug=slug, title=title)
    return {
        "summary": summary,
        "chart": chart,
        "figure_json": json.dumps(chart.figure, cls=DjangoJSONEncoder) if chart.figure else "",
    }
