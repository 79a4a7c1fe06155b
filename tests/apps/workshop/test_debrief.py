"""The debrief and the replay (docs/odd.md §11).

One small played room (2 schools, 4 firms, 3 years; three seats decide) written once for the module
(about 6 s: eleven strategies and the leave-one-out replays on two cores).
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.apps.workshop.debrief import HEADLINE, build_report, played_from_room, replay, sentences, write_debrief
from sim.apps.workshop.room import Room
from sim.scenario import ScenarioError

pytestmark = pytest.mark.slow  # plays a room and runs every strategy for the debrief

ROOT = Path(__file__).resolve().parents[3]
SEED = 7


def play(room: Room) -> Room:
    s, ss = room.claim(room.token, "school:0")
    f, fs = room.claim(room.token, "firm:0")
    g, gs = room.claim(room.token, "firm:2")
    room.submit(s, ss, {"communication.depth": 0.9, "craftsman.intensity": 0.6})
    room.submit(f, fs, {"firm_support.mentors_per_firm": 5, "hiring:graduates": 3})
    room.advance()
    room.submit(s, ss, {"communication.depth": 0.3})
    room.submit(g, gs, {"partnership:accept_new": False, "firm_support.resources": 0.9})
    room.advance()
    room.end()
    return room


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    room = play(Room("baseline", schools=2, firms=4, rounds=3, lang="zh", seed=SEED))
    out = write_debrief(played_from_room(room), tmp_path_factory.mktemp("ws") / "debrief", ["test"], worlds=2)
    return room, out


def sesim(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=ROOT)


def test_files_and_manifest(played):
    room, out = played
    for f in (
        "summary.csv",
        "timeseries.parquet",
        "spells.parquet",
        "scenario.resolved.toml",
        "decisions.parquet",
        "decisions.csv",
        "strategies.csv",
        "attribution.csv",
        "report.html",
        "report-en.html",
        "report-zh.html",
        "manifest.json",
    ):
        assert (out / f).is_file(), f
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "workshop" and manifest["seed"] == SEED and manifest["rounds"] == 3
    assert manifest["seats_taken"] == ["school:0", "firm:0", "firm:2"]
    text = "".join(p.read_text(errors="replace") for p in out.iterdir() if p.is_file() and p.suffix != ".parquet")
    for secret in [room.token, room.host_token] + [s.secret for s in room.seats.values() if s.secret]:
        assert secret not in text  # no token or seat secret leaves the room
    log = pd.read_csv(out / "decisions.csv", dtype=str)
    assert list(log.columns) == ["round", "seat", "lever", "value", "time"]
    assert log[["round", "seat", "lever", "value"]].values.tolist() == [
        ["0", "school:0", "communication.depth", "0.9"],
        ["0", "school:0", "craftsman.intensity", "0.6"],
        ["0", "firm:0", "partnership:leave_by_rule", "false"],  # a claimed firm seat decides its partnerships
        ["0", "firm:0", "firm_support.mentors_per_firm", "5"],
        ["0", "firm:0", "hiring:graduates", "3"],
        ["0", "firm:2", "partnership:leave_by_rule", "false"],
        ["1", "school:0", "communication.depth", "0.3"],
        ["1", "firm:2", "partnership:accept_new", "false"],
        ["1", "firm:2", "firm_support.resources", "0.9"],
    ]
    assert pd.read_parquet(out / "decisions.parquet").astype(str).values.tolist() == log.values.tolist()


def test_strategies_share_the_played_region_and_seed(played):
    """Common random numbers: the baseline strategy on the room's region and seed with no decision is the
    played run's scenario without the log, so a room where nobody decided equals it exactly."""
    room, out = played
    strat = pd.read_csv(out / "strategies.csv")
    from sim.scenario import builtin_names

    # every named strategy but those with industry colleges (an institution, not levers a seat plays)
    assert set(strat["scenario"]) == set(builtin_names()) - {"industry_college", "industry_college_huli"}
    idle = Room("baseline", schools=2, firms=4, rounds=3, seed=SEED)
    idle.end()
    from sim import metrics

    base = strat.set_index("scenario").loc["baseline"]
    got = metrics.compute(idle.model)
    for m in ("firm_retention", "graduate_retention_12m", "skill_level"):
        assert base[m] == pytest.approx(got[m], rel=1e-9, abs=1e-12)


