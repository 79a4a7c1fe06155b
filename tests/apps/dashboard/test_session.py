"""Play and pause of one browser session (sim/apps/dashboard/app.py: Session), without a browser."""

from __future__ import annotations

import threading
import time

import pytest

pytest.importorskip("solara")
from sim.apps.dashboard.app import Session  # noqa: E402


def test_a_pause_before_the_play_loop_starts_keeps_it_from_starting():
    s = Session(duel=None)
    s.want(True)
    s.want(False)  # paused before the loop's thread got going
    assert s.start() is None and not s.play.is_set()


def test_pause_stops_the_running_loop_and_a_new_play_replaces_it():
    s = Session(duel=None)
    s.want(True)
    first = s.start()
    assert s.playing(first)
    s.want(False)
    assert not s.playing(first)
    s.want(True)
    second = s.start()
    assert s.playing(second) and not s.playing(first)


def test_pause_waits_for_a_step_under_way():
    s = Session(duel=None)
    s.want(True)
    s.start()
    stepping, returned = threading.Event(), []

    def step():
        with s.lock:
            stepping.set()
            time.sleep(0.3)
            returned.append("step")

    t = threading.Thread(target=step)
    t.start()
    stepping.wait(5)
    s.want(False)
    returned.append("pause")
    t.join()
    assert returned == ["step", "pause"]
