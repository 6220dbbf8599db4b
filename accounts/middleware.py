"""Request middleware of the accounts app."""

from django.db import connection
from django.utils import translation
from django_scopes import scopes_disabled

from accounts.access import chosen_with_cookie
from accounts.models import Organization


def _organization_language(organization_id: int) -> str:
    """One column of one row, on every request of a person who chose no language: explicit SQL,
    where loading the organisation through the ORM cost ~1 ms of Python (docs/performance.md "Load")."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT language FROM {Organization._meta.db_table} WHERE id = %s", [organization_id])  # noqa: S608 — the table's name from model metadata
        row = cursor.fetchone()
    return row[0] if row else ""


class UserLanguageMiddleware:
    """Language per person: their own choice, else their organisation's, else the browser's
    (which Django's LocaleMiddleware already picked, from the language cookie or Accept-Language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user.language
            if not language and not chosen_with_cookie(request) and user.last_organization_id:
                # Read with the user by accounts.backends; a person loaded otherwise reads it here.
                language = getattr(user, "last_organization_language", None)
                if language is None:
                    language = _organization_language(user.last_organization_id)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


class AdminScopesMiddleware:
    """Platform admins work across tenants in Django admin: the one place where tenant scoping is
    switched off for a whole request (staff only, by Django admin's own permission checks)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/"):
            with scopes_disabled():
                return self.get_response(request)
        return self.get_response(request)
