"""A debrief in the participants' own terms (docs/odd.md §11): the partnerships the pages showed, counted
the same way, and "your decisions in 20 worlds".

One small played room (2 schools, 4 firms, 3 years; a school and a firm decide) whose pages are read at
every year's end, and its debrief with 20 worlds, written once for the module (240 runs of a small region
on two processes, about half a minute on two quiet cores).
"""

from __future__ import annotations

import dataclasses
import html
import re

import numpy as np
import pandas as pd
import pytest

from sim import metrics
from sim import policy as pol
from sim.apps.workshop.debrief import played_from_room, write_debrief
from sim.apps.workshop.room import Room, partnership_cells, seat_label
from sim.apps.workshop.worlds import BASELINE, MIN_AT_RISK, MINE, Worlds, partnership_measure, run_worlds, world_seeds
from sim.replicates import Arm
from sim.scenario import load_scenario

pytestmark = pytest.mark.slow  # plays a room and runs 20 worlds of every strategy

SEED = 7
WORLDS = 20


@pytest.fixture(scope="module")
def debriefed(tmp_path_factory):
    """The room, what each claimed seat's page showed at each year's end, and the debrief's folder."""
    room = Room("baseline", schools=2, firms=4, rounds=3, lang="en", seed=SEED)
    seats = dict([room.claim(room.token, "school:0"), room.claim(room.token, "firm:1")])
    pages: dict[tuple[str, int], dict] = {}
    room.submit("school:0", seats["school:0"], {"communication.depth": 0.8, "goal_alignment.weight": 0.7})
    for year in (1, 2, 3):
        room.advance()
        for seat, secret in seats.items():
            pages[(seat, year)] = room.seat_view(seat, secret)["now"]
    room.end()
    out = write_debrief(played_from_room(room), tmp_path_factory.mktemp("ws") / "debrief", ["test"], WORLDS, 2)
    return room, pages, out


def seat_rows(page: str, seat: str) -> dict[int, list[str]]:
    """The debrief's table of ``seat``: year -> its cells (text), after the year and the decisions."""
    block = re.search(rf"<summary>{re.escape(seat_label(seat, 'en'))}[ <].*?</table>", page, re.S)
    assert block, seat
    out = {}
    for tr in re.findall(r"<tr><td>(\d+)</td>(.*?)</tr>", block.group(0), re.S):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td>(.*?)</td>", tr[1], re.S)]
        out[int(tr[0])] = cells[1:]  # past the decisions
    return out


def test_the_debrief_shows_the_partnerships_the_pages_showed(debriefed):
    """The pages' partners kept all year, partnerships ended (month, why) and begun (month, again) are the
    debrief's, word for word, for every seat and year; the region's count is the pages' count summed, and
    both are the debrief's share of partnerships kept all year."""
    room, pages, out = debriefed
    page = (out / "report-en.html").read_text()
    for (seat, year), seen in pages.items():
        cells = seat_rows(page, seat)[year]
        assert cells[1:4] == partnership_cells(seen, "en"), (seat, year)
        partners = ", ".join(f"{seat_label(p, 'en')} ({w * 100:.0f})" for p, w in seen["partners"].items())
        assert cells[0] == (partners or "none")
    # this room broke partnerships and re-formed them: a page listed a partner that had left and come back
    assert any(again for (s, _), seen in pages.items() for _, _, again in seen["joined"])
    years = pd.read_csv(out / "partnerships.csv")
    final = room.history[1:]
    for y, snap in zip(years.itertuples(), final):
        schools = [snap.seats[f"school:{i}"] for i in range(2)]
        assert y.at_start == sum(len(s["at_start"]) for s in schools)
        assert y.kept == sum(len(s["kept"]) for s in schools)
        assert y.ended == sum(len(s["left"]) for s in schools)
        assert y.begun == sum(len(s["joined"]) for s in schools)
    played = played_from_room(room)
    assert played.measures["kept_all_year"] == pytest.approx(years["kept"].sum() / years["at_start"].sum())


def test_the_pages_count_partnerships_with_firm_retentions_formula_a_month_earlier(debriefed):
    """docs/odd.md §11: a page's year runs from a September, its decisions included, to the next; kept all
    year is then firm_retention's formula (§7.6) with each year begun a month earlier."""
    room, _, _ = debriefed
    m = room.model
    septembers = [t0 - 1 for t0, _ in metrics.round_years(m)]
    years = metrics.partnership_years(m)
    assert metrics.kept_all_year(years) == pytest.approx(metrics.firm_retention_over(m, septembers))
    # partner-months: every partnership at the start counts the months it lasted, a kept one all twelve
    assert metrics.partner_months_kept(years) >= metrics.kept_all_year(years)


