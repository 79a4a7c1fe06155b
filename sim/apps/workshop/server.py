"""Serve a workshop room: Solara's Starlette app under uvicorn, behind two ASGI guards.

- the dashboard's guard (:mod:`sim.apps.dashboard.guard`, reused as it is): Starlette's
  ``TrustedHostMiddleware`` lets through only requests addressed to the served host, then only same-origin
  websockets and form posts;
- :class:`RoomGate` (here): the room's own doors.  ``/join?token=T`` (a plain, phone-sized HTML page) lists
  the seats; posting its form with the room's token claims a seat, and the answer sets the seat's secret as
  an ``HttpOnly``, ``SameSite=Strict`` cookie kept by the browser for a day, then opens ``/seat/<seat>``.
  ``/facilitator?token=H`` sets the facilitator's cookie and opens ``/host``.  The Solara pages
  (``/seat/<seat>``, ``/host``), Solara's kernel websocket and the debrief files (``/debrief/...``) are
  served only to a browser holding a valid seat secret or the facilitator's token; the seat page only to
  the holder of *that* seat's secret.  Anything else answers 404.

The room lives in this process (:data:`STATE`), one simulation behind the room's lock; the pages are
Solara components (``sim.apps.workshop.app``) that read it and wait on its changes.
"""

from __future__ import annotations

import copy
import html
import importlib
import os
import re
import sys
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote

from sim.extras import install_hint
from sim.i18n import t
from sim.inputs import Refusal
from sim.scenario import ScenarioError, to_toml

from ..dashboard import guard
from ..dashboard.guard import allowed_hosts, machine_addresses
from ..dashboard.server import check_port
from .journal import RESUBMISSIONS, ROW_BYTES, Journal, in_use, read_submissions, write_decisions
from .room import Room, seat_label, seat_of_slug, seat_slug
from .worlds import WORLDS

APP_MODULE = "sim.apps.workshop.app"
COOKIE_AGE_S = 86_400  # a seat's cookie outlives a closed page or browser for a day
MAX_FORM_BYTES = 4096
SLUG_RE = re.compile(r"/seat/((?:school|party|firm)-\d{1,4})/?")
PASS_PREFIXES = ("/static/", "/_solara/", "/jupyter/")  # Solara's assets and its kernel channel
PUBLIC_PATHS = ("/readyz", "/favicon.ico")
CLOSE_PREFIX = "/_solara/api/close/"  # a page's close beacon (Solara's)
RECONNECT_GRACE_S = 30  # a page whose connection drops keeps its session this long


