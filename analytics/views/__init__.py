"""Statistics pages: workspace dashboard, account page, post page, agency overview, glossary and
themes. Each page parses its input, runs ``analytics.queries`` and hands the results to
``analytics.charts``; every chart's table downloads as CSV or XLSX through ``overgraph.exports``."""
