"""The SSRF guard: a partner's endpoint may only be an HTTPS address on the public internet.

An endpoint URL is checked twice. When it is saved (``check_url``): HTTPS, a host, no
credentials, and no private address written as a literal. When a delivery is sent
(``resolve``): every address the name resolves to must be public, and the connection goes to
the address that was checked (``delivery`` connects to it and sends the name as Host and SNI),
so a DNS answer that changes between the check and the connection (rebinding) reaches nothing
private. ``WEBHOOKS_ALLOW_PRIVATE`` lifts both checks, and allows plain HTTP, for tests and
local use; it is off by default everywhere, tests included.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from hkhz_portal.core.errors import DomainError


class UnsafeAddress(Exception):
    """The endpoint's host resolves to an address deliveries must not reach."""


def is_public(address: str) -> bool:
    """Whether ``address`` is on the public internet: not private, loopback, link-local,
    multicast, reserved or unspecified, nor an IPv4-mapped IPv6 address of one of those."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    blocked = (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )
    return ip.is_global and not blocked


def _literal(host: str):
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_url(url: str) -> str:
    """Refuse, on the ``url`` field, an endpoint address deliveries must not go to."""
    allow_private = settings.WEBHOOKS_ALLOW_PRIVATE
    schemes = ["https", "http"] if allow_private else ["https"]
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        raise DomainError(_("Enter a valid URL."), code="invalid_url", field="url") from None
    parts = urlsplit(url)
    if parts.scheme not in schemes:
        raise DomainError(_("The endpoint must be an https:// address."), code="https_required", field="url")
    if parts.username or parts.password:
        raise DomainError(
            _("Leave the user name and password out of the address."), code="credentials_in_url", field="url"
        )
    literal = _literal(parts.hostname or "")
    if literal is not None and not allow_private and not is_public(str(literal)):
        raise DomainError(
            _("The endpoint must be on the public internet, not a private or local address."),
            code="private_address",
            field="url",
        )
    return url


def resolve(host: str, port: int) -> str:
    """The address to connect to for ``host``: the first it resolves to, once every address it
    resolves to is public. Raises ``UnsafeAddress`` (or ``OSError`` when it does not resolve)."""
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    addresses = [answer[4][0] for answer in answers]
    if not addresses:
        raise OSError(f"{host} has no address")
    if not settings.WEBHOOKS_ALLOW_PRIVATE:
        refused = [address for address in addresses if not is_public(address)]
        if refused:
            raise UnsafeAddress(f"{host} resolves to a non-public address ({refused[0]})")
    return addresses[0]
