"""The client address: X-Forwarded-For is believed only from trusted proxies, read from the right."""

import pytest
from django.test import RequestFactory, override_settings

from laborcoop.core.client_ip import client_ip


def _ip(remote: str, forwarded: str | None = None) -> str:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert _ip("203.0.113.5", "1.2.3.4") == "203.0.113.5"
    assert _ip("203.0.113.5") == "203.0.113.5"


@override_settings(LABORCOOP_TRUSTED_PROXIES=["10.0.0.0/8"])
@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.5", "1.2.3.4", "203.0.113.5"),  # not from the proxy: the header is the client's own
        ("10.0.0.2", "198.51.100.9", "198.51.100.9"),  # through the proxy
        ("10.0.0.2", "6.6.6.6, 198.51.100.9", "198.51.100.9"),  # client-written entries left of it ignored
        ("10.0.0.2", "198.51.100.9, 10.0.0.7", "198.51.100.9"),  # two proxies in a row
        ("10.0.0.2", "not-an-ip, 198.51.100.9", "198.51.100.9"),
        ("10.0.0.2", "198.51.100.9, garbage", "10.0.0.2"),  # garbage from a proxy hop: stop at the proxy
        ("10.0.0.2", None, "10.0.0.2"),
        ("10.0.0.2", "10.0.0.3", "10.0.0.3"),  # all trusted: the left-most proxy
    ],
)
def test_behind_trusted_proxies_the_first_untrusted_hop_from_the_right(
    remote: str, forwarded: str | None, expected: str
) -> None:
    assert _ip(remote, forwarded) == expected


@override_settings(LABORCOOP_TRUSTED_PROXIES=["::1", "127.0.0.1"])
def test_ipv6_and_single_addresses() -> None:
    assert _ip("::1", "2001:db8::5") == "2001:db8::5"
    assert _ip("127.0.0.1", "2001:db8::5, 127.0.0.1") == "2001:db8::5"
