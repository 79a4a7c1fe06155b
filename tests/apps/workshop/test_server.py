"""The workshop server with raw HTTP and websocket clients (docs/odd.md §11): the room's token,
the seats' secrets, a foreign Host header and a cross-origin websocket are checked by the server."""

from __future__ import annotations

import asyncio
import re

import pytest

requests = pytest.importorskip("requests")
websockets = pytest.importorskip("websockets")
pytest.importorskip("solara")

from tests.apps.workshop.serving import workshop  # noqa: E402


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with workshop(
        tmp_path_factory.mktemp("srv") / "out", "--schools", "2", "--firms", "3", "--rounds", "2", "--lang", "en"
    ) as s:
        yield s


def get(served, path: str, **kw) -> requests.Response:
    return requests.get(served.base + path, allow_redirects=False, timeout=10, **kw)


def claim(served, seat: str, token: str | None = None) -> requests.Response:
    return requests.post(
        served.base + "/join",
        data={"token": token or served.token, "seat": seat, "lang": "en"},
        headers={"Origin": served.base},
        allow_redirects=False,
        timeout=10,
    )


def cookie_of(r: requests.Response) -> tuple[str, str]:
    name, value = r.headers["set-cookie"].split(";")[0].split("=", 1)
    return name, value


def test_startup_lines(served):
    assert served.join_url == f"{served.base}/join?token={served.token}"
    assert served.token != served.host_token and len(served.token) >= 20


def test_join_page_needs_the_token(served):
    assert get(served, "/join").status_code == 403
    assert get(served, "/join?token=" + served.token[:-1] + "x").status_code == 403
    assert get(served, "/join?token=" + served.host_token).status_code == 403
    r = get(served, "/join?token=" + served.token)
    assert r.status_code == 200
    assert 'name="viewport"' in r.text and served.code in r.text
    assert len(re.findall(r"data-seat='(?:school|firm)-\d'", r.text)) == 5


def test_a_seat_is_claimed_with_the_token_and_held_by_its_secret(served):
    r = claim(served, "school:0", token="wrong")
    assert r.status_code == 403 and "set-cookie" not in r.headers
    r = claim(served, "school:0")
    assert r.status_code == 303 and r.headers["location"].startswith("/seat/school-0")
    name, secret = cookie_of(r)
    assert name == f"sesim_{served.code}_school-0"
    assert "HttpOnly" in r.headers["set-cookie"] and "SameSite=Strict" in r.headers["set-cookie"]
    assert get(served, "/seat/school-0", cookies={name: secret}).status_code == 200
    # taken: nobody else can claim it
    assert claim(served, "school:0").status_code == 409
    # no secret, a wrong one, or another seat's secret: refused
    other = claim(served, "firm:0")
    oname, osecret = cookie_of(other)
    assert get(served, "/seat/school-0").status_code == 403
    assert get(served, "/seat/school-0", cookies={name: secret[:-1] + "x"}).status_code == 403
    assert get(served, "/seat/school-0", cookies={name: osecret}).status_code == 403
    assert get(served, "/seat/school-0", cookies={oname: osecret}).status_code == 403
    assert get(served, "/seat/firm-0", cookies={name: secret}).status_code == 403
    assert get(served, "/seat/firm-0", cookies={oname: osecret}).status_code == 200
    # the join page shows it taken, and offers this browser its own seat back
    page = get(served, "/join?token=" + served.token, cookies={name: secret}).text
    assert "data-seat='school-0' disabled" in page and "href='/seat/school-0" in page


def test_facilitator_page_needs_the_facilitators_token(served):
    assert get(served, "/host").status_code == 403
    assert get(served, "/facilitator?token=" + served.token).status_code == 403
    r = get(served, "/facilitator?token=" + served.host_token)
    assert r.status_code == 303
    name, value = cookie_of(r)
    assert get(served, "/host", cookies={name: value}).status_code == 200
    # a participant's seat cookie does not open it
    seat = claim(served, "firm:1")
    assert get(served, "/host", cookies=dict([cookie_of(seat)])).status_code == 403


def test_foreign_host_is_refused(served):
    for path in ("/join?token=" + served.token, "/facilitator?token=" + served.host_token, "/readyz"):
        r = get(served, path, headers={"Host": "evil.example:%d" % served.port})
        assert r.status_code == 400


def test_cross_origin_form_post_is_refused(served):
    r = requests.post(
        served.base + "/join",
        data={"token": served.token, "seat": "firm:2"},
        headers={"Origin": "http://evil.example"},
        allow_redirects=False,
        timeout=10,
    )
    assert r.status_code == 403
    assert "data-seat='firm-2'>" in get(served, "/join?token=" + served.token).text  # still free


def test_other_paths(served):
    assert get(served, "/").status_code == 404
    assert get(served, "/resourcez").status_code == 404
    assert get(served, "/debrief/report.html").status_code == 403  # no credentials
    r = get(served, "/facilitator?token=" + served.host_token)
    assert get(served, "/debrief/report.html", cookies=dict([cookie_of(r)])).status_code == 404  # not ended


