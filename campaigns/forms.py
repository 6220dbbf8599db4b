"""Forms of the campaigns pages: they only translate input (services decide)."""

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.selectors import visible_workspaces
from campaigns.models import Campaign, CampaignMedia


def _split(value: str) -> list[str]:
    return [part for part in value.replace(",", " ").split() if part.strip()]


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    workspace = forms.ModelChoiceField(label=_("Workspace"), queryset=None)
    hashtags = forms.CharField(
        label=_("Hashtags"),
        max_length=300,
        help_text=_("Photos and videos carrying one of these hashtags on Instagram join the gallery."),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    author_cooldown_days = forms.IntegerField(
        label=_("Days before an author can be the photo of the day again"), min_value=0, max_value=365, initial=30
    )

    def __init__(self, *args, membership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workspace"].queryset = visible_workspaces(membership)

    def clean_hashtags(self) -> list[str]:
        return _split(self.cleaned_data["hashtags"])


class ContestForm(forms.Form):
    """Process it inside ``timezone.override(organisation zone)``: datetime-local inputs carry no zone."""

    contest_title = forms.CharField(label=_("Contest title"), max_length=160, required=False)
    contest_opens_at = forms.DateTimeField(
        label=_("Voting opens"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    contest_closes_at = forms.DateTimeField(
        label=_("Voting closes"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    votes_per_ip_per_hour = forms.IntegerField(
        label=_("Votes accepted per IP address per hour"),
        min_value=5,
        max_value=10_000,
        initial=60,
        help_text=_(
            "A family, a school or a café shares one address: keep it generous. "
            "Each browser votes once per photo whatever this number."
        ),
    )


def contest_initial(campaign: Campaign, time_zone: str) -> dict:
    zone = zoneinfo.ZoneInfo(time_zone)

    def local(value):
        return value.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if value else None

    return {
        "contest_title": campaign.contest_title,
        "contest_opens_at": local(campaign.contest_opens_at),
        "contest_closes_at": local(campaign.contest_closes_at),
        "votes_per_ip_per_hour": campaign.votes_per_ip_per_hour,
    }


class RightsForm(forms.Form):
    rights = forms.ChoiceField(
        choices=[(v, label) for v, label in CampaignMedia.Rights.choices if v != CampaignMedia.Rights.NONE]
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Your original file"),
        allow_empty_file=False,
        # A hint for the phone's picker only: the server checks the bytes themselves.
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,video/mp4"}),
    )
