"""The workshop room without a browser (docs/odd.md §11): seats, their secrets and ranges.

A small region (2 schools, 4 firms, 3 rounds, cohorts of 100): a room is built in a few hundredths of
a second, a year in a few hundredths more.
"""

from __future__ import annotations

import math
import threading

import pytest

from sim.apps.workshop.room import Room, check_world, seat_label
from sim.scenario import ScenarioError


@pytest.fixture
def room() -> Room:
    return Room("baseline", schools=2, firms=4, rounds=3, lang="en", seed=11)


def one_line(e: pytest.ExceptionInfo) -> str:
    text = str(e.value)
    assert "\n" not in text and text
    return text


def state(room: Room) -> tuple:
    """Everything a refused submission must leave as it was."""
    return (
        {s: room.current_levers(s) for s in room.seats},
        len(room.decision_log()),
        {s: (v.submitted, v.submissions) for s, v in room.seats.items()},
        room.version,
    )


def test_claim_needs_the_room_token(room):
    with pytest.raises(ScenarioError) as e:
        room.claim(None, "school:0")
    assert "token" in one_line(e)
    with pytest.raises(ScenarioError):
        room.claim(room.token + "x", "school:0")
    with pytest.raises(ScenarioError):
        room.claim(room.host_token, "school:0")  # the facilitator's token is not the join token
    assert room.free_seats() == list(room.seats)


def test_a_seat_is_held_by_its_own_secret(room):
    s0, sec0 = room.claim(room.token, "school:0")
    f1, sec1 = room.claim(room.token, "firm:1")
    assert (s0, f1) == ("school:0", "firm:1") and sec0 != sec1 and len(sec0) >= 20
    with pytest.raises(ScenarioError) as e:
        room.claim(room.token, "school:0")  # taken: another device cannot take it over
    assert "taken" in one_line(e)
    before = state(room)
    for seat, secret in (
        ("school:0", sec1),
        ("school:0", None),
        ("school:0", ""),
        ("school:1", sec0),
        ("firm:1", sec0),
    ):
        with pytest.raises(ScenarioError) as e:
            room.submit(seat, secret, {"communication.depth": 0.9})
        assert "secret" in one_line(e)
        with pytest.raises(ScenarioError):
            room.seat_view(seat, secret)
    assert state(room) == before
    # reconnecting with the same secret keeps the seat
    assert room.seat_view("school:0", sec0)["seat"] == "school:0"


def test_assigned_seat_is_the_first_free_one_schools_first(room):
    got = [room.claim(room.token)[0] for _ in range(len(room.seats))]
    assert got == list(room.seats)
    with pytest.raises(ScenarioError) as e:
        room.claim(room.token)
    assert "every seat is taken" in one_line(e)


@pytest.mark.parametrize(
    "decisions, words",
    [
        ({"communication.depth": 1.5}, "communication.depth"),
        ({"communication.depth": "lots"}, "communication.depth"),
        ({"communication.meetings_per_year": -1}, "communication.meetings_per_year"),
        ({"firm_support.resources": 0.5}, "firm's lever"),
        ({"no.such": 1}, "unknown lever"),
        ({"communication.depth": 0.5, "communication.meetings_per_year": 10**9}, "meetings_per_year"),
    ],
)
def test_out_of_range_is_refused_in_one_line_and_changes_nothing(room, decisions, words):
    seat, secret = room.claim(room.token, "school:0")
    before = state(room)
    with pytest.raises(ScenarioError) as e:
        room.submit(seat, secret, decisions)
    assert words in one_line(e) and "seat school:0" in one_line(e)
    assert state(room) == before  # the valid first value of the last case is not kept either


def test_firm_decisions_are_checked(room):
    seat, secret = room.claim(room.token, "firm:0")
    most = 2 * 100
    for bad in (
        {"hiring:graduates": most + 1},
        {"hiring:graduates": 1.5},
        {"partnership:accept_new": "maybe"},
        {"partnership:school9:leave": True},
        {"communication.depth": 0.5},
    ):
        before = state(room)
        with pytest.raises(ScenarioError) as e:
            room.submit(seat, secret, bad)
        one_line(e)
        assert state(room) == before
    assert room.submit(seat, secret, {"hiring:graduates": 3, "partnership:accept_new": False}) == [
        "hiring:graduates",
        "partnership:accept_new",
    ]


