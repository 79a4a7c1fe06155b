"""A workshop room: one simulation, its seats and their secrets, behind one lock (docs/odd.md §11).

A :class:`Room` is built from a scenario with a small region (``--schools`` × ``--firms``, cohorts of
:data:`COHORT` students) and ``--rounds`` reported years.  It runs the warm-up at once, then waits at
the September of round 0.  Each seat (``school:<i>``, ``firm:<j>``, the model's own seat names) is
claimed with the room's join token and is then held by a per-seat secret, compared in constant time;
seats nobody claims follow the scenario's rule (:class:`sim.policy.RulePolicy`).  A claimed firm seat
decides its partnerships itself from the open round on: the claim takes the decision
``partnership:leave_by_rule = false`` (logged like any other), so a partnership of a human-played firm
ends only when its seat leaves it, or by an outside shock, which its page reports as such
(docs/odd.md §11).

A round is one academic year.  A seat's submission is checked against the schema by
:meth:`sim.model.CooperationModel.submit` (one line on the first bad value, nothing kept); only the
levers it changes are passed on, so the decision log holds decisions, not repetitions.
:meth:`Room.advance` runs the year: the decisions take effect at its September, and a seat that
submitted nothing keeps last year's levers (a decision stays until another changes it).  After each
year the room keeps what every seat sees (:meth:`Room.seat_view`) and the region's numbers
(:meth:`Room.facilitator_view`), so each page can show last year's values beside this year's.

Everything that changes the room holds :attr:`Room.lock`; every change bumps :attr:`Room.version` and
wakes :meth:`Room.wait_change`, which the pages wait on (one thread per page, no polling of the model).
"""

from __future__ import annotations

import datetime
import hmac
import re
import secrets
import string
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from sim import metrics
from sim import policy as pol
from sim.agents import side_keys
from sim.i18n import has, t
from sim.inputs import Refusal, shown
from sim.model import CooperationModel
from sim.scenario import Scenario, ScenarioError, load_scenario
from sim.state import DIMS, END_REASONS, INTERNING, MONTHS_PER_YEAR

COHORT = 100  # students enrolled per school per year in a workshop's region (keeps a year fast)
MIN_SCHOOLS, MAX_SCHOOLS = 1, 10
MIN_FIRMS, MAX_FIRMS = 1, 60
MIN_ROUNDS, MAX_ROUNDS = 1, 20
CODE_LETTERS = "".join(c for c in string.ascii_uppercase if c not in "IO")  # no I/1, O/0 confusion
CODE_LENGTH = 5
TOKEN_BYTES = 16  # join token, facilitator token and seat secrets: 128 bits each
REGION = ("firm_retention", "graduate_retention_12m", "skill_mean", "firm_willingness")
MUTUAL = ("firm_net_benefit", "school_net_benefit", "firm_strength", "school_strength", "reputation", "firm_reputation")


def new_code() -> str:
    return "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two secrets (None matches nothing)."""
    return a is not None and b is not None and hmac.compare_digest(a.encode(), b.encode())


PARTY_SECTION = "party_building"  # a party branch's levers: its school's party_building.*


def seat_label(seat: str, lang: str) -> str:
    """``school:0`` -> "School 1" / "学校 1", ``party:0`` -> "Party branch, School 1" / "学校 1 党组织"
    (people count from one; the words are the catalogue's, ``ws.seat_<side>``)."""
    side, i = seat.split(":")
    return t(f"ws.seat_{side}", lang, n=int(i) + 1)


SEAT_RE = re.compile(r"(school|firm|party):[0-9]+")
SAID_AS_SEATS = ("seat", "school")  # a refusal's arguments that name a seat: each page says it its own way


def refusal(key: str, **kw: Any) -> Refusal:
    """The room's refusal ``key`` of the message catalogue (sim/i18n.py), said in each page's language;
    a seat named in it (``school:0``) is said as the page names seats ("School 1", "学校 1")."""

    def named(k: str, v: Any, lang: str) -> Any:
        if k in SAID_AS_SEATS and SEAT_RE.fullmatch(str(v)):
            return seat_label(v, lang)
        if k == "lever" and has(f"lever.{v}"):
            return t(f"lever.{v}", lang)
        return v

    def say(lang: str) -> str:
        return t(key, lang, **{k: named(k, v, lang) for k, v in kw.items()})

    return Refusal(say)