def test_report_sentences_and_images(played):
    room, out = played
    en = (out / "report-en.html").read_text()
    zh = (out / "report-zh.html").read_text()
    assert (out / "report.html").read_text() == zh  # the room's language
    # a region of four partnerships a year compares partner-months kept (tests/apps/workshop/test_worlds.py)
    assert re.search(
        r"Your region&#39;s partnerships lasted \d+% of the months they could have within each year; the "
        r"baseline \d+%; 互利·同强·齐荣 \d+%",
        en,
    )
    assert "你们区域的合作关系在每年内保持了可能月数的" in zh and "互利·同强·齐荣" in zh
    for html in (en, zh):
        imgs = re.findall(r"<img[^>]+src=['\"]([^'\"]+)['\"]", html)
        assert len(imgs) >= 2
        for src in imgs:  # inlined PNGs (the report is one file) or files beside it
            if src.startswith("data:"):
                assert src.startswith("data:image/png;base64,")
                assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
            else:
                assert (out / src).is_file(), src
        assert "School 1" in html or "学校 1" in html
    strat = pd.read_csv(out / "strategies.csv")
    lines = sentences(played_from_room(room), strat, "en")
    assert len(lines) == 3 and all(ln.endswith(".") for ln in lines)


def test_a_scenario_name_with_markup_is_text_in_the_debrief(tmp_path):
    """docs/odd.md §7.8: the debrief is rendered with autoescaping; a room's scenario name and title (a file's
    own, so anything) and the decisions' words are text on the page, never markup."""
    evil = '<script>alert("x")</script>'
    played = played_from_room(play(Room("baseline", schools=2, firms=4, rounds=3, lang="en", seed=SEED)))
    played.scenario.name = played.scenario.title_en = evil
    strategies = pd.DataFrame([{**played.row, **played.measures, "scenario": "baseline"}])
    attr = pd.DataFrame(
        [{"seat": "school:0", "round": 0, "decisions": evil, **{m: 0.01 for m in (*HEADLINE, *played.measures)}}]
    )
    png = tmp_path / "f.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n")
    for lang in ("en", "zh"):
        page = build_report(played, strategies, attr, {"outcomes": png, "timeseries": png}, lang, tmp_path)
        assert "<script" not in page
        assert page.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") == 2  # the meta line, the decisions
        assert '<table class="strategies here">' in page and "<code>communication.depth = 0.9" in page


def test_attribution_rows_are_the_played_decisions(played):
    room, out = played
    attr = pd.read_csv(out / "attribution.csv")
    assert sorted(zip(attr["seat"], attr["round"])) == sorted(
        [("school:0", 0), ("firm:0", 0), ("school:0", 1), ("firm:2", 0), ("firm:2", 1)]
    )  # firm:2's claim
    assert attr[["firm_retention", "skill_level"]].notna().all().all()


def test_replay_is_byte_identical(played, tmp_path):
    room, out = played
    same, where, compared = replay(out, tmp_path / "again")
    assert same and compared
    assert (where / "summary.csv").read_bytes() == (out / "summary.csv").read_bytes()


def test_cli_replay_and_sesim_run_with_the_log(played, tmp_path):
    room, out = played
    r = sesim("workshop", "replay", str(out), "--out", str(tmp_path / "replayed"))
    assert r.returncode == 0, r.stderr
    assert "byte-identical" in r.stdout
    for log in ("decisions.csv", "decisions.parquet"):
        r = sesim(
            "run",
            str(out / "scenario.resolved.toml"),
            "--seed",
            str(SEED),
            "--seeds",
            "1",
            "--decisions",
            str(out / log),
            "--out",
            str(tmp_path / log),
        )
        assert r.returncode == 0, r.stderr
        assert (tmp_path / log / "summary.csv").read_bytes() == (out / "summary.csv").read_bytes()


