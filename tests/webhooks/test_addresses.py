"""The SSRF guard: HTTPS to public addresses only, checked when an endpoint is saved and again,
on the resolved address, when a delivery is sent."""

import socket

import pytest

from hkhz_portal.core.errors import DomainError
from hkhz_portal.webhooks import addresses
from hkhz_portal.webhooks.delivery import post

PRIVATE = [
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.10",
    "169.254.169.254",  # the cloud metadata service
    "100.64.0.1",
    "0.0.0.0",  # noqa: S104 (an address refused, not one bound to)
    "224.0.0.1",
    "240.0.0.1",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
]


@pytest.mark.parametrize("address", PRIVATE)
def test_private_loopback_link_local_and_mapped_addresses_are_not_public(address):
    assert not addresses.is_public(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are(address):
    assert addresses.is_public(address)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://hooks.example.com/", "https_required"),
        ("ftp://hooks.example.com/", "invalid_url"),
        ("https://", "invalid_url"),
        ("not a url", "invalid_url"),
        ("https://user:pass@hooks.example.com/", "credentials_in_url"),
        ("https://127.0.0.1/hook", "private_address"),
        ("https://10.0.0.5:8443/hook", "private_address"),
        ("https://169.254.169.254/latest/meta-data", "private_address"),
        ("https://[::1]/hook", "private_address"),
        ("https://[::ffff:127.0.0.1]/hook", "private_address"),
    ],
)
def test_an_endpoint_url_that_is_not_public_https_is_refused_on_its_field(url, code):
    with pytest.raises(DomainError) as refused:
        addresses.check_url(url)
    assert (refused.value.code, refused.value.field) == (code, "url")


def test_a_public_https_url_is_accepted():
    assert (
        addresses.check_url("https://hooks.example.com:8443/portal?x=1") == "https://hooks.example.com:8443/portal?x=1"
    )


def test_the_setting_allows_http_and_loopback_for_local_receivers(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    assert addresses.check_url("http://127.0.0.1:8080/hook")
    assert addresses.resolve("localhost", 80) in {"127.0.0.1", "::1"}


def fake_dns(monkeypatch, *answers):
    def getaddrinfo(host, port, *args, **kwargs):
        family = {True: socket.AF_INET6, False: socket.AF_INET}
        return [(family[":" in a], socket.SOCK_STREAM, 6, "", (a, port)) for a in answers]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_name_resolving_to_a_private_address_is_refused_at_send_time(monkeypatch):
    fake_dns(monkeypatch, "93.184.215.14", "10.0.0.7")  # one private answer among public ones
    with pytest.raises(addresses.UnsafeAddress):
        addresses.resolve("rebind.example.com", 443)


def test_a_delivery_to_a_name_that_now_resolves_privately_is_not_sent(monkeypatch):
    fake_dns(monkeypatch, "127.0.0.1")
    connected = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connected.append(a))
    outcome = post("https://hooks.example.com/portal", b"{}", {})
    assert outcome.status_code is None and outcome.error.startswith("Refused:")
    assert connected == []


def test_the_connection_goes_to_the_checked_address_with_the_name_as_host_and_sni(monkeypatch):
    fake_dns(monkeypatch, "93.184.215.14")
    calls = []

    def create_connection(address, timeout, source=None):
        calls.append(address)
        raise ConnectionRefusedError("test stops here")

    monkeypatch.setattr(socket, "create_connection", create_connection)
    outcome = post("https://hooks.example.com:8443/portal", b"{}", {})
    assert calls == [("93.184.215.14", 8443)]
    assert outcome.error.startswith("ConnectionRefusedError")
