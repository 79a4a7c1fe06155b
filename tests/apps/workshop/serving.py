"""Start ``sesim workshop`` in a child process on a free loopback port (tests and the load benchmark)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[3]
START_TIMEOUT_S = 60


@dataclass
class Served:
    proc: subprocess.Popen
    base: str  # http://127.0.0.1:PORT
    port: int
    join_url: str
    host_url: str
    token: str
    host_token: str
    code: str
    out: Path
    output: list[str]  # the server's lines so far (read by a thread, so its pipe never fills)

    def log(self) -> str:
        return "".join(self.output)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def workshop(out: Path, *args: str) -> Iterator[Served]:
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "workshop", "--port", str(port), "--out", str(out), "--worlds", "2", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError("sesim workshop stopped: " + "".join(lines))
            lines.append(line)
            if line.startswith("facilitator"):
                break
        text = "".join(lines)
        join = re.search(r"^join \(participants\): (\S+)", text, re.M).group(1)
        host = re.search(r"^facilitator \(this computer\): (\S+)", text, re.M).group(1)
        code = re.search(r"room ([A-Z]+),", text).group(1)
        base = f"http://127.0.0.1:{port}"
        threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True).start()
        _wait_ready(base)
        yield Served(proc, base, port, join, host, join.split("token=")[1], host.split("token=")[1], code, out, lines)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_ready(base: str) -> None:
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/readyz", timeout=2)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("sesim workshop did not answer /readyz")