def test_replay_notices_a_changed_log(played, tmp_path):
    room, out = played
    import shutil

    copy = tmp_path / "changed"
    shutil.copytree(out, copy)
    log = pd.read_parquet(copy / "decisions.parquet")
    log.loc[log["lever"] == "communication.depth", "value"] = "0.0"
    log.to_parquet(copy / "decisions.parquet", index=False)
    same, _, _ = replay(copy, tmp_path / "r")
    assert not same
    r = sesim("workshop", "replay", str(copy), "--out", str(tmp_path / "r2"))
    assert r.returncode == 1 and "differs" in r.stderr


@pytest.mark.parametrize(
    "args, words",
    [
        (["workshop", "replay"], "replay DIR"),
        (["workshop", "replay", "/nonexistent-ws"], "no manifest.json"),
        (["workshop", "play"], "replay DIR"),
        (["workshop", "replay", "."], "give --out DIR"),
        (["workshop", "replay", ".."], "give --out DIR"),
        (["workshop", "--schools", "0"], "--schools 0"),
        (["workshop", "--firms", "99"], "--firms 99"),
        (["workshop", "--rounds", "0"], "--rounds 0"),
        (["workshop", "--port", "70000"], "--port 70000"),
        (["workshop", "--scenario", "nope"], "nope"),
    ],
)
def test_cli_errors_are_one_line(args, words):
    r = sesim(*args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sesim: error: ") and words in lines[0], r.stderr


def test_replay_refuses_a_run_folder(played, tmp_path):
    room, out = played
    r = sesim("workshop", "replay", str(tmp_path / "x"))
    assert r.returncode == 2
    run = tmp_path / "run"
    assert (
        sesim(
            "run",
            "baseline",
            "--seeds",
            "1",
            "--years",
            "1",
            "--set",
            "population.firms=10",
            "--set",
            "population.cohort_size=50",
            "--set",
            "population.partners_per_school=4",
            "--out",
            str(run),
        ).returncode
        == 0
    )
    with pytest.raises(ScenarioError) as e:
        replay(run, tmp_path / "y")
    assert "not the output of 'sesim workshop'" in str(e.value)


def test_debrief_needs_an_ended_room():
    room = Room("baseline", schools=1, firms=2, rounds=1)
    with pytest.raises(ScenarioError):
        played_from_room(room)


def test_never_writes_over_a_folder_it_did_not_write(played, tmp_path):
    room, out = played
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    from tests.apps.workshop.serving import free_port

    for args in (
        ["workshop", "--out", str(mine), "--port", str(free_port())],
        ["workshop", "replay", str(out), "--out", str(mine)],
    ):
        r = sesim(*args)
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert r.stderr.startswith("sesim: error: ")
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"] and (mine / "notes.txt").read_text() == "keep me"


def test_strategies_run_on_a_scenario_files_own_region(tmp_path):
    """A room started from a scenario file of its own (here: other behaviour and one lever) is compared
    on that region: each strategy keeps the file's behaviour and population and takes the strategy's
    levers, so its 'baseline' with nobody deciding equals an idle room of the file with the baseline's
    levers, and differs from the built-in baseline's region."""
    from sim import metrics
    from sim.apps.workshop.debrief import strategy_scenarios
    from sim.runner import run_replicate

    head = 'extends = "baseline"\nname = "mine"\n[behaviour]\nneeds_concentration = 5.0\n'
    (tmp_path / "mine.toml").write_text(head + "[communication]\ndepth = 0.5\n")
    (tmp_path / "mine_levers_as_baseline.toml").write_text(head)
    idle = Room(str(tmp_path / "mine.toml"), schools=2, firms=4, rounds=2, seed=SEED)
    idle.end()
    strategies = {s.name: s for s in strategy_scenarios(played_from_room(idle))}
    base = strategies["baseline"]
    assert base.params.behaviour.needs_concentration == 5.0 and base.params.communication.depth == 0.2
    assert strategies["communication"].params.communication.depth == 0.7
    assert base.params.population == idle.scenario.params.population
    row, _, _ = run_replicate(base.params, SEED, 0, "baseline")
    same = Room(str(tmp_path / "mine_levers_as_baseline.toml"), schools=2, firms=4, rounds=2, seed=SEED)
    same.end()
    builtin = Room("baseline", schools=2, firms=4, rounds=2, seed=SEED)
    builtin.end()
    assert metrics.compute(same.model)["skill_fit"] == pytest.approx(row["skill_fit"], abs=1e-12)
    assert metrics.compute(builtin.model)["skill_fit"] != pytest.approx(row["skill_fit"], abs=1e-6)


def test_a_failed_debrief_can_be_written_again(tmp_path):
    """The facilitator's 'end' writes the debrief in a thread; when that fails (here: --out under a
    regular file), the error is kept for the page and 'end' again retries, into a usable folder."""
    import time

    from sim.apps.workshop.server import Workshop

    (tmp_path / "a-file").write_text("not a folder")
    room = Room("baseline", schools=2, firms=3, rounds=1, seed=SEED)
    ws = Workshop(room, tmp_path / "a-file" / "out", worlds=2)

    def settle() -> None:
        deadline = time.monotonic() + 120  # generous: a debrief of this room takes seconds
        while ws.debriefing and time.monotonic() < deadline:
            time.sleep(0.05)

    ws.end()
    settle()
    assert ws.debrief_error and room.debrief_dir is None and not ws.debriefing
    ws.out = tmp_path / "out"
    ws.end()
    settle()
    assert ws.debrief_error is None and room.debrief_dir == str(tmp_path / "out")
    assert (tmp_path / "out" / "report.html").is_file()


def test_decisions_are_kept_beside_the_output_while_the_game_runs(tmp_path):
    """From the room's start the scenario (with the seed) is in a journal beside --out, and every accepted
    submission is appended to it, so a workshop stopped before its debrief loses nothing: the next
    'sesim workshop' beside it writes its decision log, and 'sesim run' of the journal is the played run.
    The debrief removes the journal."""
    import time

    from sim.apps.workshop.server import Workshop, earlier_journals

    room = Room("baseline", schools=2, firms=3, rounds=2, seed=SEED)
    ws = Workshop(room, tmp_path / "out", worlds=2)
    ws.open_journal()
    j = ws.journal
    assert j.parent == tmp_path and room.code in j.name
    assert (j / "scenario.resolved.toml").is_file()  # before anything is played
    s, secret = room.claim(room.token, "school:0")
    room.submit(s, secret, {"communication.depth": 0.8})
    assert earlier_journals(tmp_path / "out") == []  # a running room's journal is not offered
    room.advance()
    ws._journal.close()  # as a crash would: the lock goes, the files stay
    assert len(earlier_journals(tmp_path / "out")) == 1
    log = pd.read_csv(j / "decisions.csv")
    assert log[["round", "seat", "lever"]].values.tolist() == [[0, "school:0", "communication.depth"]]
    assert len(earlier_journals(tmp_path / "workshop-OTHER")) == 1  # the next room (a new code) finds it
    assert Workshop(room, tmp_path / f"workshop-{room.code}").journal.name == f".workshop-{room.code}.journal"
    r = sesim(
        "run",
        str(j / "scenario.resolved.toml"),
        "--seeds",
        "1",
        "--decisions",
        str(j / "decisions.csv"),
        "--out",
        str(tmp_path / "recovered"),
    )
    assert r.returncode == 0, r.stderr
    ws.end()
    deadline = time.monotonic() + 120  # generous: a debrief of this room takes seconds
    while ws.debriefing and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ws.debrief_error is None and room.debrief_dir == str(tmp_path / "out")
    assert (tmp_path / "recovered" / "summary.csv").read_bytes() == (tmp_path / "out" / "summary.csv").read_bytes()
    assert not j.exists() and earlier_journals(tmp_path / "out") == []


def test_a_workshops_debrief_is_never_replaced(played, tmp_path):
    """A debrief holds decisions people made: a second room, or a replay, writing into the same folder
    is refused in one line, and the folder stays as it was."""
    _, out = played
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    for args in (["workshop", "--out", str(out), "--port", "-1"], ["workshop", "replay", str(out), "--out", str(out)]):
        r = sesim(*args)
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "cannot make again" in sesim("workshop", "--out", str(out)).stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_the_debrief_counts_party_branch_seats():
    room = Room("baseline", schools=1, firms=1, rounds=1, seed=SEED, party=True)
    for seat in list(room.seats):
        room.claim(room.token, seat)
    room.end()
    played = played_from_room(room)
    assert played.seats == 3 and len(played.taken) == 3
