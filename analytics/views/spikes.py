"""A workspace's spike alerts, with the measured false-alarm rate of its sensitivity, and the
sensitivity setting (managers and above)."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import org_view
from accounts.roles import Capability, role_can
from accounts.selectors import workspace_for_member
from analytics import spikes
from analytics.models import SpikeSensitivity
from analytics.queries.spikes import alert_rows
from analytics.services import spikes as spike_services
from analytics.spikes_measured import FALSE_ALARMS


class SensitivityForm(forms.Form):
    sensitivity = forms.ChoiceField(label=gettext_lazy("Sensitivity"), choices=SpikeSensitivity.choices)


@org_view(write_methods_need=Capability.OPERATE)
def workspace_spikes(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    if request.method == "POST":
        form = SensitivityForm(request.POST)
        if form.is_valid():
            spike_services.spike_settings_update(
                workspace=workspace, sensitivity=form.cleaned_data["sensitivity"], actor=request.user, request=request
            )
            messages.success(request, _("Alert sensitivity saved."))
            return redirect("analytics_spikes", org=request.organization.slug, workspace_id=workspace.pk)
    else:
        form = SensitivityForm(initial={"sensitivity": spike_services.workspace_sensitivity(workspace=workspace)})
    sensitivity = spike_services.workspace_sensitivity(workspace=workspace)
    return render(
        request,
        "analytics/spikes.html",
        {
            "workspace": workspace,
            "rows": alert_rows(workspace=workspace),
            "sources": spikes.series_sources(),
            "sensitivity": SpikeSensitivity(sensitivity).label,
            "measured": FALSE_ALARMS.get(sensitivity),
            "form": form,
            "can_manage": role_can(request.membership.role, Capability.OPERATE),
        },
    )
