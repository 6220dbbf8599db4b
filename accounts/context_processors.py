"""Template context every page needs: the organisation switcher and the notification bell."""

import functools

from accounts.selectors import memberships_of, unread_notification_count


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = getattr(request, "membership", None)
    # Lazy (pages without a header never query) and cached (the header shows the unread count
    # twice, in the menu and on the bell: one query, not two).
    memberships = getattr(request, "nav_memberships", None)  # read by accounts.access.org_view
    context = {
        "nav_memberships": memberships if memberships is not None else functools.cache(lambda: memberships_of(user))
    }
    if current is not None:
        context["nav_unread"] = functools.cache(lambda: unread_notification_count(user, current.organization))
    return context