@dataclass
class Workshop:
    """What the server process holds: the room, where the debrief goes, the addresses it printed."""

    room: Room
    out: Path
    argv: list[str] = field(default_factory=list)
    join_url: str = ""
    host_url: str = ""
    debrief_error: str | None = None
    debriefing: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)
    journal_error: str | None = None
    _journal: Journal | None = None
    worlds: int = WORLDS  # the debrief's worlds (docs/odd.md §11)
    workers: int = 1  # processes that run them
    debrief_runs: tuple[int, int] | None = None  # (runs done, runs in all) while the debrief is written

    @property
    def journal(self) -> Path:
        """Where the decisions are kept until the debrief is written (beside ``out``)."""
        code = "" if self.room.code in self.out.name else f"-{self.room.code}"  # two rooms never share one
        return self.out.parent / f".{self.out.name}.journal{code}"

    def open_journal(self) -> None:
        """Write the journal (the scenario with the seed, the submissions' header, room on the disk for the
        submissions) before the game starts, and keep every accepted submission in it from then on; one
        line when it cannot be written (nothing is played without it)."""
        room = self.room
        ran = copy.deepcopy(room.scenario)
        ran.params.run.seed = room.seed
        keys = sum(
            len(room.decision_keys(s)) + (room.model.n_schools if s.startswith("firm:") else 0) for s in room.seats
        )
        journal = Journal(self.journal)
        try:
            journal.open(to_toml(ran), keys * room.rounds * RESUBMISSIONS * ROW_BYTES)
        except OSError as e:
            raise ScenarioError(
                f"--out {self.out}: cannot keep the workshop's decisions in {self.journal} "
                f"({e.strerror or e}); free some space or choose another folder with --out DIR"
            ) from None
        self._journal = journal
        room.on_submit = self._keep

    def _keep(self, rows: list[tuple[int, str, str, str, str]]) -> None:
        """Called by the room, under its lock, for each accepted submission (see sim.apps.workshop.journal)."""
        assert self._journal is not None
        try:
            self._journal.append(rows)
        except OSError as e:
            error = f"cannot keep the decisions in {self.journal}: {e.strerror or e}"
            if error != self.journal_error:
                print(f"sesim workshop: {error}; submissions are refused until it can", file=sys.stderr, flush=True)
            self.journal_error = error
            self.room._bump()  # the facilitator's page shows it
            raise
        if self.journal_error is not None:
            self.journal_error = None
            print(f"sesim workshop: the decisions are kept in {self.journal} again", file=sys.stderr, flush=True)

    @property
    def journal_rows(self) -> int:
        return self._journal.rows if self._journal is not None else 0

    def drop_journal(self) -> None:
        """Once the debrief holds the decisions: remove the journal's own files (nothing else)."""
        (self._journal or Journal(self.journal)).drop()

    def close_journal(self) -> None:
        """The server stops before the debrief: keep the journal when it holds a decision, else remove it."""
        if self._journal is None:
            return
        if self._journal.rows:
            self._journal.close()
        else:
            self._journal.drop()

    def end(self) -> None:
        """End the game and write the debrief in a thread of its own (the pages stay live meanwhile)."""
        with self._lock:
            if self.debriefing or self.room.debrief_dir:
                return
            self.debriefing = True
            self.debrief_error = None
        self.room.end()
        threading.Thread(target=self._debrief, name="sesim-workshop-debrief", daemon=True).start()

    def _debrief(self) -> None:
        from .debrief import played_from_room, write_debrief

        shown = [0.0]

        def on_run(done: int, total: int) -> None:  # the facilitator's page says how far, once a second
            self.debrief_runs = (done, total)
            if time.monotonic() - shown[0] >= 1 or done == total:
                shown[0] = time.monotonic()
                with self.room.lock:
                    self.room._bump()

        try:
            played = played_from_room(self.room)
            print(
                f"sesim workshop: writing the debrief: your decisions and every named strategy in {self.worlds} "
                f"worlds on {self.workers} process(es)",
                flush=True,
            )
            out = write_debrief(played, self.out, self.argv, self.worlds, self.workers, on_run)
            self.drop_journal()  # the debrief holds the decisions now
            with self.room.lock:
                self.room.debrief_dir = str(out)
                self.room._bump()
            print(f"sesim workshop: debrief written to {out}/report.html", flush=True)
        except Exception as e:  # shown on the facilitator's page and in the terminal, one line
            with self._lock:
                self.debrief_error = " ".join(str(e).split()) or type(e).__name__
                self.debriefing = False  # "end" again retries (e.g. into another folder, or after freeing disk)
            with self.room.lock:
                self.room._bump()
            print(
                f"sesim workshop: the debrief could not be written: {self.debrief_error}", file=sys.stderr, flush=True
            )
        finally:
            with self._lock:
                self.debriefing = False
                self.debrief_runs = None


STATE: Workshop | None = None


def state() -> Workshop:
    if STATE is None:
        raise RuntimeError("no workshop room in this process: start it with 'sesim workshop'")
    return STATE


# ------------------------------------------------------------------ cookies
def seat_cookie(room: Room, seat: str) -> str:
    return f"sesim_{room.code}_{seat_slug(seat)}"


def host_cookie(room: Room) -> str:
    return f"sesim_{room.code}_host"


def credentials(room: Room, cookies: dict[str, str]) -> tuple[bool, list[str]]:
    """(the facilitator's cookie is valid, the seats whose secret this browser holds)."""
    host = room.check_host(cookies.get(host_cookie(room)))
    seats = [s for s in room.seats if room.check_seat(s, cookies.get(seat_cookie(room, s)))]
    return host, seats


def _set_cookie(name: str, value: str) -> str:
    return f"{name}={value}; Path=/; Max-Age={COOKIE_AGE_S}; HttpOnly; SameSite=Strict"


# ------------------------------------------------------------------ the plain pages
PAGE_CSS = """body{font-family:-apple-system,'Segoe UI','Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;margin:0 auto;
max-width:36em;padding:1em;color:#222;line-height:1.4}h1{font-size:1.4em}h2{font-size:1.1em;margin:1em 0 .4em}
form{display:inline}button{font-size:1.05em;padding:.6em .9em;margin:.25em .25em .25em 0;border-radius:6px;border:1px solid #2c6fbb;
background:#eef4fb;color:#174a7c;min-width:7.5em}button.any{background:#2c6fbb;color:#fff}button:disabled{border-color:#ccc;
background:#f3f3f3;color:#999}.note{color:#555;font-size:.92em}.lang{float:right;font-size:.9em}.refused{color:#b3261e}"""