def test_advance_applies_decisions_and_unsubmitted_seats_keep_last_years(room):
    s, ss = room.claim(room.token, "school:0")
    t, ts = room.claim(room.token, "school:1")
    start1 = room.current_levers("school:1")["communication.depth"]
    assert room.submit(s, ss, {"communication.depth": 0.9, "communication.meetings_per_year": 6}) == [
        "communication.depth",
        "communication.meetings_per_year",
    ]
    assert room.seats[s].submitted and not room.seats[t].submitted
    assert room.advance() == 0
    assert room.round == 1 and not room.seats[s].submitted
    assert room.model.agent("school:0").levers["communication.depth"] == 0.9
    assert room.model.agent("school:1").levers["communication.depth"] == start1
    # year 2: school 0 submits nothing and keeps 0.9; school 1 re-submits the value in force: nothing logged
    assert room.submit(t, ts, {"communication.depth": start1}) == []
    room.advance()
    assert room.model.agent("school:0").levers["communication.depth"] == 0.9
    log = room.decision_log()
    assert list(log.columns) == ["round", "seat", "lever", "value", "time"]
    assert log[["round", "seat", "lever", "value"]].values.tolist() == [
        [0, "school:0", "communication.depth", "0.9"],
        [0, "school:0", "communication.meetings_per_year", "6"],
    ]
    assert all(log["time"].str.len() > 0)


def test_last_submission_of_a_round_wins(room):
    s, ss = room.claim(room.token, "school:0")
    room.submit(s, ss, {"communication.depth": 0.9})
    room.submit(s, ss, {"communication.depth": 0.5})  # the value in force is 0.2
    assert room.current_levers(s)["communication.depth"] == 0.5
    room.advance()
    assert room.model.agent(s).levers["communication.depth"] == 0.5
    assert room.decision_log()["value"].tolist() == ["0.5"]


def test_seat_view_shows_this_year_beside_last_year(room):
    s, ss = room.claim(room.token, "school:0")
    f, fs = room.claim(room.token, "firm:0")
    v0 = room.seat_view(s, ss)
    assert v0["before"] is None and v0["round"] == 0 and v0["played"] == 0
    assert math.isnan(v0["now"]["net_benefit"])  # no year played yet
    room.advance()
    v1 = room.seat_view(s, ss)
    assert v1["before"] == v0["now"] and v1["round"] == 1 and v1["played"] == 1
    now = v1["now"]
    assert set(now) >= {"partners", "interns", "intern_skills", "net_benefit", "placement", "reputation"}
    assert all(0 <= w <= 1 for w in now["partners"].values()) and 0 <= now["placement"] <= 1
    assert math.isfinite(now["net_benefit"])
    fv = room.seat_view(f, fs)["now"]
    assert set(fv) >= {"partners", "interns", "net_benefit", "strength", "reputation"}
    # a firm may leave exactly its current partnerships
    keys = room.seat_view(f, fs)["keys"]
    leave = sorted(k for k in keys if k.endswith(":leave"))
    assert leave == sorted(f"partnership:school{k}:leave" for k in room.model.agent(f).partners)


def test_facilitator_view_and_end(room):
    s, ss = room.claim(room.token, "school:0")
    room.submit(s, ss, {"communication.depth": 0.9})
    v = room.facilitator_view()
    assert [x["seat"] for x in v["seats"] if x["taken"]] == ["school:0"]
    assert [x["seat"] for x in v["seats"] if x["submitted"]] == ["school:0"]
    assert v["round"] == 0 and len(v["history"]) == 1
    room.set_paused(True)
    with pytest.raises(ScenarioError) as e:
        room.submit(s, ss, {"communication.depth": 0.5})
    assert "paused" in one_line(e)
    room.set_paused(False)
    room.advance()
    room.end()  # plays the rest with everyone's last decisions
    v = room.facilitator_view()
    assert v["ended"] and v["round"] is None and len(v["history"]) == 1 + room.rounds
    assert all(math.isfinite(h["firm_retention"]) for _, h in v["history"][1:])
    with pytest.raises(ScenarioError) as e:
        room.submit(s, ss, {"communication.depth": 0.5})
    assert "ended" in one_line(e)
    with pytest.raises(ScenarioError):
        room.advance()
    with pytest.raises(ScenarioError):
        room.claim(room.token, "school:1")


