"""Forms of the reports pages: they only translate input (the services decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import TIME_ZONE_CHOICES, User
from analytics.views.base import PRESET_LABELS
from reports.models import LANGUAGES, ReportSchedule, ReportTemplate
from reports.sections import default_section_keys, section_choices

COLOR = r"^#[0-9a-fA-F]{6}$"
TEMPLATE_PERIODS = ("7d", "28d", "90d", "last_month")
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class SectionsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(label=_("Sections"), **kwargs)
        self.choices = section_choices()


class ReportOptionsForm(forms.Form):
    sections = SectionsField()
    comparison = forms.ChoiceField(label=_("Comparison"), choices=ReportTemplate.Comparison.choices)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = section_choices()
        self.fields["sections"].initial = default_section_keys()


class BuildForm(ReportOptionsForm):
    period = forms.ChoiceField(label=_("Period"), choices=[(k, v) for k, v in PRESET_LABELS.items()], initial="28d")
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    field_order = ["period", "start", "end", "sections", "comparison", "language"]


class TemplateForm(ReportOptionsForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    period = forms.ChoiceField(
        label=_("Period"), choices=[(k, PRESET_LABELS[k]) for k in TEMPLATE_PERIODS], initial="28d"
    )
    field_order = ["name", "period", "sections", "comparison", "language"]


class ScheduleForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Report template"), queryset=ReportTemplate.objects.none())
    frequency = forms.ChoiceField(label=_("Frequency"), choices=ReportSchedule.Frequency.choices)
    weekday = forms.TypedChoiceField(label=_("Day of the week (weekly)"), choices=WEEKDAYS, coerce=int, initial=0)
    day_of_month = forms.IntegerField(
        label=_("Day of the month (monthly)"),
        min_value=1,
        max_value=31,
        initial=1,
        help_text=_("29, 30 or 31: the month's last day when it is shorter."),
    )
    hour = forms.IntegerField(label=_("Hour"), min_value=0, max_value=23, initial=8)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)
    members = forms.ModelMultipleChoiceField(
        label=_("Members"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    external_emails = forms.CharField(
        label=_("Other recipients"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Email addresses, separated by commas or new lines (at most 20)."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, templates, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["members"].queryset = members

    def clean_external_emails(self) -> list[str]:
        from reports.services.schedules import clean_external_emails

        try:
            return clean_external_emails(self.cleaned_data.get("external_emails", ""))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class BrandingForm(forms.Form):
    name = forms.CharField(label=_("Name on the reports"), max_length=120, required=False)
    primary_color = forms.RegexField(
        label=_("Main colour"), regex=COLOR, required=False, widget=forms.TextInput(attrs={"type": "color"})
    )
    accent_color = forms.RegexField(
        label=_("Accent colour"), regex=COLOR, required=False, widget=forms.TextInput(attrs={"type": "color"})
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG, at most 512 KB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
