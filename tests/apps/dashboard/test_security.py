"""The dashboard refuses a foreign Host (Starlette's TrustedHostMiddleware), a cross-origin websocket and
Solara's internal endpoints.  The guard's layers alone, then the real server driven by a raw HTTP client
and a raw websocket handshake."""

from __future__ import annotations

import asyncio
import base64
import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.apps.dashboard import guard
from sim.apps.dashboard.guard import allowed_hosts, host_names, wrap

ROOT = Path(__file__).resolve().parents[3]
START_TIMEOUT_S = 120  # generous: the machine may be busy
PORT = 8765
LOOPBACK = {"localhost:8765", "127.0.0.1:8765", "[::1]:8765"}
WS_PATH = "/jupyter/api/kernels/4f9e1c2a-0000-4000-8000-000000000001/channels?session_id=sesim-test"


def scope(
    host: str | None = "127.0.0.1:8765",
    origin: str | None = None,
    path: str = "/",
    kind: str = "http",
    headers: list[tuple[bytes, bytes]] | None = None,
) -> dict:
    h = headers if headers is not None else []
    h += [(b"host", host.encode())] if host is not None else []
    h += [(b"origin", origin.encode())] if origin is not None else []
    return {"type": kind, "scheme": "ws" if kind == "websocket" else "http", "path": path, "headers": h}


# ---- which hosts are allowed ------------------------------------------------------------------------


def test_loopback_allows_its_three_names_and_nothing_else():
    assert allowed_hosts("127.0.0.1", PORT) == LOOPBACK
    assert allowed_hosts("localhost", PORT) == LOOPBACK


def test_a_wildcard_adds_this_computers_names_and_addresses(monkeypatch):
    monkeypatch.setattr(guard, "machine_addresses", lambda: {"Laptop", "192.168.1.20", "fe80::1"})
    assert allowed_hosts("0.0.0.0", PORT) == LOOPBACK | {
        "0.0.0.0:8765",
        "laptop:8765",
        "192.168.1.20:8765",
        "[fe80::1]:8765",
    }


def test_a_given_lan_address_is_not_loopback():
    assert allowed_hosts("192.0.2.7", PORT) == {"192.0.2.7:8765"}


def test_machine_addresses_finds_at_least_the_host_name():
    assert socket.gethostname() in guard.machine_addresses()


# ---- the guard: Starlette's Host check, then the internals and the Origin --------------------------


def run_guard(s: dict, allowed: frozenset[str] = frozenset(LOOPBACK)) -> tuple[list[dict], list[dict]]:
    """The messages the guard sends and the scopes that reach the wrapped app."""
    sent, reached = [], []

    async def app(sc, receive, send):
        reached.append(sc)

    async def receive():
        return {"type": "websocket.connect"}

    async def send(message):
        sent.append(message)

    asyncio.run(wrap(app, allowed)(s, receive, send))
    return sent, reached


def status(s: dict, allowed: frozenset[str] = frozenset(LOOPBACK)) -> int | None:
    """The HTTP status the guard answers ``s`` with (a websocket closed before it is accepted: 403); None
    when it reaches the app."""
    sent, reached = run_guard(s, allowed)
    if reached:
        assert not sent
        return None
    first = sent[0]
    if first["type"] == "websocket.close":
        return 403
    return first["status"]


def test_host_names_are_the_allowed_values_without_port():
    assert host_names(frozenset(LOOPBACK)) == ["127.0.0.1", "[::1]", "localhost"]


@pytest.mark.parametrize(
    "s, expected",
    [
        (scope(), None),
        (scope("LOCALHOST:8765"), None),
        (scope("[::1]:8765"), None),
        (scope("evil.example:8765"), 400),
        (scope("evil.example"), 400),
        (scope("127.0.0.1:8766"), None),  # the name is checked; the port is our socket's
        (scope("127.0.0.1"), None),
        (scope(None), 400),
        (scope("evil.example:8765", headers=[(b"host", b"127.0.0.1:8765")]), 400),  # two Host headers
        (scope(headers=[(b"host", b"evil.example:8765")]), 400),
        (scope("127.0.0.1:8765@evil.example"), 400),
        (scope("evil.example:8765", path="/resourcez"), 400),  # the Host check runs first
        (scope(path="/resourcez"), 404),
        (scope(path="/resourcez/"), 404),
        (scope(path="/_solara/api/evict/abc"), 404),
        (scope(path="/readyz"), None),
        (scope(origin="http://127.0.0.1:8765", kind="websocket"), None),
        (scope("localhost:8765", origin="http://localhost:8765", kind="websocket"), None),
        (scope(kind="websocket"), None),  # no Origin: not a browser
        (scope(origin="http://evil.example", kind="websocket"), 403),
        (scope(origin="http://evil.example:8765", kind="websocket"), 403),
        (scope(origin="http://localhost:8765", kind="websocket"), 403),  # another name is another origin
        (scope(origin="http://127.0.0.1:8766", kind="websocket"), 403),  # another port too
        (scope("127.0.0.1:8766", origin="http://127.0.0.1:8765", kind="websocket"), 403),
        (scope(origin="http://127.0.0.1", kind="websocket"), 403),
        (scope(origin="null", kind="websocket"), 403),
        (scope(origin="file://", kind="websocket"), 403),
        (scope(origin="http://127.0.0.1:8765/x", kind="websocket"), 403),
        (scope(origin="http://[bad", kind="websocket"), 403),
        (
            scope(
                "127.0.0.1:8765",
                origin="http://127.0.0.1:8765",
                kind="websocket",
                headers=[(b"host", b"127.0.0.1:8765")],
            ),
            403,
        ),  # two Host headers, however alike (closed: 403)
        (scope("evil.example:8765", origin="http://evil.example:8765", kind="websocket"), 400),  # DNS rebinding
        (scope(origin="http://evil.example"), 403),  # e.g. a form posted from another site
    ],
)
def test_the_guard(s, expected):
    assert status(s) == expected