def partnership_cells(v: dict[str, Any] | None, lang: str) -> list[str]:
    """A seat's year of partnerships in words, as its page and the debrief show them (docs/odd.md §11):
    the partners kept all year (of those at the start), every partnership that ended (month of the year,
    September = 1, and why), every one begun (month; "again" when the two had been partners before)."""
    if not v or "kept" not in v:
        return ["–", "–", "–"]
    none = t("none", lang)
    kept = t(
        "ws.kept_of",
        lang,
        names=", ".join(seat_label(p, lang) for p in v["kept"]) or none,
        kept=len(v["kept"]),
        start=len(v["at_start"]),
    )
    left = ", ".join(
        f"{seat_label(p, lang)} ({t('ws.month_why', lang, month=mo, why=t(f'ws.end_{why}', lang))})"
        for p, mo, why in v["left"]
    )
    joined = ", ".join(
        f"{seat_label(p, lang)} ({t('ws.month_again' if again else 'ws.month_new', lang, month=mo)})"
        for p, mo, again in v["joined"]
    )
    return [kept, left or none, joined or none]


def agent_seat(seat: str) -> str:
    """The model's seat a room's seat acts for: a party branch acts for its school."""
    return seat.replace("party:", "school:", 1) if seat.startswith("party:") else seat


def seat_slug(seat: str) -> str:
    """A seat as it appears in a path or a cookie name: ``school:0`` -> ``school-0``."""
    return seat.replace(":", "-")


def seat_of_slug(slug: str) -> str:
    return slug.replace("-", ":", 1)


def check_world(schools: int, firms: int, rounds: int) -> None:
    for flag, v, lo, hi in (
        ("--schools", schools, MIN_SCHOOLS, MAX_SCHOOLS),
        ("--firms", firms, MIN_FIRMS, MAX_FIRMS),
        ("--rounds", rounds, MIN_ROUNDS, MAX_ROUNDS),
    ):
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            raise ScenarioError(f"{flag} {v}: allowed an integer in {lo}..{hi}")


def workshop_scenario(scenario: str, schools: int, firms: int, rounds: int) -> Scenario:
    """The scenario with the room's region: ``schools`` × ``firms``, cohorts of :data:`COHORT`, ``rounds``
    reported years; each school starts with as many partners as the scenario's region gives a school per
    firm of the region (at least one, at most every firm)."""
    check_world(schools, firms, rounds)
    base = load_scenario(scenario)
    pop = base.params.population
    partners = round(firms * pop.partners_per_school * pop.schools / (pop.firms * schools))
    sets = {
        "population.schools": schools,
        "population.firms": firms,
        "population.cohort_size": COHORT,
        "population.partners_per_school": min(firms, max(1, partners)),
        "population.programmes": min(pop.programmes, firms),
        "run.years": rounds,
    }
    return load_scenario(scenario, sets)


@dataclass
class Seat:
    seat: str
    secret: str | None = None  # None: free (the scenario's rule decides)
    claimed_at: str = ""
    submitted: bool = False  # submitted for the open round
    submissions: int = 0

    @property
    def side(self) -> str:
        return self.seat.split(":")[0]

    @property
    def index(self) -> int:
        return int(self.seat.split(":")[1])


@dataclass
class Snapshot:
    """What the room knows at the end of a year (or at the start, round -1)."""

    round: int
    region: dict[str, float]
    seats: dict[str, dict[str, Any]]


