"""Forms only translate data; the rules live in services."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from accounts.models import NotificationPreference, Organization, Role, User, Workspace
from accounts.roles import ASSIGNABLE_BY


class OrganizationCreateForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "time_zone", "language"]
        widgets = {"kind": forms.RadioSelect}
        help_texts = {
            "kind": _("An agency manages several client brands, each in its own workspace."),
            "time_zone": _("Days and hours in every statistic follow this time zone."),
        }


class OrganizationSettingsForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "time_zone", "language", "require_mfa"]


class WorkspaceForm(forms.ModelForm):
    class Meta:
        model = Workspace
        fields = ["name", "description"]


class _WorkspaceChoiceMixin:
    def _setup_workspaces(self, workspaces):
        self.fields["workspaces"].queryset = workspaces


class InvitationForm(_WorkspaceChoiceMixin, forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"))
    workspaces = forms.ModelMultipleChoiceField(
        label=_("Workspaces a client may see"),
        queryset=Workspace.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for the client role: the workspaces this person will be able to read."),
    )

    def __init__(self, *args, inviter_role: str, workspaces, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ASSIGNABLE_BY.get(inviter_role, ())
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in allowed]
        self._setup_workspaces(workspaces)


class MemberForm(_WorkspaceChoiceMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    workspaces = InvitationForm.base_fields["workspaces"]

    def __init__(self, *args, actor_role: str, workspaces, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ASSIGNABLE_BY.get(actor_role, ())
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in allowed]
        self._setup_workspaces(workspaces)


class TransferOwnershipForm(forms.Form):
    membership = forms.ModelChoiceField(label=_("New owner"), queryset=None)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = candidates
        self.fields["membership"].label_from_instance = lambda m: f"{m.user.display_name} ({m.get_role_display()})"


class ConfirmNameForm(forms.Form):
    """Type the name to confirm a destructive action."""

    confirm = forms.CharField(label=_("Type the name to confirm"), max_length=120)

    def __init__(self, *args, expected: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = expected

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip() != self.expected:
            raise forms.ValidationError(_("The name does not match."))
        return self.cleaned_data["confirm"]


class InvitationSignupForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Password (again)"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=cleaned.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Organisation's language")), *list(settings.LANGUAGES)],
        required=False,
    )

    class Meta:
        model = User
        fields = ["full_name", "language"]


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email"]
        widgets = {"email": forms.RadioSelect}


class PersonRequestForm(forms.Form):
    """Who an access or erasure request is about (accounts/privacy.py)."""

    identifier = forms.CharField(
        label=_("Person"),
        max_length=200,
        help_text=_("Their id on the network, @handle or display name, exactly as the network shows it."),
    )
    network = forms.ChoiceField(
        label=_("Network"),
        required=False,
        choices=[("", _("Any network")), ("facebook", "Facebook"), ("instagram", "Instagram"), ("x", "X")],
    )

    def clean_identifier(self) -> str:
        identifier = self.cleaned_data["identifier"].strip()
        if len(identifier.lstrip("@")) < 2:
            raise forms.ValidationError(_("Give at least two characters."))
        return identifier


class RetentionForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["people_data_retention_days"]
        help_texts = {
            "people_data_retention_days": _(
                "Comments, mentions, private messages and listening hits older than this are deleted every "
                "night. Leave empty to keep them until someone asks for erasure."
            )
        }

    def clean_people_data_retention_days(self) -> int | None:
        days = self.cleaned_data["people_data_retention_days"]
        if days is not None and not 7 <= days <= 3650:
            raise forms.ValidationError(_("Between 7 and 3,650 days."))
        return days
