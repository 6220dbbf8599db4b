"""Authentication backends: Django's and allauth's, reading the logged-in person with one
statement written out instead of ``User.objects.get(pk=…)``.

Every request of a logged-in person loads them from the session's user id through the backend
whose path the session holds. The ORM compiled that ``get`` again each time (docs/performance.md
"Load"); here its text is built once per process and the row goes through the fields' converters
(``overgraph.written_rows``). Who may be logged in does not change: ``user_can_authenticate``
(``is_active``) still decides, and Django still checks the session's password hash afterwards.

Settings list these two first, in the order of the classes they extend, then the two original
paths: sessions logged in before name those (Django stores the backend's path in the session and
logs out a session whose path is no longer listed). Remove the originals once every session
logged in before this change has expired (``SESSION_COOKIE_AGE``, two weeks).
"""

import functools

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends, get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accounts.models import Organization
from overgraph import written_rows

UserModel = get_user_model()


@functools.cache
def _user_sql(vendor: str) -> str:
    # Users are not a tenant table (a person may belong to several organisations): no scope.
    # With the language of the organisation they last opened, which every request of a person
    # who chose no language reads (accounts.middleware.UserLanguageMiddleware).
    return (
        f"SELECT {written_rows.columns(UserModel, 'u')}, o.language FROM {UserModel._meta.db_table} u"  # noqa: S608 — names from model metadata
        f" LEFT JOIN {Organization._meta.db_table} o ON o.id = u.last_organization_id WHERE u.id = %s"
    )


class _UserInOneStatement:
    def get_user(self, user_id):
        try:
            user_id = UserModel._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        rows = written_rows.fetch(_user_sql(connection.vendor), [user_id])
        if not rows:
            return None
        user = written_rows.instance(UserModel, written_rows.converters(UserModel), rows[0][:-1])
        user.last_organization_language = rows[0][-1] or ""
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_UserInOneStatement, backends.ModelBackend):
    pass


class AuthenticationBackend(_UserInOneStatement, allauth_backends.AuthenticationBackend):
    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is None and credentials.get("password"):
            # The backends listed after this one are Django's and allauth's own, there only for
            # the sessions that name them: they would check the same password again (PBKDF2,
            # ~0.4 s each). Stop here; Django then answers as when every backend said no (None,
            # ``user_login_failed`` sent once), and allauth still finds an inactive person it
            # stashed above.
            raise PermissionDenied
        return user
