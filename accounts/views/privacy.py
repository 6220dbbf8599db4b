"""The privacy page of an organisation: find what is held about a person, export it (access
request), erase it (erasure request), and set how long people's data is kept."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.access import org_view
from accounts.forms import PersonRequestForm, RetentionForm
from accounts.privacy import Person
from accounts.roles import Capability
from accounts.services import privacy as privacy_services
from overgraph.exports import content_disposition

PREVIEW_ROWS = 20


@org_view(Capability.ADMINISTER)
def privacy(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    retention_form = RetentionForm(instance=organization)
    person_form = PersonRequestForm(request.GET or None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "retention":
            retention_form = RetentionForm(request.POST, instance=organization)
            if retention_form.is_valid():
                privacy_services.retention_set(
                    organization=organization,
                    days=retention_form.cleaned_data["people_data_retention_days"],
                    actor=request.user,
                    request=request,
                )
                messages.success(request, _("Retention period saved."))
                return redirect("privacy", org=organization.slug)
        elif action in ("export", "erase"):
            person_form = PersonRequestForm(request.POST)
            if person_form.is_valid():
                person = Person(person_form.cleaned_data["identifier"], person_form.cleaned_data["network"])
                if action == "export":
                    archive, _found = privacy_services.person_export(
                        organization=organization, person=person, actor=request.user, request=request
                    )
                    response = HttpResponse(archive, content_type="application/zip")
                    name = f"{slugify(organization.name)}-{slugify(person.handle) or 'person'}-data.zip"
                    response["Content-Disposition"] = content_disposition(name)
                    response["Cache-Control"] = "private, no-store"
                    return response
                if request.POST.get("confirm", "").strip() != person.identifier:
                    messages.error(request, _("Type the person exactly as searched to confirm the erasure."))
                else:
                    deleted = privacy_services.person_erase(
                        organization=organization, person=person, actor=request.user, request=request
                    )
                    messages.success(
                        request,
                        _("Erased %(count)s items about %(person)s.")
                        % {"count": sum(deleted.values()), "person": person.identifier},
                    )
                    return redirect("privacy", org=organization.slug)
        else:
            messages.error(request, _("Unknown action."))
    found = None
    if request.method == "GET" and person_form.is_valid():
        person = Person(person_form.cleaned_data["identifier"], person_form.cleaned_data["network"])
        found = [
            {"source": item.source, "count": len(item.rows), "rows": item.rows[:PREVIEW_ROWS]}
            for item in privacy_services.person_find(organization=organization, person=person)
        ]
    return render(
        request,
        "accounts/privacy.html",
        {
            "retention_form": retention_form,
            "person_form": person_form,
            "found": found,
            "total": sum(item["count"] for item in found) if found else 0,
        },
    )
