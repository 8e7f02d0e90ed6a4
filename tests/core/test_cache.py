"""The default cache is a table in the database, shared by every app server, and its counts
hold when servers count the same key at once."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.db import connection

from trygghet.core.cache import DatabaseCache

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_default_cache_is_the_database_table_migrate_made():
    assert isinstance(caches["default"], DatabaseCache)
    assert "trygghet_cache" in connection.introspection.table_names()


def test_increments_on_many_connections_at_once_are_all_counted():
    cache.set("counted", 0, timeout=60)
    threads_count, each = 6, 10
    barrier = threading.Barrier(threads_count)

    def count():
        try:
            barrier.wait(timeout=10)
            for _ in range(each):
                cache.incr("counted")
        finally:
            connection.close()

    threads = [threading.Thread(target=count) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert cache.get("counted") == threads_count * each
    cache.delete("counted")


def test_cache_url_chooses_redis_instead():
    code = "from django.core.cache import caches; print(type(caches['default']).__module__)"
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=Path(__file__).resolve().parent.parent.parent,
        env={**os.environ, "CACHE_URL": "redis://127.0.0.1:6379/0"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("django.core.cache.backends.redis")


def test_a_value_is_set_in_one_statement_and_expires(django_assert_num_queries):
    with django_assert_num_queries(1):
        cache.set("throttle", [1, 2], timeout=60)
    cache.set("throttle", [3], timeout=60)
    cache.set("forever", "kept", timeout=None)
    cache.set("gone", "x", timeout=-1)
    assert cache.get_many(["throttle", "forever", "gone"]) == {"throttle": [3], "forever": "kept"}
    cache.delete_many(["throttle", "forever"])