def test_your_decisions_in_20_worlds_with_an_interval(debriefed):
    room, _, out = debriefed
    page = html.unescape((out / "report-en.html").read_text())
    assert "Your decisions in 20 worlds" in page
    runs = pd.read_csv(out / "worlds.csv")
    seeds = world_seeds(SEED, WORLDS)
    assert len(set(seeds)) == WORLDS
    for arm, g in runs.groupby("scenario"):  # every arm on the same 20 worlds: common random numbers
        assert sorted(g["seed"]) == sorted(seeds), arm
    assert set(runs["scenario"]) == {MINE, *pd.read_csv(out / "strategies.csv")["scenario"]}
    table = pd.read_csv(out / "worlds-comparison.csv")
    mine = table[(table["scenario"] == MINE) & (table["metric"] == "partner_months_kept")].iloc[0]
    assert mine["ci_low"] < mine["mean"] < mine["ci_high"]  # the worlds differ: a real interval
    row = re.search(r'<tr class="ref mine">.*?</tr>', page, re.S).group(0)
    low, high = (round(mine[c] * 100) for c in ("ci_low", "ci_high"))
    assert f"[{low}, {high}]" in row
    # the ranking says whether the room's decisions or its luck made the difference, measure by measure
    assert "Over the 20 worlds your decisions rank" in page
    assert re.search(r"partner-months kept: your decisions \d+ \[\d+, \d+\], the baseline \d+ \[\d+, \d+\]", page)


def test_a_small_region_says_so_and_shows_partner_months_kept(debriefed):
    """Two schools with two partners each: a year's share kept moves in steps of 25 points, so the debrief
    says so and compares partner-months kept; a region with enough partnerships keeps the retention."""
    _, _, out = debriefed
    page = html.unescape((out / "report-en.html").read_text())
    assert "too few for a stable firm-retention figure" in page and "steps of 25 points" in page
    head = re.search(r'<table class="strategies worlds"><thead>(.*?)</thead>', page, re.S).group(1)
    assert "partner-months kept" in head and "firm retention" not in head
    assert partnership_measure(MIN_AT_RISK - 1) == "partner_months_kept"
    assert partnership_measure(MIN_AT_RISK) == "kept_all_year"


def test_scales_and_units_are_the_pages(debriefed):
    """Reputation and strength out of 100 as on the phones, not 0.58; firm net benefit with its unit and
    the sentence that explains its sign."""
    room, pages, out = debriefed
    page = (out / "report-en.html").read_text()
    rep = pages[("school:0", 3)]["reputation"]
    assert seat_rows(page, "school:0")[3][-1] == f"{rep * 100:.0f}"
    assert not re.search(r"<td>0\.\d\d</td>", page)
    assert "thousand yuan per partnership-year" in page and "Firms&#39; net benefit is in thousand yuan" in page


def baseline_log(scn, seats: dict[str, dict[str, str]]) -> dict:
    rows = [
        {"round": r, "seat": seat, "lever": k, "value": v, "time": ""}
        for seat, levers in seats.items()
        for k, v in levers.items()
        for r in range(scn.params.run.years)
    ]
    return pol.schedule_from_frame(pd.DataFrame(rows).astype(str), scn.params, "test log")


def test_a_log_equal_to_the_baselines_rule_overlaps_the_baseline():
    """A decision log that sets every year the baseline's own values gives an interval that overlaps the
    baseline's (here the same worlds, so the same interval); the huli package's school levers, logged the
    same way, give one that does not."""
    from sim.apps.workshop.room import workshop_scenario

    scn = workshop_scenario("baseline", 2, 4, 3)
    base = load_scenario("baseline").params
    huli = load_scenario("huli_tongqiang_qirong").params
    same = {
        f"school:{i}": {"communication.depth": str(base.communication.depth), "goal_alignment.weight": "0.0"}
        for i in range(2)
    }
    assert base.goal_alignment.weight == 0.0
    better = {
        f"school:{i}": {
            "communication.depth": str(huli.communication.depth),
            "communication.meetings_per_year": str(huli.communication.meetings_per_year),
            "goal_alignment.weight": str(huli.goal_alignment.weight),
        }
        for i in range(2)
    }
    baseline_arm = dataclasses.replace(scn, name=BASELINE)
    arms = [Arm("huli_log", scn.params, baseline_log(scn, better)), baseline_arm]
    many: Worlds = run_worlds(Arm(MINE, scn.params, baseline_log(scn, same)), arms[1:], SEED, WORLDS, 2)
    other = run_worlds(arms[0], [baseline_arm], SEED, WORLDS, 2)
    for m in ("partner_months_kept", "kept_all_year", "graduate_retention_12m", "skill_level"):
        mine, b = many.row(MINE, m), many.row(BASELINE, m)
        assert mine["ci_low"] <= b["ci_high"] and b["ci_low"] <= mine["ci_high"], m
        assert mine["verdict"] not in ("better", "worse"), m
    h, b = other.row("huli_log", "partner_months_kept"), other.row(BASELINE, "partner_months_kept")
    assert h["ci_low"] > b["ci_high"] and h["verdict"] == "better"
    assert np.array_equal(
        many.summary[many.summary["scenario"] == BASELINE]["seed"],
        other.summary[other.summary["scenario"] == BASELINE]["seed"],
    )
