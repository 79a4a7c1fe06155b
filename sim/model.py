"""The cooperation model: schools, firms, party members and students, one month a step.

The month's schedule (MODEL.md §2) is written out in :meth:`CooperationModel.step`.
"""
from __future__ import annotations

import mesa
import numpy as np

from .agents import Firm, PartyMember, School, Student
from .mechanisms import (alignment, communication, cultivation, firm_accounting, hiring,
                         honour, internships, mentoring, partnerships)
from .mechanisms.context import MonthContext, StudentDraws
from .mechanisms.student_update import StudentSlice, update_students
from .params import Params
from .state import (APPRENTICE, DIMS, DROPPED, EMPLOYED, ENROLLED, INTERNING, ORDER_CLASS,
                    REGULAR, STUDY, UNEMPLOYED, Partnerships, Students)

STREAMS = ("init", "communication", "learning", "placement", "partnerships", "hiring",
           "labour", "party", "enrolment", "firms", "firm_traits")
OWNERSHIPS = ("state", "private", "foreign")
PARTY_ORG_SHARE = {"state": 1.0, "private": 0.3, "foreign": 0.0}
SCHOOL_GOAL = np.array([0.40, 0.20, 0.15, 0.10, 0.15])   # school-centric: theory first (P2 §二.1)
FIRM_NEEDS = np.array([0.10, 0.35, 0.15, 0.25, 0.15])    # firms: technical and craft first
NEEDS_CONCENTRATION = 40.0
FOLLOW_UP_MONTHS = 37
PROGRAMME_MONTHS = 36
PARTY_MODES = {"none": 0, "two_skins": 1, "integrated": 2}


