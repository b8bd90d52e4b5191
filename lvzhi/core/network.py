"""The client's network address, also behind a reverse proxy.

Behind nginx every request reaches gunicorn from nginx's own address, so ``REMOTE_ADDR`` alone would count every
citizen of the portal as one (the rate limit would refuse them all together) and log every login from
``127.0.0.1``. nginx passes the client's address in ``X-Real-IP`` (docs/deployment.md). Any client can send
that header too, so it is believed only from the proxies named in ``settings.LVZHI_TRUSTED_PROXIES``
(environment ``LVZHI_TRUSTED_PROXIES``: addresses or networks, comma-separated, e.g. ``127.0.0.1,10.1.2.0/24``;
empty by default, the embedded mode has no proxy). ``X-Forwarded-For`` is not read: nginx's ``X-Real-IP``
``$remote_addr`` is the one address nginx itself saw, where a forwarded list needs a count of hops to be safe.
(django-ipware was considered: it prefers public addresses, while on a government intranet every client is in a
private range.) Source: issue "Production …", item 1 (web processes behind nginx) and its rate-limit check.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's IP address as text: ``X-Real-IP`` when the request comes from a trusted proxy
    (``settings.LVZHI_TRUSTED_PROXIES``) and the header holds a valid address, else ``REMOTE_ADDR``
    (``"unknown"`` when there is none)."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = _networks(tuple(getattr(settings, "LVZHI_TRUSTED_PROXIES", ())))
    peer = _address(remote)
    if proxies and peer is not None and any(peer in net for net in proxies):
        forwarded = _address(str(request.META.get("HTTP_X_REAL_IP") or ""))
        if forwarded is not None:
            return str(forwarded)
    return remote or "unknown"