class Room:
    """One workshop: a model, its seats, its log; every public method takes the lock."""

    def __init__(
        self,
        scenario: str = "baseline",
        schools: int = 3,
        firms: int = 12,
        rounds: int = 6,
        lang: str = "en",
        seed: int | None = None,
        party: bool = False,
    ) -> None:
        self.scenario = workshop_scenario(scenario, schools, firms, rounds)
        self.lang = lang
        self.seed = self.scenario.params.run.seed if seed is None else seed
        self.code = new_code()
        self.token = secrets.token_urlsafe(TOKEN_BYTES)  # in the join address
        self.host_token = secrets.token_urlsafe(TOKEN_BYTES)  # the facilitator's
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.version = 0
        self._listeners: set = set()  # called (without arguments) on every change
        # called, under the lock, with the rows of each accepted submission (round, seat, lever, value
        # as text or "" for a withdrawn decision, time) before the seat is told it submitted; an OSError
        # refuses the submission (see sim.apps.workshop.journal)
        self.on_submit: Callable[[list[tuple[int, str, str, str, str]]], None] | None = None
        self.model = CooperationModel(self.scenario.params, seed=self.seed)
        self.model.run_to_round(0)
        self.rounds = self.model.n_rounds
        # with ``party``, each school's party branch is a seat of its own that sets the school's
        # party_building levers (the school's seat then sets the others)
        self.party = party
        self.seats = {
            s: Seat(s)
            for s in [f"school:{i}" for i in range(schools)]
            + ([f"party:{i}" for i in range(schools)] if party else [])
            + [f"firm:{j}" for j in range(firms)]
        }
        self.paused = False
        self.ended = False
        self.debrief_dir: str | None = None
        self.advance_times: list[float] = []  # wall time of each advance (time.time())
        self._round_started = time.monotonic()
        self._paused_at: float | None = None
        self._paused_total = 0.0
        self._acc = self._accounts()
        self.history: list[Snapshot] = [self._snapshot(-1)]

    # ------------------------------------------------------------------ joining
    def check_token(self, token: str | None) -> bool:
        return same(token, self.token)

    def check_host(self, token: str | None) -> bool:
        return same(token, self.host_token)

    def check_seat(self, seat: str, secret: str | None) -> bool:
        s = self.seats.get(seat)
        return s is not None and same(secret, s.secret)

    def free_seats(self) -> list[str]:
        with self.lock:
            return [s for s, v in self.seats.items() if v.secret is None]

    def claim(self, token: str | None, seat: str | None = None) -> tuple[str, str]:
        """Take ``seat`` (or the first free one: schools first) with the room's token; its new secret."""
        if not self.check_token(token):
            raise refusal("ws.refuse_join_token")
        with self.lock:
            if self.ended:
                raise refusal("ws.refuse_join_ended")
            if seat is None:
                free = [s for s, v in self.seats.items() if v.secret is None]
                if not free:
                    raise refusal("ws.refuse_join_full")
                seat = free[0]
            if seat not in self.seats:
                raise refusal("ws.refuse_join_unknown", seat=shown(seat), seats=", ".join(self.seats))
            if self.seats[seat].secret is not None:
                raise refusal("ws.refuse_join_taken", seat=seat)
            if self.seats[seat].side == "firm" and self.round is not None:
                self._decide_own_partnerships(seat)  # refused (journal full): the seat stays free
            secret = secrets.token_urlsafe(TOKEN_BYTES)
            self.seats[seat].secret = secret
            self.seats[seat].claimed_at = _now()
            self._bump()
            return seat, secret

    def _decide_own_partnerships(self, seat: str) -> None:
        """The firm at ``seat``, now played by a person, takes its partnerships out of the M8 rule's hands
        from the open round on; logged (and journalled) like a submission."""
        agent = self.model.agent(seat)
        if agent.levers[pol.LEAVE_BY_RULE] is False:
            return
        stamp = _now()
        policy_before = agent.policy
        pending_before = dict(getattr(policy_before, "pending", {}))
        self.model.submit(seat, {pol.LEAVE_BY_RULE: False}, time=stamp)
        if self.on_submit is not None:
            try:
                self.on_submit([(self.round, seat, pol.LEAVE_BY_RULE, pol.format_value(False), stamp)])
            except OSError as e:
                agent.policy = policy_before
                if hasattr(policy_before, "pending"):
                    policy_before.pending = pending_before
                raise refusal("ws.refuse_join_not_kept", seat=seat, error=e.strerror or e) from None

    # ------------------------------------------------------------------ rounds
    @property
    def round(self) -> int | None:
        """The round open for decisions (0-based); None once every round is played or the game ended."""
        return None if self.ended else self.model.next_round

    @property
    def finished(self) -> bool:
        return self.ended or self.model.next_round is None

    def submit(self, seat: str, secret: str | None, decisions: dict[str, Any], round: int | None = None) -> list[str]:
        """A seat's decisions for the open round, checked; the keys it changed (the rest it keeps).

        ``round`` is the round the participant's page showed: when the facilitator advanced meanwhile, the
        decisions are refused (they were made for a year already played), not carried into the next year.
        A value set back to the one in force withdraws the earlier change instead of logging a decision."""
        with self.lock:
            if not self.check_seat(seat, secret):
                raise refusal("ws.refuse_secret", seat=seat)
            if self.finished:
                raise refusal("ws.refuse_ended", seat=seat)
            if self.paused:
                raise refusal("ws.refuse_paused", seat=seat)
            if round is not None and round != self.round:
                raise refusal("ws.refuse_played", seat=seat, year=round + 1, now=self.round + 1)
            agent = self.model.agent(agent_seat(seat))
            checked = {
                d.lever: d.value
                for d in (
                    pol.check_decision(self.model.params, agent.side, k, v, f"seat {seat}")
                    for k, v in decisions.items()
                )
            }
            self._check_share(seat, checked)
            for k, v in checked.items():  # (the model checks it too, in English only)
                m = pol.LEAVE_RE.fullmatch(k)
                if m and v and int(m.group(1)) not in agent.partners:
                    raise refusal("ws.refuse_not_partner", seat=seat, school=f"school:{m.group(1)}")
            current = self.current_levers(seat)
            in_force = self.current_levers(seat, pending=False)
            changed = {k: v for k, v in checked.items() if current.get(k, _UNSET) != v}
            pending = getattr(agent.policy, "pending", {})
            undone = [k for k, v in changed.items() if k in pending and in_force.get(k, _UNSET) == v]
            changed = {k: v for k, v in changed.items() if k not in undone}
            policy_before, pending_before = agent.policy, dict(pending)
            stamp = _now()
            if changed:  # checks partnerships; nothing kept on a refusal
                self.model.submit(agent_seat(seat), changed, time=stamp)
            for k in undone:  # back to the value in force: no decision left to log
                del pending[k]
            if self.on_submit is not None and (changed or undone):
                r, who = self.round, agent_seat(seat)
                rows = [(r, who, k, pol.format_value(v), stamp) for k, v in changed.items()] + [
                    (r, who, k, "", stamp) for k in undone
                ]
                try:
                    self.on_submit(rows)  # kept on disk before the page says "submitted"
                except OSError as e:
                    agent.policy = policy_before  # nothing of the submission is kept
                    if hasattr(policy_before, "pending"):
                        policy_before.pending = pending_before
                    raise refusal("ws.refuse_not_kept", seat=seat, error=e.strerror or e) from None
            changed.update(dict.fromkeys(undone))
            s = self.seats[seat]
            s.submitted = True
            s.submissions += 1
            self._bump()
            return sorted(changed)

    def _check_share(self, seat: str, checked: dict[str, Any]) -> None:
        """With party branches, a school's party_building levers are its branch's, the others the school's."""
        if not self.party or seat.startswith("firm:"):
            return
        mine = set(self.decision_keys(seat))
        for k in checked:
            if k not in mine:
                whose = "ws.refuse_party_lever" if seat.startswith("school:") else "ws.refuse_school_lever"
                raise refusal(whose, seat=seat, lever=k)

    def current_levers(self, seat: str, pending: bool = True) -> dict[str, Any]:
        """The seat's levers as they will be in the open round: this year's, then (unless ``pending`` is
        False) what it submitted."""
        with self.lock:
            agent = self.model.agent(agent_seat(seat))
            out = dict(agent.levers)
            if agent.side == "firm":
                for k in agent.partners:
                    out[f"partnership:school{k}:leave"] = False
            if pending:
                out.update({k: d.value for k, d in getattr(agent.policy, "pending", {}).items()})
            return out

    def advance(self, round: int | None = None) -> int | None:
        """Run the open round's year; the round just played.  Unsubmitted seats keep last year's levers.

        ``round`` is the round the facilitator's page showed: a second request for it (a double click, a
        click on a page not yet redrawn) plays nothing and returns None, so one click is one year."""
        with self.lock:
            r = self.round
            if round is not None and round != r:
                return None
            if r is None:
                raise refusal("ws.refuse_no_year")
            self.model.run_to_round(r + 1)
            self.history.append(self._snapshot(r))
            for s in self.seats.values():
                s.submitted = False
            self.paused = False
            self._round_started, self._paused_at, self._paused_total = time.monotonic(), None, 0.0
            self.advance_times.append(time.time())
            self._bump()
            return r

    def set_paused(self, on: bool) -> None:
        with self.lock:
            if on and not self.paused:
                self._paused_at = time.monotonic()
            elif not on and self.paused and self._paused_at is not None:
                self._paused_total += time.monotonic() - self._paused_at
                self._paused_at = None
            self.paused = on
            self._bump()

    def timer(self) -> float:
        """Seconds the open round has run, pauses excluded."""
        with self.lock:
            now = self._paused_at if self.paused and self._paused_at is not None else time.monotonic()
            return max(0.0, now - self._round_started - self._paused_total)

    def end(self) -> None:
        """End the game: rounds not played run with everyone's last decisions, so the debrief compares
        whole runs of ``--rounds`` years."""
        with self.lock:
            if self.ended:
                return
            while self.model.next_round is not None:
                self.advance()
            self.ended = True
            self._bump()

    def decision_log(self):
        with self.lock:
            return self.model.decision_log()

    # ------------------------------------------------------------------ waiting for changes
    def _bump(self) -> None:
        self.version += 1
        self.changed.notify_all()
        for poke in list(self._listeners):
            try:
                poke()
            except RuntimeError:  # a page's event loop closed under it: it will not listen again
                self._listeners.discard(poke)

    def listen(self, poke) -> None:
        """Call ``poke()`` on every change (a page schedules its redraw with it; it must not block)."""
        with self.lock:
            self._listeners.add(poke)

    def unlisten(self, poke) -> None:
        with self.lock:
            self._listeners.discard(poke)

    def wait_change(self, version: int, timeout: float) -> int:
        """Block until the room's version differs from ``version`` (or ``timeout`` seconds); the version."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != version, timeout=timeout)
            return self.version

    # ------------------------------------------------------------------ what each one sees
    def _accounts(self) -> dict[str, Any]:
        """Cumulative counters the yearly numbers are differences of."""
        m = self.model
        p = m.partnerships
        n = p.n
        return {
            "net_total_firm": np.bincount(p.firm[:n], weights=p.net_total[:n], minlength=m.n_firms),
            "months_firm": np.bincount(p.firm[:n], weights=p.months_reported[:n], minlength=m.n_firms),
            "net_total": float(p.net_total[:n].sum()),
            "months": float(p.months_reported[:n].sum()),
            "school": metrics.school_accounts(m),
            "t": m.t,
        }

    def _snapshot(self, r: int) -> Snapshot:
        m = self.model
        before, now = self._acc, self._accounts()
        self._acc = now
        year = r >= 0
        st = m.students
        n = st.n
        p = m.partnerships
        act = p.active()
        # the region's year: partnerships' net benefit per partnership-year (firms) and per school
        months = now["months"] - before["months"]
        firm_nb = (
            (now["net_total"] - before["net_total"]) / months * MONTHS_PER_YEAR if year and months else float("nan")
        )
        t0 = before["t"]
        placed = metrics.partner_placements(m, t0, now["t"]) if year else np.zeros(m.n_schools, np.int64)
        school_nb = metrics.school_net_benefit(m, before["school"], now["school"])  # this year's, per school
        region = {
            "firm_retention": metrics.latest_firm_retention(m) if year else float("nan"),
            "graduate_retention_12m": metrics.latest_graduate_retention_12m(m),
            "skill_mean": metrics.SERIES["skill_mean"](m),
            "firm_willingness": metrics.current_willingness(m),
            "firm_net_benefit": firm_nb,
            "school_net_benefit": float(school_nb.mean()) if year else float("nan"),
            "firm_strength": metrics.firm_strength(m),
            "school_strength": metrics.school_strength(m),
            "reputation": metrics.reputation(m),
            "firm_reputation": metrics.firm_reputation(m),
            "partnerships": len(act),
        }
        interning = np.flatnonzero(st.status[:n] == INTERNING)
        # the year's partnerships as the pages count them (docs/odd.md §11): at the start, kept all year,
        # ended (when and why: a firm's decision, the M8 rule, an outside shock), begun (again or new)
        ledger = metrics.partnership_year(m, t0, now["t"]) if year else None
        ended = ledger.ended if ledger is not None else np.zeros(0, np.int64)
        seats: dict[str, dict[str, Any]] = {}
        for s in range(m.n_schools):
            mine = act[p.school[act] == s]
            interns = interning[st.school[interning] == s]
            seats[f"school:{s}"] = {
                "partners": {f"firm:{int(f)}": float(w) for f, w in zip(p.firm[mine], p.willingness[mine])},
                "partnerships_ended": {
                    f"firm:{int(p.firm[k])}": END_REASONS[p.reason[k]] for k in ended if p.school[k] == s
                },
                **_ledger(m, ledger, p.school, s, p.firm, "firm"),
                "interns": len(interns),
                "intern_skills": _skills(st.skills[interns]),
                "net_benefit": float(school_nb[s]) if year else float("nan"),
                "placement": float(m.school_placement[s]),
                "reputation": float(m.school_reputation[s]),
                "graduates_hired_by_partners": int(placed[s]) if year else 0,
            }
        firm_net = now["net_total_firm"] - before["net_total_firm"]
        for f in range(m.n_firms):
            mine = act[p.firm[act] == f]
            interns = interning[st.intern_firm[interning] == f]
            seats[f"firm:{f}"] = {
                "partners": {f"school:{int(s)}": float(w) for s, w in zip(p.school[mine], p.willingness[mine])},
                "partnerships_ended": {
                    f"school:{int(p.school[k])}": END_REASONS[p.reason[k]] for k in ended if p.firm[k] == f
                },
                **_ledger(m, ledger, p.firm, f, p.school, "school"),
                "interns": len(interns),
                "intern_skills": _skills(st.skills[interns]),
                "net_benefit": float(firm_net[f]) if year else float("nan"),
                "strength": float(m.firm_strength[f]),
                "reputation": float(m.firm_reputation[f]),
                "field": int(m.firm_field[f]),
            }
        return Snapshot(r, region, seats)

    def seat_view(self, seat: str, secret: str | None) -> dict[str, Any]:
        """What the seat's agent sees, this year and last, and its levers (a plain dict)."""
        with self.lock:
            if not self.check_seat(seat, secret):
                raise refusal("ws.refuse_secret", seat=seat)
            s = self.seats[seat]
            last = self.history[-1]
            prev = self.history[-2] if len(self.history) > 1 else None
            return {
                "seat": seat,
                "side": s.side,
                "round": self.round,
                "rounds": self.rounds,
                "played": last.round + 1,
                "ended": self.ended,
                "finished": self.finished,
                "paused": self.paused,
                "submitted": s.submitted,
                "version": self.version,
                "now": last.seats[agent_seat(seat)],
                "before": prev.seats[agent_seat(seat)] if prev else None,
                "levers": self.current_levers(seat),
                "keys": self.decision_keys(seat),
                "debrief": self.debrief_dir is not None,
            }

    def decision_keys(self, seat: str) -> list[str]:
        """The levers and decisions a seat may set now (a firm: leave each current partnership)."""
        agent = self.model.agent(agent_seat(seat))
        keys = list(side_keys(agent.side))
        if self.party and agent.side == "school":
            party = seat.startswith("party:")
            keys = [k for k in keys if k.startswith(PARTY_SECTION + ".") == party]
        if agent.side == "firm":
            keys += [f"partnership:school{k}:leave" for k in agent.partners] + [pol.ACCEPT_NEW, pol.HIRE]
        return keys

    def facilitator_view(self) -> dict[str, Any]:
        with self.lock:
            return {
                "code": self.code,
                "round": self.round,
                "rounds": self.rounds,
                "played": self.history[-1].round + 1,
                "ended": self.ended,
                "finished": self.finished,
                "paused": self.paused,
                "timer": self.timer(),
                "version": self.version,
                "debrief": self.debrief_dir,
                "seats": [
                    {
                        "seat": s.seat,
                        "taken": s.secret is not None,
                        "submitted": s.submitted,
                        "submissions": s.submissions,
                    }
                    for s in self.seats.values()
                ],
                "history": [(h.round, dict(h.region)) for h in self.history],
            }


