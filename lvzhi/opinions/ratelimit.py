"""A per-address rate limit for the public portal, kept in Django's cache (no database writes, no logs).

The address is hashed before it is used as a cache key, so the cache holds no IP address either. The
window is fixed: it starts with an address's first post and lasts ``window`` seconds. With several web
workers, configure a shared cache (Redis or the database cache); the default local-memory cache counts
per process.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from lvzhi.core.network import client_address

#: Default: 5 posts per 10 minutes per address (``settings.LVZHI_PORTAL_RATE = (posts, seconds)``).
DEFAULT_RATE = (5, 600)
RATE_LIMIT_MESSAGE = "提交过于频繁：同一网络地址每 {minutes} 分钟最多提交 {limit} 条留言，请稍后再试。您已提交的留言均已保存。"


def rate() -> tuple[int, int]:
    """``(posts, seconds)`` allowed per address."""
    limit, window = getattr(settings, "LVZHI_PORTAL_RATE", DEFAULT_RATE)
    return int(limit), int(window)


def allow(request: HttpRequest, scope: str = "portal") -> bool:
    """Count one post from the request's address in ``scope``; ``False`` once the address has used up its
    posts in the current window (the post must then be refused with :func:`refusal_message`, status 429)."""
    limit, window = rate()
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}".encode()).hexdigest()[:32]
    key = f"lvzhi:rl:{scope}:{digest}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def refusal_message() -> str:
    """The Chinese message for a refused post, naming the limit."""
    limit, window = rate()
    return RATE_LIMIT_MESSAGE.format(minutes=max(1, window // 60), limit=limit)
