"""Themes: list them with their rules (everyone who reads), create, edit and delete them, and label
a post by hand (managers and above, through ``analytics.services.themes``).

Every object is resolved for the member first (another tenant's theme or post, or one of a
workspace a client was not granted, is a 404), then the right to change it is checked (403).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import org_view
from accounts.roles import Capability, role_can
from accounts.selectors import visible_workspaces
from analytics.models import Theme, ThemeRule
from analytics.queries.posts import post_for_member, visible_themes
from analytics.services import themes as theme_services
from analytics.views.base import render_local

DEFAULT_COLOR = "#4c6ef5"


def _split(value: str) -> list[str]:
    """ "#sport, vélo  course" → ["sport", "vélo", "course"] (the service folds case and accents)."""
    return [part.strip().lstrip("#") for part in value.replace(",", " ").split() if part.strip().lstrip("#")]


class ThemeForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=80)
    color = forms.RegexField(
        label=gettext_lazy("Colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        initial=DEFAULT_COLOR,
        required=False,
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    workspace = forms.ModelChoiceField(
        label=gettext_lazy("Workspace"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Every workspace"),
    )
    hashtags = forms.CharField(
        label=gettext_lazy("Hashtags"),
        required=False,
        help_text=gettext_lazy("A post carrying one of these hashtags gets the theme (separate with spaces)."),
    )
    words = forms.CharField(
        label=gettext_lazy("Words"),
        required=False,
        help_text=gettext_lazy("A post containing one of these words gets the theme (case and accents ignored)."),
    )

    def __init__(self, *args, membership, theme: Theme | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workspace"].queryset = visible_workspaces(membership)
        self.theme = theme
        self.organization = membership.organization

    def clean_color(self) -> str:
        return self.cleaned_data["color"] or DEFAULT_COLOR

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = Theme.objects.filter(organization=self.organization, name__iexact=name)
        if self.theme is not None:
            others = others.exclude(pk=self.theme.pk)
        if others.exists():
            raise forms.ValidationError(_("A theme with this name exists already."))
        return name


def _can_manage(request: HttpRequest) -> bool:
    return role_can(request.membership.role, Capability.MANAGE_WORKSPACES)


def _require_manage(request: HttpRequest) -> None:
    if not _can_manage(request):
        raise PermissionDenied(_("Your role does not allow this."))


def _theme_for_member(request: HttpRequest, theme_id: int | str) -> Theme:
    try:
        theme_id = int(theme_id)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(visible_themes(request.membership), pk=theme_id)


def _rules_of(themes: list[Theme]) -> dict[int, ThemeRule]:
    rules = ThemeRule.objects.filter(organization=themes[0].organization_id, theme__in=themes) if themes else []
    return {rule.theme_id: rule for rule in rules}


@org_view()
@require_http_methods(["GET", "HEAD", "POST"])
def theme_list(request: HttpRequest) -> HttpResponse:
    form = ThemeForm(membership=request.membership)
    if request.method == "POST":
        _require_manage(request)
        form = ThemeForm(request.POST, membership=request.membership)
        if form.is_valid():
            data = form.cleaned_data
            theme = theme_services.theme_create(
                organization=request.organization,
                name=data["name"],
                color=data["color"],
                workspace=data["workspace"],
                hashtags=_split(data["hashtags"]),
                words=_split(data["words"]),
            )
            messages.success(request, _("Theme %(name)s created.") % {"name": theme.name})
            return redirect("analytics_themes", org=request.organization.slug)
    themes = list(visible_themes(request.membership).select_related("workspace").order_by("name"))
    rules = _rules_of(themes)
    context = {
        "themes": [(theme, rules.get(theme.pk)) for theme in themes],
        "form": form,
        "can_manage": _can_manage(request),
    }
    return render_local(request, "analytics/themes.html", context, status=400 if form.errors else 200)


@org_view()
@require_http_methods(["GET", "HEAD", "POST"])
def theme_edit(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = _theme_for_member(request, theme_id)
    _require_manage(request)
    rule = ThemeRule.objects.filter(organization=request.organization, theme=theme).first()
    initial = {
        "name": theme.name,
        "color": theme.color,
        "workspace": theme.workspace_id,
        "hashtags": " ".join(rule.hashtags) if rule else "",
        "words": " ".join(rule.words) if rule else "",
    }
    form = ThemeForm(request.POST or None, membership=request.membership, theme=theme, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        theme_services.theme_update(
            theme=theme,
            name=data["name"],
            color=data["color"],
            workspace=data["workspace"],
            hashtags=_split(data["hashtags"]),
            words=_split(data["words"]),
        )
        messages.success(request, _("Theme %(name)s saved.") % {"name": theme.name})
        return redirect("analytics_themes", org=request.organization.slug)
    return render_local(
        request, "analytics/theme_edit.html", {"theme": theme, "form": form}, status=400 if form.errors else 200
    )


@org_view()
@require_POST
def theme_delete(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = _theme_for_member(request, theme_id)
    _require_manage(request)
    name = theme.name
    theme_services.theme_delete(theme=theme)
    messages.success(request, _("Theme %(name)s deleted.") % {"name": name})
    return redirect("analytics_themes", org=request.organization.slug)


@org_view()
@require_POST
def post_themes(request: HttpRequest, post_id: int) -> HttpResponse:
    """Add (``theme``) or remove (``remove``) a label by hand, then go back where the person was."""
    post = post_for_member(request.membership, post_id)
    _require_manage(request)
    if request.POST.get("theme"):
        theme = _theme_for_member(request, request.POST["theme"])
        if theme.workspace_id not in (None, post.account.workspace_id):
            # Another workspace's theme: it would never show in that workspace's statistics.
            return HttpResponseBadRequest(_("This theme belongs to another workspace."))
        theme_services.post_theme_set(post=post, theme=theme)
    if request.POST.get("remove"):
        theme_services.post_theme_remove(post=post, theme=_theme_for_member(request, request.POST["remove"]))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("analytics_post", kwargs={"org": request.organization.slug, "post_id": post.pk})
    return redirect(back)