def _page(lang: str, title: str, body: str, status: int = 200) -> tuple[int, str]:
    return status, (
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}'
        f"</title><style>{PAGE_CSS}</style></head><body>{body}</body></html>"
    )


def join_page(room: Room, token: str, lang: str, mine: list[str]) -> tuple[int, str]:
    other = "en" if lang == "zh" else "zh"
    escaped = html.escape(token)
    parts = [
        f"<a class='lang' href='/join?token={quote(token)}&amp;lang={other}'>{t('ws.language', lang)}</a>",
        f"<h1>{html.escape(t('ws.join_title', lang))}</h1><p><b>{html.escape(t('ws.room', lang, code=room.code))}</b></p>",
    ]
    if mine:
        links = " ".join(
            f"<a href='/seat/{seat_slug(s)}?lang={lang}'><button class='any'>{html.escape(seat_label(s, lang))}"
            f"</button></a>"
            for s in mine
        )
        parts.append(f"<h2>{html.escape(t('ws.your_seats', lang))}</h2><p>{links}</p>")
    parts.append(f"<p class='note'>{html.escape(t('ws.pick_seat', lang))}</p>")
    free = room.free_seats()
    form = (
        f"<form method='post' action='/join'><input type='hidden' name='token' value='{escaped}'>"
        f"<input type='hidden' name='lang' value='{lang}'>{{field}}<button{{attrs}}>{{text}}</button></form>"
    )
    if free:
        parts.append(
            form.format(field="", attrs=" class='any' name='seat' value=''", text=html.escape(t("ws.assign_me", lang)))
        )
    else:
        parts.append(f"<p>{html.escape(t('ws.no_free', lang))}</p>")
    for side, head in (("school", "ws.schools"), ("party", "ws.party_branches"), ("firm", "ws.firms")):
        if not any(s.startswith(side + ":") for s in room.seats):
            continue
        parts.append(f"<h2>{html.escape(t(head, lang))}</h2><div class='seats-{side}'>")
        for s in room.seats:
            if not s.startswith(side):
                continue
            taken = s not in free
            label = seat_label(s, lang) + (f" ({t('ws.taken', lang)})" if taken else "")
            parts.append(
                form.format(
                    field="",
                    attrs=(f" name='seat' value='{s}' data-seat='{seat_slug(s)}'" + (" disabled" if taken else "")),
                    text=html.escape(label),
                )
            )
        parts.append("</div>")
    return _page(lang, t("ws.join_title", lang), "".join(parts))


def refused_page(key: str, lang: str, status: int, **kw: Any) -> tuple[int, str]:
    """The refusal page with the workshop's message ``ws.<key>``."""
    return _page(lang, t("refused", lang), f"<p class='refused'>{html.escape(t(f'ws.{key}', lang, **kw))}</p>", status)


