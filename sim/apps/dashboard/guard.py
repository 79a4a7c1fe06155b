"""Refuse requests not meant for this dashboard (or workshop room): a foreign ``Host``, a cross-origin
websocket or a Solara internal endpoint.

A page on another site open in the workshop's browser could otherwise drive the dashboard by DNS
rebinding: its own name made to resolve to 127.0.0.1 reaches our port, but its requests still carry
``Host: that.site``, and its websockets ``Origin: http://that.site``.  So, in this order:

* ``Host`` must name the served address (the names of :func:`allowed_hosts`), else 400 "Invalid host
  header": Starlette's :class:`~starlette.middleware.trustedhost.TrustedHostMiddleware`, which checks
  the name (the port is the socket the request came in on);
* Solara's server internals (``/resourcez``, the dev-only eviction route) answer 404;
* an ``Origin``, when present, must equal that Host, port included (same origin), else 403.  Browsers
  always send ``Origin`` on a websocket handshake and on cross-origin requests, so a missing one is a
  non-browser client (curl, a script), which could forge any header anyway: it is allowed.

:func:`install` adds both layers to Solara's Starlette app (:mod:`sim.apps.dashboard.server`,
:mod:`sim.apps.workshop.server`); :func:`wrap` puts them around any ASGI app (the tests).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextlib import suppress
from typing import Any
from urllib.parse import urlsplit

Scope = Mapping[str, Any]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
INTERNAL_PATHS = ("/resourcez",)  # Solara's process and kernel statistics
INTERNAL_PREFIXES = ("/_solara/api/evict/",)  # Solara's dev/test-only kernel eviction
DEFAULT_PORTS = {"http": 80, "ws": 80, "https": 443, "wss": 443}
_NETLOC = re.compile(r"(\[[0-9a-f:.]+\]|[^:\[\]/@\s]+)(?::(\d{1,5}))?")


def netloc(name: str, port: int) -> str:
    """``name:port`` as it appears in a Host header (an IPv6 address in brackets), lower case."""
    name = name.lower()
    return f"[{name}]:{port}" if ":" in name and not name.startswith("[") else f"{name}:{port}"


def normalise(value: str, default_port: int) -> str | None:
    """A Host header or an Origin's authority as ``name:port`` (the scheme's port when absent); None if malformed."""
    m = _NETLOC.fullmatch(value.strip().lower())
    return f"{m[1]}:{int(m[2]) if m[2] else default_port}" if m else None


def _addresses(name: str) -> set[str]:
    with suppress(OSError):
        return {info[4][0].split("%")[0] for info in socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)}
    return set()


def machine_addresses() -> set[str]:
    """This computer's names and the addresses of its network interfaces (psutil's list when installed, else
    what the host names resolve to and the address on the default route, found without sending a packet)."""
    names = {socket.gethostname(), socket.getfqdn()}
    found = set().union(*map(_addresses, names))
    try:
        import psutil

        found |= {
            a.address.split("%")[0]
            for addrs in psutil.net_if_addrs().values()
            for a in addrs
            if a.family in (socket.AF_INET, socket.AF_INET6)
        }
    except ImportError:
        for family, probe in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):  # documentation nets
            with suppress(OSError), socket.socket(family, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))
                found.add(s.getsockname()[0])
    return names | found


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers the dashboard answers when listening on ``host:port``.

    Always ``host:port`` as given and the addresses ``host`` resolves to; when one of those is loopback
    also ``localhost``, ``127.0.0.1`` and ``[::1]``; when it is a wildcard (``0.0.0.0``, ``::``) also
    those and this computer's names and interface addresses (:func:`machine_addresses`), which is what
    participants in the room type.
    """
    names = {host} | _addresses(host)
    ips = [ipaddress.ip_address(a) for a in names if _is_ip(a)]
    if any(ip.is_loopback or ip.is_unspecified for ip in ips):
        names |= set(LOOPBACK_NAMES)
    if any(ip.is_unspecified for ip in ips):
        names |= machine_addresses()
    return frozenset(netloc(n, port) for n in names)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> list[str]:
    return [v.decode("latin-1") for k, v in headers if k.lower() == name]


def host_names(allowed: frozenset[str]) -> list[str]:
    """The names (without port) of ``name:port`` Host values, as TrustedHostMiddleware matches them
    (an IPv6 address keeps its brackets, as Starlette parses a Host header)."""
    return sorted({n.rsplit(":", 1)[0] for n in allowed})


def refusal(scope: Scope) -> tuple[int, str] | None:
    """Why this http or websocket request, its Host already checked, is refused: (HTTP status, short
    plain text), or None to let it through."""
    hosts = _header(scope.get("headers", ()), b"host")
    if len(hosts) > 1:
        return 400, "Invalid host header"  # Starlette read the first of them; which one a proxy reads is anyone's guess
    path = scope.get("path", "")
    if path.rstrip("/") in INTERNAL_PATHS or path.startswith(INTERNAL_PREFIXES):
        return 404, "Not Found"
    origins = _header(scope.get("headers", ()), b"origin")
    if not origins:
        return None  # not a browser (see the module docstring)
    host = normalise(hosts[0], DEFAULT_PORTS.get(scope.get("scheme", "http"), 80)) if hosts else None
    same = host is not None and len(origins) == 1 and origin_netloc(origins[0]) == host
    return None if same else (403, "Cross-origin request refused.")


def origin_netloc(origin: str) -> str | None:
    """An ``Origin`` header's ``name:port``; None for ``null`` or anything but ``http(s)://authority``."""
    try:
        parts = urlsplit(origin.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.path or parts.query or parts.fragment:
        return None
    return normalise(parts.netloc, DEFAULT_PORTS[parts.scheme])


class OriginGuard:
    """ASGI middleware applying :func:`refusal` to ``http`` and ``websocket`` scopes (others pass through);
    it runs behind the Host check (:func:`layers`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        why = refusal(scope) if scope["type"] in ("http", "websocket") else None
        if why is None:
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            # closing before accepting rejects the handshake with HTTP 403 (uvicorn, per the ASGI spec); the
            # spec's websocket.http.response extension could carry our text, but uvicorn 0.54 then logs an error
            await send({"type": "websocket.close", "code": 1008})
            return
        status, text = why
        body = text.encode() + b"\n"
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def layers(allowed: frozenset[str]) -> list[tuple[type, dict[str, Any]]]:
    """The guard's middleware, outermost first, with their arguments: Starlette's Host check on the names
    of ``allowed``, then the internals and the Origin (starlette comes with the ``dashboard`` extra, so it
    is imported here, when a server starts)."""
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    return [(TrustedHostMiddleware, {"allowed_hosts": host_names(allowed), "www_redirect": False}), (OriginGuard, {})]


def install(app: Any, allowed: frozenset[str]) -> None:
    """Add the guard to a Starlette app, in front of every middleware added before (``add_middleware``
    puts the last added outermost)."""
    for cls, kwargs in reversed(layers(allowed)):
        app.add_middleware(cls, **kwargs)


def wrap(app: ASGIApp, allowed: frozenset[str]) -> ASGIApp:
    """``app`` behind the guard, as :func:`install` puts it."""
    for cls, kwargs in reversed(layers(allowed)):
        app = cls(app, **kwargs)
    return app
