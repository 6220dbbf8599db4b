"""django-allauth hooks: the audit log of logins and failed logins, and where people land."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.services.audit import audit_record_for_person


class AccountAdapter(DefaultAccountAdapter):
    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        audit_record_for_person(user=user, action=AuditEvent.Action.LOGIN, target=user.email, request=request)
        return response

    def authentication_failed(self, request, **credentials):
        super().authentication_failed(request, **credentials)
        email = (credentials.get("email") or "").strip().lower()
        user = get_user_model().objects.filter(email__iexact=email).first() if email else None
        # The attempted address is kept (truncated) so admins can spot a targeted attack; never the password.
        audit_record_for_person(user=user, action=AuditEvent.Action.LOGIN_FAILED, target=email[:120], request=request)

    def get_login_redirect_url(self, request):
        return reverse("home")