class CooperationModel(mesa.Model):
    """School–enterprise cooperation (校企协同育人) under a scenario's levers."""

    def __init__(self, params: Params | None = None, seed: int | None = None) -> None:
        params = params or Params()
        seed = params.run.seed if seed is None else seed
        super().__init__(rng=seed)
        self.params = params
        self.seed_value = seed
        children = np.random.SeedSequence(seed).spawn(len(STREAMS))
        self.streams = {name: np.random.default_rng(ss) for name, ss in zip(STREAMS, children)}
        pop, b = params.population, params.behaviour
        self.n_schools, self.n_firms, self.n_dims = pop.schools, pop.firms, len(DIMS)
        self.t = 0
        self.warmup = params.run.warmup_months
        self.horizon = self.warmup + 12 * params.run.years
        self.teachers_per_school = b.teachers_per_school
        self.ability_reference = b.productive_ability
        self._init_schools()
        self._init_firms()
        self.partnerships = Partnerships(4 * pop.schools * pop.partners_per_school)
        cap = pop.schools * pop.cohort_size * (self.horizon // 12 + 4)
        self.students = Students(cap)
        self.student_agents: dict[int, Student] = {}
        self.job_spells: list[tuple[np.ndarray, ...]] = []
        self.comm_hours = np.zeros(self.n_schools)
        self.firm_intern_net_month = np.zeros(self.n_firms)
        self.firm_intern_net = np.zeros(self.n_firms)
        self.school_costs = np.zeros(self.n_schools)     # staff time, thousand yuan (reported period)
        self.mentor_q = np.ones(self.n_firms)
        self.willingness_history: list[float] = []
        # the latest complete cohort's figures, for the monthly time series (step functions)
        self.latest_grad_skills = np.full(len(DIMS), np.nan)
        self.latest_retention_12m = np.nan
        self.hire_value = np.zeros(0)              # per partnership, booked by M8 in the hiring month
        self.reputation_at_warmup = np.full(self.n_schools, 0.5)
        self._init_partnerships()
        self._init_cohorts()
        self.datacollector = mesa.DataCollector(model_reporters=self.reporters())
        self.running = True

    # ------------------------------------------------------------------ set-up
    def _init_schools(self) -> None:
        S, rng = self.n_schools, self.streams["init"]
        self.school_goal = np.tile(SCHOOL_GOAL, (S, 1))
        self.school_belief = self.school_goal.copy()          # b₀ = g (P2 §二.1 "过于主观")
        self.curriculum = self.school_goal.copy()
        self.teacher_quality = np.clip(rng.normal(0.5, 0.05, S), 0.1, 1.0)
        self.school_reputation = np.full(S, 0.5)
        self.school_placement = np.full(S, 0.9)
        self.school_fit = np.full(S, 0.5)
        self.school_competition = np.zeros(S)
        self.schools = [School(self, s) for s in range(S)]
        self.party_members_by_school = [
            [PartyMember(self, s, self.params.behaviour.teacher_capacity)
             for _ in range(self.params.population.party_members_per_school)] for s in range(S)]

    def _init_firms(self) -> None:
        F, rng, pop, b = self.n_firms, self.streams["init"], self.params.population, self.params.behaviour
        shares = np.array([pop.ownership_mix[o] for o in OWNERSHIPS])
        own = rng.choice(len(OWNERSHIPS), size=F, p=shares / shares.sum())
        self.firm_ownership = own
        self.firm_field = np.arange(F) % pop.programmes
        rng.shuffle(self.firm_field)
        self.firm_needs = rng.dirichlet(FIRM_NEEDS * NEEDS_CONCENTRATION, size=F)
        u = rng.random(F)
        self.firm_party_org = u < np.array([PARTY_ORG_SHARE[OWNERSHIPS[o]] for o in own])
        self.firm_shock_hazard = np.array([b.shock_state, b.shock_private, b.shock_foreign])[own]
        self.firm_strength = np.clip(rng.normal(0.4, 0.1, F), 0.0, 1.0)
        self.firm_reputation = np.clip(rng.normal(0.4, 0.1, F), 0.0, 1.0)
        self.firm_hire_fit = np.zeros(F)
        self.firm_motive = b.social_motive + b.motive_sd * rng.standard_normal(F)   # social responsibility
        # how much an intern is worth differs between firms and industries (M8); a stream of its own,
        # appended last, so that the other streams' draws do not depend on it
        z = self.streams["firm_traits"].standard_normal(F)
        self.firm_intern_value = np.exp(b.intern_value_sd * z - 0.5 * b.intern_value_sd ** 2)
        self.firm_ever_partner = np.zeros(F, bool)
        self.firm_hosted = np.zeros(F, bool)
        self.firms = [Firm(self, f, OWNERSHIPS[own[f]]) for f in range(F)]

    def _init_partnerships(self) -> None:
        """Partnerships of all ages: start months from a geometric (stationary) distribution."""
        rng, pop = self.streams["init"], self.params.population
        for s in range(self.n_schools):
            # cover every programme first, then any field
            order = rng.permutation(self.n_firms)
            chosen: list[int] = []
            for fld in range(pop.programmes):
                cands = [f for f in order if self.firm_field[f] == fld and f not in chosen]
                if cands and len(chosen) < pop.partners_per_school:
                    chosen.append(cands[0])
            for f in order:
                if len(chosen) >= pop.partners_per_school:
                    break
                if f not in chosen:
                    chosen.append(f)
            ages = rng.geometric(1.0 / 30.0, len(chosen))
            for f, age in zip(chosen, ages):
                self.add_partnership(s, int(f), -int(age), 0.5, 0.1)

    def add_partnership(self, school: int, firm: int, start: int, willingness: float, trust: float) -> int:
        p = self.partnerships
        i = int(p.add(1)[0])
        p.school[i], p.firm[i], p.start[i] = school, firm, start
        p.willingness[i], p.trust[i] = willingness, trust
        self.firm_ever_partner[firm] = True
        return i

    def _init_cohorts(self) -> None:
        """Cohorts already in years 2 and 3, with skills as if they had studied."""
        for years_in in (2, 1):
            rows = self.enrol(-12 * years_in)
            grown = 1.0 - (1.0 - self.students.skills[rows]) * (1.0 - 0.08 * years_in) ** 1
            self.students.skills[rows] = grown

    def enrol(self, month: int) -> np.ndarray:
        st, pop, fs, b = self.students, self.params.population, self.params.firm_support, self.params.behaviour
        rng = self.streams["enrolment"]
        k = pop.cohort_size * self.n_schools
        rows = st.add(k)
        st.school[rows] = np.repeat(np.arange(self.n_schools), pop.cohort_size)
        st.programme[rows] = rng.integers(0, pop.programmes, k)
        st.enrol_month[rows] = month
        prep = b.reputation_preparation * (self.school_reputation[st.school[rows]] - 0.5)  # M15: better-prepared students
        st.skills[rows] = np.clip(rng.normal(b.initial_skill_mean, 0.05, (k, len(DIMS))) + prep[:, None], 0.0, 1.0)
        st.engagement[rows] = np.clip(rng.normal(0.6, 0.1, k), 0.0, 1.0)
        st.mobility[rows] = np.exp(rng.normal(-0.5 * b.mobility_sd ** 2, b.mobility_sd, k))
        u = rng.random(k)
        st.track[rows] = np.where(u < fs.apprenticeship_share, APPRENTICE,
                                  np.where(u < fs.apprenticeship_share + fs.order_class_share, ORDER_CLASS, REGULAR))
        st.status[rows] = ENROLLED
        # order-class students are ordered by a partner firm of their field
        p = self.partnerships
        act = p.active()
        pick = rng.random(k)
        for s in range(self.n_schools):
            firms = p.firm[act][p.school[act] == s]
            for prog in range(pop.programmes):
                pool = firms[self.firm_field[firms] == prog]
                sel = rows[(st.school[rows] == s) & (st.programme[rows] == prog) & (st.track[rows] == ORDER_CLASS)]
                if len(pool) and len(sel):
                    st.order_firm[sel] = pool[(pick[sel - rows[0]] * len(pool)).astype(int)]
        for r in rows:
            self.student_agents[int(r)] = Student(self, int(r))
        return rows

    # ------------------------------------------------------------------ the month
    @property
    def is_september(self) -> bool:
        return self.t % 12 == 0

    @property
    def reporting(self) -> bool:
        return self.t >= self.warmup

    @property
    def is_competition_month(self) -> bool:
        """Skill competitions are spread evenly over the academic year (M12)."""
        k = self.params.craftsman.competitions_per_year
        return k > 0 and (self.t % 12) in {int(12 * i / k) for i in range(k)}

    def effective_resources(self, willingness: np.ndarray) -> np.ndarray:
        """Firms give more when W is high (reciprocity, M8)."""
        return self.params.firm_support.resources * np.minimum(
            1.0, self.params.behaviour.reciprocity_floor + willingness)

    def step(self) -> None:
        if self.is_september:
            self.graduate_and_hire()
            self.enrol(self.t)
        internships.start_internships(self)
        communication.communicate(self)                 # M1
        alignment.carry_needs_back(self)                # M11
        alignment.align_goals(self)                     # M2
        self.teach_and_practise()                       # M3, M4, M5, M6, M9, M12, M16 (vectorised)
        cultivation.train_teachers(self)                # M11, M14 师资共培
        internships.supervise(self)                     # M17
        firm_accounting.account(self, self.mentor_q, self.hire_value)   # M8
        self.hire_value = np.zeros(self.partnerships.n)
        partnerships.exits(self)                        # M8 exits
        partnerships.entries(self)                      # M10, M15 entries
        self.search_jobs()                              # M16
        honour.grow_strength(self)                      # M14
        honour.update_reputation(self)                  # M15
        self.drift_needs()
        if self.t == self.warmup:
            self.reputation_at_warmup = self.school_reputation.copy()
        if self.reporting:
            a = self.partnerships.active()
            self.willingness_history.append(float(self.partnerships.willingness[a].mean()) if len(a) else np.nan)
            self.datacollector.collect(self)
        self.t += 1
        if self.t >= self.horizon:
            self.running = False

    def tracked_rows(self) -> np.ndarray:
        st = self.students
        n = st.n
        status = st.status[:n]
        live = (status <= UNEMPLOYED) & ((st.grad_month[:n] < 0) | (self.t - st.grad_month[:n] <= FOLLOW_UP_MONTHS))
        return np.flatnonzero(live)

    def tracked_window(self) -> slice:
        """Rows of the cohorts still in school or in follow-up: a contiguous block, since cohorts
        are appended in order of enrolment.  Inside it, only further-study and dropped-out
        students are not tracked; the update leaves them unchanged."""
        st = self.students
        first = np.searchsorted(st.enrol_month[: st.n], self.t - PROGRAMME_MONTHS - FOLLOW_UP_MONTHS, "left")
        return slice(int(first), st.n)

    def month_context(self, rows: np.ndarray | slice) -> MonthContext:
        st, pb, cr = self.students, self.params.party_building, self.params.craftsman
        status = st.status[rows]
        interns = st.intern_firm[rows][status == INTERNING]
        per_firm = np.bincount(interns, minlength=self.n_firms).astype(float)
        self.mentor_q = mentoring.mentor_quality(self, per_firm)
        pclass, pprac = mentoring.party_quality(self, status, st.school[rows])
        comp = self.is_competition_month
        act = self.partnerships.active()
        support = np.zeros(self.n_firms)
        np.maximum.at(support, self.partnerships.firm[act], self.effective_resources(self.partnerships.willingness[act]))
        return MonthContext(
            month=self.t, curriculum=self.curriculum, teacher_quality=self.teacher_quality,
            party_class=pclass, party_practice=pprac,
            party_members=np.array([len(ms) for ms in self.party_members_by_school], float),
            firm_needs=self.firm_needs,
            mentor_quality=self.mentor_q, firm_support=support,
            party_mode=PARTY_MODES[pb.mode], co_mentoring=pb.co_mentoring,
            craft_intensity=cr.intensity, competition=bool(comp),
            joint_projects=self.params.firm_support.joint_projects,
            task_coordination=self.params.school_cooperation.task_coordination,
            counselling=self.params.school_cooperation.counselling, behaviour=self.params.behaviour)

    def student_slice(self, rows: np.ndarray | slice) -> StudentSlice:
        st = self.students
        status = st.status[rows]
        firm = np.where(status == INTERNING, st.intern_firm[rows], st.employer[rows])
        return StudentSlice(school=st.school[rows], status=status, firm=firm, frontline=st.frontline[rows],
                            track=st.track[rows], skills=st.skills[rows], engagement=st.engagement[rows],
                            resistance=st.resistance[rows], hire_month=st.hire_month[rows],
                            job_fit=st.job_fit[rows], job_prospects=st.job_prospects[rows],
                            job_familiar=st.job_familiar[rows], job_quality=st.job_quality[rows],
                            mobility=st.mobility[rows])

    def teach_and_practise(self) -> None:
        """Learning, mentoring, party contact, resistance and separations for all students at once.

        Works on a contiguous window of rows (views, no gather/scatter copies): at ten times
        the students, copying the columns cost more than the update itself."""
        st = self.students
        rows = self.tracked_window()
        first = rows.start
        ctx = self.month_context(rows)
        draws = StudentDraws.draw(self.streams["learning"], rows.stop - rows.start)
        status = st.status[rows].copy()
        res = update_students(ctx, self.student_slice(rows), draws)
        st.skills[rows] = res.skills                      # only students in school or practice learn
        st.engagement[rows] = np.where(status <= UNEMPLOYED, res.engagement, st.engagement[rows])
        st.resistance[rows] = res.resistance              # only interns change
        interning = status == INTERNING
        school = st.school[rows]
        st.party_contact[rows] += ctx.party_practice[school] * interning
        dropped = first + np.flatnonzero(res.dropout)
        st.status[dropped] = DROPPED
        st.intern_done[dropped] = 0
        quit = np.flatnonzero(res.quit)
        self.end_jobs(first + quit, "quit", rehire=True, quality=res.offer_quality[quit])
        self.end_jobs(first + np.flatnonzero(res.dismissed), "dismissed", rehire=False)
        # school staff time (valued at the staff wage)
        if self.reporting:
            sc, b = self.params.school_cooperation, self.params.behaviour
            interns = np.bincount(school[interning], minlength=self.n_schools)
            resistant = np.bincount(school[interning & (res.resistance > 0.2)], minlength=self.n_schools)
            hours = self.comm_hours + interns * sc.task_coordination * b.coordination_hours + resistant * sc.counselling * b.counselling_hours
            self.school_costs += hours * b.staff_wage
        self.firm_intern_net += self.firm_intern_net_month if self.reporting else 0.0
        self.firm_intern_net_month = np.zeros(self.n_firms)

    # ------------------------------------------------------------------ labour market
    def graduate_and_hire(self) -> None:
        st, b = self.students, self.params.behaviour
        n = st.n
        self.latest_retention_12m = self.cohort_retention(self.t - 12, 12)
        pm = self.t - st.enrol_month[:n]
        # the year-3 cohort, before graduating, is where the talent pool recruits
        grads = np.flatnonzero((pm == PROGRAMME_MONTHS) & (st.status[:n] <= INTERNING))
        cultivation.recruit_party_members(self, grads)
        if len(grads) == 0:
            self.hire_value = np.zeros(self.partnerships.n)
            return
        st.intern_done[grads[st.status[grads] == INTERNING]] = 1
        st.grad_month[grads] = self.t
        st.grad_skills[grads] = st.skills[grads]
        self.latest_grad_skills = st.skills[grads].mean(axis=0)
        # M7: joint evaluation with the firms that hosted these interns
        hosted = st.intern_firm[grads]
        has = hosted >= 0
        host_needs = np.zeros((self.n_schools, self.n_dims))
        np.add.at(host_needs, st.school[grads[has]], self.firm_needs[hosted[has]])
        cnt = np.bincount(st.school[grads[has]], minlength=self.n_schools)
        alignment.joint_evaluation(self, host_needs / np.maximum(cnt, 1)[:, None], cnt)
        rng = self.streams["labour"]
        study = rng.random(len(grads)) < b.further_study_share
        st.status[grads[study]] = STUDY
        st.status[grads[~study]] = UNEMPLOYED
        self.hire_value = hiring.hire_graduates(self, grads[~study])
        # a firm's hiring record, for strength and reputation (M14, M15)
        hired = grads[st.status[grads] == EMPLOYED]
        if len(hired):
            tot = np.bincount(st.employer[hired], weights=st.job_fit[hired], minlength=self.n_firms)
            cnt_f = np.bincount(st.employer[hired], minlength=self.n_firms)
            upd = cnt_f > 0
            self.firm_hire_fit[upd] = tot[upd] / cnt_f[upd]

    def cohort_retention(self, grad_month: int, horizon: int) -> float:
        """Share of a cohort's graduates employed within 6 months who are still with their first
        employer ``horizon`` months after graduation (the definition of metrics.py)."""
        st = self.students
        n = st.n
        sel = (st.grad_month[:n] == grad_month) & (st.first_hire[:n] >= 0) & (st.first_hire[:n] - grad_month <= 6)
        if not sel.any():
            return float("nan")
        fe = st.first_end[:n][sel]
        return float(np.mean((fe < 0) | (fe > grad_month + horizon)))

    def start_jobs(self, rows: np.ndarray, firms: np.ndarray, partner: bool) -> None:
        st, b = self.students, self.params.behaviour
        if len(rows) == 0:
            return
        st.status[rows] = EMPLOYED
        st.employer[rows] = firms
        st.hire_month[rows] = self.t
        st.job_fit[rows] = hiring.fit(self, rows, firms)
        st.in_field[rows] = st.programme[rows] == self.firm_field[firms]
        familiar = st.intern_firm[rows] == firms
        st.job_familiar[rows] = familiar
        frontline = familiar & st.frontline[rows]
        st.job_prospects[rows] = b.prospects_value * (np.where(partner, b.partner_prospects, b.outside_prospects)
                                                      + b.frontline_prospects * frontline
                                                      + b.strength_prospects * self.firm_strength[firms])
        st.wage[rows] = 3.0 + 3.0 * st.skills[rows].mean(axis=1)
        st.job_partner[rows] = partner
        st.job_quality[rows] = 0.0
        st.n_employers[rows] += (st.grad_month[rows] >= 0) & (self.t - st.grad_month[rows] <= 36)
        first = st.first_hire[rows] < 0
        fr = rows[first]
        st.first_employer[fr] = firms[first]
        st.first_hire[fr] = self.t
        st.first_fit[fr] = st.job_fit[fr]
        st.first_partner[fr] = partner

    def end_jobs(self, rows: np.ndarray, reason: str, rehire: bool, quality: np.ndarray | None = None) -> None:
        st = self.students
        if len(rows) == 0:
            return
        self.job_spells.append((rows.copy(), st.employer[rows].copy(), st.job_partner[rows].copy(),
                                st.hire_month[rows].copy(), np.full(len(rows), self.t), np.full(len(rows), reason)))
        first = (st.first_end[rows] < 0) & (st.first_hire[rows] == st.hire_month[rows])
        st.first_end[rows[first]] = self.t
        st.employer[rows] = -1
        if rehire:  # job-to-job move for an outside offer
            self.start_jobs(rows, self.outside_posts(rows), partner=False)
            st.job_quality[rows] = quality if quality is not None else 0.0
        else:
            st.status[rows] = UNEMPLOYED

    def outside_posts(self, rows: np.ndarray) -> np.ndarray:
        """Employers of outside posts: in the graduate's field with probability in_field_share."""
        rng, b = self.streams["labour"], self.params.behaviour
        k = len(rows)
        u, pick = rng.random(k), rng.random(k)
        progs = self.params.population.programmes
        field = np.where(u < b.in_field_share, self.students.programme[rows],
                         (self.students.programme[rows] + 1 + (pick * max(progs - 1, 1)).astype(int)) % progs)
        out = np.empty(k, dtype=np.int64)
        for fld in np.unique(field):
            pool = np.flatnonzero(self.firm_field == fld)
            if len(pool) == 0:
                pool = np.arange(self.n_firms)
            sel = field == fld
            out[sel] = pool[(pick[sel] * len(pool)).astype(int) % len(pool)]
        return out

    def search_jobs(self) -> None:
        st, b = self.students, self.params.behaviour
        n = st.n
        rows = np.flatnonzero((st.status[:n] == UNEMPLOYED) & (self.t - st.grad_month[:n] <= FOLLOW_UP_MONTHS))
        u = self.streams["labour"].random(len(rows))
        rate = b.job_finding_rate * ((1.0 - 0.5 * b.job_finding_skill_gain) + b.job_finding_skill_gain * st.skills[rows].mean(axis=1))
        found = rows[u < rate]
        if len(found):
            self.start_jobs(found, self.outside_posts(found), partner=False)
        # status six months after graduation (MyCOS definition)
        six = np.flatnonzero(self.t - st.grad_month[:n] == 6)
        six = six[st.grad_month[six] >= 0]
        st.status_6m[six] = st.status[six]
        st.in_field_6m[six] = np.where(st.status[six] == EMPLOYED, st.in_field[six], -1)
        if len(six):
            for s in range(self.n_schools):
                mine = six[st.school[six] == s]
                if len(mine):
                    placed = np.isin(st.status[mine], (EMPLOYED, STUDY)).mean()
                    self.school_placement[s] = placed
                    emp = mine[st.status[mine] == EMPLOYED]
                    if len(emp):
                        self.school_fit[s] = float(np.mean(st.job_fit[emp]))

    def drift_needs(self) -> None:
        """Firms' needs drift with technology, so beliefs need ongoing communication."""
        z = self.streams["firms"].normal(0.0, self.params.behaviour.needs_drift, self.firm_needs.shape)
        n = self.firm_needs * np.exp(z)
        self.firm_needs = n / n.sum(axis=1, keepdims=True)

    # ------------------------------------------------------------------ reporting
    def reporters(self) -> dict:
        def act_w(m: "CooperationModel") -> float:
            a = m.partnerships.active()
            return float(m.partnerships.willingness[a].mean()) if len(a) else float("nan")

        def over3(m: "CooperationModel") -> float:
            a = m.partnerships.active()
            return float(np.mean(m.t - m.partnerships.start[a] > 36)) if len(a) else float("nan")

        def count(code: int):
            return lambda m: int(np.count_nonzero(m.students.status[: m.students.n] == code))

        def rolling_retention(m: "CooperationModel") -> float:
            """Partnerships active twelve months ago that are still active now."""
            p = m.partnerships
            start, end, t0 = p.start[: p.n], p.end[: p.n], m.t - 12
            at_risk = (start <= t0) & ((end < 0) | (end > t0))
            kept = at_risk & ((end < 0) | (end > m.t))
            return float(kept.sum() / at_risk.sum()) if at_risk.any() else float("nan")

        skills = {f"skill_{d}": (lambda m, k=k: float(m.latest_grad_skills[k])) for k, d in enumerate(DIMS)}
        return {
            "firm_retention": rolling_retention,
            "graduate_retention_12m": lambda m: m.latest_retention_12m,
            **skills,
            "skill_mean": lambda m: float(np.mean(m.latest_grad_skills)),
            "partnerships": lambda m: len(m.partnerships.active()),
            "firm_willingness": act_w,
            "partnerships_over_3y": over3,
            "enrolled": count(ENROLLED), "interning": count(INTERNING), "employed": count(EMPLOYED),
            "unemployed": count(UNEMPLOYED), "further_study": count(STUDY), "dropped_out": count(DROPPED),
            "firm_strength": lambda m: float(m.firm_strength[m.firm_ever_partner].mean()),
            "school_strength": lambda m: float(m.teacher_quality.mean()),
            "reputation": lambda m: float(m.school_reputation.mean()),
            "teacher_quality": lambda m: float(m.teacher_quality.mean()),
            "belief_gap": lambda m: float(np.abs(m.school_belief - alignment.partner_needs(m)).sum(axis=1).mean()),
        }

    def run(self) -> "CooperationModel":
        while self.running:
            self.step()
        return self
