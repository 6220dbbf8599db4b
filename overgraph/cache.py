"""Django's Redis cache, with one ``redis.Redis`` client per connection pool instead of one per
operation.

``django.core.cache.backends.redis.RedisCacheClient.get_client`` builds a new ``redis.Redis``
around the pool for every get and set, and that constructor copies redis-py's table of response
callbacks each time: a few tenths of a millisecond of CPU per cache operation, several per page
(the statistics' facts cache reads two to four keys a page: docs/performance.md "Load"). A
client holds no connection of its own (it borrows one from the pool for each command), so one per
pool serves every thread; Django's cache handler already gives each thread its own backend.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
