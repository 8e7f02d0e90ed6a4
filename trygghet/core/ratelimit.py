"""A small fixed-window rate limit in the cache, for forms anyone may send (the public report).

The default cache is a table in the database (trygghet/core/cache.py), so the limit holds across
several app servers with nothing but PostgreSQL; Redis (CACHE_URL) serves as well.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address. Behind our own HTTPS proxy it is the last X-Forwarded-For entry,
    the one that proxy added; entries before it come from the client and can be forged."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt for `key`; False once more than `limit` were made in this window."""
    bucket = f"ratelimit:{key}:{int(time.time() // window_seconds)}"
    if cache.add(bucket, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(bucket)
    except ValueError:  # the bucket expired between add and incr
        cache.set(bucket, 1, timeout=window_seconds)
        count = 1
    return count <= limit
