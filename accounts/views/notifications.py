"""Pages: the notifications of the current organisation (the bell)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from accounts import selectors
from accounts.access import org_view
from accounts.services.notifications import notification_mark_read


@org_view()
@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = selectors.notifications_for(request.user, request.organization)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "accounts/notifications.html", {"page": page})


@org_view()
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (``id``) or all of them as read, then follow its link if asked."""
    raw_id = request.POST.get("id", "")
    ids = [int(raw_id)] if raw_id.isdigit() else None
    notification_mark_read(user=request.user, organization=request.organization, notification_ids=ids)
    target = request.POST.get("open", "")
    if ids and target:
        notification = selectors.notifications_for(request.user, request.organization).filter(pk=ids[0]).first()
        # Only a path on this site: "//host/…" also starts with "/" but leaves it.
        if notification and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
            return redirect(notification.url)
    return redirect("notification_list", org=request.organization.slug)