def test_an_origin_on_port_80_may_omit_it():
    allowed = allowed_hosts("127.0.0.1", 80)
    assert status(scope("127.0.0.1", origin="http://127.0.0.1", kind="websocket"), allowed) is None
    assert status(scope("127.0.0.1:80", origin="http://127.0.0.1", kind="websocket"), allowed) is None


def test_a_foreign_host_is_answered_by_starlette_in_plain_text():
    sent, reached = run_guard(scope("evil.example:8765"))
    assert not reached
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 400
    assert dict(sent[0]["headers"])[b"content-type"].startswith(b"text/plain")
    assert sent[1]["body"] == b"Invalid host header"


def test_a_foreign_host_on_a_websocket_is_denied_with_400():
    """Starlette denies the handshake with an HTTP response (the ASGI websocket denial extension)."""
    sent, reached = run_guard(scope("evil.example:8765", kind="websocket"))
    assert not reached and sent[0]["type"] == "websocket.http.response.start" and sent[0]["status"] == 400


def test_the_guard_closes_a_cross_origin_websocket_before_accepting():
    sent, reached = run_guard(scope(origin="http://evil.example", kind="websocket"))
    assert not reached and sent == [{"type": "websocket.close", "code": 1008}]


@pytest.mark.parametrize("s", [scope(), scope(origin="http://127.0.0.1:8765", kind="websocket"), {"type": "lifespan"}])
def test_the_guard_passes_the_rest_through(s):
    sent, reached = run_guard(s)
    assert reached == [s] and not sent


def test_host_help_states_the_rule():
    r = subprocess.run(
        [sys.executable, "-m", "sim", "dashboard", "--help"], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    text = " ".join(r.stdout.split())
    assert "localhost, 127.0.0.1 and [::1]" in text and "--host 0.0.0.0 serves a room" in text


# ---- the real server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str = "/", host: str | None = None) -> http.client.HTTPResponse:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.putrequest("GET", path, skip_host=True)
    c.putheader("Host", host or f"127.0.0.1:{port}")
    c.endheaders()
    r = c.getresponse()
    r.body = r.read()
    c.close()
    return r


@pytest.fixture(scope="module")
def port(tmp_path_factory):
    pytest.importorskip("solara")
    port = free_port()
    log = tmp_path_factory.mktemp("dashboard") / "server.log"
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": ""}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sim", "dashboard", "--port", str(port), "--lang", "en"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            if get(port).status == 200:
                break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"sesim dashboard did not answer on port {port}: {log.read_text()}")
        time.sleep(0.2)
    yield port
    proc.terminate()
    proc.wait(timeout=30)


def ws_handshake(port: int, origin: str | None, host: str | None = None) -> int:
    """The HTTP status answering a websocket upgrade to Solara's kernel channel (101: accepted)."""
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        f"GET {WS_PATH} HTTP/1.1",
        f"Host: {host or f'127.0.0.1:{port}'}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
    ]
    lines += [f"Origin: {origin}"] if origin else []
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = b""
        while b"\r\n" not in head:
            chunk = s.recv(1024)
            if not chunk:
                break
            head += chunk
    return int(head.split(b" ", 2)[1])


def test_the_served_host_gets_the_page(port):
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        r = get(port, host=host)
        assert r.status == 200 and b"<html" in r.body.lower()


def test_a_foreign_host_is_refused_without_internals(port):
    r = get(port, host=f"evil.example:{port}")
    assert r.status == 400
    assert r.getheader("content-type").startswith("text/plain") and r.getheader("server") is None
    assert r.body == b"Invalid host header" and b"solara" not in r.body.lower()


def test_resourcez_is_not_served(port):
    r = get(port, "/resourcez")
    assert r.status == 404 and b"websockets" not in r.body


def test_a_same_origin_websocket_is_accepted(port):
    assert ws_handshake(port, f"http://127.0.0.1:{port}") == 101


@pytest.mark.parametrize(
    "origin, host", [("http://evil.example", None), ("http://evil.example:{port}", "evil.example:{port}")]
)
def test_a_cross_origin_websocket_is_refused(port, origin, host):
    status = ws_handshake(port, origin.format(port=port), host and host.format(port=port))
    assert status != 101 and status in (400, 403)
