"""The account's forecasts: one chart per metric (recent history, forecast, 80 % and 95 % bands)
with its backtest error beside it. Loaded by the account page (htmx) or as its own page; read from
the store only."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import org_view
from analytics.charts import weekday_names
from analytics.forecasting import charts as forecast_charts
from analytics.forecasting import engine
from analytics.forecasting.models import ForecastMetric
from analytics.forecasting.selectors import account_forecasts, daily_histories, post_outlook
from analytics.models import ContentType
from analytics.views.base import chart_download, organization_tz, page_template, render_local
from networks import selectors as network_selectors

HORIZONS = (7, 30, 90)
DEFAULT_HORIZON = 30
# Days of history drawn before the forecast.
HISTORY_SHOWN = 90
BEST_SLOTS_SHOWN = 10


def horizon_choice(request: HttpRequest) -> int:
    try:
        horizon = int(request.GET.get("horizon", DEFAULT_HORIZON))
    except ValueError:
        return DEFAULT_HORIZON
    return horizon if horizon in HORIZONS else DEFAULT_HORIZON


@require_safe
@org_view()
def account_forecasts_page(request: HttpRequest, account_id: int) -> HttpResponse:
    account = network_selectors.account_for_member(request.membership, account_id)
    horizon = horizon_choice(request)
    forecasts = account_forecasts(account)
    histories = daily_histories(account, today=timezone.now().date(), days=HISTORY_SHOWN) if forecasts else {}
    labels = dict(ForecastMetric.choices)
    charts = {
        forecast.metric: forecast_charts.forecast_chart(
            forecast, histories[forecast.metric], horizon=horizon, label=str(labels[forecast.metric])
        )
        for forecast in forecasts
    }
    download = chart_download(
        request, {chart.slug: (lambda c=chart: c) for chart in charts.values()}, account.display_name
    )
    if download is not None:
        return download
    cards = [
        {
            "forecast": forecast,
            "chart": charts[forecast.metric],
            "figure_json": json.dumps(charts[forecast.metric].figure, cls=DjangoJSONEncoder),
        }
        for forecast in forecasts
    ]
    outlook = post_outlook(account, tz=organization_tz(request.organization), now=timezone.now())
    context = {
        "account": account,
        "outlook": outlook,
        "best_slots": outlook.slots.slots[:BEST_SLOTS_SHOWN],
        "weekdays": dict(enumerate(weekday_names())),
        "type_labels": dict(ContentType.choices),
        "cards": cards,
        "horizon": horizon,
        "horizons": HORIZONS,
        "min_history": engine.MIN_HISTORY_DAYS,
        "title": _("Forecasts"),
    }
    template = page_template(request, "analytics/forecasts.html", "analytics/_forecasts_body.html")
    return render_local(request, template, context)