_UNSET = object()


def _ledger(
    m: CooperationModel, year: metrics.PartnershipYear | None, mine: np.ndarray, me: int, other: np.ndarray, side: str
) -> dict[str, Any]:
    """One seat's part of the year's partnerships (:func:`sim.metrics.partnership_year`): the partners at
    the start and those kept all year; every partnership that ended (partner, month of the year counted
    from its September = 1, why) and every one begun (partner, month, whether the two had been partners
    before: a partnership re-formed).  Nothing before the first year."""
    if year is None:
        return {}
    p = m.partnerships

    def who(k: int) -> str:
        return f"{side}:{int(other[k])}"

    def month(t: int) -> int:
        return int(t - year.t0) + 1

    def rows(ks: np.ndarray) -> list[int]:
        return [int(k) for k in ks if mine[k] == me]

    def again(k: int) -> bool:
        pair = (mine[: p.n] == me) & (other[: p.n] == other[k])
        return bool((pair & (p.start[: p.n] < p.start[k])).any())

    return {
        "at_start": [who(k) for k in rows(year.at_start)],
        "kept": [who(k) for k in rows(year.kept)],
        "left": [
            (who(k), month(p.end[k]), END_REASONS[p.reason[k]])
            for k in sorted(rows(year.ended), key=lambda k: p.end[k])
        ],
        "joined": [(who(k), month(p.start[k]), again(k)) for k in sorted(rows(year.begun), key=lambda k: p.start[k])],
    }


def _skills(x: np.ndarray) -> dict[str, float]:
    return {d: (float(x[:, k].mean()) if len(x) else float("nan")) for k, d in enumerate(DIMS)}


def _now() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")
