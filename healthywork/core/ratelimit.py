"""One fixed-window rate limiter for public pages (survey links, registration, applications).

Counters live in the cache. The client's address is kept only as a keyed hash (HMAC with the
secret key) that expires with the window, so no IP address is stored anywhere, least of all with
anonymous answers.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind N trusted reverse proxies (setting HEALTHYWORK_TRUSTED_PROXIES = N)
    the address the outermost of them saw; X-Forwarded-For is not trusted otherwise."""
    proxies = int(getattr(settings, "HEALTHYWORK_TRUSTED_PROXIES", 0) or 0)
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def hit(scope: str, value: str, limit: int, window_seconds: int) -> bool:
    """Count one request for (scope, value); True when the window's count is over `limit`."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{scope}:{value}".encode(), hashlib.sha256).hexdigest()[
        :40
    ]
    key = f"ratelimit:{scope}:{digest}"
    cache.add(key, 0, window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        count = 1
    return count > limit


def over_limit(request: HttpRequest, scope: str, limit: int, window_seconds: int, token: str = "") -> bool:
    """Count this request by the client's address (and by `token` when given)."""
    over = hit(f"{scope}:ip", client_address(request), limit, window_seconds)
    if token:
        over = hit(f"{scope}:token", token, limit, window_seconds) or over
    return over