def test_concurrent_submissions_all_land(room):
    """Six devices submit at once, many times: every seat's last value is in force, each logged once."""
    seats = [room.claim(room.token, s) for s in room.seats]
    values = [0.1 + 0.1 * k for k in range(10)]

    def play(seat: str, secret: str) -> None:
        for v in values:
            if seat.startswith("school"):
                room.submit(seat, secret, {"communication.depth": v})
            else:
                room.submit(seat, secret, {"firm_support.mentors_per_firm": round(v * 10)})

    threads = [threading.Thread(target=play, args=sv) for sv in seats]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    room.advance()
    log = room.decision_log()
    claims = log[log.lever == "partnership:leave_by_rule"]  # each claimed firm seat decides its partnerships
    assert sorted(claims["seat"]) == [s for s in sorted(room.seats) if s.startswith("firm:")]
    log = log[log.lever != "partnership:leave_by_rule"]
    assert len(log) == len(seats) and sorted(log["seat"]) == sorted(room.seats)
    assert room.model.agent("school:1").levers["communication.depth"] == values[-1]


def test_world_limits_and_labels():
    for kw in (
        {"schools": 0, "firms": 4, "rounds": 3},
        {"schools": 2, "firms": 61, "rounds": 3},
        {"schools": 2, "firms": 4, "rounds": 0},
        {"schools": True, "firms": 4, "rounds": 3},
    ):
        with pytest.raises(ScenarioError) as e:
            check_world(**kw)
        assert "allowed an integer" in one_line(e)
    assert seat_label("school:0", "en") == "School 1" and seat_label("firm:11", "zh") == "企业 12"


def test_unknown_scenario_is_one_line():
    with pytest.raises(ScenarioError) as e:
        Room("no_such_scenario", 2, 4, 3)
    one_line(e)


def test_party_branches_set_their_schools_party_building_levers():
    room = Room("baseline", schools=2, firms=3, rounds=2, seed=5, party=True)
    assert list(room.seats) == ["school:0", "school:1", "party:0", "party:1", "firm:0", "firm:1", "firm:2"]
    assert seat_label("party:1", "en") == "Party branch, School 2" and seat_label("party:0", "zh") == "学校 1 党组织"
    s, ss = room.claim(room.token, "school:0")
    p, ps = room.claim(room.token, "party:0")
    pkeys, skeys = room.seat_view(p, ps)["keys"], room.seat_view(s, ss)["keys"]
    assert pkeys and all(k.startswith("party_building.") for k in pkeys)
    assert not any(k.startswith("party_building.") for k in skeys) and "communication.depth" in skeys
    before = state(room)
    for seat, secret, bad in (
        (p, ps, {"communication.depth": 0.9}),
        (s, ss, {"party_building.alliance": True}),
        (p, ss, {"party_building.alliance": True}),
    ):
        with pytest.raises(ScenarioError) as e:
            room.submit(seat, secret, bad)
        assert seat_label(seat, "en") in one_line(e)  # the seat as its page names it
    assert state(room) == before
    assert room.submit(p, ps, {"party_building.alliance": True}) == ["party_building.alliance"]
    assert room.submit(s, ss, {"communication.depth": 0.9}) == ["communication.depth"]
    assert room.seat_view(p, ps)["now"] == room.seat_view(s, ss)["now"]  # the branch sees its school
    room.advance()
    agent = room.model.agent("school:0")
    assert agent.levers["party_building.alliance"] is True and agent.levers["communication.depth"] == 0.9
    log = room.decision_log()
    assert sorted(zip(log["seat"], log["lever"])) == [
        ("school:0", "communication.depth"),
        ("school:0", "party_building.alliance"),
    ]


def test_decisions_made_for_a_year_already_played_are_refused(room):
    """A page that still shows year 1 when the facilitator has advanced: its submission is refused in one
    line (not carried into year 2), and nothing changes."""
    s, secret = room.claim(room.token, "school:0")
    shown = room.seat_view(s, secret)["round"]
    room.advance()
    before = state(room)
    with pytest.raises(ScenarioError) as e:
        room.submit(s, secret, {"communication.depth": 0.9}, round=shown)
    assert "year 1 has been played" in one_line(e) and "year 2" in one_line(e)
    assert state(room) == before
    assert room.submit(s, secret, {"communication.depth": 0.9}, round=room.round) == ["communication.depth"]


