"""Stored forecasts: one row per account and metric, rewritten after each daily sync
(analytics.forecasting.tasks) and read by the account page and the API, which never compute one."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Organization


class ForecastMetric(models.TextChoices):
    FOLLOWERS = "followers", _("Followers")
    ENGAGEMENTS = "engagements", _("Engagements")
    VIEWS = "views", _("Views")
    REACH = "reach", _("Reach")
    # Engagement of the posts the account published that day (its own: reposts left out).
    POST_ENGAGEMENT = "post_engagement", _("Posts' engagement")


def model_labels() -> dict[str, str]:
    """The engine's model names (analytics.forecasting.engine) as the page says them."""
    return {
        "ensemble": _("combination of exponential smoothing, Theta and the last four weeks' mean"),
        "ets": _("exponential smoothing (ETS)"),
        "theta": _("Theta method"),
        "seasonal_mean": _("mean of the same weekday over the last four weeks"),
        "seasonal_naive": _("same day last week"),
    }


class Forecast(models.Model):
    """The daily forecast of one metric of one account, with its 80 % and 95 % intervals and the
    engine's rolling-origin backtest on the account's own history."""

    class Status(models.TextChoices):
        READY = "ready", _("Ready")
        NOT_ENOUGH_HISTORY = "not_enough_history", _("Not enough history")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    account = models.ForeignKey(
        "networks.SocialAccount", on_delete=models.CASCADE, related_name="forecasts", db_index=False
    )
    metric = models.CharField(_("metric"), max_length=20, choices=ForecastMetric.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    # Days of history the forecast was made from, and the last of them (the day before the first
    # forecast day).
    history_days = models.PositiveIntegerField(_("days of history"), default=0)
    last_date = models.DateField(_("last observed day"), null=True, blank=True)
    horizon = models.PositiveSmallIntegerField(_("horizon (days)"), default=0)
    model = models.CharField(_("model"), max_length=30, blank=True)
    # One object per forecast day: {"date", "mean", "lo80", "hi80", "lo95", "hi95"}.
    points = models.JSONField(_("forecast"), default=list, blank=True)
    # Rolling-origin backtest (NULL: history too short to hold one out).
    backtest_origins = models.PositiveSmallIntegerField(_("backtest origins"), null=True, blank=True)
    backtest_horizon = models.PositiveSmallIntegerField(_("backtest horizon"), null=True, blank=True)
    backtest_mase = models.FloatField(_("MASE"), null=True, blank=True)
    backtest_mase_snaive = models.FloatField(_("seasonal naive MASE"), null=True, blank=True)
    # xgettext:no-python-format
    backtest_coverage80 = models.FloatField(_("80 % interval coverage"), null=True, blank=True)
    # xgettext:no-python-format
    backtest_coverage95 = models.FloatField(_("95 % interval coverage"), null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        app_label = "analytics"
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        constraints = [
            models.UniqueConstraint(fields=["organization", "account", "metric"], name="forecast_account_metric")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.metric}"

    @property
    def model_label(self) -> str:
        return str(model_labels().get(self.model, self.model))

    @property
    def mase_relative(self) -> float | None:
        """The engine's error as a share of the seasonal naive's (below 1: better)."""
        if self.backtest_mase is None or not self.backtest_mase_snaive:
            return None
        return self.backtest_mase / self.backtest_mase_snaive
