"""The default cache: a table in the application's own PostgreSQL database.

Several app servers behind a load balancer then share one cache (the public form's rate limit,
the API's throttle) with nothing to run beside PostgreSQL; CACHE_URL chooses another cache,
such as Redis, instead.
"""

from __future__ import annotations

import base64
import pickle
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.management import call_command
from django.db import connections, router, transaction


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache, with two changes for a cache that every API request writes to
    (the throttle) and that several servers count in at once."""

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """One INSERT ... ON CONFLICT where Django's set takes five statements, one of them a
        count of the whole table. Expired rows go when read, or when `add` (which the rate
        limit's new windows use) finds the table past MAX_ENTRIES, as in Django's."""
        timeout = self.get_backend_timeout(timeout)
        never = datetime.max.replace(tzinfo=UTC)
        expires = never if timeout is None else datetime.fromtimestamp(timeout, tz=UTC)
        using = router.db_for_write(self.cache_model_class)
        connection = connections[using]
        table = connection.ops.quote_name(self._table)
        pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s) "
                "ON CONFLICT (cache_key) "
                "DO UPDATE SET value = EXCLUDED.value, expires = EXCLUDED.expires",
                [
                    self.make_and_validate_key(key, version=version),
                    pickled,
                    connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0)),
                ],
            )

    def incr(self, key, delta=1, version=None):
        """Django's reads and writes the value as two statements: two servers counting the
        same key at once would both write the same count. Here the row is locked first, so
        concurrent increments wait for each other and none is lost."""
        using = router.db_for_write(self.cache_model_class)
        connection = connections[using]
        table = connection.ops.quote_name(self._table)
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {table} WHERE cache_key = %s FOR UPDATE",
                [self.make_and_validate_key(key, version=version)],
            )
            return super().incr(key, delta, version)


def create_cache_tables(*, using: str, **kwargs) -> None:
    """After `migrate`: the database cache's table, so that no deployment needs a step of its
    own for it. Sent once for each app; creating an existing table is skipped."""
    if any(isinstance(caches[alias], BaseDatabaseCache) for alias in settings.CACHES):
        call_command("createcachetable", database=using, verbosity=0)
