"""``sesim dashboard`` on the command line: one-line errors, loopback by default, a light fast path."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from sim.apps.cli import build_parser
from sim.apps.dashboard.server import INSTALL_HINT, check_port
from sim.scenario import ScenarioError


def sesim(*args: str, pre: str = "pass") -> subprocess.CompletedProcess:
    code = f"import sys; {pre}; from sim.apps.cli import main; sys.exit(main({list(args)!r}))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_defaults_are_loopback_port_8765_and_the_locale():
    args = build_parser().parse_args(["dashboard"])
    assert (args.host, args.port, args.lang) == ("127.0.0.1", 8765, None)
    assert build_parser().parse_args(["dashboard", "--lang", "zh"]).lang == "zh"


@pytest.mark.parametrize(
    "args, words",
    [
        (["--port", "0"], "--port 0: allowed an integer in 1..65535"),
        (["--port", "70000"], "--port 70000: allowed an integer in 1..65535"),
        (["--port", "eight"], "invalid int value"),
        (["--lang", "fr"], "invalid choice"),
        (["--host", "no-such-host.invalid"], "--host no-such-host.invalid: unknown host"),
    ],
)
def test_bad_options_give_one_line_and_exit_2(args, words):
    r = sesim("dashboard", *args)
    assert r.returncode == 2
    assert words in r.stderr and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_a_busy_port_is_refused():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(ScenarioError, match=f"--port {port}: cannot listen"):
            check_port("127.0.0.1", port)
        r = sesim("dashboard", "--port", str(port))
    assert r.returncode == 2 and "choose another with --port N" in r.stderr and "Traceback" not in r.stderr


def test_without_solara_one_clear_line():
    r = sesim("dashboard", "--port", "1", pre="sys.modules['solara'] = None")
    assert r.returncode == 2
    assert r.stderr.strip() == f"sesim: error: {INSTALL_HINT}"
    assert "pip install -e '.[dashboard]'" in r.stderr


def test_the_fast_paths_do_not_load_solara():
    code = (
        "import sys; from sim.apps.cli import main; main(['scenarios']); "
        "print('LOADED' if any(m.split('.')[0] in ('solara', 'mesa', 'matplotlib') for m in sys.modules) else 'LIGHT')"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip().endswith("LIGHT")


def test_readme_has_the_command_and_the_screenshot():
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    text = (root / "README.md").read_text(encoding="utf-8")
    section = text.split("## Workshop dashboard", 1)[1].split("\n## ", 1)[0]
    assert "\nsesim dashboard " in section and "(docs/dashboard.png)" in section
    assert "--host 0.0.0.0" in section and "origin" in section  # serving a room, refusals
    png = (root / "docs" / "dashboard.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