def test_setting_a_lever_back_within_a_year_withdraws_the_change(room):
    """A change undone before the year is played is no decision: nothing is logged for it, and the
    lever keeps its value."""
    s, secret = room.claim(room.token, "school:0")
    f, fs = room.claim(
        room.token, next(f for f in room.free_seats() if f.startswith("firm:") and room.model.agent(f).partners)
    )  # a firm with a partnership to leave
    depth = room.current_levers(s)["communication.depth"]
    room.submit(s, secret, {"communication.depth": 0.9, "communication.needs_survey": True})
    room.submit(s, secret, {"communication.depth": depth})
    partner = next(k for k in room.current_levers(f) if k.endswith(":leave"))
    room.submit(f, fs, {partner: True})
    room.submit(f, fs, {partner: False})
    room.advance()
    log = room.decision_log()
    assert list(log["lever"]) == ["communication.needs_survey", "partnership:leave_by_rule"], log  # and the claim's
    assert room.current_levers(s)["communication.depth"] == depth


def test_advance_names_its_round_so_a_double_click_plays_one_year(room):
    """The facilitator's page asks to advance the round it shows: the second click of a double click (or
    a click on a page not yet redrawn) plays nothing; two at once from two threads play one year."""
    assert room.advance(round=0) == 0
    assert room.advance(round=0) is None
    assert room.round == 1 and len(room.history) == 2
    got = []
    start = threading.Barrier(2)

    def click() -> None:
        start.wait()
        got.append(room.advance(round=1))

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got, key=str) == [1, None] and room.round == 2 and len(room.history) == 3
    assert room.advance(round=2) == 2 and room.round is None
    assert room.advance(round=2) is None  # a double click on the last year: no error either


@pytest.mark.parametrize("typed", ["9" * 5000, "[" * 3000, "1e999999", "9" * 100_000])
def test_a_number_box_gets_one_line_whatever_is_typed(room, typed):
    """A firm typing 5,000 digits or 3,000 brackets into "graduates to hire" (checked by the room) or into
    a lever's box (checked by the page): one line on its page, nothing kept."""
    from sim.apps.workshop.app import submit_draft

    f, secret = room.claim(room.token, "firm:0")
    view = room.seat_view(f, secret)
    before = state(room)
    for key in ("hiring:graduates", "firm_support.mentors_per_firm"):
        changed, refusal = submit_draft(room, f, secret, view, {key: typed}, "en")
        assert changed is None and refusal and "\n" not in refusal and refusal.startswith("Refused")
    assert state(room) == before


# ------------------------------------------------------------------ a human-played firm decides its partnerships
def scenario_file(tmp_path, **behaviour) -> str:
    """A scenario on the baseline with ``behaviour`` changed and no warm-up: round 0 begins at month 0, in
    the partnerships of the start (written to a file the room loads)."""
    body = "\n".join(f"{k} = {v}" for k, v in behaviour.items())
    path = tmp_path / "world.toml"
    path.write_text(
        f'extends = "baseline"\nname = "world"\n[run]\nwarmup_months = 0\n[behaviour]\n{body}\n', encoding="utf-8"
    )
    return str(path)


def ended(room: Room, firm: int) -> dict[int, tuple[str, int]]:
    """The firm's partnerships that have ended: school -> (reason, month)."""
    from sim.state import END_REASONS

    p = room.model.partnerships
    rows = [k for k in range(p.n) if p.firm[k] == firm and p.end[k] >= 0]
    return {int(p.school[k]): (END_REASONS[p.reason[k]], int(p.end[k])) for k in rows}


