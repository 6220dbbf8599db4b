"""Formatting of reactivity numbers: "not available" rather than a false 0."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(seconds: float | None) -> str:
    if seconds is None:
        return _("not available")
    minutes = round(seconds / 60)
    if minutes < 60:
        return _("%(minutes)s min") % {"minutes": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _("%(hours)s h %(minutes)02d") % {"hours": hours, "minutes": minutes}
    return _("%(days)s d") % {"days": round(hours / 24, 1)}


@register.filter
def share(value: float | None) -> str:
    if value is None:
        return _("not available")
    return f"{value * 100:.0f} %"


@register.filter
def sentiment_label(value: str) -> str:
    return {"negative": _("Negative"), "neutral": _("Neutral"), "positive": _("Positive")}.get(value, value)
