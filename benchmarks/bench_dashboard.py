"""Startup benchmark of ``sesim dashboard`` (not a test): the issue asks for under 10 s.

(a) from starting ``sesim dashboard --port P`` to the first HTTP 200 on ``/`` (the page answers);
(b) with Debian's chromium and Playwright present: from the same start to the page drawn in a
    headless browser (the month counter of the live view is visible).

Run: ``.venv/bin/python benchmarks/bench_dashboard.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
LIMIT_S = 10.0
GIVE_UP_S = 120.0
POLL_S = 0.05


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen) -> None:
    deadline = time.perf_counter() + GIVE_UP_S
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"sesim dashboard exited: {proc.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(POLL_S)
    raise RuntimeError(f"no answer from {url} in {GIVE_UP_S:.0f} s")


def one_start(browser: object | None) -> tuple[float, float | None]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "dashboard", "--port", str(port), "--lang", "en"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_http(url, proc)
        answered = time.perf_counter() - started
        drawn = None
        if browser is not None:
            page = browser.new_page()
            page.goto(url, timeout=GIVE_UP_S * 1000)
            page.wait_for_selector(".month-status", timeout=GIVE_UP_S * 1000)
            drawn = time.perf_counter() - started
            page.close()
        return answered, drawn
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    answered, drawn = [], []
    pw = None
    browser = None
    if CHROMIUM.exists():
        try:
            from playwright.sync_api import sync_playwright

            pw = sync_playwright().start()
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"])
        except ImportError:
            browser = None
    try:
        for _ in range(args.repeat):
            a, d = one_start(browser)
            answered.append(a)
            if d is not None:
                drawn.append(d)
    finally:
        if browser is not None:
            browser.close()
            pw.stop()
    med = statistics.median(answered)
    print(
        f"sesim dashboard: page answers after {med:.2f} s (median of {len(answered)}: "
        f"{', '.join(f'{x:.2f}' for x in answered)}); limit {LIMIT_S:.0f} s: {'OK' if med < LIMIT_S else 'TOO SLOW'}"
    )
    if drawn:
        print(
            f"sesim dashboard: page drawn in headless chromium after {statistics.median(drawn):.2f} s "
            f"(median; {', '.join(f'{x:.2f}' for x in drawn)})"
        )
    else:
        print("(no chromium/playwright: the time to a drawn page was not measured)")


if __name__ == "__main__":
    main()
