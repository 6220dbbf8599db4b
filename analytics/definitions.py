"""One written definition per metric, keyed by slug: the glossary page renders them and every
chart and table links to ``glossary#<slug>``. The rules the queries apply per network (which
counter divides engagement) live here too, next to the words that explain them, so the text and
the numbers cannot drift apart."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Engagement rate's denominator per network: "views" when the posts report views, else the
# account's followers at the end of the period. Every network we support reports post views
# today (Facebook post_media_view, Instagram views, X impression_count); the followers fallback
# covers posts read before those metrics existed and networks added later.
ENGAGEMENT_RATE_BASE: dict[str, str] = {"x": "views", "facebook": "views", "instagram": "views"}


@dataclass(frozen=True)
class Definition:
    slug: str
    title: Promise
    text: Promise


DEFINITIONS: dict[str, Definition] = {
    d.slug: d
    for d in (
        Definition(
            "engagement",
            _("Engagement"),
            _(
                "Likes (Facebook: all reactions) + comments + shares (X: reposts of the post) + quotes + saves "
                "of the account's own posts published in the period, summed on every network in the same way. "
                "Reposts made by the account never count: their numbers belong to the original post. Counters a "
                "network does not report are left out of the sum; a post reporting none has no engagement "
                "(not available). Facebook's own daily total (page_post_engagements) and Instagram's "
                "total_interactions are shown in the daily metrics, not used here, so networks compare."
            ),
        ),
        Definition(
            "sentiment",
            _("Sentiment"),
            _(
                "Each comment, mention, private message or listening hit in French or English is read as negative, "
                "neutral or positive by offline rules: word lists (VADER, its French translation and AFINN, "
                'completed with our own social-media vocabulary), negation ("pas terrible", "not good"), '
                'intensifiers ("trop bien", "so good"), capitals, stretched words, emoji and exclamation marks. '
                "On public benchmarks of labelled tweets it agrees with human labels about six times in ten "
                "(docs/performance.md): read trends and shares, not single messages. Messages in other languages "
                "are left neutral. The negative share is the negative messages divided by the analysed ones."
            ),
        ),
        Definition(
            "spike-alerts",
            _("Spike alerts"),
            _(
                "Every morning each watched daily series (messages received, share of negative messages, listening "
                "hits) is compared with its usual level: the median of the same weekday over the last eight weeks, "
                "moved along by the median of the last two weeks, with a spread measured robustly (median absolute "
                "deviation). A day far above it, by both a number of spreads and a margin that depend on the "
                "workspace's sensitivity, raises one alert per storm, with the posts, hashtags and authors behind it. "
                "The false-alarm rate of each sensitivity is measured on real daily series and on simulated ones "
                "with known events, and shown on the alerts page."
            ),
        ),
        Definition(
            "engagement-rate",
            _("Engagement rate"),
            _(
                "Engagements divided by the views of the same posts (Facebook: post_media_view; Instagram: views; "
                "X: impressions). When the posts report no views, engagements divided by the followers at the end "
                "of the period. For several networks together: the sum of engagements divided by the sum of each "
                "network's own denominator. For a single post: its engagements divided by its views (or the "
                "account's followers)."
            ),
        ),
        Definition(
            "audience",
            _("Audience and growth"),
            _(
                "Audience is the number of followers on the last day of the period that has a value (Facebook: "
                "page follows). Growth is the audience at the end of the period minus the audience at the end of "
                "the previous period. X keeps no history: its audience is what our daily sync read each day."
            ),
        ),
        Definition(
            "views",
            _("Views"),
            _(
                "How many times the content was displayed, counting repeats. Facebook: post_media_view (replaced "
                "impressions in 2025); Instagram: views (replaced impressions and plays in April 2025); X: "
                "impression_count. In the overview: the views of the posts published in the period."
            ),
        ),
        Definition(
            "reach",
            _("Reach"),
            _(
                "How many distinct people saw the content. Facebook: post_total_media_view_unique; Instagram: "
                "reach. X does not report reach: not available. Reach of several posts is a sum of each post's "
                "reach, so one person may count more than once."
            ),
        ),
        Definition(
            "impressions",
            _("Impressions"),
            _(
                "Meta deprecated impressions in 2025 (Instagram in April 2025, Facebook Pages in November 2025) in "
                "favour of views; we store views and reach, never mix them, and X's impression_count is stored as "
                "views."
            ),
        ),
        Definition(
            "clicks",
            _("Clicks"),
            _(
                "Clicks on the post's links. Facebook: post_clicks; X: url_link_clicks, only for the account's own "
                "posts younger than 30 days; Instagram: not available."
            ),
        ),
        Definition(
            "posts",
            _("Posts published"),
            _(
                "Originals, replies and quotes the account published in the period. Reposts (retweets) are "
                "counted apart: a city's X account reposts more than it posts."
            ),
        ),
        Definition(
            "day",
            _("Days and time zone"),
            _(
                "Periods are days in the organisation's time zone. Posts are placed on days and hours by their "
                "publication time in that zone. Facebook and Instagram daily values are Pacific-time days as Meta "
                "reports them; X days are UTC days of our daily sync."
            ),
        ),
        Definition(
            "best-time",
            _("Best time to post"),
            _(
                "For each weekday and hour (local time), the average engagement rate of the account's own posts "
                "published then, with the number of posts behind each cell: a cell with few posts says little."
            ),
        ),
        Definition(
            "curve",
            _("Engagement curve"),
            _(
                "A post's engagements and views each time we read its counters, by hours since publication, next "
                "to the account's median post of the same content type (by engagements)."
            ),
        ),
        Definition(
            "forecast",
            _("Forecast"),
            _(  # xgettext:no-python-format
                "The next days of a daily metric, forecast from the account's own history: the mean of three "
                "methods (exponential smoothing, Theta and the average of the same weekday over the last four "
                "weeks, after the yearly cycle when there are two years of history), or a single one of them when "
                "it did clearly better on the last weeks. The band holds the day's value with a probability of 80 % "
                "(darker) and 95 % (lighter). The backtest forecasts the last weeks as if they were unknown: its "
                "error (MASE) is divided by that of repeating the last week (seasonal naive) — below 1 is better "
                "— and its coverage is the share of those days that fell inside the 80 % band. Below eight weeks "
                "of history no forecast is made."
            ),
        ),
        Definition(
            "best-slot",
            _("Expected engagement by slot"),
            _(  # xgettext:no-python-format
                "For each network, weekday, hour and content type, the expected engagements of a post published "
                "then: the slot's average pulled towards the account's average the fewer posts it holds "
                "(hierarchical shrinkage), with an 80 % interval. A slot is called best only when its interval "
                "stands above the account's average."
            ),
        ),
    )
}
