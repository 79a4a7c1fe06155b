"""The cooperation model: schools, firms and students, one month a step.

The month's schedule (docs/odd.md §3) is written out in :meth:`CooperationModel.step`: each stage is
the agents' decisions (:mod:`sim.agents`) or a function of the mechanism module named beside it; the
model holds the state (arrays over schools, firms, partnerships and students) and owns no mechanism.
Students are rows of arrays (:class:`~sim.state.Students`), not Mesa agents: 54,000 of them a run
would cost a quarter of the run's time and nothing reads them one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from . import metrics
from . import policy as pol
from .agents import Firm, School
from .folding import Folded, add_parts
from .lever_arrays import FirmLevers, SchoolLevers
from .mechanisms import (
    alignment,
    college,
    communication,
    cultivation,
    enrolment,
    firm_accounting,
    graduation,
    honour,
    internships,
    labour_market,
    mentoring,
    needs,
    partnerships,
    teaching,
)
from .mechanisms.context import DrawBuffers
from .mechanisms.partnerships import starting_trust
from .params import Params, mechanism_ids
from .scenario import ScenarioError
from .spells import SpellLog, ended_jobs, fold_spells
from .state import (
    DIMS,
    DROPPED,
    EMPLOYED,
    ENROLLED,
    FOLLOW_UP_MONTHS,
    INTERNING,
    LONG_INTERNSHIP_MONTHS,
    MONTHS_PER_YEAR,
    OWNERSHIPS,
    PROGRAMME_MONTHS,
    QUIT_REASONS,
    STUDY,
    UNEMPLOYED,
    Partnerships,
    Students,
    month_position,
)

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

# One generator per mechanism family, spawned from the run's SeedSequence; new streams are
# appended, so that adding one leaves the others' draws unchanged.
STREAMS = (
    "init",
    "communication",
    "learning",
    "placement",
    "partnerships",
    "hiring",
    "labour",
    "party",
    "enrolment",
    "firms",
    "firm_traits",
    "breaks",
    "projects",
)
PARTNERSHIP_ROOM = 4  # rows reserved per initial partnership (the table grows if needed)
# cohorts the student arrays hold at most: those in school and in follow-up, the one that left it
# this year (folded next September) and the entrants (the table grows if needed)
COHORT_ROOM = -(-(PROGRAMME_MONTHS + FOLLOW_UP_MONTHS) // MONTHS_PER_YEAR) + 1


# Families whose whole output is a school- or firm-level state that no other family writes: their
# response to the strategy is held by writing the baseline run's values of that state over theirs,
# month by month (docs/odd.md §10.2); every other family is held at the levers it reads.
STATE_HELD: dict[str, tuple[str, ...]] = {
    "M2": ("curriculum",),  # the taught curriculum (S × D)
    "M5": ("mentor_q",),  # mentoring quality per firm
    "M15": ("school_reputation", "firm_reputation", "school_competition"),  # reputations, competition results
    "M16": ("market_craft_belief", "competition_field", "dismissal_ability"),  # the outside market's benchmarks
}


@dataclass(frozen=True)
class Hold:
    """Mechanism families whose response to the strategy is held at the baseline (the path shares of
    ``sesim explain``, docs/odd.md §10): a family of ``STATE_HELD`` gets the state it writes from
    ``states``, the baseline run's record on the same seed (:attr:`CooperationModel.record`); any
    other reads the ``baseline`` scenario's value wherever it reads a lever.  All else a held family
    reads (the state the other families leave) is the run's own."""

    families: tuple[str, ...]
    baseline: Params
    states: "dict[str, dict[str, dict[int, Any]]] | None" = None  # family -> state -> month -> value


def build_levers(params: Params, n_schools: int, n_firms: int) -> tuple[SchoolLevers, FirmLevers]:
    """The levers each school and each firm sets (docs/odd.md §11): the scenario's values, then its
    [[agents.*]] tables."""
    school, firm = SchoolLevers.from_params(params, n_schools), FirmLevers.from_params(params, n_firms)
    levers: SchoolLevers | FirmLevers
    for levers, entries in ((school, params.agents.schools), (firm, params.agents.firms)):
        for e in entries:
            for sec, vals in e.items():
                for k, v in ({} if sec == "ids" else vals).items():
                    levers.set(f"{sec}.{k}", e["ids"], v)
    return school, firm


