"""Charts to PNG (server side) and the document to PDF.

Charts: Plotly figures rendered by kaleido with Debian's Chromium (``/usr/bin/chromium``, pinned
through ``BROWSER_PATH``; ``kaleido.get_chrome()`` would download a browser and is never called).
A browser start costs ~2 s, so a report's charts are rendered in one batch through kaleido's sync
server (started once, stopped at the end). When Chromium is missing or kaleido fails, matplotlib
(Agg, no display) draws the same traces: a report is never lost for want of a browser.

PDF: WeasyPrint lays the HTML document out (A4) with the brand's colours; every image is a
``data:`` URI, and the stylesheet is read from disk, so nothing is fetched over HTTP.
"""

import datetime as dt
import io
import json
import logging
import os
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from reports.media import data_uri
from reports.sections import ReportChart

logger = logging.getLogger(__name__)

CHROMIUM = Path(os.environ.get("BROWSER_PATH", "/usr/bin/chromium"))
STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "reports-document.css"


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


# Plotly's own locale is English: in a French report, numbers take a decimal comma and a space
# between thousands, and dates are written day/month (month names would need plotly's locale files).
LOCALE_LAYOUT = {"fr": {"separators": ", ", "date": "%d/%m"}, "en": {"separators": ".,", "date": "%b %d"}}


def figure_json(figure: dict, width: int, height: int, language: str = "en") -> dict:
    """The figure as plain JSON (dates as ISO text, lazy strings as text) at a fixed size, with the
    report language's number and date formats."""
    plain = json.loads(json.dumps(figure, default=_plain))
    layout = plain.setdefault("layout", {})
    layout.update({"width": width, "height": height, "autosize": False})
    layout.pop("hovermode", None)
    if "yaxis2" in layout:  # the right-hand axis needs room for its labels
        layout["margin"] = {**layout.get("margin", {}), "r": 56}
    locale = LOCALE_LAYOUT.get(language, LOCALE_LAYOUT["en"])
    layout["separators"] = locale["separators"]
    first_x = next((t["x"][0] for t in plain.get("data", []) if t.get("x")), None)
    if isinstance(first_x, str) and len(first_x) == 10 and first_x[4] == "-" and first_x[7] == "-":
        layout["xaxis"] = {**layout.get("xaxis", {}), "tickformat": locale["date"]}
    return plain


def brand_figure(figure: dict | None, primary: str, accent: str) -> dict | None:
    """The figure in the brand's colours: the product's blue and green (analytics.charts) become
    the brand's main and accent colours; other colours (red for losses, greys) keep their meaning."""
    if figure is None:
        return None
    from analytics.charts import BLUE, GREEN

    mapping = {BLUE.lower(): primary, GREEN.lower(): accent}
    text = json.dumps(figure, default=_plain)
    for product, brand in mapping.items():
        if brand and brand.lower() != product:
            text = text.replace(f'"{product}"', f'"{brand}"').replace(f'"{product.upper()}"', f'"{brand}"')
    return json.loads(text)


@contextmanager
def kaleido_server():
    """One Chromium for a batch of charts; ``None`` when it cannot start (then matplotlib draws)."""
    if os.environ.get("REPORTS_CHART_RENDERER") == "matplotlib" or not CHROMIUM.exists():
        yield None
        return
    try:
        import kaleido

        os.environ.setdefault("BROWSER_PATH", str(CHROMIUM))
        already = kaleido._global_server.is_running()
        if not already:
            kaleido.start_sync_server(silence_warnings=True)
    except Exception as error:  # noqa: BLE001 (any failure of the browser start means: fall back)
        logger.warning("kaleido could not start (%s): charts drawn with matplotlib", error)
        yield None
        return
    try:
        yield kaleido
    finally:
        # A server someone else started (a test session sharing one browser) stays up.
        if not already:
            kaleido.stop_sync_server(silence_warnings=True)


