"""Template context every page needs: the organisation switcher and the notification bell."""

from accounts.selectors import memberships_of, unread_notification_count


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = getattr(request, "membership", None)
    context = {"nav_memberships": lambda: memberships_of(user)}
    if current is not None:
        context["nav_unread"] = lambda: unread_notification_count(user, current.organization)
    return context
