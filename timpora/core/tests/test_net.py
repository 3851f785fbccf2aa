"""The client's address: a forwarded-for header is believed only from a trusted proxy."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from timpora.audit.context import origin_from_request
from timpora.core.net import client_ip

CLIENT = "203.0.113.7"


def request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/intake/tips/new/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings) -> None:
    settings.TIMPORA_TRUSTED_PROXIES = []
    spoofed = request(CLIENT, "10.9.9.9")
    assert client_ip(spoofed) == CLIENT
    # The audit log records the same address, not the one the sender wrote.
    assert origin_from_request(spoofed)["ip"] == CLIENT


def test_a_peer_that_is_not_a_trusted_proxy_is_the_client(settings) -> None:
    settings.TIMPORA_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request(CLIENT, "198.51.100.1")) == CLIENT


@pytest.mark.parametrize(
    "forwarded",
    [
        CLIENT,  # one proxy
        f"6.6.6.6, {CLIENT}",  # the client wrote a header of its own first
        f"{CLIENT}, 10.0.0.9",  # two proxies in a row
        f"6.6.6.6, {CLIENT}, not-an-address",  # a malformed hop says nothing
    ],
)
def test_behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client(
    settings, forwarded: str
) -> None:
    settings.TIMPORA_TRUSTED_PROXIES = ["10.0.0.0/8", "192.168.1.1"]
    assert client_ip(request("10.0.0.5", forwarded)) == CLIENT
    assert origin_from_request(request("10.0.0.5", forwarded))["ip"] == CLIENT


def test_a_trusted_proxy_without_a_usable_header_is_what_is_known(settings) -> None:
    settings.TIMPORA_TRUSTED_PROXIES = ["192.168.1.1"]
    assert client_ip(request("192.168.1.1")) == "192.168.1.1"
    assert client_ip(request("192.168.1.1", "192.168.1.1, garbage")) == "192.168.1.1"