def render_charts(charts: Sequence[ReportChart], language: str = "en") -> str:
    """Fill in each chart's ``image`` (PNG data URI). Returns the renderer used for the batch."""
    todo = [c for c in charts if c.figure]
    if not todo:
        return ""
    used = "kaleido"
    with kaleido_server() as kaleido:
        for chart in todo:
            png = None
            if kaleido is not None:
                try:
                    png = kaleido.calc_fig_sync(
                        figure_json(chart.figure, chart.width, chart.height, language),
                        opts={"format": "png", "width": chart.width, "height": chart.height, "scale": 2},
                    )
                except Exception as error:  # noqa: BLE001 (one chart's failure: draw it another way)
                    logger.warning("kaleido failed on chart %s (%s): matplotlib draws it", chart.slug, error)
            if png is None:
                png = matplotlib_png(chart.figure, chart.width, chart.height)
                used = "matplotlib"
            chart.image = data_uri(png, "image/png")
    return used


def matplotlib_png(figure: dict, width: int, height: int) -> bytes:
    """The fallback: the traces our charts use (lines, bars, a heatmap) drawn by matplotlib."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    plain = figure_json(figure, width, height)
    fig = Figure(figsize=(width / 100, height / 100), dpi=200)
    ax = fig.add_subplot()
    bars = [t for t in plain["data"] if t.get("type") == "bar"]
    for trace in plain["data"]:
        kind = trace.get("type", "scatter")
        name = trace.get("name")
        color = (trace.get("marker") or {}).get("color") or (trace.get("line") or {}).get("color")
        color = color if isinstance(color, str) else None
        x = [str(v) for v in trace.get("x", [])]
        y = [float("nan") if v is None else v for v in trace.get("y", [])]
        if kind == "heatmap":
            z = [[float("nan") if v is None else v for v in row] for row in trace["z"]]
            image = ax.imshow(z, aspect="auto", cmap="Blues")
            ax.set_yticks(range(len(trace.get("y", []))), trace.get("y", []))
            ax.set_xticks(range(0, len(trace.get("x", [])), 3), trace.get("x", [])[::3])
            fig.colorbar(image, ax=ax)
        elif kind == "bar":
            index = bars.index(trace)
            step = 0.8 / max(1, len(bars))
            positions = [i - 0.4 + step * (index + 0.5) for i in range(len(x))]
            ax.bar(positions, y, width=step, label=name, color=color)
            ax.set_xticks(range(len(x)), x)
        else:
            ax.plot(range(len(x)), y, label=name, color=color)
            ticks = list(range(0, len(x), max(1, len(x) // 6)))
            ax.set_xticks(ticks, [x[i] for i in ticks])
    if any(t.get("name") for t in plain["data"]):
        ax.legend(loc="upper left", fontsize=8)
    ax.tick_params(labelsize=7)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes and line breaks escaped)."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\\n\r' or ord(c) < 32 else c for c in text)
    return f'"{escaped}"'


def page_css(footer: str) -> str:
    """A4 pages with the footer (brand · workspace) and the page number; none on the cover. Set in
    the @page rule itself: margin boxes do not inherit the body's font."""
    font = 'font-family: "DejaVu Sans", "Symbola", sans-serif; font-size: 8pt; color: #6b7280;'
    return (
        "@page { size: A4; margin: 18mm 16mm 20mm; "
        f"@bottom-left {{ content: {css_string(footer)}; {font} }} "
        f'@bottom-right {{ content: counter(page) " / " counter(pages); {font} }} }}\n'
        "@page :first { @bottom-left { content: none; } @bottom-right { content: none; } }\n"
    )


def pdf_bytes(html: str, extra_css: str = "") -> tuple[bytes, int]:
    """The PDF of a full HTML document, and its number of pages. ``extra_css`` (the page rules and
    the brand's colours) comes after the document stylesheet, so it wins."""
    from weasyprint import CSS, HTML

    stylesheets = [CSS(filename=str(STYLESHEET))]
    if extra_css:
        stylesheets.append(CSS(string=extra_css))
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(stylesheets=stylesheets)
    return document.write_pdf(), len(document.pages)
