"""The forecast chart: the recent history, the forecast and its 80 % and 95 % bands, as a Plotly
figure dict with its table (a pure function, like analytics.charts)."""

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _

from analytics.charts import BLUE, Chart, Table, _layout
from analytics.forecasting.models import Forecast
from analytics.forecasting.selectors import History

BAND_95 = "rgba(29, 78, 216, 0.12)"
BAND_80 = "rgba(29, 78, 216, 0.25)"


def forecast_chart(forecast: Forecast, history: History, *, horizon: int, label: str) -> Chart:
    """``history`` as a line, then ``horizon`` days of ``forecast``: its median as a dashed line
    inside its 95 % and 80 % bands (drawn as filled areas between their bounds)."""
    points = forecast.points[:horizon] if forecast.status == Forecast.Status.READY else []
    past = [
        (history.start + dt.timedelta(days=i), value)
        for i, value in enumerate(history.values)
        if history.start is not None
    ]
    dates = [p["date"] for p in points]
    data = []
    if past:
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": label,
                "x": [day.isoformat() for day, _value in past],
                "y": [value for _day, value in past],
                "line": {"color": BLUE, "width": 2},
            }
        )
    if points:
        for level, color in ((95, BAND_95), (80, BAND_80)):
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": _("%(level)s %% interval") % {"level": level},
                    "x": dates + dates[::-1],
                    "y": [p[f"hi{level}"] for p in points] + [p[f"lo{level}"] for p in points][::-1],
                    "fill": "toself",
                    "fillcolor": color,
                    "line": {"width": 0},
                    "hoverinfo": "skip",
                }
            )
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": _("Forecast"),
                "x": dates,
                "y": [p["mean"] for p in points],
                "line": {"color": BLUE, "width": 2, "dash": "dash"},
            }
        )
    table = Table(
        [
            _("Date"),
            _("Forecast"),
            *(
                _("%(level)s %% low") % {"level": level} if bound == "lo" else _("%(level)s %% high") % {"level": level}
                for level in (80, 95)
                for bound in ("lo", "hi")
            ),
        ],
        [[p["date"], p["mean"], p["lo80"], p["hi80"], p["lo95"], p["hi95"]] for p in points],
    )
    figure = {"data": data, "layout": _layout(yaxis={"rangemode": "normal"})} if points else None
    return Chart(f"forecast-{forecast.metric}", label, "forecast", table, figure, note=backtest_note(forecast))


def backtest_note(forecast: Forecast) -> str:
    """The backtest's error and coverage in words, shown under the chart's title."""
    if forecast.backtest_mase is None or forecast.mase_relative is None:
        note = _("Backtest: not available (the history is too short to hold some of it out).")
    else:
        note = _(
            "Backtest on the last %(origins)s × %(days)s days: error %(ratio)s × that of repeating the last week "  # noqa: RUF001
            "(below 1 is better); %(coverage)s of the days fell inside the 80 %% band."
        ) % {
            "origins": forecast.backtest_origins,
            "days": forecast.backtest_horizon,
            "ratio": formats.number_format(round(forecast.mase_relative, 2), 2, use_l10n=True),
            "coverage": f"{formats.number_format(round(forecast.backtest_coverage80 * 100), 0, use_l10n=True)} %",
        }
    model = _("Model: %(model)s, from %(days)s days of history.") % {
        "model": forecast.model_label,
        "days": forecast.history_days,
    }
    return f"{note} {model}"