def test_a_human_played_firms_partnership_ends_only_when_its_seat_decides_so(tmp_path):
    """docs/odd.md §11: the M8 rule is the rule-played firm's decision; a claimed firm seat is asked.  In a
    world where no willingness reaches the exit threshold and no outside shock strikes, every rule-played
    firm leaves its partnerships after six months; the human-played firm keeps both of its own until its
    seat leaves one, which ends at that year's September, for the firm's decision."""
    world = scenario_file(
        tmp_path, exit_threshold=0.99, exit_months=6, shock_state=0.0, shock_private=0.0, shock_foreign=0.0
    )
    room = Room(world, schools=2, firms=4, rounds=3, lang="en", seed=11)
    mine = room.model.agent("firm:3").partners
    assert len(mine) == 2  # firm 3 has a partnership with each school
    seat, secret = room.claim(room.token, "firm:3")
    room.advance()
    rule_played = {f: ended(room, f) for f in (0, 1, 2)}
    assert any(rule_played.values()), "the rule ends the other firms' partnerships in this world"
    assert all(why == "low_willingness" for e in rule_played.values() for why, _ in e.values())
    assert ended(room, 3) == {} and room.model.agent("firm:3").partners == mine
    assert room.submit(seat, secret, {f"partnership:school{mine[0]}:leave": True}) == [
        f"partnership:school{mine[0]}:leave"
    ]
    september = room.model.t
    room.advance()
    assert ended(room, 3) == {mine[0]: ("firm_decision", september)}
    assert room.model.agent("firm:3").partners == mine[1:]
    room.advance()
    assert ended(room, 3) == {mine[0]: ("firm_decision", september)}  # the other stays to the end
    log = room.decision_log()
    assert (
        (log.seat == "firm:3")
        & (log.lever == "partnership:leave_by_rule")
        & (log.value == "false")
        & (log["round"] == 0)
    ).sum() == 1  # the claim's decision, logged for the replay


def test_an_outside_shock_still_strikes_a_human_played_firm_and_its_page_says_so(tmp_path):
    world = scenario_file(tmp_path, shock_state=0.2, shock_private=0.2, shock_foreign=0.2)
    room = Room(world, schools=2, firms=4, rounds=3, lang="en", seed=11)
    seat, secret = room.claim(room.token, "firm:3")
    room.advance()
    reasons = {why for why, _ in ended(room, 3).values()}
    assert reasons == {"outside_shock"}, "a monthly hazard of 0.2 strikes within a year, and nothing else ends them"
    view = room.seat_view(seat, secret)
    assert set(view["now"]["partnerships_ended"].values()) == {"outside_shock"}
    from sim.apps.workshop.app import seen_rows

    row = next(r for r in seen_rows(view, "en") if r[0].startswith("partnerships ended"))
    assert "outside shock, nobody's decision" in row[1]


def test_a_claim_that_cannot_be_journalled_leaves_the_seat_free(room):
    def full(rows):
        raise OSError(28, "No space left on device")

    room.on_submit = full
    with pytest.raises(ScenarioError) as e:
        room.claim(room.token, "firm:1")
    assert "could not be kept" in one_line(e)
    assert "firm:1" in room.free_seats() and room.model.agent("firm:1").levers["partnership:leave_by_rule"] is True


@pytest.mark.parametrize("scenario, seed", [("baseline", 11), ("huli_tongqiang_qirong", 3)])
def test_the_workshops_school_net_benefit_is_the_summarys(scenario, seed):
    """docs/odd.md §7.6: one definition of ``school_net_benefit``. Played to the end (every seat on the
    rule, warm-up a whole number of years so the rounds tile the reported period), the region's yearly
    values average to the summary's value, and each school's yearly values (its seat's view) add up to
    the region's.  (The placements priced are partner hires, so some year must have some.)"""
    from sim import metrics

    room = Room(scenario, schools=2, firms=4, rounds=4, lang="en", seed=seed)
    assert room.model.warmup % 12 == 0
    room.end()
    years = room.history[1:]
    summary = metrics.compute(room.model)["school_net_benefit"]
    region = [h.region["school_net_benefit"] for h in years]
    assert sum(region) / len(region) == pytest.approx(summary, rel=1e-12, abs=1e-9)
    for h in years:
        seats = [h.seats[f"school:{s}"]["net_benefit"] for s in range(2)]
        assert sum(seats) / 2 == pytest.approx(h.region["school_net_benefit"], rel=1e-12)
    assert any(h.seats[f"school:{s}"]["graduates_hired_by_partners"] > 0 for h in years for s in range(2))