# ------------------------------------------------------------------ the gate
class RoomGate:
    """ASGI middleware: the room's doors (see the module docstring); everything else passes to Solara."""

    def __init__(self, app: Any, workshop: Workshop | None = None) -> None:
        self.app = app
        self.workshop = workshop

    def _ws(self) -> Workshop:
        return self.workshop or state()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self._door(scope, receive, send)
        started = False

        async def tracked(message: dict) -> None:
            nonlocal started
            started = started or message.get("type") == "http.response.start"
            await send(message)

        try:
            await self._door(scope, receive, tracked)
        except Exception as e:  # whatever a request asks, the facilitator's terminal gets one line
            _log(
                f"{scope.get('method', 'GET')} {_shown_path(scope)}: answered 500 ({type(e).__name__}: "
                f"{' '.join(str(e).split())[:120]})"
            )
            if not started:
                lang = self._ws().room.lang
                await _send(send, *refused_page("not_found", lang, 500))

    async def _door(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        from starlette.requests import HTTPConnection

        ws = self._ws()
        room = ws.room
        conn = HTTPConnection(scope)
        path = scope.get("path", "")
        lang = conn.query_params.get("lang") if conn.query_params.get("lang") in ("en", "zh") else room.lang
        host, seats = credentials(room, dict(conn.cookies))
        if scope["type"] == "websocket":
            if path.startswith("/jupyter/") and (host or seats):
                return await self.app(scope, receive, send)
            await send({"type": "websocket.close", "code": 1008})
            return
        method = scope.get("method", "GET")
        if _dotted(path, scope.get("raw_path")):  # no '..' walks past the doors below
            return await _send(send, *refused_page("not_found", lang, 404))
        if path == "/join" and method == "GET":
            token = conn.query_params.get("token")
            if not room.check_token(token):
                return await _send(send, *refused_page("refused_token", lang, 403))
            return await _send(send, *join_page(room, token, lang, seats))
        if path == "/join" and method == "POST":
            return await self._claim(receive, send, room, lang)
        if path == "/facilitator" and method == "GET":
            token = conn.query_params.get("token")
            if not room.check_host(token):
                return await _send(send, *refused_page("refused_host", lang, 403))
            return await _send(
                send,
                303,
                "",
                [("location", f"/host?lang={lang}"), ("set-cookie", _set_cookie(host_cookie(room), token))],
            )
        m = SLUG_RE.fullmatch(path)
        if m:
            seat = seat_of_slug(m.group(1))
            if seat not in seats:
                return await _send(
                    send,
                    *refused_page(
                        "refused_seat", lang, 403, seat=seat_label(seat, lang) if seat in room.seats else seat
                    ),
                )
            return await self.app(scope, receive, send)
        if path.rstrip("/") == "/host":
            if not host:
                return await _send(send, *refused_page("refused_host", lang, 403))
            return await self.app(scope, receive, send)
        if path.startswith("/debrief/"):
            return await self._debrief(scope, receive, send, room, host or bool(seats), lang)
        if path.startswith(PASS_PREFIXES) and not (host or seats):  # Solara's assets, API and kernel: for players
            return await _send(send, *refused_page("refused_host", lang, 403))
        if path.startswith(CLOSE_PREFIX) and not _open_page(
            path[len(CLOSE_PREFIX) :], conn.query_params.get("session_id")
        ):
            _log(f"{method} {_shown_path(scope)}: answered 404 (no such page open)")
            return await _send(send, *refused_page("not_found", lang, 404))
        if path.startswith(PASS_PREFIXES) or path in PUBLIC_PATHS:
            return await self.app(scope, receive, send)
        return await _send(send, *refused_page("not_found", lang, 404))

    async def _claim(self, receive: Any, send: Any, room: Room, lang: str) -> None:
        body = b""
        while True:
            msg = await receive()
            body += msg.get("body", b"")
            if len(body) > MAX_FORM_BYTES:
                return await _send(send, *refused_page("refused_token", lang, 413))
            if not msg.get("more_body"):
                break
        form = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        lang = form.get("lang") if form.get("lang") in ("en", "zh") else lang
        token = form.get("token")
        if not room.check_token(token):
            return await _send(send, *refused_page("refused_token", lang, 403))
        try:
            seat, secret = room.claim(token, form.get("seat") or None)
        except ScenarioError as e:
            return await _send(
                send,
                *_page(
                    lang,
                    t("refused", lang),
                    f"<p class='refused'>{html.escape(e.text(lang) if isinstance(e, Refusal) else str(e))}</p>"
                    f"<p><a href='/join?token={quote(token)}&amp;lang={lang}'>"
                    f"{html.escape(t('ws.join_title', lang))}</a></p>",
                    409,
                ),
            )
        return await _send(
            send,
            303,
            "",
            [
                ("location", f"/seat/{seat_slug(seat)}?lang={lang}"),
                ("set-cookie", _set_cookie(seat_cookie(room, seat), secret)),
            ],
        )

    async def _debrief(self, scope: Any, receive: Any, send: Any, room: Room, allowed: bool, lang: str) -> None:
        """A file of the debrief, to a browser holding a seat or the facilitator's cookie: only a regular file
        inside the debrief's folder, reached through no symbolic link; anything else one line, no traceback."""
        method = scope.get("method", "GET")
        if not allowed:
            return await _send(send, *refused_page("refused_host", lang, 403))
        folder = room.debrief_dir
        rel = scope["path"][len("/debrief/") :]
        status, why = 0, ""
        if folder is None:
            status, why = 404, "the debrief is not written yet"
        elif method not in ("GET", "HEAD"):
            status, why = 405, "only GET"
        target = Path(folder or ".")
        for part in rel.split("/") if not status else ():
            target = target / part
            if not part:
                status, why = 404, "not a file of the debrief"
            elif target.is_symlink():
                status, why = 403, "a symbolic link"
            if status:
                break
        if not status and not target.is_file():
            status, why = 404, "no such file in the debrief"
        if status:
            _log(f"{method} {_shown_path(scope)}: answered {status} ({why})")
            return await _send(send, *refused_page("not_found" if status != 403 else "refused_host", lang, status))
        from starlette.responses import FileResponse

        return await FileResponse(target, headers={"cache-control": "no-store"})(scope, receive, send)


def _log(line: str) -> None:
    print(f"sesim workshop: {line}", file=sys.stderr, flush=True)


def _shown_path(scope: Any) -> str:
    """The request's path as a log line shows it: printable and at most 80 characters."""
    path = "".join(c if c.isprintable() else "?" for c in str(scope.get("path", "")))
    return path if len(path) <= 80 else path[:77] + "..."


def _open_page(kernel_id: str, page_id: str | None) -> bool:
    """Whether Solara holds the kernel ``kernel_id`` with a page ``page_id`` (what its close beacon names)."""
    from solara.server import kernel_context

    context = kernel_context.contexts.get(kernel_id)
    return bool(page_id) and context is not None and page_id in context.page_status


def _dotted(path: str, raw: bytes | None) -> bool:
    """Whether a request path holds a '.' or '..' segment (decoded or percent-encoded) or a backslash."""
    texts = [path, unquote(path)] + ([unquote(raw.decode("latin-1"))] if raw else [])
    return any("\\" in t or any(seg in (".", "..") for seg in t.split("/")) for t in texts)


async def _send(send: Any, status: int, text: str, headers: list[tuple[str, str]] | None = None) -> None:
    body = text.encode("utf-8")
    hs = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
    ]  # no-referrer would make form posts send Origin: null
    hs += [(k.encode(), v.encode()) for k, v in headers or []]
    await send({"type": "http.response.start", "status": status, "headers": hs})
    await send({"type": "http.response.body", "body": body})


