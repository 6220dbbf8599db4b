"""Sessions read from the cache (Redis) and written through to the database.

Django's ``cached_db`` backend, with two changes for a cache that may be unreachable:

* a cache failure never fails a request: the session is read from (and written to) the
  database, which always holds it, and the failure is logged (``cached_db`` raises when it cannot
  store a session it just read from the database, and when it cannot delete one);
* a cache entry lives at most ``CACHE_SECONDS``: a session ended (logout, "sign out other
  sessions", a revoked device) while Redis was unreachable is deleted from the database at once,
  and the copy a persisted Redis might bring back is gone within five minutes.

Reading the session from Redis saves a database statement on every request
(docs/performance.md "Load"). https://docs.djangoproject.com/en/5.2/topics/http/sessions/#using-cached-sessions
"""

import logging

from django.contrib.sessions.backends import cached_db, db

logger = logging.getLogger(__name__)

CACHE_SECONDS = 300


class SessionStore(cached_db.SessionStore):
    def _cache_set(self, data: dict, expiry_age: int) -> None:
        try:
            self._cache.set(self.cache_key, data, min(expiry_age, CACHE_SECONDS))
        except Exception:  # the database holds the session: serve it uncached
            logger.warning("session cache unreachable: session kept in the database only", exc_info=True)

    def load(self) -> dict:
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # read it from the database instead
            logger.warning("session cache unreachable: session read from the database", exc_info=True)
            data = None
        if data is None:
            stored = self._get_session_from_db()
            if stored is None:
                return {}
            data = self.decode(stored.session_data)
            self._cache_set(data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def save(self, must_create: bool = False) -> None:
        db.SessionStore.save(self, must_create)
        self._cache_set(self._session, self.get_expiry_age())

    def delete(self, session_key: str | None = None) -> None:
        db.SessionStore.delete(self, session_key)
        session_key = session_key or self.session_key
        if session_key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:  # deleted from the database; the cached copy expires (CACHE_SECONDS)
            logger.warning("session cache unreachable: a cached copy of an ended session expires", exc_info=True)
