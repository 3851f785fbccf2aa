"""The address of the client behind a request, for the audit log and the rate limits.

``REMOTE_ADDR`` is the socket's peer: the client itself, or the reverse proxy in front of
Timpora. An ``X-Forwarded-For`` header is only the sender's word — honoured blindly, it
lets anyone write another address into the audit log or file every public tip under a new
identity — so it is read only when the peer is one of ``TIMPORA_TRUSTED_PROXIES``, and
then from the right: each trusted proxy appends the address it saw, so the right-most
address that is not a trusted proxy is the first one no trusted party vouches beyond.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or, from a trusted proxy, the right-most
    untrusted valid address of ``X-Forwarded-For``."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(settings.TIMPORA_TRUSTED_PROXIES))
    if not networks or not _trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            continue  # a malformed entry says nothing; the next one to the left may
        if not _trusted(hop, networks):
            return hop
    return remote