# ------------------------------------------------------------------ addresses and QR code
def join_host(host: str) -> tuple[str, bool]:
    """The name participants type for ``host``, and whether it is reachable from other devices."""
    import ipaddress

    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host, host not in ("localhost",)
    if ip.is_loopback:
        return host, False
    if ip.is_unspecified:
        lan = sorted(a for a in machine_addresses() if _lan_ipv4(a))
        return (lan[0] if lan else host), True
    return host, True


def _lan_ipv4(a: str) -> bool:
    import ipaddress

    try:
        ip = ipaddress.ip_address(a)
    except ValueError:
        return False
    return ip.version == 4 and not ip.is_loopback and not ip.is_unspecified and not ip.is_link_local


def url(host: str, port: int, path: str) -> str:
    h = f"[{host}]" if ":" in host else host
    return f"http://{h}:{port}{path}"


def qr_svg(text: str) -> str | None:
    """The QR code of ``text`` as inline SVG (segno), or None when segno is not installed."""
    try:
        import segno
    except ImportError:
        return None
    return segno.make(text, error="m").svg_inline(scale=5, border=2)


def qr_terminal(text: str) -> str | None:
    try:
        import io

        import segno
    except ImportError:
        return None
    buf = io.StringIO()
    segno.make(text, error="m").terminal(out=buf, compact=True, border=1)
    return buf.getvalue()


# ------------------------------------------------------------------ serving
def build_app(workshop: Workshop, host: str, port: int) -> Any:
    """Solara's Starlette app with the two guards (the host/origin guard outermost)."""
    global STATE
    STATE = workshop
    os.environ["SOLARA_APP"] = APP_MODULE
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "false")  # no calls home from a workshop
    os.environ.setdefault("SOLARA_CHECK_VERSION", "false")
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https", category=UserWarning)
    from solara.server import settings

    # a closed or lost page is dropped after the grace period (Solara's default keeps it a day, with a
    # thread and a redraw on every change of the room); a reconnect within it keeps the page as it was
    settings.kernel.cull_timeout = f"{RECONNECT_GRACE_S}s"
    # no "This website runs on Solara" badge: it sat over the seat page's Submit bar on a phone
    settings.theme.show_banner = False
    from solara.server.starlette import app

    app.add_middleware(RoomGate, workshop=workshop)
    guard.install(app, allowed_hosts(host, port))  # added last: runs first
    return app


def warm_up(room: Room) -> None:
    """Import the pages and draw a throwaway chart while the server starts (matplotlib's font cache), so
    the first "advance year" does not wait a second for it.  The pages import this module; it loads them
    by the name Solara reads (APP_MODULE), as Solara does, so the two do not import each other."""
    app = importlib.import_module(APP_MODULE)
    app.region_chart(room.facilitator_view()["history"], room.lang)


