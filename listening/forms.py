"""Forms of the listening pages: they only translate data (the rule is checked by the service)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from listening.models import ListeningNetwork, Watch
from listening.services.watches import WatchInput

RULE_HELP = _(
    "Hashtags (#Boulogne), words, “exact phrases” and lang:fr, combined with AND, OR, NOT (or ET, OU, "
    "SAUF) and parentheses. Example: #Déménagement AND (Boulogne OR “Boulogne-Billancourt”) NOT Lyon. "
    "Case and accents are ignored. Instagram searches hashtags only: every match must carry one."
)


class WatchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    rule = forms.CharField(
        label=_("Rule"), max_length=1000, help_text=RULE_HELP, widget=forms.Textarea(attrs={"rows": 2})
    )
    networks = forms.MultipleChoiceField(
        label=_("Networks"),
        choices=ListeningNetwork.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Facebook has no public search: posts from other Pages and people cannot be listened to."),
    )
    instagram_top = forms.BooleanField(label=_("Instagram: top media of the week"), required=False, initial=True)
    instagram_recent = forms.BooleanField(
        label=_("Instagram: recent media (last 24 hours)"), required=False, initial=True
    )
    alerts = forms.ChoiceField(
        label=_("Alert the team when posts match"),
        choices=Watch.Alerts.choices,
        initial=Watch.Alerts.OFF,
        help_text=_("In the app and by email (each person's email setting applies)."),
    )
    welcome = forms.BooleanField(
        label=_("Send matches to the “to welcome” queue with a suggested reply"), required=False
    )
    reply_fr = forms.CharField(
        label=_("Suggested reply in French"),
        required=False,
        max_length=280,
        help_text=_("{author} is replaced by the author's handle when the network gives it."),
    )
    reply_en = forms.CharField(label=_("Suggested reply in English"), required=False, max_length=280)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    @classmethod
    def initial_for(cls, watch: Watch) -> dict:
        templates = watch.reply_templates or {}
        return {
            "name": watch.name,
            "rule": watch.rule,
            "networks": watch.networks,
            "instagram_top": watch.instagram_top,
            "instagram_recent": watch.instagram_recent,
            "alerts": watch.alerts,
            "welcome": watch.welcome,
            "reply_fr": templates.get("fr", ""),
            "reply_en": templates.get("en", ""),
            "active": watch.active,
        }

    def to_input(self) -> WatchInput:
        data = self.cleaned_data
        return WatchInput(
            name=data["name"],
            rule=data["rule"],
            networks=list(data["networks"]),
            instagram_top=data["instagram_top"],
            instagram_recent=data["instagram_recent"],
            alerts=data["alerts"],
            welcome=data["welcome"],
            reply_templates={"fr": data["reply_fr"], "en": data["reply_en"]},
            active=data["active"],
        )


class AuthorForm(forms.Form):
    author = forms.CharField(
        label=_("Author's handle"),
        max_length=120,
        required=False,
        help_text=_("Instagram does not say who posted media found by hashtag: open the post and write the handle."),
    )

    def clean_author(self) -> str:
        return self.cleaned_data["author"].strip().lstrip("@")


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), max_length=280, widget=forms.Textarea(attrs={"rows": 3}))