class CooperationModel(mesa.Model):
    """School–enterprise cooperation (校企协同育人) under a scenario's levers."""

    def __init__(
        self,
        params: Params | None = None,
        seed: int | None = None,
        decisions: "pol.DecisionLog | dict | None" = None,
        hold: Hold | None = None,
        record: bool = False,
        spill: "Path | None" = None,
    ) -> None:
        """``decisions``: a decision log (:func:`sim.policy.load_decisions`) or its schedule, seat ->
        round -> decisions, given to the seats as their policies (:class:`sim.policy.SchedulePolicy`).
        ``hold``: families held at the baseline (``sesim explain``); ``record``: keep, month by month,
        the state the families of ``STATE_HELD`` write (:attr:`record`), for a run that holds them.
        ``spill``: a folder where spell rows that are final go as they come (:class:`sim.spells.SpellLog`),
        so that they are not kept in memory; by default they are."""
        params = params or Params()
        seed = params.run.seed if seed is None else seed
        super().__init__(rng=seed)
        self.params = params
        self.seed_value = seed
        # mechanism families switched off (mechanism ablation): each acts neutrally, as docs/odd.md
        # says under the mechanism, and still draws its random numbers (common random numbers)
        self.off = frozenset(mechanism_ids(params.mechanisms.off))
        children = np.random.SeedSequence(seed).spawn(len(STREAMS))
        self.streams = {name: np.random.default_rng(ss) for name, ss in zip(STREAMS, children)}
        pop, b = params.population, params.behaviour
        self.n_schools, self.n_firms, self.n_dims = pop.schools, pop.firms, len(DIMS)
        self.t = 0
        self.warmup = params.run.warmup_months
        self.horizon = self.warmup + MONTHS_PER_YEAR * params.run.years
        self.teachers_per_school = b.teachers_per_school
        self.ability_reference = b.productive_ability
        # the outside market's benchmarks, moved by the region's graduates (labour_market.notice_graduates)
        self.market_craft_belief = b.market_craft_belief
        self.competition_field = b.competition_field
        self.dismissal_ability = b.productive_ability
        # the levers each school and each firm sets; each agent's policy may change its own each
        # September of a round
        self.school_levers, self.firm_levers = build_levers(params, self.n_schools, self.n_firms)
        # families whose response to the strategy is held (sesim explain): the baseline's state or levers
        families = frozenset(mechanism_ids(list(hold.families))) if hold else frozenset()
        self.state_held = families & set(STATE_HELD)
        self.held = families - self.state_held
        self.held_states = hold.states if hold else None
        if self.state_held and not all(f in (self.held_states or {}) for f in self.state_held):
            raise ValueError(f"hold: no recorded baseline state for {', '.join(sorted(self.state_held))}")
        self.record: dict[str, dict[str, dict[int, Any]]] | None = (
            {f: {name: {} for name in names} for f, names in STATE_HELD.items()} if record else None
        )
        self.held_params = hold.baseline if hold else params
        self.held_school_levers, self.held_firm_levers = (
            build_levers(hold.baseline, self.n_schools, self.n_firms)
            if hold
            else (self.school_levers, self.firm_levers)
        )
        if hold and (hold.baseline.population.schools, hold.baseline.population.firms) != (
            self.n_schools,
            self.n_firms,
        ):
            raise ValueError("hold: the baseline has another number of schools or firms than the run")
        # each firm's decisions outside the schema (sim.policy), taken by the firm (Firm.take)
        self.firm_accepts_new = np.ones(self.n_firms, bool)  # partnership:accept_new (M15 entries)
        self.firm_leaves_by_rule = np.ones(self.n_firms, bool)  # partnership:leave_by_rule (M8 exits)
        self.firm_hire_target = np.full(self.n_firms, -1, np.int64)  # hiring:graduates, -1: the rule (M13)
        self.first_round, self.n_rounds = pol.first_round_month(params), pol.rounds(params)
        self.decision_rows: list[tuple] = []  # decisions taken (round, seat, lever, value, time)
        self._init_schools()
        self._init_firms()
        self.partnerships = Partnerships(PARTNERSHIP_ROOM * pop.schools * pop.partners_per_school)
        # room for the cohorts in school and in follow-up: the others are folded (sim.folding)
        self.students = Students(pop.schools * pop.cohort_size * COHORT_ROOM)
        self.folded = Folded()
        self.job_spells: list[tuple[np.ndarray, ...]] = []  # jobs ended since the spell log last took them
        self.spell_log = SpellLog(spill)
        self.draw_buffers = DrawBuffers()  # where the month's draws per student row are made (reused)
        self.quit_reasons = np.zeros(len(QUIT_REASONS), np.int64)  # early first-job quits by reason (M16, reported)
        self.comm_hours = np.zeros(self.n_schools)
        # each firm's net on its interns this year (from September; reported months), and whether it
        # hosted any: at the year's last month a survey of the firms that hosted (firm_loss_share, M8)
        self.firm_intern_net_year = np.zeros(self.n_firms)
        self.firm_hosted_year = np.zeros(self.n_firms, bool)
        self.firm_years_hosted = 0  # firm-years with interns (reported years)
        self.firm_years_losing = 0  # of them, those whose interns cost the firm more than they were worth
        self.school_costs = np.zeros(self.n_schools)  # staff time, thousand yuan (reported period)
        self.resources_received = np.zeros(self.n_schools)  # firms' resources to each school, thousand yuan (reported)
        self.intern_months_reported = 0  # intern-months hosted, through a partnership or after it ended (reported)
        self.intern_net_reported = 0.0  # the host firms' net benefit of those intern-months, thousand yuan
        # the same by month of the placement (1st, 2nd, ... 12th): the survey's break-even and pay-back
        self.intern_net_by_month = np.zeros(LONG_INTERNSHIP_MONTHS)
        self.interns_by_month = np.zeros(LONG_INTERNSHIP_MONTHS, np.int64)
        self.mentor_q = np.ones(self.n_firms)
        self.willingness_history: list[float] = []
        # the trust-age correlation of the partnerships active at the end of each reported year (metrics)
        self.trust_age_history: list[float] = []
        # the latest complete cohort's figures, for the monthly time series (step functions)
        self.latest_grad_skills = np.full(len(DIMS), np.nan)
        self.reputation_at_warmup = np.full(self.n_schools, b.initial_reputation)
        self._init_partnerships()
        self.colleges: college.CollegeState | None = None  # M18: industry colleges, none by default
        college.setup(self)  # M18: the scenario's industry colleges (model.colleges; None without)
        enrolment.starting_cohorts(self)
        schedule = getattr(decisions, "schedule", decisions) or {}
        for seat, by_round in schedule.items():
            self.agent(seat).policy = pol.SchedulePolicy(by_round)
        self.datacollector = mesa.DataCollector(model_reporters=self.reporters())
        self.running = True

    # ------------------------------------------------------------------ set-up
    def _init_schools(self) -> None:
        S, rng, b = self.n_schools, self.streams["init"], self.params.behaviour
        self.school_goal = np.tile([b.school_goal[d] for d in DIMS], (S, 1))
        self.school_belief = self.school_goal.copy()  # b₀ = g (P2 §二.1 "过于主观")
        self.curriculum = self.school_goal.copy()
        self.teacher_quality = np.clip(
            rng.normal(b.initial_teacher_quality, b.teacher_quality_sd, S), b.teacher_quality_floor, 1.0
        )
        self.training_capacity = np.full(S, b.initial_training_capacity)  # 实训基地 (M14)
        self.projects_ended = self.projects_succeeded = 0  # joint projects (M14, reported period)
        self.school_reputation = np.full(S, b.initial_reputation)
        self.school_placement = np.full(S, np.nan)  # latest cohort's placement (M15 signal)
        self.school_fit = np.full(S, np.nan)  # latest cohort's skill fit (M15 signal)
        self.school_competition = np.full(S, np.nan)  # latest competition result (M15 signal)
        self.party_members = np.full(S, self.params.population.party_members_per_school)  # teachers (M5, M9, M11)
        self.schools = [School(self, s) for s in range(S)]

    def _init_firms(self) -> None:
        F, rng, pop, b = self.n_firms, self.streams["init"], self.params.population, self.params.behaviour
        shares = np.array([pop.ownership_mix[o] for o in OWNERSHIPS])
        own = rng.choice(len(OWNERSHIPS), size=F, p=shares / shares.sum())
        self.firm_ownership = own
        self.firm_field = np.arange(F) % pop.programmes
        rng.shuffle(self.firm_field)
        self.firm_needs = rng.dirichlet(np.array([b.firm_needs_mean[d] for d in DIMS]) * b.needs_concentration, size=F)
        u = rng.random(F)
        self.firm_party_org = u < np.array([b.party_org_state, b.party_org_private, b.party_org_foreign])[own]
        self.firm_shock_hazard = np.array([b.shock_state, b.shock_private, b.shock_foreign])[own]
        self.firm_strength = np.clip(rng.normal(b.initial_firm_strength, b.firm_trait_sd, F), 0.0, 1.0)
        self.firm_reputation = np.clip(rng.normal(b.initial_firm_reputation, b.firm_trait_sd, F), 0.0, 1.0)
        self.firm_hire_fit = np.zeros(F)
        self.firm_motive = b.social_motive + b.motive_sd * rng.standard_normal(F)  # social responsibility
        # how much an intern is worth differs between firms and industries (M8); a stream of its own,
        # appended last, so that the other streams' draws do not depend on it
        z = self.streams["firm_traits"].standard_normal(F)
        self.firm_intern_value = np.exp(b.intern_value_sd * z - b.intern_value_sd**2 / 2)  # mean-one log-normal
        self.firm_ever_partner = np.zeros(F, bool)
        self.firms = [Firm(self, f) for f in range(F)]

    def _init_partnerships(self) -> None:
        """Partnerships of all ages: start months from a geometric (stationary) distribution."""
        rng, pop, b = self.streams["init"], self.params.population, self.params.behaviour
        for s in range(self.n_schools):
            # cover every programme first, then any field
            order = rng.permutation(self.n_firms)
            fields = self.firm_field[order]
            chosen: list[int] = []
            for fld in range(pop.programmes):
                cands = np.flatnonzero(fields == fld)  # a firm of this field, first in the order (none chosen yet)
                if len(cands) and len(chosen) < pop.partners_per_school:
                    chosen.append(int(order[cands[0]]))
            for f in order:
                if len(chosen) >= pop.partners_per_school:
                    break
                if f not in chosen:
                    chosen.append(f)
            ages = rng.geometric(1.0 / b.mean_partnership_age, len(chosen))
            trust = starting_trust(rng.random(len(chosen)), b.initial_trust, b.initial_trust_sd)
            for f, age, t0 in zip(chosen, ages, trust):
                partnerships.add(self, s, int(f), -int(age), b.initial_willingness, float(t0))

    def active(self, mechanism: str) -> bool:
        """Whether mechanism family ``mechanism`` (an id of docs/odd.md, e.g. "M12") is switched on."""
        return mechanism not in self.off

    def school_levers_for(self, mechanism: str) -> SchoolLevers:
        """The school levers family ``mechanism`` reads: the baseline's where its response to the
        strategy is held (``sesim explain``'s path shares), else the schools' own."""
        return self.held_school_levers if mechanism in self.held else self.school_levers

    def firm_levers_for(self, mechanism: str) -> FirmLevers:
        """The firm levers family ``mechanism`` reads (as :meth:`school_levers_for`)."""
        return self.held_firm_levers if mechanism in self.held else self.firm_levers

    def lever_params_for(self, mechanism: str) -> Params:
        """The scenario whose values family ``mechanism`` reads where no agent's own value exists (as
        :meth:`school_levers_for`): only the tracks of a student no partner firm would take (enrolment)."""
        return self.held_params if mechanism in self.held else self.params

    # ------------------------------------------------------------------ the month
    @property
    def is_september(self) -> bool:
        return self.t % MONTHS_PER_YEAR == 0

    @property
    def reporting(self) -> bool:
        return self.t >= self.warmup

    # ------------------------------------------------------------------ agents' decisions
    @property
    def current_round(self) -> int | None:
        """The round (academic year after the warm-up, :mod:`sim.policy`) that begins this month, if one does."""
        if self.t < self.first_round or not self.is_september:
            return None
        return (self.t - self.first_round) // MONTHS_PER_YEAR

    @property
    def next_round(self) -> int | None:
        """The round whose September is the next month to run (its decisions are still open); None after the last."""
        r = max(0, -(-(self.t - self.first_round) // MONTHS_PER_YEAR))
        return r if r < self.n_rounds and self.t < self.horizon else None

    def agent(self, seat: str) -> School | Firm:
        """The School or Firm at ``seat`` (``school:<i>``, ``firm:<j>``)."""
        side, i = pol.parse_seat(seat, self.params, f"seat {seat!r}")
        return self.schools[i] if side == "school" else self.firms[i]

    def decide_year(self) -> None:
        """At the September of a round, every school, then every firm, takes its decisions for the year
        (:meth:`School.decide_year`, :meth:`Firm.decide_year`); the model logs them.  Outside a round:
        nothing."""
        r = self.current_round
        if r is None:
            return
        for agent in (*self.schools, *self.firms):
            for d in agent.decide_year(r):
                self.decision_rows.append((r, agent.seat, d.lever, pol.format_value(d.value), d.time))

    def submit(self, seat: str, decisions: dict, time: str | None = None) -> None:
        """A human's decisions for ``seat``, taken at the next round's September (the hook for a
        workshop: set them, then run the year).  Every value is checked first; a bad one is refused in
        one line (:class:`~sim.scenario.ScenarioError`) and none is kept.  The seat's policy becomes a
        :class:`~sim.policy.HumanPolicy` if it is not one."""
        import dataclasses as dc
        import datetime

        if self.next_round is None:
            raise ScenarioError(f"seat {seat}: no round is left to decide (the run ends at month {self.horizon})")
        agent = self.agent(seat)
        checked = [pol.check_decision(self.params, agent.side, k, v, f"seat {seat}") for k, v in decisions.items()]
        for d in checked:
            m = pol.LEAVE_RE.fullmatch(d.lever)
            if m and d.value and int(m.group(1)) not in agent.partners:
                raise ScenarioError(
                    f"seat {seat}: lever '{d.lever}': firm {agent.index} has no partnership with "
                    f"school {m.group(1)} (its partners: {agent.partners})"
                )
        stamp = time if time is not None else datetime.datetime.now().astimezone().isoformat(timespec="seconds")
        if not isinstance(agent.policy, pol.HumanPolicy):
            agent.policy = pol.HumanPolicy()
        for d in checked:
            agent.policy.set(dc.replace(d, time=stamp))

    def decision_log(self) -> "pd.DataFrame":
        """The decisions taken so far, as a decision log (``round, seat, lever, value, time``) that
        ``sesim run --decisions`` replays."""
        return pol.decision_frame(list(self.decision_rows))

    def run_to_round(self, r: int) -> None:
        """Run up to (not including) the September of round ``r`` (``n_rounds``: to the end)."""
        target = min(self.first_round + MONTHS_PER_YEAR * r, self.horizon)
        while self.t < target and self.running:
            self.step()

    def step(self) -> None:
        """One month: the stages in order (docs/odd.md §3)."""
        if self.t == self.warmup:  # the reported period's start (school_net_benefit, §7.6)
            self.reputation_at_warmup = self.school_reputation.copy()
        college.found(self)  # M18: the colleges are founded as the reported period starts (once)
        if self.is_september:
            self.fold_past_students()  # memory: students long out of follow-up (§13)
            self.decide_year()  # schools', then firms' decisions for the year (§11)
            graduation.graduate_and_hire(self)  # M7, M11, M13 (and M16's further study)
            enrolment.enrol(self, self.t)  # a new cohort, its tracks (M4, M15)
        internships.start_internships(self)  # M4
        communication.communicate(self)  # M1
        college.board_meetings(self)  # M18: members' boards (nothing without a college)
        alignment.carry_needs_back(self)  # M11
        alignment.align_goals(self)  # M2
        self.hold_state("M2")
        mentoring.mentor(self)  # M5
        self.hold_state("M5")
        teaching.teach_and_practise(self)  # M3, M4, M6, M9, M12, M16 separations (vectorised)
        college.train_in_base(self)  # M18: colleges' shared training bases (nothing without a college)
        cultivation.train_teachers(self)  # M11, M14 师资共培
        internships.supervise(self)  # M17
        firm_accounting.account(self, self.mentor_q)  # M8
        partnerships.exits(self)  # M8: each firm stays or leaves; outside shocks
        partnerships.entries(self)  # M10, M15 entries
        college.update_membership(self)  # M18: members leave and join (nothing without a college)
        labour_market.search_jobs(self)  # M16
        honour.grow_strength(self)  # M14
        honour.update_reputation(self)  # M15
        self.hold_state("M15")
        needs.drift_needs(self)  # technology moves firms' needs
        self.observe()
        self.t += 1
        if self.t >= self.horizon:
            self.running = False

    def observe(self) -> None:
        """Data collection of the month (reported months)."""
        if self.reporting:
            a = self.partnerships.active()
            self.willingness_history.append(float(self.partnerships.willingness[a].mean()) if len(a) else np.nan)
            year_end = (self.t + 1) % MONTHS_PER_YEAR == 0
            if year_end:  # the year's last month: a survey of current partnerships
                self.trust_age_history.append(metrics.trust_age_correlation(self, self.t + 1))
            if year_end or self.t + 1 == self.horizon:  # a run that ends mid-year surveys its last part
                self.survey_host_firms()
                self.firm_intern_net_year[:] = 0.0
                self.firm_hosted_year[:] = False
            self.datacollector.collect(self)

    def survey_host_firms(self) -> None:
        """The year's firms that hosted interns, and those whose interns cost more than they were worth
        this year: one interview a firm a year, as 冉云芳 & 石伟平 (2020) asked firms about an internship
        round (``firm_loss_share``, docs/odd.md M8).  The year is September to August, its reported
        months only: a warm-up that is not whole years leaves the first year short, and a run that
        ends mid-year surveys the months it has."""
        hosted = self.firm_hosted_year
        self.firm_years_hosted += int(np.count_nonzero(hosted))
        self.firm_years_losing += int(np.count_nonzero(hosted & (self.firm_intern_net_year < 0)))

    def hold_state(self, mechanism: str) -> None:
        """After family ``mechanism`` of ``STATE_HELD`` has acted: record the state it wrote this month, or,
        where it is held, put the baseline run's state of this month in its place (``sesim explain``)."""
        if self.record is not None:
            for name, months in self.record[mechanism].items():
                months[self.t] = np.copy(getattr(self, name))
        if mechanism in self.state_held:
            for name, months in self.held_states[mechanism].items():
                if self.t in months:
                    value = months[self.t]
                    setattr(self, name, value.copy() if value.ndim else type(getattr(self, name))(value))

    def fold_past_students(self) -> None:
        """Fold the students whose follow-up ended before last month (sim.folding): their parts of
        the labour metrics, their final statuses, their partner hires and their spell rows are
        kept, their rows dropped.  Nothing reads them any more: the window of tracked students
        (:meth:`tracked_window`) left them behind, and last month's events (M8's bookings of
        hires and departures) were still inside it."""
        st = self.students
        k = month_position(st.enrol_month[: st.n], self.t - PROGRAMME_MONTHS - FOLLOW_UP_MONTHS - 1)
        self.spell_log.add("ended", ended_jobs(self))  # rows of ended jobs are named while they exist
        if k == 0:
            return
        rows = slice(0, k)
        f = self.folded
        f.labour = add_parts(f.labour, metrics.labour_parts(st, rows, self.t, self.warmup))
        f.add_status(np.bincount(st.status[rows]))
        partner = np.flatnonzero(st.first_partner[rows] & (st.first_hire[rows] >= 0))
        f.add_partner_hires(st.first_hire[partner], st.school[partner], self.n_schools)
        fold_spells(self, rows)
        st.drop_front(k)

    def cohort_rows(self, first_enrolment: int, last_enrolment: int) -> slice:
        """Rows of the students who enrolled in months ``first_enrolment``..``last_enrolment``: a
        contiguous block, since cohorts are appended in order of enrolment; its size depends only
        on the cohort sizes, so draws made per row of it are the same whatever the levers."""
        e = self.students.enrol_month[: self.students.n]
        return slice(month_position(e, first_enrolment, "left"), month_position(e, last_enrolment, "right"))

    def tracked_window(self) -> slice:
        """Rows of the cohorts still in school or in follow-up: a contiguous block, since cohorts
        are appended in order of enrolment.  Inside it, only further-study and dropped-out
        students are not tracked; the update leaves them unchanged."""
        st = self.students
        first = month_position(st.enrol_month[: st.n], self.t - PROGRAMME_MONTHS - FOLLOW_UP_MONTHS)
        return slice(first, st.n)

    # ------------------------------------------------------------------ graduation
    # ------------------------------------------------------------------ reporting
    def reporters(self) -> dict:
        """The monthly time series: the same formulas as the summary (sim/metrics.py), applied
        to what is known at the month (the latest academic year, the latest cohort)."""

        def count(code: int):
            return lambda m: (
                int(np.count_nonzero(m.students.status[: m.students.n] == code)) + m.folded.status_count(code)
            )

        metric = metrics.SERIES  # the registry's series of the summary's metrics (sim/metrics.py)
        return {
            "firm_retention": metric["firm_retention"],
            "graduate_retention_12m": metric["graduate_retention_12m"],
            **{f"skill_{d}": metric[f"skill_{d}"] for d in DIMS},
            "skill_mean": metric["skill_mean"],
            "partnerships": lambda m: len(m.partnerships.active()),
            "firm_willingness": metric["firm_willingness"],
            "partnerships_over_3y": metric["partnerships_over_3y"],
            "enrolled": count(ENROLLED),
            "interning": count(INTERNING),
            "employed": count(EMPLOYED),
            "unemployed": count(UNEMPLOYED),
            "further_study": count(STUDY),
            "dropped_out": count(DROPPED),
            "firm_strength": metric["firm_strength"],
            "school_strength": metric["school_strength"],
            "reputation": metric["reputation"],
            "teacher_quality": lambda m: float(m.teacher_quality.mean()),
            "belief_gap": lambda m: float(np.abs(m.school_belief - alignment.partner_needs(m)).sum(axis=1).mean()),
        }

    def run(self) -> "CooperationModel":
        while self.running:
            self.step()
        return self

    def grow_intern_months(self, months: int) -> None:
        """Room in the accounts by month of the placement for ``months`` months: a placement lasts
        at most LONG_INTERNSHIP_MONTHS in a run, but a test that moves the clock by hand may keep
        interns longer, and their months are booked as they are, not folded into the last."""
        extra = months - len(self.intern_net_by_month)
        if extra > 0:
            self.intern_net_by_month = np.concatenate([self.intern_net_by_month, np.zeros(extra)])
            self.interns_by_month = np.concatenate([self.interns_by_month, np.zeros(extra, np.int64)])

    def metrics(self) -> dict[str, float]:
        """The metrics of docs/odd.md §7.6 as the runner's summary row has them (``summary.csv``, without
        scenario, replicate and seed): at the end of the run exactly that row; earlier, the metrics of a
        run that ended now (the reported period so far).  Before the first reported month there is
        nothing to measure (a ScenarioError says when there will be)."""
        if self.t <= self.warmup:
            raise ScenarioError(
                f"model.metrics(): month {self.t} is in the warm-up; the reported period starts "
                f"at month {self.warmup}: step past it first"
            )
        if self.t >= self.horizon:
            return metrics.compute(self)
        horizon = self.horizon
        self.horizon = self.t
        try:
            return metrics.compute(self)
        finally:
            self.horizon = horizon