def addresses(room: Room, host: str, port: int) -> tuple[str, str, bool]:
    """The join address (with the room's token), the facilitator's address (with its token), and whether
    devices other than this computer can reach ``host``."""
    name, remote = join_host(host)
    join = url(name, port, f"/join?token={room.token}")
    facilitator = url(
        "127.0.0.1" if not remote or host in ("0.0.0.0", "::") else name, port, f"/facilitator?token={room.host_token}"
    )
    return join, facilitator, remote


def startup_lines(room: Room, host: str, port: int, out: Path) -> list[str]:
    """What ``sesim workshop`` prints before serving (the QR code aside): the room, one line when the room
    is reachable from the network, the two addresses."""
    join, facilitator, remote = addresses(room, host, port)
    count = {side: sum(s.startswith(side + ":") for s in room.seats) for side in ("school", "party", "firm")}
    party = f"{count['party']} party branches, " if count["party"] else ""
    lines = [
        f"sesim workshop: room {room.code}, {len(room.seats)} seats ({count['school']} schools, {party}"
        f"{count['firm']} firms), {room.rounds} years of scenario {room.scenario.name}; debrief into {out}"
    ]
    if remote:
        lines.append(
            f"sesim workshop: listening on {host}: devices on this network can reach this computer on port "
            f"{port}; only holders of the join address (it carries the room's token) can join"
        )
    return lines + [
        f"join (participants): {join}",
        f"facilitator (this computer): {facilitator}   (Ctrl+C stops the workshop)",
    ]


def earlier_journals(out: Path) -> list[str]:
    """One line for each journal beside ``out`` (of any room) left by a workshop that stopped before its
    debrief and is not running now; its ``decisions.csv`` is written from its submissions, so the line's
    command replays every decision submitted, also those of a year not yet played."""
    from .journal import DECISIONS, SCENARIO, SUBMISSIONS

    lines = []
    for j in sorted(out.parent.glob(".*.journal*")):  # another room's too: each has a code of its own
        if j.is_symlink() or not j.is_dir() or not (j / SCENARIO).is_file() or in_use(j):
            continue
        if (j / SUBMISSIONS).is_file():
            try:
                if not read_submissions(j / SUBMISSIONS):
                    continue  # nothing was submitted: no decision to offer
                write_decisions(j)
            except OSError as e:
                lines.append(
                    f"sesim workshop: an earlier workshop's decisions are kept in {j}/{SUBMISSIONS} (it "
                    f"ended before its debrief); {DECISIONS} could not be written from them: "
                    f"{e.strerror or e}"
                )
                continue
        elif not (j / DECISIONS).is_file():
            continue
        lines.append(
            f"sesim workshop: an earlier workshop's decisions are kept in {j} (it ended before its "
            f"debrief); its run: sesim run {j}/{SCENARIO} --seeds 1 --decisions {j}/{DECISIONS}"
        )
    return lines


def serve(room: Room, host: str, port: int, out: Path, argv: list[str], worlds: int = WORLDS, workers: int = 1) -> None:
    try:
        import solara  # noqa: F401
        import uvicorn
    except ImportError:
        raise ScenarioError(install_hint("sesim workshop", "Solara", "dashboard")) from None
    check_port(host, port)
    workshop = Workshop(room, out, argv, worlds=worlds, workers=workers)
    workshop.join_url, workshop.host_url, _ = addresses(room, host, port)
    for line in earlier_journals(out):
        print(line, flush=True)
    workshop.open_journal()  # before anything else of the workshop needs space
    app = build_app(workshop, host, port)
    threading.Thread(target=warm_up, args=(room,), name="sesim-workshop-warm-up", daemon=True).start()
    lines = startup_lines(room, host, port, out)
    code = qr_terminal(workshop.join_url)
    print("\n".join(lines[:-2]), flush=True)
    if code:
        print(code, end="", flush=True)
    print("\n".join(lines[-2:]), flush=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    finally:  # Ctrl+C: uvicorn stops, then raises KeyboardInterrupt again
        if room.debrief_dir is None:
            kept = f"; the decisions are kept in {workshop.journal}" if workshop.journal_rows else ""
            workshop.close_journal()
            print(
                f"sesim workshop: stopped after {room.history[-1].round + 1} of {room.rounds} years; no debrief "
                f"was written (only 'End workshop' on the facilitator's page writes it){kept}",
                file=sys.stderr,
                flush=True,
            )