def raw_status(served, method: str, path: str, cookies: dict[str, str] | None = None) -> int:
    """The status of a request sent with its path exactly as written (no client normalises '..')."""
    import http.client

    c = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    headers = {"Origin": served.base} if method == "POST" else {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    c.request(method, path, headers=headers)
    status = c.getresponse().status
    c.close()
    return status


def test_solaras_paths_are_for_players_and_dots_walk_nowhere(served):
    """Solara's own paths (assets, API, kernel) answer only a browser holding a seat or the facilitator's
    cookie; a '..' segment, plain or percent-encoded, is refused before any door is looked at."""
    for path in (
        "/_solara/../host",
        "/_solara/../seat/school-0",
        "/_solara/%2e%2e/host",
        "/static/..%2fhost",
        "/_solara/./x",
    ):
        assert raw_status(served, "GET", path) == 404, path
    assert raw_status(served, "POST", "/_solara/api/close/abc") == 403
    assert raw_status(served, "GET", "/_solara/static/main-vuetify.js") == 403
    host = dict([cookie_of(get(served, "/facilitator?token=" + served.host_token))])
    assert raw_status(served, "GET", "/_solara/../host", host) == 404
    assert raw_status(served, "GET", "/host", host) == 200


def ws_status(served, origin: str | None, cookies: dict[str, str]) -> int:
    """The handshake's HTTP status of a websocket to Solara's kernel channel (101 when accepted)."""
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}

    async def go() -> int:
        url = served.base.replace("http", "ws") + "/jupyter/api/kernels/probe/channels?session_id=probe"
        try:
            async with websockets.connect(url, origin=origin, additional_headers=headers, open_timeout=10):
                return 101
        except websockets.InvalidStatus as e:
            return e.response.status_code

    return asyncio.run(go())


def test_websockets(served):
    seat = dict([cookie_of(claim(served, "school:1"))])
    assert ws_status(served, "http://evil.example", seat) == 403  # cross-origin, even with a seat
    assert ws_status(served, f"http://localhost.evil.example:{served.port}", seat) == 403
    assert ws_status(served, served.base, {}) == 403  # same origin, no seat secret
    assert ws_status(served, served.base, {f"sesim_{served.code}_school-1": "forged"}) == 403
    assert ws_status(served, served.base, seat) == 101  # the seat's own browser


def test_startup_lines_say_when_the_room_is_reachable_from_the_network():
    from sim.apps.workshop.room import Room
    from sim.apps.workshop.server import qr_terminal, startup_lines

    room = Room("baseline", 1, 2, 1)
    local = startup_lines(room, "127.0.0.1", 8766, "out")
    assert not any("listening on" in line for line in local)
    assert local[-2] == f"join (participants): http://127.0.0.1:8766/join?token={room.token}"
    assert local[-1].startswith(
        f"facilitator (this computer): http://127.0.0.1:8766/facilitator?token={room.host_token}"
    )
    for host in ("0.0.0.0", "192.0.2.7"):
        lines = startup_lines(room, host, 8766, "out")
        said = [line for line in lines if "listening on" in line]
        assert len(said) == 1 and host in said[0] and "network" in said[0]
        assert f"/join?token={room.token}" in lines[-2]
        assert room.host_token not in lines[-2] and room.token not in lines[-1]
    assert "http://192.0.2.7:8766/join?token=" in startup_lines(room, "192.0.2.7", 8766, "out")[-2]
    qr = qr_terminal(f"http://127.0.0.1:8766/join?token={room.token}")
    assert qr and len(qr.splitlines()) > 10


def test_party_branch_seats(tmp_path):
    with workshop(tmp_path / "out", "--schools", "2", "--firms", "2", "--rounds", "1", "--party-branches") as s:
        page = get(s, "/join?token=" + s.token).text
        assert "data-seat='party-1'" in page
        r = claim(s, "party:1")
        assert r.status_code == 303 and r.headers["location"].startswith("/seat/party-1")
        assert get(s, "/seat/party-1", cookies=dict([cookie_of(r)])).status_code == 200
        assert get(s, "/seat/school-1", cookies=dict([cookie_of(r)])).status_code == 403


def test_stopping_before_the_end_says_no_debrief_was_written(tmp_path):
    import signal
    import time

    with workshop(tmp_path / "out", "--schools", "1", "--firms", "2", "--rounds", "2") as s:
        s.proc.send_signal(signal.SIGINT)  # Ctrl+C at once
        s.proc.wait(timeout=20)
    for _ in range(50):
        if "no debrief was written" in s.log():
            break
        time.sleep(0.1)
    assert "stopped after 0 of 2 years; no debrief was written" in s.log()
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_what_a_player_asks_gets_a_status_not_a_traceback(served):
    """Solara's close route raised KeyError for a page it does not hold (500 and a traceback on the
    facilitator's terminal); the debrief's paths before the debrief exists: 404, one line each."""
    import time

    host = dict([cookie_of(get(served, "/facilitator?token=" + served.host_token))])
    for path in ("/_solara/api/close/x", "/_solara/api/close/x?session_id=y"):
        assert raw_status(served, "POST", path, host) == 404
    for path in ("/debrief/", "/debrief/figures-en/", "/debrief/report.html"):
        assert raw_status(served, "GET", path, host) == 404
    time.sleep(0.5)  # the server's lines reach the reader thread
    log = served.log()
    assert "Traceback" not in log and "KeyError" not in log
    assert len([line for line in log.splitlines() if "/_solara/api/close/x" in line]) == 2
