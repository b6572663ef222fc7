"""The client's address for throttling (django-axes sign-in lock-outs, worker-API token
guesses).

Without a proxy it is ``REMOTE_ADDR``. Behind ``DJANGO_TRUSTED_PROXY_COUNT`` reverse proxies every
request arrives from the nearest proxy, so ``REMOTE_ADDR`` is the same for everyone (five wrong
passwords for a name would lock that name out for every user): the address is then read from
``X-Forwarded-For``, counting that many entries from the right, the ones our own proxies appended.
Entries further left are whatever the client sent and are never trusted. A header shorter than
the proxy chain, or an entry that is not an IP address, falls back to ``REMOTE_ADDR``.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote
