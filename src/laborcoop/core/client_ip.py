"""The address of the client behind a request, trusting proxy headers only from configured proxies.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only when the connection comes
from a proxy listed in `LABORCOOP_TRUSTED_PROXIES` (addresses or networks, empty by default). The header is
then read from the right: each trusted proxy appended the address it received the request from, and the
first address that is not a trusted proxy is the client. Entries left of it were written by the client and
are ignored, so a client rotating its own `X-Forwarded-For` always gets the same answer.

Login lockouts (django-axes, `AXES_CLIENT_IP_CALLABLE`) and the API throttles use this one function.
"""

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IpNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_proxy_networks() -> tuple[IpNetwork, ...]:
    return _networks(tuple(getattr(settings, "LABORCOOP_TRUSTED_PROXIES", ())))


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: tuple[IpNetwork, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request: Any) -> str:
    """The client address of `request` (a Django or DRF request): REMOTE_ADDR unless it is a trusted proxy."""
    meta = request.META
    remote = str(meta.get("REMOTE_ADDR", "") or "")
    networks = trusted_proxy_networks()
    peer = _parse(remote)
    if peer is None or not networks or not _is_trusted(peer, networks):
        return remote
    hops = [hop for hop in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",") if hop.strip()]
    client = peer
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:  # garbage from the client side: stop at the last address a proxy vouched for
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)
