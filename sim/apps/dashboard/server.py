"""Start the workshop page: Solara's Starlette app under uvicorn, bound to loopback by default, answering
only requests addressed to it (:mod:`sim.apps.dashboard.guard`).

Imports Solara only inside :func:`serve`, so ``sesim`` stays fast and says clearly when the
``dashboard`` extra is missing.
"""

from __future__ import annotations

import importlib
import os
import socket
import threading
import warnings

from sim.extras import install_hint
from sim.scenario import ScenarioError

from . import guard

APP_MODULE = "sim.apps.dashboard.app"
LANG_ENV = "SESIM_DASHBOARD_LANG"  # read by app._start_lang
MAX_PORT = 65535
INSTALL_HINT = install_hint("sesim dashboard", "Solara", "dashboard")


def check_port(host: str, port: int) -> None:
    """Refuse a port out of range or already taken, in one line."""
    if not 1 <= port <= MAX_PORT:
        raise ScenarioError(f"--port {port}: allowed an integer in 1..{MAX_PORT}")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise ScenarioError(f"--host {host}: unknown host ({e.strerror})") from None
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError as e:
            raise ScenarioError(
                f"--port {port}: cannot listen on {host}:{port} ({e.strerror}); choose another with --port N"
            ) from None


def warm_up() -> None:
    """Import the model and draw a throwaway chart while the server starts, so the first visitor does not
    wait for Mesa, matplotlib and the font cache.  The page imports this module; it is loaded here by the
    name Solara reads (APP_MODULE), as Solara does, so the two do not import each other."""
    importlib.import_module(APP_MODULE)  # Solara, ipyvuetify and our components
    from . import figures, logic

    duel = logic.Duel(
        tuple(logic.make_scenario(logic.Setup(s), logic.default_world()) for s in logic.DEFAULT_STRATEGIES)
    )
    figures.charts_png((duel.series(0), duel.series(1)), logic.DEFAULT_STRATEGIES, duel.horizon, "en")


def serve(host: str, port: int, lang: str) -> None:
    """Serve the page until interrupted."""
    try:
        import solara  # noqa: F401
        import uvicorn
    except ImportError:
        raise ScenarioError(INSTALL_HINT) from None
    check_port(host, port)
    os.environ["SOLARA_APP"] = APP_MODULE
    os.environ[LANG_ENV] = lang
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "false")  # no calls home from a workshop
    os.environ.setdefault("SOLARA_CHECK_VERSION", "false")
    url_host = f"[{host}]" if ":" in host else host
    print(f"sesim dashboard: http://{url_host}:{port}/ (language {lang}; Ctrl+C stops it)", flush=True)
    # the page is not embedded in another site's frame, so Solara's note on cross-site cookies over http is noise
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https", category=UserWarning)
    threading.Thread(target=warm_up, name="sesim-dashboard-warm-up", daemon=True).start()
    from solara.server.starlette import app  # after SOLARA_APP is set: Solara reads it on import

    # only requests for the served address (Starlette's Host check), same-origin websockets, no /resourcez
    guard.install(app, guard.allowed_hosts(host, port))
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
