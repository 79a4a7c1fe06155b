"""The workshop's gate (sim.apps.workshop.server.RoomGate) answers what a seat holder may ask of it with a status
and one line on the facilitator's terminal, never a traceback: the debrief's folder or a folder in it, a
missing or symbolically linked debrief file, a close beacon for a page that does not exist.

The gate is driven as an ASGI app in this process (its inner app, Solara's, replaced by one that says
who reached it); the real server's side is in test_server.py.
"""

from __future__ import annotations

import asyncio

import pytest

from sim.apps.workshop.room import Room
from sim.apps.workshop.server import RoomGate, Workshop, seat_cookie

pytest.importorskip("starlette")


class Inner:
    """Stands for Solara's app: answers 200 "inner", or raises when told to."""

    def __init__(self) -> None:
        self.fail: Exception | None = None

    async def __call__(self, scope, receive, send) -> None:
        if self.fail is not None:
            raise self.fail
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"inner"})


def request(gate: RoomGate, method: str, path: str, cookies: dict[str, str], query: str = "") -> tuple[int, bytes]:
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": [(b"host", b"127.0.0.1:1"), (b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode())],
        "scheme": "http",
        "root_path": "",
        "server": ("127.0.0.1", 1),
        "client": ("127.0.0.1", 2),
    }
    sent: list[dict] = []

    asked = []

    async def receive() -> dict:
        if asked:  # the body was read: the client waits for the answer
            await asyncio.Event().wait()
        asked.append(1)
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(gate(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


@pytest.fixture
def ended(tmp_path):
    """A gate in front of a room whose debrief folder holds a report, a figure, a link out and a folder."""
    room = Room("baseline", schools=1, firms=2, rounds=1, seed=3)
    seat, secret = room.claim(room.token, "firm:0")
    debrief = tmp_path / "debrief"
    (debrief / "figures-en").mkdir(parents=True)
    (debrief / "report-en.html").write_text("<p>report</p>")
    (debrief / "figures-en" / "outcomes.png").write_bytes(b"\x89PNG")
    (tmp_path / "secret.txt").write_text("not the debrief's")
    (debrief / "linked.html").symlink_to(tmp_path / "secret.txt")
    (debrief / "figures-en" / "linked.png").symlink_to(tmp_path / "secret.txt")
    (debrief / "linkdir").symlink_to(tmp_path)
    room.debrief_dir = str(debrief)
    inner = Inner()
    gate = RoomGate(inner, Workshop(room, tmp_path / "out"))
    return gate, inner, {seat_cookie(room, seat): secret}


@pytest.mark.parametrize(
    "path, status",
    [
        ("/debrief/", 404),
        ("/debrief/figures-en/", 404),
        ("/debrief/figures-en", 404),
        ("/debrief/nosuch.html", 404),
        ("/debrief/figures-en/nosuch.png", 404),
        ("/debrief//report-en.html", 404),
        ("/debrief/linked.html", 403),
        ("/debrief/figures-en/linked.png", 403),
        ("/debrief/linkdir/secret.txt", 403),
    ],
)
def test_debrief_paths_answer_a_status_and_one_line(ended, capsys, path, status):
    gate, _, seat = ended
    got, body = request(gate, "GET", path, seat)
    assert got == status
    assert b"not the debrief's" not in body
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and path in err and str(status) in err and "Traceback" not in err


def test_debrief_files_are_served_to_seat_holders_only(ended, capsys):
    gate, _, seat = ended
    assert request(gate, "GET", "/debrief/report-en.html", seat) == (200, b"<p>report</p>")
    assert request(gate, "GET", "/debrief/figures-en/outcomes.png", seat) == (200, b"\x89PNG")
    assert request(gate, "GET", "/debrief/report-en.html", {})[0] == 403
    assert request(gate, "POST", "/debrief/report-en.html", seat)[0] == 405


def test_a_close_beacon_for_no_open_page_answers_404(ended, capsys):
    """Solara's close route raised KeyError (500, a traceback) for an unknown page or a missing session_id."""
    gate, inner, seat = ended
    for query in ("", "session_id=x", "session_id="):
        status, _ = request(gate, "POST", "/_solara/api/close/x", seat, query)
        assert status == 404
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "/_solara/api/close/x" in err and "Traceback" not in err
    assert request(gate, "POST", "/_solara/api/close/x", {}, "session_id=x")[0] == 403


def test_whatever_fails_behind_the_gate_is_one_line(ended, capsys):
    gate, inner, seat = ended
    inner.fail = KeyError("session_id")
    status, body = request(gate, "GET", "/_solara/api/anything", seat)
    assert status == 500
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "KeyError" in err and "Traceback" not in err
