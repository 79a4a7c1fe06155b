"""Parameter schema: every policy lever of the model and every behavioural constant.

One schema serves validation (``sesim validate``), documentation (``sesim scenarios
--levers`` and the README) and the resolved-parameter file of each run.  It imports
only the standard library, so the CLI's fast paths stay fast.

Each field carries its type, unit, range, meaning and source in ``metadata``
(in the spirit of covasim's ``parameters.py``: one line per parameter with its source).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from .inputs import shown

KINDS = ("policy", "structure", "calibrated", "literature", "assumption")


def lever(
    default: Any,
    lo: Any = None,
    hi: Any = None,
    unit: str = "",
    meaning: str = "",
    source: str = "",
    choices: tuple[str, ...] | None = None,
    kind: str = "policy",
    plausible: tuple[float, float] | None = None,
    why: str = "",
) -> Any:
    """A schema field with its range, unit, meaning and source.

    ``kind`` says what a behavioural parameter is: ``calibrated`` (fitted to the target file by
    ``make calibration``), ``literature`` (taken from the source cited) or ``assumption`` (this
    model's choice); levers are ``policy``, sizes and calendar ``structure``.  ``plausible`` is
    the range a referee would accept, with ``why`` (its source or argument): narrower than the
    validation range ``lo..hi``, which only keeps the model defined.
    """
    assert kind in KINDS, kind
    meta = {
        "lo": lo,
        "hi": hi,
        "unit": unit,
        "meaning": meaning,
        "source": source,
        "choices": choices,
        "kind": kind,
        "plausible": plausible,
        "why": why,
    }
    if isinstance(default, dict):
        return field(default_factory=lambda: dict(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass
class Communication:
    meetings_per_year: int = lever(
        2, 0, 24, "per partnership per year", "themed school-firm meetings (主题会议)", "P2 §三.1"
    )
    depth: float = lever(0.2, 0.0, 1.0, "0..1", "formal (0) ... substantive (1) talk", "P2 §二.1, §三.1")
    online_platform: bool = lever(
        False, meaning="校企协同育人线上沟通平台: frequent light exchanges", source="P2 §三.1"
    )
    seminars_per_year: int = lever(0, 0, 12, "per year", "研讨活动 reviewing experience across partners", "P2 §三.1")
    needs_survey: bool = lever(
        False, meaning="yearly survey of firms' needs (one substantive meeting)", source="P2 §三.1"
    )


@dataclass
class GoalAlignment:
    weight: float = lever(0.0, 0.0, 1.0, "0..1", "a in M2: curriculum c = (1-a) g + a b", "P2 §三.1")


@dataclass
class SchoolCooperation:
    task_coordination: float = lever(
        0.2, 0.0, 1.0, "0..1", "school plans and follows up firm tasks", "P2 §三.2 (学校要主动配合企业)"
    )
    counselling: float = lever(0.1, 0.0, 1.0, "0..1", "疏导 of resistant students", "P2 §三.2 (学校要主动配合企业)")
    grade_sharing: bool = lever(False, meaning="firms see school grades (M7)", source="P2 §三.2 (学校要主动配合企业)")
    joint_evaluation: bool = lever(
        False, meaning="效果共评 feeding back into the curriculum", source="P2 §三.2 (学校要主动配合企业)"
    )


@dataclass
class FirmSupport:
    resources: float = lever(0.2, 0.0, 1.0, "0..1", "human, platform and business resources offered", "P2 §二.2")
    frontline_share: float = lever(0.2, 0.0, 1.0, "share", "share of interns on front-line posts", "P2 §三.2(2)")
    apprenticeship_share: float = lever(
        0.0, 0.0, 1.0, "share", "share of students in modern apprenticeship (现代学徒制)", "P2 §三.2(2)"
    )
    order_class_share: float = lever(
        0.1, 0.0, 1.0, "share", "share of students in order classes (订单班)", "P1 §一, P2 §一.1"
    )
    mentors_per_firm: int = lever(3, 0, 50, "engineers", "engineers available to mentor", "P1 §一 problem 3")
    joint_projects: float = lever(0.0, 0.0, 1.0, "0..1", "项目共立 / 科研共做 intensity", "P2 §三")
    intern_allowance: float = lever(
        3.0,
        0.0,
        10.0,
        "thousand yuan per month",
        "paid to each intern; default what 专科 interns are paid (observed, below the legal floor: 80% of the post's wage, 0.8 x graduate_start_wage = 3.4, scenarios/examples/legal_floor_allowance.toml)",
        "surveys of interns' monthly pay as reported second-hand: 专科 interns 3.2 thousand yuan (2019, 《中国大学生就业报告》), interns of all levels about 2.8 (2021); 职业学校学生实习管理规定 2021 §17 (the floor)",
        plausible=(2.4, 3.4),
        why="what the status quo pays is known only roughly: from below the all-level 2021 mean (2.8) to the legal floor read plainly (3.4); an uncertainty run draws it (analysis/uncertainty.py) for every strategy that does not set its own",
    )


@dataclass
class PartyBuilding:
    mode: Literal["none", "two_skins", "integrated"] = lever(
        "two_skins",
        unit="choice",
        meaning="party building mode (M9): none, 两张皮, integrated",
        source="P1 §一 problem 2, §三(一)",
        choices=("none", "two_skins", "integrated"),
    )
    alliance: bool = lever(False, meaning="党建联盟 (M10)", source="P1 §三(一)")
    co_mentoring: bool = lever(
        False,
        meaning="party-member teacher + party-member engineer pairs mentor interns together (at hosts with a party organisation)",
        source="P1 §三(一)",
    )
    talent_pool: bool = lever(False, meaning="recruit outstanding students as party members (M11)", source="P1 §三(二)")
    teacher_practice: float = lever(
        0.0, 0.0, 1.0, "share", "share of party-member teachers in firm projects", "P1 §三(二)"
    )
    supervision: bool = lever(False, meaning="joint supervision of placements (M17)", source="P1 §二, P2 过程共管")


@dataclass
class Craftsman:
    intensity: float = lever(0.0, 0.0, 1.0, "0..1", "工匠精神 cultivation in classes and practice", "P1 §三(三)")
    competitions_per_year: int = lever(0, 0, 12, "per year", "skill competitions", "P1 §二, §三(三)")


@dataclass
class Population:
    schools: int = lever(6, 1, 100, "schools", "higher vocational colleges (高职院校)", kind="structure")
    firms: int = lever(90, 1, 5000, "firms", "firms in the region (partners and potential partners)", kind="structure")
    partners_per_school: int = lever(15, 1, 200, "firms", "initial partnerships per school", kind="structure")
    cohort_size: int = lever(600, 10, 10000, "students", "students enrolled per school per year", kind="structure")
    programmes: int = lever(4, 1, 20, "fields", "fields (majors); each firm has one field", kind="structure")
    party_members_per_school: int = lever(
        60,
        0,
        1000,
        "teachers",
        "party-member teachers per school (of behaviour.teachers_per_school = 150)",
        "P1 §一 problem 3; share: assumption",
        kind="assumption",
        plausible=(50, 75),
        why="a third to a half of a public 高职's 150 teachers are party members (the usual share; no national series found to cite)",
    )
    ownership_mix: dict = lever(
        {"state": 0.3, "private": 0.6, "foreign": 0.1},
        unit="shares summing to 1",
        meaning="firm ownership: state, private, foreign",
        kind="structure",
    )
    region_market_share: float = lever(
        0.07,
        0.0,
        1.0,
        "share",
        "the region's share of the labour market its graduates enter: the outside market's benchmarks (its belief about a graduate's craft, the field met in skill competitions, the skill at which a hire falls short) move toward the region's own graduates by this share (M12, M15, M16)",
        "教育部 2022年全国教育事业发展统计公报 (1,489 高职 colleges; 高职 538.98万 of 1,014.54万 本专科 entrants)",
        kind="literature",
        plausible=(0.02, 0.2),
        why="six colleges among a province's 48 高职 (1,489 over 31 provinces) make an eighth of its 高职 graduates, and 高职 are 53% of the 本专科 entrants: 0.125 x 0.53 = 0.07 of the new graduates entering the province's market. From 0.02 (six among 90 高职 and a market wider than the province) to 0.2 (a small province or a city's own market)",
    )


@dataclass
class Run:
    years: int = lever(10, 1, 50, "years", "reported years, after warm-up", kind="structure")
    warmup_months: int = lever(36, 0, 240, "months", "simulated, not reported", kind="structure")
    seed: int = lever(0, 0, 2**63 - 1, "integer", "root seed: replicate i uses seed + i", kind="structure")


@dataclass
class Behaviour:
    """Behavioural constants (not policy). Names are the model's own; calibration may free them."""

    # the world at the start (initial conditions, §5 of the ODD)
    school_goal: dict = lever(
        {"theory": 0.40, "technical": 0.20, "innovation": 0.15, "craft": 0.10, "civic": 0.15},
        unit="weights summing to 1",
        meaning="a school's own educational goal g over the skill dimensions: theory first",
        source="P2 §二.1 育人目标存在分歧, 过于主观",
        kind="assumption",
        plausible=None,
        why="a profile, not one number: theory first, as a school-centric goal (P2 §二.1 过于主观); what matters is its gap to firm_needs_mean, which communication and alignment close. No source gives the weights: vary the profile as a whole (a [behaviour] table), not one weight",
    )
    firm_needs_mean: dict = lever(
        {"theory": 0.10, "technical": 0.35, "innovation": 0.15, "craft": 0.25, "civic": 0.15},
        unit="weights summing to 1",
        meaning="mean skill needs n of firms: technical and craft first",
        source="P2 §二.1; docs/odd.md §2",
        kind="assumption",
        plausible=None,
        why="a profile, not one number: technical and craft first (docs/odd.md §2); the weights also set how much each skill counts in productivity and pay. No source gives them: vary the profile as a whole (a [behaviour] table), not one weight",
    )
    needs_concentration: float = lever(
        40.0,
        1.0,
        1000.0,
        "Dirichlet concentration",
        "how closely each firm's needs follow the mean (higher: more alike)",
        "assumption",
        kind="assumption",
        plausible=(20.0, 80.0),
        why="half to double: at 40 a firm's weight on a skill differs from the mean by about ±0.07 (technical 0.35); no source",
    )
    party_org_state: float = lever(
        1.0,
        0.0,
        1.0,
        "share",
        "state-owned firms with a party organisation",
        "中国共产党章程 §三十三 (state enterprises); 中组部 党内统计公报 (公有制企业 90.9%)",
        kind="literature",
        plausible=(0.9, 1.0),
        why="the 党章 asks for a party organisation in state enterprises; the 中组部 党内统计公报 counts one in 90.9% of public-sector firms",
    )
    party_org_private: float = lever(
        0.3,
        0.0,
        1.0,
        "share",
        "private firms with a party organisation",
        "assumption (中组部党内统计公报 report wide but shallow coverage)",
        kind="assumption",
        plausible=(0.1, 0.6),
        why="no share for the firms that host 高职 interns: the 党内统计公报 counts about 1.6 million non-public firms with a party organisation (many through joint branches), a small share of all private firms and a larger one of established firms: a tenth to three fifths",
    )
    party_org_foreign: float = lever(
        0.0,
        0.0,
        1.0,
        "share",
        "foreign firms with a party organisation",
        "assumption (issue: foreign firms have none)",
        kind="assumption",
        plausible=(0.0, 0.2),
        why="the issue's simplification (foreign firms have none); some foreign-invested firms have a branch (counted with the non-public ones in the 党内统计公报): at most a fraction of the private share",
    )
    teacher_quality_floor: float = lever(
        0.1,
        0.0,
        1.0,
        "0..1",
        "lowest teaching quality a school starts with",
        "assumption",
        kind="assumption",
        plausible=(0.05, 0.3),
        why="a bound that keeps the start's normal draw positive; rarely reached",
    )
    initial_teacher_quality: float = lever(
        0.5,
        0.0,
        1.0,
        "0..1",
        "mean teaching quality at the start",
        "教育部 2022-09-06 (双师型 teachers over half of vocational colleges' 专业课 teachers)",
        kind="literature",
        plausible=(0.4, 0.6),
        why="the 双师型 share: over half of vocational colleges' 专业课 teachers by 2022 (教育部), fewer before and among all teachers",
    )
    teacher_quality_sd: float = lever(
        0.05,
        0.0,
        0.5,
        "0..1",
        "spread of teaching quality between schools at the start",
        "assumption",
        kind="assumption",
        plausible=(0.025, 0.1),
        why="half to double: schools of one region differ by a few points of 双师型 share; no source",
    )
    initial_reputation: float = lever(
        0.5,
        0.0,
        1.0,
        "0..1",
        "school reputation at the start (the regional average)",
        "assumption",
        kind="assumption",
        plausible=(0.4, 0.6),
        why="a normalisation: 0.5 is a typical school's standing (M15) and the regional average of reputation_preparation; ±0.1",
    )
    initial_firm_strength: float = lever(
        0.4,
        0.0,
        1.0,
        "0..1",
        "mean firm capability at the start",
        "assumption",
        kind="assumption",
        plausible=(0.3, 0.5),
        why="near the level firm capability tends to (base_strength + hire_strength × hire fit: about 0.43 in the baseline); no source",
    )
    firm_trait_sd: float = lever(
        0.1,
        0.0,
        0.5,
        "0..1",
        "spread of firms' capability and reputation at the start",
        "assumption",
        kind="assumption",
        plausible=(0.05, 0.2),
        why="half to double; no source",
    )
    initial_firm_reputation: float = lever(
        0.4,
        0.0,
        1.0,
        "0..1",
        "mean firm reputation at the start",
        "assumption",
        kind="assumption",
        plausible=(0.3, 0.5),
        why="an initial condition, moved at strength_rate toward what results give (about 0.3 in the baseline); no source",
    )
    mean_partnership_age: float = lever(
        30.0,
        1.0,
        240.0,
        "months",
        "mean age of the partnerships present at the start (geometric)",
        "中国教育报 2022-03-01 (few last over three years)",
        kind="literature",
        plausible=(20.0, 40.0),
        why="21-24% of partnerships with the most stable partners (public institutions, state-owned firms) are older than 3 years (中国教育报 2022-03-01), as in a geometric age distribution of mean about 25 months; an initial condition, renewed in the warm-up",
    )
    initial_trust: float = lever(
        0.05,
        0.0,
        1.0,
        "0..1",
        "mean trust a partnership starts with (those present at the start and those that begin later): the trust the firm brings from the school's standing and earlier contacts",
        "McKnight, Cummings & Chervany 1998 (initial trust in new organisational relationships; assumption)",
        kind="calibrated",
        plausible=(0.0, 0.2),
        why="the prior of the ABC calibration (make calibration; docs/calibration.md), where trust_duration_correlation bounds it; the prior: formal-only talk holds trust near 0.05 (trust_gain × the status quo's squared depth against trust_decay); up to 0.2 for firms that come with more; no source gives a level",
    )
    initial_trust_sd: float = lever(
        0.03,
        0.0,
        0.5,
        "0..1",
        "spread of the trust partnerships start with (sd of a beta distribution around initial_trust)",
        "Vanneste, Puranam & Kretschmer 2014 (initial trust varies between relationships; assumption)",
        kind="calibrated",
        plausible=(0.0, 0.1),
        why="the prior of the ABC calibration (make calibration; docs/calibration.md), where trust_duration_correlation bounds it; the prior: from none (every partnership starts alike) to a spread as wide as twice the status quo's level of trust; no source gives a spread",
    )
    initial_engagement: float = lever(
        0.6,
        0.0,
        1.0,
        "0..1",
        "mean engagement of entrants",
        "assumption",
        kind="assumption",
        plausible=(0.5, 0.7),
        why="engagement_base, the level engagement returns to, ±0.1; no source",
    )
    engagement_sd: float = lever(
        0.1,
        0.0,
        0.5,
        "0..1",
        "spread of entrants' engagement",
        "assumption",
        kind="assumption",
        plausible=(0.05, 0.2),
        why="half to double; no source",
    )
    entrant_skill_sd: float = lever(
        0.05,
        0.0,
        0.5,
        "0..1",
        "spread of entrants' skills",
        "assumption",
        kind="assumption",
        plausible=(0.025, 0.1),
        why="half to double; no source",
    )
    startup_growth: float = lever(
        0.08,
        0.0,
        1.0,
        "share of room per year",
        "skill grown per year of study by the cohorts present at the start",
        "assumption",
        kind="assumption",
        plausible=(0.04, 0.16),
        why="half to double; an initial condition only: the cohorts present at the start graduate within the warm-up",
    )
    # M1 communication and belief
    belief_learning_rate: float = lever(
        0.25,
        0.0,
        1.0,
        "per substantive meeting",
        "share of belief gap closed by one fully substantive event",
        "P2 §三.1",
        kind="assumption",
        plausible=(0.1, 0.5),
        why="P2 says substantive talk builds understanding, not how fast: at 0.25 monthly substantive meetings with every partner close most of a school's belief gap in a year, the status quo's two formal meetings about a tenth; less than half to double",
    )
    online_events_per_year: int = lever(
        24,
        0,
        120,
        "per year",
        "light exchanges per year on the online platform",
        "P2 §三.1",
        kind="assumption",
        plausible=(12, 52),
        why="P2 has the platform used regularly (定期), with no number: monthly to weekly",
    )
    online_depth: float = lever(
        0.15,
        0.0,
        1.0,
        "0..1",
        "depth of one online exchange",
        "assumption",
        kind="assumption",
        plausible=(0.05, 0.3),
        why="a light exchange: from a third to half again a formal meeting's depth (0.2); no source",
    )
    trust_gain: float = lever(
        0.15,
        0.0,
        1.0,
        "per substantive event",
        "trust (feeling heard) gained per substantive event",
        "P2 §三.1 相互理解、相互信任",
        kind="assumption",
        plausible=(0.075, 0.3),
        why="P2: substantive talk builds mutual trust (相互信任), at no stated rate; half to double (at 0.15 monthly substantive meetings hold trust near 0.9)",
    )
    trust_decay: float = lever(
        0.02,
        0.0,
        1.0,
        "per month",
        "monthly decay of trust",
        "assumption",
        kind="assumption",
        plausible=(0.01, 0.04),
        why="trust left alone halves in about three years at 0.02, in one and a half to six at the range; no source",
    )
    meeting_staff_hours: float = lever(
        6.0,
        0.0,
        100.0,
        "staff hours",
        "staff time per meeting",
        "P1 §一 problem 3",
        kind="assumption",
        plausible=(3.0, 12.0),
        why="a themed meeting with its preparation and travel: half a day to two days of staff time; P1 says staff time is short, not what a meeting takes",
    )
    online_staff_hours: float = lever(
        0.5,
        0.0,
        10.0,
        "staff hours",
        "staff time per online exchange",
        "assumption",
        kind="assumption",
        plausible=(0.25, 1.0),
        why="a message thread or short call: a quarter of an hour to an hour; no source",
    )
    survey_depth: float = lever(
        1.0,
        0.0,
        1.0,
        "0..1",
        "depth of the yearly needs survey (one fully substantive meeting)",
        "P2 §三.1",
        kind="assumption",
        plausible=(0.5, 1.0),
        why="a survey of firms' needs is substantive by design (P2 §三.1); a perfunctory one is worth half a meeting. P2 gives no number",
    )
    seminar_depth: float = lever(
        0.5,
        0.0,
        1.0,
        "0..1",
        "depth of a seminar reviewing experience across all partners",
        "P2 §三.1",
        kind="assumption",
        plausible=(0.25, 0.75),
        why="a review across all partners: deeper than formal talk, less than a meeting of one's own; P2 gives no number",
    )
    alliance_events_per_year: int = lever(
        4,
        0,
        24,
        "per partnership per year",
        "party-alliance events with partners that have a party organisation (M10)",
        "P1 §三(一)",
        kind="assumption",
        plausible=(2, 8),
        why="P1 describes an alliance with joint activities, with no number: twice a year to every six weeks",
    )
    alliance_depth: float = lever(
        0.8,
        0.0,
        1.0,
        "0..1",
        "depth of one party-alliance event (M10)",
        "P1 §三(一)",
        kind="assumption",
        plausible=(0.5, 1.0),
        why="joint party activities bring both sides' leaders to one table: between a seminar and a fully substantive meeting; P1 gives no number",
    )
    # M2, M7, M11 the school's belief
    joint_evaluation_pull: float = lever(
        0.3,
        0.0,
        1.0,
        "per year",
        "share of the belief gap to host firms' needs closed by one year's joint evaluation (M7)",
        "P2 §三.2 (学校要主动配合企业)",
        kind="assumption",
        plausible=(0.15, 0.6),
        why="half to double: a yearly joint evaluation moves the school's view a sixth to three fifths of the way to its hosts' needs; P2 gives no number",
    )
    teacher_practice_pull: float = lever(
        0.03,
        0.0,
        1.0,
        "per month",
        "share of the belief gap to partners' needs closed by teachers' firm practice at full share (M11)",
        "P1 §三(二)",
        kind="assumption",
        plausible=(0.015, 0.06),
        why="half to double: at full practice share 0.03 closes 30% of the belief gap to partners' needs in a year; P1 gives no number",
    )
    # M3 learning
    school_learning_rate: float = lever(
        0.030,
        0.0,
        1.0,
        "per month",
        "classroom growth rate per unit curriculum weight",
        "P1 §一 problem 1",
        kind="assumption",
        plausible=(0.02, 0.045),
        why="with initial_skill_mean it sets the skill scale (graduates reach a mean skill of about 0.42 from 0.2); productive_ability, pay_reference_level, competition_field and market_craft_belief are set on that scale, so two thirds to one and a half times; P1 gives no number",
    )
    practice_learning_rate: float = lever(
        0.060,
        0.0,
        1.0,
        "per month",
        "practice growth rate at full challenge and mentoring",
        "P2 §三.2(2)",
        kind="assumption",
        plausible=(0.03, 0.12),
        why="practice at full challenge and mentoring teaches faster than class (P2 §一.2), twice class's rate at the default; half to double; P2 gives no number",
    )
    marginal_challenge: float = lever(
        0.15,
        0.0,
        1.0,
        "0..1",
        "challenge of a marginal post ('neither big mistakes nor big progress')",
        "P2 §三.2(2)",
        kind="assumption",
        plausible=(0.05, 0.3),
        why="'neither big mistakes nor big progress' (P2 §三.2(2)): a twentieth to under a third of a front-line post's challenge; P2 gives no number",
    )
    frontline_challenge: float = lever(
        1.0,
        0.0,
        2.0,
        "0..1",
        "challenge of a front-line post",
        "P2 §三.2(2)",
        kind="assumption",
        plausible=(0.75, 1.25),
        why="the unit of challenge (practice_learning_rate is the growth at 1), so ±25%; P2 gives no number",
    )
    competition_craft_base: float = lever(
        0.5,
        0.0,
        2.0,
        "share of competition_gain",
        "craft grown by a competition without craftsman cultivation (intensity adds to it)",
        "P1 §二 (assumption)",
        kind="assumption",
        plausible=(0.25, 1.0),
        why="competitions train care and precision even without a craftsman programme",
    )
    competition_gain: float = lever(
        0.02,
        0.0,
        1.0,
        "per competition",
        "innovation/craft growth per skill competition",
        "P1 §二",
        kind="assumption",
        plausible=(0.01, 0.04),
        why="half to double; P1 names competitions, not what one teaches",
    )
    project_innovation_rate: float = lever(
        0.02,
        0.0,
        1.0,
        "per month",
        "innovation growth of an intern while the host runs a joint project with the school (M14)",
        "P2 §三 项目共立",
        kind="assumption",
        plausible=(0.01, 0.04),
        why="half to double; P2 names 项目共立, not what a project teaches",
    )
    initial_skill_mean: float = lever(
        0.2,
        0.0,
        1.0,
        "0..1",
        "mean skill on entry",
        "assumption",
        kind="assumption",
        plausible=(0.15, 0.3),
        why="entrants' skill on the model's scale (graduates about 0.42): with school_learning_rate it sets that scale; no source",
    )
    craft_class_gain: float = lever(
        2.0,
        0.0,
        10.0,
        "multiplier of school_learning_rate",
        "craft growth in class at full craftsman intensity (M12)",
        "P1 §三(三)",
        kind="assumption",
        plausible=(1.0, 4.0),
        why="half to double; P1 names craftsman cultivation in class, not its strength",
    )
    craft_civic_gain: float = lever(
        0.5,
        0.0,
        10.0,
        "multiplier of school_learning_rate",
        "civic growth in class at full craftsman intensity (M12)",
        "P1 §三(三)",
        kind="assumption",
        plausible=(0.25, 1.0),
        why="half to double; P1 ties craft to civic education (劳模精神, 工匠精神), with no number",
    )
    # M9 party building reaches students in hours of contact, at one effect per hour in every mode
    class_hours_per_month: float = lever(
        80.0,
        10.0,
        200.0,
        "hours per month",
        "timetabled hours of a student in school (the unit in which an hour of party activity is weighed against an hour of teaching)",
        "教职成〔2019〕13号 (three-year 高职: at least 2,500 学时, 40 teaching weeks a year, about half of them practice)",
        kind="literature",
        plausible=(60.0, 100.0),
        why="2,500+ 学时 over three years of 40 weeks, less the 岗位实习 months: 15-25 hours a week",
    )
    party_hour_effect: float = lever(
        1.0,
        0.0,
        10.0,
        "relative to an hour of teaching",
        "civic growth from an hour of party activity (lecture, guidance, co-mentoring), relative to an hour of the timetable spent on civic teaching by a teacher of full quality; the same in every mode (M9)",
        "P1 §一 problem 2, §三(一) (assumption)",
        kind="assumption",
        plausible=(0.5, 2.0),
        why="an hour of party work is civic teaching by other means: from half (a lecture hall) to twice (small-group guidance by a role model) an hour of civic class",
    )
    party_lecture_hours: float = lever(
        8.0,
        0.0,
        100.0,
        "hours per student-year",
        "两张皮: party lectures and ceremonies reaching an ordinary student in school, separate from teaching and practice (M9)",
        "P1 §一 problem 2 (assumption)",
        kind="assumption",
        plausible=(4.0, 12.0),
        why="one to three 2-hour 党课, themed lectures or ceremonies a semester open to all students; the branches' own 三会一课 reach members only",
    )
    party_guidance_hours: float = lever(
        12.0,
        0.0,
        100.0,
        "hours per student-month",
        "integrated: hours of a guided student's month in which party-member teachers carry party work into teaching and practice teaching (课程思政, 实训基地, 订单班), at full reach (M9)",
        "P1 §三(一) 党组织积极参与…实训基地建设、订单班的运行 (assumption)",
        kind="assumption",
        plausible=(4.0, 20.0),
        why="one to five hours a week: from one course to a quarter of a 20-hour week taught or guided by party-member teachers",
    )
    co_mentor_engineer_hours: float = lever(
        6.0,
        0.0,
        100.0,
        "hours per intern-month",
        "integrated with co-mentoring: guided contact of an intern with a party-member engineer of the host firm, at full mentoring quality; only at hosts with a party organisation (M9)",
        "P1 §三(一) 党员教师与企业的党员工程师共同指导 (assumption)",
        kind="assumption",
        plausible=(2.0, 12.0),
        why="half an hour to three hours a week of an engineer's guidance, who mentors several interns (behaviour.engineer_capacity) beside the job",
    )
    reputation_preparation: float = lever(
        0.1,
        0.0,
        1.0,
        "skill per unit reputation",
        "entrants' skill shift per unit school reputation above 0.5 (M15)",
        "P2 §三 齐荣 (assumption)",
        kind="assumption",
        plausible=(0.05, 0.2),
        why="half to double (at 0.1 a school of reputation 0.7 gets entrants 0.02 more skilled); no source",
    )
    # M5 mentoring
    engineer_capacity: float = lever(
        8.0,
        0.1,
        50.0,
        "interns per engineer",
        "interns an engineer mentors well",
        "P1 §一 problem 3",
        kind="assumption",
        plausible=(4.0, 16.0),
        why="an engineer mentors a handful of interns beside the job; P1 says engineers are overloaded, not how many they can guide: half to double",
    )
    teacher_capacity: float = lever(
        10.0,
        0.1,
        200.0,
        "interns per teacher",
        "interns a party-member teacher mentors well, giving each teacher_hours_per_month / teacher_capacity hours a month (M5, M9)",
        "P1 §一 problem 3",
        kind="assumption",
        plausible=(5.0, 20.0),
        why="half to double (4 hours a month per intern at the default); P1 says teachers are overloaded, with no number",
    )
    class_contact: float = lever(
        60.0,
        1.0,
        1000.0,
        "students per party member",
        "students in school one party-member teacher can guide (M9 reach: 课程思政, 实训基地, 订单班)",
        "P1 §一 problem 3",
        kind="assumption",
        plausible=(30.0, 120.0),
        why="the one to three classes of 40-50 students a party-member teacher teaches or guides; P1 gives no number",
    )
    apprenticeship_bonus: float = lever(
        1.5,
        1.0,
        5.0,
        "multiplier",
        "1:1 mentoring multiplier when mentors have time",
        "P2 §三.2(2) 一帮一",
        kind="assumption",
        plausible=(1.2, 2.0),
        why="1:1 mentoring (一帮一) beats a shared mentor when the mentor has time; P2 names it, with no number",
    )
    no_mentor_quality: float = lever(
        0.15,
        0.0,
        1.0,
        "0..1",
        "mentoring quality of interns left to themselves (no engineers)",
        "P1 §一 problem 3",
        kind="assumption",
        plausible=(0.05, 0.3),
        why="an intern left to itself still learns a little from colleagues; half to double; P1 gives no number",
    )
    teacher_hours_per_month: float = lever(
        40.0,
        1.0,
        1000.0,
        "hours per month",
        "hours a party-member teacher has for mentoring interns and talk with firms (M1, M5)",
        "P1 §一 problem 3",
        kind="assumption",
        plausible=(20.0, 80.0),
        why="5-20 hours a week beside teaching and research for interns and firms; P1 says the load is heavy, with no number",
    )
    co_mentoring_load: float = lever(
        1.5,
        1.0,
        5.0,
        "multiplier",
        "teacher time per co-mentored intern relative to plain mentoring",
        "P1 §三(二), §一 problem 3",
        kind="assumption",
        plausible=(1.2, 2.0),
        why="pairing with an engineer costs the teacher coordination: a fifth more to twice the time; no source",
    )
    # M6 engagement and resistance
    engagement_rate: float = lever(
        0.2,
        0.0,
        1.0,
        "per month",
        "speed at which engagement moves to its target",
        "P2 §二.2",
        kind="assumption",
        plausible=(0.1, 0.4),
        why="engagement settles within months: half-life about 3 months at 0.2, 1.4-6.6 at the range; P2 gives no number",
    )
    frontline_engagement: float = lever(
        0.15,
        0.0,
        1.0,
        "0..1",
        "engagement gained on a front-line post ('感受到一线工作的乐趣')",
        "P2 §三.2(2)",
        kind="assumption",
        plausible=(0.05, 0.3),
        why="'感受到一线工作的乐趣' (P2 §三.2(2)): a small lift of engagement; half to double; P2 gives no number",
    )
    resistance_rate: float = lever(
        0.25,
        0.0,
        1.0,
        "per month",
        "resistance growth per unit source (task mismatch, out-of-field placement, missing supervision)",
        "P2 §二.2",
        kind="assumption",
        plausible=(0.125, 0.5),
        why="half to double; with the dropout parameters it sets internship_completion (about 0.81 at the defaults); P2 names resistance, not its rate",
    )
    resolution_rate: float = lever(
        0.5,
        0.0,
        1.0,
        "per month",
        "resistance resolved per unit counselling/coordination",
        "P2 §三.2 (学校要主动配合企业)",
        kind="assumption",
        plausible=(0.25, 1.0),
        why="full counselling resolves a quarter to all of an intern's resistance in a month; P2 §三.2 (学校要主动配合企业) names 疏导, not its rate",
    )
    dropout_threshold: float = lever(
        0.15,
        0.0,
        0.99,
        "0..1",
        "resistance above which an intern may break off the placement: the break hazard rises linearly from 0 here to dropout_hazard at resistance 1",
        "P2 §二.2",
        kind="assumption",
        plausible=(0.05, 0.4),
        why="unresolved resistance, not any discontent, makes an intern leave; below the level at which the school counsels (counselled_resistance) little happens",
    )
    dropout_hazard: float = lever(
        0.2,
        0.0,
        1.0,
        "per month",
        "monthly hazard of breaking off the placement at resistance 1",
        "assumption",
        kind="assumption",
        plausible=(0.1, 0.5),
        why="a fully resistant intern leaves within a few months; with the other defaults it gives internship_completion 0.8-0.9, where 高职 case reports put it (fewer than three fifths completing at one unit in a school report; about 9% gone in the first four weeks)",
    )
    engagement_base: float = lever(
        0.6,
        0.0,
        1.0,
        "0..1",
        "engagement target in class and on a neutral internship",
        "assumption",
        kind="assumption",
        plausible=(0.5, 0.7),
        why="a student in class is more engaged than not; ±0.1; no source",
    )
    support_engagement: float = lever(
        0.3,
        0.0,
        2.0,
        "per unit support",
        "engagement gained per unit firm support above support_reference",
        "P2 §二.2",
        kind="assumption",
        plausible=(0.15, 0.6),
        why="half to double; P2 §二.2 says a firm that does not support the school hurts students' learning, with no number",
    )
    support_reference: float = lever(
        0.5,
        0.0,
        1.0,
        "0..1",
        "firm support (resources actually given) at which an intern's engagement target is the neutral engagement_base",
        "P2 §二.2 (assumption)",
        kind="assumption",
        plausible=(0.3, 0.7),
        why="the middle of the support scale: less support than that discourages, more encourages",
    )
    resistance_penalty: float = lever(
        0.4,
        0.0,
        2.0,
        "per unit resistance",
        "engagement lost per unit resistance",
        "P2 §二.2, §三.2 (学校要主动配合企业)",
        kind="assumption",
        plausible=(0.2, 0.8),
        why="half to double; no source",
    )
    frontline_difficulty: float = lever(
        0.55,
        0.0,
        1.0,
        "ability units",
        "task difficulty of a front-line post",
        "P2 §三.2(2)",
        kind="assumption",
        plausible=(0.45, 0.65),
        why="a front-line post asks what a fully productive worker can do (productive_ability 0.45) or a little more; ±0.1 ability units; P2 gives no number",
    )
    marginal_difficulty: float = lever(
        0.05,
        0.0,
        1.0,
        "ability units",
        "task difficulty of a marginal post ('too dull')",
        "P2 §三.2(2)",
        kind="assumption",
        plausible=(0.0, 0.15),
        why="a marginal post asks almost nothing ('too dull'); P2 gives no number",
    )
    mismatch_tolerance: float = lever(
        0.1,
        0.0,
        1.0,
        "ability units",
        "difficulty-ability gap that causes no resistance",
        "assumption",
        kind="assumption",
        plausible=(0.05, 0.2),
        why="half to double; no source",
    )
    supervision_rate: float = lever(
        0.3,
        0.0,
        1.0,
        "per month",
        "chance that joint supervision moves an inspected marginal placement to the front line (M17)",
        "P1 §二, P2 过程共管",
        kind="assumption",
        plausible=(0.15, 0.6),
        why="a monthly inspection moves a marginal placement in about 2-7 months on average; P1 and P2 name supervision, not its rate",
    )
    coordination_prevention: float = lever(
        0.5,
        0.0,
        1.0,
        "share",
        "share of the growth of resistance that full task coordination prevents (the school plans the firm's tasks with it)",
        "P2 §三.2 (学校要主动配合企业) 统筹规划",
        kind="assumption",
        plausible=(0.3, 0.7),
        why="coordination removes the part of the friction that comes from tasks nobody planned for the intern, not the mismatch of the post itself",
    )
    coordination_resolution: float = lever(
        0.5,
        0.0,
        2.0,
        "relative to counselling",
        "weight of task coordination (following up the intern's tasks) beside counselling in resolving resistance",
        "P2 §三.2 (学校要主动配合企业) 督促相关学生保质保量地完成任务",
        kind="assumption",
        plausible=(0.25, 1.0),
        why="follow-up of tasks resolves some resistance, less than counselling (疏导) aimed at it",
    )
    out_of_field_resistance: float = lever(
        0.15,
        0.0,
        1.0,
        "ability units",
        "source of resistance of a placement outside the student's field, added to the task mismatch (poor fit)",
        "中国职业技术教育 2015(12) (out-of-field internships)",
        kind="assumption",
        plausible=(0.05, 0.3),
        why="an out-of-field post frustrates about as much as a task a quarter of the ability scale off; students in unrelated posts are the least satisfied with their internships",
    )
    supervision_resistance: float = lever(
        0.15,
        0.0,
        1.0,
        "ability units per unit missing mentoring",
        "source of resistance of poor supervision: this times (1 - mentoring quality), added to the task mismatch",
        "P2 §三.2(2) 不对学生进行必要引导; P1 §一 problem 3",
        kind="assumption",
        plausible=(0.05, 0.3),
        why="an intern left to itself (no mentor) frustrates like an out-of-field post; mentoring at capacity adds nothing",
    )
    outside_break_rate: float = lever(
        0.008,
        0.0,
        1.0,
        "per month at mean mobility",
        "hazard of leaving a placement for an outside option (a job, study for 专升本), scaled by the student's mobility; counselling does not reach it",
        "assumption",
        kind="assumption",
        plausible=(0.003, 0.02),
        why="a minority of early leavers go for a better option rather than out of resistance: about 5% of a six-month internship at mean mobility",
    )
    # M8 firm accounting
    productive_ability: float = lever(
        0.45,
        0.05,
        1.0,
        "0..1",
        "needs-weighted skill at which an intern on a front-line post is fully productive",
        "assumption",
        kind="assumption",
        plausible=(0.4, 0.5),
        why="the needs-weighted skill of a fully productive worker on the model's skill scale: the baseline graduate (about 0.41) falls a tenth short, which dismissal_rate was calibrated against; ±0.05; no source",
    )
    intern_value: float = lever(
        0.77,
        0.0,
        1.0,
        "share of a regular worker's productive value",
        "productive value of a fully ramped intern on a front-line post of its own field, at full ability and mentoring, relative to a regular worker in the same post",
        "BIBB and Swiss cost-benefit surveys of firm-based training (relative performance of trainees; Schönfeld et al. 2016, Mühlemann & Wolter 2014)",
        kind="calibrated",
        plausible=(0.6, 0.9),
        why="the prior of the ABC calibration (make calibration; docs/calibration.md)",
    )
    nonwage_labour_cost: float = lever(
        0.35,
        0.0,
        1.0,
        "share of the wage",
        "employer's social insurance and housing fund (五险一金) on top of the wage: a regular worker in the post produces at least its labour cost, graduate_start_wage x (1 + this)",
        "国务院办公厅 2019 (pension 16%), 社会保险法; housing fund 5-12%",
        kind="literature",
        plausible=(0.28, 0.42),
        why="pension 16%, medical 6-10%, unemployment, injury and maternity about 2%, housing fund 5-12% of the wage",
    )
    intern_value_sd: float = lever(
        0.0,
        0.0,
        2.0,
        "log sd",
        "spread of intern value between firms (mean-one log-normal factor on intern_value)",
        "冉云芳 & 石伟平 2020 (行业之间的差异巨大)",
        kind="calibrated",
        plausible=(0.0, 0.8),
        why="the prior of the ABC calibration (make calibration; docs/calibration.md)",
    )
    intern_value_persistence: float = lever(
        12.0,
        1.0,
        1200.0,
        "months",
        "correlation time of a firm's intern-value factor: firms' need for interns moves with their business (mean-reverting, keeping the spread intern_value_sd)",
        "冉云芳 & 石伟平 2020 (firms take interns to fill short-term labour needs, 弥补短期用工需求)",
        kind="assumption",
        plausible=(6.0, 36.0),
        why="firms take interns for short-term labour needs (seasonal and order-driven work); a firm's need for interns two years on is largely new",
    )
    ramp_months: float = lever(
        4.0,
        0.1,
        24.0,
        "months",
        "months for an intern to reach full productivity (linear from the first month)",
        "冉云芳 & 石伟平 2020 (break-even month 4)",
        kind="literature",
        plausible=(3.0, 6.0),
        why="the ramp-up behind break-even in the 4th month and pay-back by the 8th (冉云芳 & 石伟平 2020): three to six months",
    )
    two_semester_share: float = lever(
        0.12,
        0.0,
        1.0,
        "share",
        "share of regular-track students whose internship (岗位实习) lasts two semesters (12 months) rather than one (6); order classes and apprentices always take two",
        "2014 survey of 1,762 vocational interns (中国职业技术教育 2015(12); the source of internship_out_of_field): 高职 interns' actual internship length one semester 78.9%, two semesters 21.1%",
        kind="literature",
        plausible=(0.05, 0.21),
        why="21.1% of the surveyed 高职 interns spent two semesters; the order-class students among them (the baseline's 10%, docs/odd.md §11) take two anyway, so the regular track's share is (0.211 - 0.10) / 0.90 = 0.12; from half that to the whole 21.1% if the survey had no order classes",
    )
    mentor_cost: float = lever(
        0.15,
        0.0,
        20.0,
        "thousand yuan per intern-month",
        "engineer time per mentored intern",
        "冉云芳 & 石伟平 2020 (costs are mostly labour: allowance and mentors' time)",
        kind="assumption",
        plausible=(0.1, 0.5),
        why="about five hours of an engineer's month (8-10 thousand yuan) per intern",
    )
    training_cost: float = lever(
        0.5,
        0.0,
        20.0,
        "thousand yuan",
        "induction and safety training in the first internship month",
        "冉云芳 & 石伟平 2020",
        kind="assumption",
        plausible=(0.3, 2.0),
        why="a week or two of a trainer's and the intern's time, with materials and insurance; break-even stays in month 4 across the range",
    )
    hire_value: float = lever(
        2.5,
        0.0,
        12.0,
        "months of the graduate wage",
        "recruitment and induction cost a firm saves by hiring an intern it trained (its own trainee) instead of a worker from the outside market",
        "Muehlemann & Pfeifer 2016 (Germany: over 8 weeks of wages); Muehlemann & Strupler Leiser 2018 (Switzerland: 16 weeks)",
        kind="literature",
        plausible=(1.9, 3.7),
        why="average hiring costs of a skilled worker: 8 weeks of wages in Germany, 16 weeks in Switzerland",
    )
    search_cost_share: float = lever(
        0.21,
        0.0,
        1.0,
        "share of hire_value",
        "share of the hiring cost saved when the firm hires a graduate of its partner school it did not train (search only, not induction)",
        "Muehlemann & Strupler Leiser 2018 (search 21% of hiring costs; instruction and disruption the rest)",
        kind="literature",
        plausible=(0.15, 0.3),
        why="search is about a fifth of a vacancy's cost in the Swiss survey",
    )
    hire_payback_months: float = lever(
        12.0,
        1.0,
        60.0,
        "months",
        "tenure over which the saved hiring cost is earned: a hire who leaves at tenure k forfeits the share 1 - k/this (the post must be filled again)",
        "Mühlemann & Wolter 2014 (post-training benefits need retention)",
        kind="assumption",
        plausible=(6.0, 24.0),
        why="a hire who stays a year has spared the firm one recruitment; MyCOS measures early turnover within the first year",
    )
    service_value: float = lever(
        30.0,
        0.0,
        500.0,
        "thousand yuan per year",
        "school services (技术服务, training) at full joint projects",
        "P2 §三",
        kind="assumption",
        plausible=(15.0, 60.0),
        why="school services (技术服务, training) worth tens of thousands of yuan a year at full joint projects; P2 names them, with no number: half to double",
    )
    resource_cost: float = lever(
        20.0,
        0.0,
        500.0,
        "thousand yuan per year",
        "cost of resources at full support",
        "P2 §二.2",
        kind="assumption",
        plausible=(10.0, 40.0),
        why="half to double; P2 names the resources, not their cost (pattern 6 fails only far beyond, at 400)",
    )
    disruption_cost: float = lever(
        0.25,
        0.0,
        20.0,
        "thousand yuan per intern-month",
        "disruption of the firm's work by an intern without school task coordination",
        "P2 §三.2 (学校要主动配合企业)",
        kind="assumption",
        plausible=(0.1, 0.6),
        why="a few hours a month of a colleague's time redoing or arranging unplanned tasks",
    )
    willingness_rate: float = lever(
        0.08,
        0.0,
        1.0,
        "per month",
        "speed at which W moves to its target",
        "P2 §二.1",
        kind="assumption",
        plausible=(0.04, 0.16),
        why="firms 'slowly' lose the will to cooperate (P2 §二.1 慢慢失去合作意愿): half-life about 8 months at 0.08, 4-17 at the range; P2 gives no rate",
    )
    benefit_scale: float = lever(
        100.0,
        0.1,
        1000.0,
        "thousand yuan per year",
        "net benefit giving a strong pull on W",
        "assumption",
        kind="assumption",
        plausible=(50.0, 200.0),
        why="half to double (at 100 a net benefit of 100 thousand yuan a year moves W by one logit); no source",
    )
    social_motive: float = lever(
        -1.0,
        -3.0,
        3.0,
        "logit",
        "non-pecuniary motive (social responsibility) net of the cooperation's unpriced burdens (management attention, safety risk of interns)",
        "assumption",
        kind="calibrated",
        plausible=(-2.0, 1.0),
        why="the prior of the ABC calibration (make calibration; docs/calibration.md)",
    )
    motive_sd: float = lever(
        1.0,
        0.0,
        5.0,
        "logit",
        "spread of the non-pecuniary motive between firms",
        "assumption",
        kind="calibrated",
        plausible=(0.3, 1.5),
        why="the prior of the ABC calibration (make calibration; docs/calibration.md)",
    )
    alliance_motive: float = lever(
        0.5,
        0.0,
        3.0,
        "logit",
        "motive added by a party alliance for firms with a party organisation",
        "P1 §三(一)",
        kind="assumption",
        plausible=(0.25, 1.0),
        why="half to double (half the motives' spread motive_sd at the default); P1 gives no number",
    )
    trust_weight: float = lever(
        3.0,
        0.0,
        10.0,
        "logit",
        "weight of feeling heard in W",
        "P2 §三.1",
        kind="calibrated",
        plausible=(1.5, 6.0),
        why="the prior of the ABC calibration (make calibration; docs/calibration.md), where firm_loss_share, partnerships_over_3y and trust_duration_correlation bound it (low-trust partners leave); the prior: half to double (full trust worth about two logits at 3); P2 says being heard matters, not how much",
    )
    exit_threshold: float = lever(
        0.45,
        0.0,
        1.0,
        "0..1",
        "W below which the firm considers leaving",
        "P2 §二.1",
        kind="assumption",
        plausible=(0.35, 0.5),
        why="a firm considers leaving once its willingness falls below indifference (0.5); P2 gives no number",
    )
    exit_months: int = lever(
        6,
        1,
        60,
        "months",
        "consecutive low-W months before exit",
        "P2 §二.1",
        kind="assumption",
        plausible=(3, 12),
        why="a quarter to a year of low willingness before a firm ends the agreement; P2 gives no number",
    )
    shock_state: float = lever(
        0.004,
        0.0,
        1.0,
        "per month",
        "outside-shock exit hazard, state-owned (restructuring, relocation, closure: events outside the cooperation)",
        "中国教育报 2022-03-01 (state-owned partners the most stable)",
        kind="assumption",
        plausible=(0.002, 0.008),
        why="state-owned firms rarely close or move; 3-6% a year",
    )
    shock_private: float = lever(
        0.008,
        0.0,
        1.0,
        "per month",
        "outside-shock exit hazard, private",
        "中国教育报 2022-03-01; 国家工商总局 2013 全国内资企业生存时间分析报告",
        kind="assumption",
        plausible=(0.004, 0.015),
        why="private firms close or move at several per cent a year; between the state-owned and the foreign hazards",
    )
    shock_foreign: float = lever(
        0.015,
        0.0,
        1.0,
        "per month",
        "outside-shock exit hazard, foreign and joint-venture",
        "中国教育报 2022-03-01 (foreign and joint-venture partners churn most)",
        kind="assumption",
        plausible=(0.01, 0.03),
        why="foreign and joint-venture firms relocate or withdraw most often: about twice the private hazard",
    )
    intern_capacity: int = lever(
        30,
        1,
        2000,
        "interns per partnership",
        "interns a partner firm hosts from one school at a time; the rest practise in school",
        "assumption",
        kind="assumption",
        plausible=(10, 60),
        why="a model partner stands for a few of a 高职's real partner firms (population.partners_per_school is small); 10-60 places per school at a time keeps most students placed, as the 顶岗实习 reports have it",
    )
    marginal_productivity: float = lever(
        0.9,
        0.0,
        1.0,
        "share of a front-line post's value",
        "value of a marginal post's (unskilled) work relative to the front-line post, whatever the intern's skill or field",
        "国家统计局 2019 农民工监测调查报告 (3,962 yuan a month) against MyCOS 2019届 高职 (4,295)",
        kind="literature",
        plausible=(0.8, 0.95),
        why="unskilled work is valued at an unskilled worker's pay, about 0.92 of a 高职 graduate's starting pay",
    )
    mentor_productivity: float = lever(
        0.2,
        0.0,
        1.0,
        "share",
        "share of an intern's value that depends on mentoring quality (M5)",
        "P1 §一 problem 3 (assumption)",
        kind="assumption",
        plausible=(0.1, 0.4),
        why="an unmentored intern still does routine work; mentoring mostly saves mistakes and rework",
    )
    craft_productivity: float = lever(
        0.3,
        0.0,
        3.0,
        "per unit craft",
        "front-line value gained per unit craft, up to a fully productive intern (M12)",
        "P1 §三(三)",
        kind="assumption",
        plausible=(0.15, 0.6),
        why="half to double; P1 says craft makes a better worker, with no number",
    )
    teacher_practice_service: float = lever(
        0.5,
        0.0,
        2.0,
        "relative to joint projects",
        "school services from party-member teachers' firm practice at full share (M11)",
        "P1 §三(二)",
        kind="assumption",
        plausible=(0.25, 1.0),
        why="half to double; P1 names teachers' work in firm projects, with no number",
    )
    trust_reference: float = lever(
        0.3,
        0.0,
        1.0,
        "0..1",
        "trust at which feeling heard adds nothing to W",
        "P2 §三.1 (assumption)",
        kind="assumption",
        plausible=(0.15, 0.45),
        why="±50%; no source",
    )
    reciprocity_floor: float = lever(
        0.5,
        0.0,
        1.0,
        "share",
        "share of agreed resources a firm at W = 0 still gives",
        "P2 §二.2 (assumption)",
        kind="assumption",
        plausible=(0.25, 0.75),
        why="a reluctant firm still gives a quarter to three quarters of what it agreed; no source",
    )
    benefit_memory: float = lever(
        12.0,
        1.0,
        120.0,
        "months",
        "memory of the smoothed annual net benefit that drives W",
        "assumption",
        kind="assumption",
        plausible=(6.0, 24.0),
        why="firms judge the cooperation over half a year to two years (a year is the budget cycle); no source",
    )
    initial_willingness: float = lever(
        0.5,
        0.0,
        1.0,
        "0..1",
        "W of a new partnership",
        "assumption",
        kind="assumption",
        plausible=(0.4, 0.6),
        why="a new partner starts undecided, ±0.1; no source",
    )
    alliance_brokerage: float = lever(
        0.5,
        0.0,
        5.0,
        "relative",
        "extra partner-entry chance with a party alliance (M10)",
        "P1 §三(一) 其辖内企业",
        kind="assumption",
        plausible=(0.25, 1.0),
        why="half to double; P1 (其辖内企业) says an alliance introduces firms, not how many",
    )
    # M13, M16 labour market
    graduate_start_wage: float = lever(
        4.2,
        1.0,
        20.0,
        "thousand yuan per month",
        "starting pay of a 高职 graduate in a regular post (MyCOS: 4,112 yuan for the 2018届, 4,295 for the 2019届, at six months)",
        "MyCOS 就业蓝皮书 2019, 2020",
        kind="literature",
        plausible=(4.1, 4.3),
        why="MyCOS 高职 2018-2019届",
    )
    hiring_demand: float = lever(
        0.35,
        0.0,
        5.0,
        "hires per partnership-year per programme share",
        "partner hiring demand, relative to interns",
        "P1 §一",
        kind="assumption",
        plausible=(0.2, 0.7),
        why="at the default partners hire about one in seven of the interns they placed; P1 names hiring, with no number, and 冉云芳 & 石伟平 (2020) find few interns stay: about half to double",
    )
    screening_noise: float = lever(
        0.3,
        0.0,
        2.0,
        "sd",
        "noise in a firm's view of candidates without grade sharing",
        "P2 §三.2 (学校要主动配合企业)",
        kind="assumption",
        plausible=(0.15, 0.6),
        why="half to double; P2 says grades help firms judge students (M7), not how much they err without them",
    )
    further_study_share: float = lever(
        0.06,
        0.0,
        1.0,
        "share",
        "graduates continuing study (专升本)",
        "MyCOS",
        kind="literature",
        plausible=(0.04, 0.12),
        why="MyCOS: about 6% of 高职 graduates in further study (专升本) at six months in the late 2010s; more since the 2019 expansion of 专升本",
    )
    job_finding_rate: float = lever(
        0.3,
        0.0,
        1.0,
        "per month",
        "outside job-finding rate",
        "MyCOS",
        kind="calibrated",
        plausible=(0.2, 0.5),
        why="the prior of the ABC calibration (make calibration; docs/calibration.md)",
    )
    job_finding_skill_gain: float = lever(
        0.8,
        0.0,
        2.0,
        "per unit mean skill",
        "rise of the job-finding rate with mean skill (the rate is job_finding_rate at skill 0.5)",
        "assumption",
        kind="assumption",
        plausible=(0.4, 1.6),
        why="half to double; no source",
    )
    in_field_share: float = lever(
        0.52,
        0.0,
        1.0,
        "share",
        "outside jobs in the graduate's own field",
        "MyCOS",
        kind="calibrated",
        plausible=(0.45, 0.75),
        why="the prior of the ABC calibration (make calibration; docs/calibration.md)",
    )
    offer_rate: float = lever(
        0.9,
        0.0,
        1.0,
        "per month",
        "outside offers per employed graduate-month at mean mobility",
        "assumption (MyCOS gives turnover, not offers)",
        kind="assumption",
        plausible=(0.45, 1.0),
        why="MyCOS gives turnover, not how often offers arrive; the calibrated switching_cost and tenure_value absorb its level: half to one a month",
    )
    switching_cost: float = lever(
        0.6,
        0.0,
        5.0,
        "job-value units",
        "cost of changing job (search, moving, losing the probation period 试用期)",
        "assumption",
        kind="calibrated",
        plausible=(0.3, 1.0),
        why="the prior of the ABC calibration (make calibration; docs/calibration.md)",
    )
    offer_match_known: float = lever(
        1.0,
        0.0,
        1.0,
        "share",
        "share of an accepted offer's non-pay draws (prospects, occupation taste, amenities) that proves real in the new job (1: known when accepted, pure job shopping; 0: an experience good); pay is contractual",
        "MyCOS reasons for quitting (assumption)",
        kind="calibrated",
        plausible=(0.2, 1.0),
        why="the prior of the ABC calibration (make calibration; docs/calibration.md)",
    )
    offer_sd: float = lever(
        1.0,
        0.0,
        5.0,
        "job-value units",
        "spread of outside offers' value (pay, prospects, occupation taste and other amenities together)",
        "assumption",
        kind="assumption",
        plausible=(0.8, 1.4),
        why="spread of outside offers in job-value units; the calibration of stop 10 put it at 1.07 [0.84, 1.43]",
    )
    fit_value: float = lever(
        0.35,
        0.0,
        5.0,
        "job-value units",
        "value of fit to the post: alignment (cosine of skills and needs) times the field match",
        "MyCOS reasons for quitting",
        kind="assumption",
        plausible=(0.2, 0.7),
        why="MyCOS's reasons for quitting name fit, not its weight in job-value units: about half to double",
    )
    prospects_value: float = lever(
        0.25,
        0.0,
        5.0,
        "job-value units",
        "development prospects of a partner post",
        "MyCOS 个人发展空间",
        kind="assumption",
        plausible=(0.125, 0.5),
        why="MyCOS names too little room to develop (31% of early leavers), not its weight in job-value units: half to double",
    )
    familiarity_value: float = lever(
        0.15,
        0.0,
        5.0,
        "job-value units",
        "familiarity from an internship at the same firm",
        "assumption",
        kind="assumption",
        plausible=(0.075, 0.3),
        why="half to double; no source",
    )
    craft_value: float = lever(
        0.1,
        0.0,
        5.0,
        "job-value units per unit craft",
        "commitment: value of staying in the current post per unit craft, beyond what craft earns through pay (工匠精神 as 爱岗敬业)",
        "P1 §三(三) (assumption)",
        kind="assumption",
        plausible=(0.0, 0.3),
        why="an assumption: P1 says 走技能成才、技能报国之路, not 'stay longer'; kept small (at 0.3, a graduate of craft 0.7 is held 0.11 job-value units more than one of the baseline's 0.34, a tenth of an offer's spread), and pattern 5 and the strategies' turnover gains hold with it at 0 (docs/odd.md M12)",
    )
    tenure_value: float = lever(
        0.06,
        0.0,
        1.0,
        "job-value units per month",
        "value of tenure",
        "assumption",
        kind="calibrated",
        plausible=(0.02, 0.1),
        why="the prior of the ABC calibration (make calibration; docs/calibration.md)",
    )
    dismissal_window: int = lever(
        12,
        1,
        60,
        "months of tenure",
        "months after hiring in which a poor match shows and may be dismissed",
        "MyCOS (most dismissals in the first year)",
        kind="assumption",
        plausible=(6, 18),
        why="probation (试用期) lasts at most six months (劳动合同法 §19); MyCOS places most dismissals in the first year",
    )
    tenure_value_cap: int = lever(
        24,
        1,
        240,
        "months",
        "tenure beyond which the value of tenure stops growing",
        "assumption",
        kind="assumption",
        plausible=(12, 48),
        why="tenure's hold grows over the first one to four years; no source",
    )
    job_finding_reference: float = lever(
        0.5,
        0.0,
        1.0,
        "0..1 mean skill",
        "mean skill at which the job-finding rate is job_finding_rate",
        "assumption",
        kind="assumption",
        plausible=(0.4, 0.6),
        why="a normalisation: the calibrated job_finding_rate is the rate at this skill, near graduates' mean skill (about 0.42)",
    )
    dismissal_rate: float = lever(
        0.15,
        0.0,
        1.0,
        "per month per unit shortfall",
        "dismissal hazard in tenure months 1..dismissal_window per unit by which the graduate's needs-weighted skill falls short of a fully productive worker (productive_ability)",
        "MyCOS (about 88% of early quits voluntary)",
        kind="calibrated",
        plausible=(0.08, 0.25),
        why="the prior of the ABC calibration (make calibration; docs/calibration.md)",
    )
    mobility_sd: float = lever(
        1.0,
        0.0,
        3.0,
        "log sd",
        "spread of individual mobility",
        "assumption",
        kind="assumption",
        plausible=(0.5, 1.5),
        why="±50%; no source",
    )
    # M16 pay, prospects and fit of offers (MyCOS reasons for leaving; asymmetric employer learning)
    pay_elasticity: float = lever(
        1.0,
        0.0,
        2.0,
        "elasticity",
        "elasticity of pay with respect to the needs-weighted skill the employer believes the worker has (its productivity in the post)",
        "Farber & Gibbons 1996; Altonji & Pierret 2001 (pay = expected productivity)",
        kind="literature",
        plausible=(0.5, 1.0),
        why="employer-learning models pay expected productivity (elasticity 1); rent sharing and bargaining over a floor lower it",
    )
    pay_reference_level: float = lever(
        0.87,
        0.05,
        5.0,
        "needs-weighted skill / productive_ability",
        "skill level at which an in-field graduate starts at behaviour.graduate_start_wage (sets the level of pay, not its differences)",
        "MyCOS 就业蓝皮书 2019, 2020 (starting pay)",
        kind="assumption",
        plausible=(0.8, 1.0),
        why="set so that the baseline's mean starting pay is graduate_start_wage (4.1-4.3 thousand yuan); quits depend only on pay differences, which it does not touch",
    )
    out_of_field_pay: float = lever(
        0.1,
        0.0,
        1.0,
        "log points",
        "pay penalty of a post outside the graduate's field (specific skill unused)",
        "Robst 2007, Econ. Educ. Rev. 26(4); Nordin, Persson & Rooth 2010, Econ. Educ. Rev. 29(6)",
        kind="literature",
        plausible=(0.05, 0.3),
        why="unrelated jobs pay about 10% (US, Robst 2007) to 20-30% (Sweden, Nordin et al. 2010) less",
    )
    tenure_pay_growth: float = lever(
        0.02,
        0.0,
        0.2,
        "log points per year of tenure",
        "firm-specific pay growth with tenure (up to behaviour.tenure_value_cap)",
        "Topel 1991, J. Polit. Econ. 99(1); Altonji & Shakotko 1987",
        kind="literature",
        plausible=(0.01, 0.03),
        why="returns to firm tenure, net of experience, of 1-2.5% a year",
    )
    craft_visibility: float = lever(
        0.3,
        0.0,
        1.0,
        "share",
        "share of a graduate's craft (工匠精神: diligence, care) that outside employers see from credentials (grades, competition certificates); they impute the rest at behaviour.market_craft_belief, while the current employer sees it all",
        "Greenwald 1986; Gibbons & Katz 1991; Schönberg 2007, J. Labor Econ. 25(4) (asymmetric employer learning)",
        kind="calibrated",
        plausible=(0.0, 0.6),
        why="the prior of the ABC calibration (make calibration; docs/calibration.md), where early turnover, the employers in three years and the reasons for quitting bound it; the prior: craft is the textbook trait employers learn only on the job; credentials and competition awards reveal part of it. At 1 there is no asymmetry and craft raises offers as much as pay",
    )
    market_craft_belief: float = lever(
        0.34,
        0.0,
        1.0,
        "0..1 craft",
        "craft outside employers assume a 高职 graduate from the rest of the market has where they cannot see it; the belief they hold moves toward the region's graduates by population.region_market_share",
        "assumption (the baseline graduates' mean craft)",
        kind="assumption",
        plausible=(0.25, 0.45),
        why="the market's prior for a 高职 graduate from elsewhere: the baseline's graduates have craft 0.34, and other regions' colleges are taken to be like them",
    )
    market_skill_level: float = lever(
        0.41,
        0.05,
        1.0,
        "0..1",
        "mean needs-weighted skill of the graduates the rest of the market supplies: the skill at which a hire falls short (dismissal) is productive_ability times the market's mean over this, the region's graduates weighing population.region_market_share",
        "assumption (the baseline graduates' mean needs-weighted skill)",
        kind="assumption",
        plausible=(0.36, 0.46),
        why="graduates from elsewhere are taken to be like the baseline's (about 0.41); ±0.05 ability units, as for productive_ability",
    )
    offer_pay_share: float = lever(
        0.22,
        0.0,
        1.0,
        "share of offer variance",
        "share of the spread of outside offers (offer_sd squared) that is pay",
        "MyCOS 就业蓝皮书 (reasons for leaving: low pay 25%)",
        kind="assumption",
        plausible=(0.15, 0.35),
        why="set by hand so that the largest advantage of the offers accepted within six months of graduation falls in about the shares of MyCOS's reasons for leaving (room to develop 31%, pay 25%, another occupation or industry 13%, other 31%): the baseline gives 23%, 30%, 12%, 35%",
    )
    offer_prospects_share: float = lever(
        0.27,
        0.0,
        1.0,
        "share of offer variance",
        "share of the spread of outside offers that is development prospects (发展空间)",
        "MyCOS 就业蓝皮书 (reasons for leaving: too little room to develop 31%)",
        kind="assumption",
        plausible=(0.2, 0.4),
        why="as offer_pay_share",
    )
    offer_fit_share: float = lever(
        0.2,
        0.0,
        1.0,
        "share of offer variance",
        "share of the spread of outside offers that is the graduate's taste for the post's occupation or industry (the rest, after pay and prospects, is other amenities)",
        "MyCOS 就业蓝皮书 (reasons for leaving: another occupation or industry 13%)",
        kind="assumption",
        plausible=(0.08, 0.2),
        why="as offer_pay_share",
    )
    offer_pay_sd: float = lever(
        0.25,
        0.01,
        1.0,
        "log points",
        "spread of the pay of outside offers to one graduate (employers' pay premia)",
        "Mortensen 2003, Wage Dispersion (MIT Press)",
        kind="assumption",
        plausible=(0.15, 0.4),
        why="residual log-pay dispersion among workers of the same education and experience is 0.3-0.5, of which frictional offer dispersion is a part; with offer_sd and offer_pay_share it sets how much a graduate values pay: offer_sd * sqrt(offer_pay_share) / offer_pay_sd job-value units per log point",
    )
    offer_in_field_share: float = lever(
        0.33,
        0.0,
        1.0,
        "share",
        "outside offers to employed graduates in their own field",
        "MyCOS (matched employment 4-5 points lower at 3 years than at 6 months)",
        kind="calibrated",
        plausible=(0.3, 0.6),
        why="the prior of the ABC calibration (make calibration; docs/calibration.md)",
    )
    partner_prospects: float = lever(
        0.6,
        0.0,
        2.0,
        "share of prospects_value",
        "development prospects of a partner post",
        "MyCOS 个人发展空间 (assumption)",
        kind="assumption",
        plausible=(0.4, 0.8),
        why="a partner post offers more room to develop than an outside one; MyCOS names room to develop, with no value: ±0.2",
    )
    outside_prospects: float = lever(
        0.4,
        0.0,
        2.0,
        "share of prospects_value",
        "development prospects of an outside post",
        "MyCOS 个人发展空间 (assumption)",
        kind="assumption",
        plausible=(0.2, 0.6),
        why="below partner_prospects; ±0.2; no source",
    )
    frontline_prospects: float = lever(
        0.4,
        0.0,
        2.0,
        "share of prospects_value",
        "prospects added when the graduate was a front-line intern at the employer",
        "P2 §三.2(2) (assumption)",
        kind="assumption",
        plausible=(0.2, 0.8),
        why="half to double; no source",
    )
    strength_prospects: float = lever(
        0.4,
        0.0,
        2.0,
        "share of prospects_value per unit strength",
        "prospects added by the employer's strength (M14)",
        "P2 §三 同强 (assumption)",
        kind="assumption",
        plausible=(0.2, 0.8),
        why="half to double; no source",
    )
    # M7, M13 partner hiring
    grade_sharing_noise: float = lever(
        0.3,
        0.0,
        1.0,
        "share",
        "share of the screening noise left with grade sharing (M7)",
        "P2 §三.2 (学校要主动配合企业)",
        kind="assumption",
        plausible=(0.15, 0.6),
        why="grades remove most of a firm's error in judging candidates; half to double; P2 says they help, not how much",
    )
    own_intern_bonus: float = lever(
        0.15,
        0.0,
        2.0,
        "fit units",
        "hiring preference for the firm's own interns (M13)",
        "P1 §一 (assumption)",
        kind="assumption",
        plausible=(0.05, 0.3),
        why="a third to double; no source",
    )
    hiring_willingness_floor: float = lever(
        0.5,
        0.0,
        2.0,
        "willingness units",
        "demand of a partner at W = 0, added to W: demand = hiring_demand * hosted * (floor + W) (M13)",
        "P1 §一 (assumption)",
        kind="assumption",
        plausible=(0.25, 1.0),
        why="a partner with no willingness still hires some of its interns; at 0.5 a keen partner (W = 1) hires three times as many as a reluctant one",
    )
    order_class_bonus: float = lever(
        1.0,
        0.0,
        5.0,
        "fit units",
        "hiring preference for the firm's own order-class students (M13)",
        "P1 §一, P2 §一.1",
        kind="assumption",
        plausible=(0.5, 2.0),
        why="an order class (订单班) is a promise to hire: at 1 fit unit its students rank above almost any other candidate; half to double; P1 and P2 give no number",
    )
    # M11, M14, M15
    teacher_practice_gain: float = lever(
        0.01,
        0.0,
        1.0,
        "per month",
        "teacher quality gained by practice at full share",
        "P1 §三(二)",
        kind="assumption",
        plausible=(0.005, 0.02),
        why="half to double; P1 names the gain, with no number",
    )
    strength_rate: float = lever(
        0.02,
        0.0,
        1.0,
        "per month",
        "speed of strength and reputation updates",
        "P2 §三",
        kind="assumption",
        plausible=(0.01, 0.04),
        why="strength and reputation follow results over years: half-life about 3 years at 0.02, 1.5-6 at the range; P2 gives no rate",
    )
    reputation_entry: float = lever(
        1.0,
        0.0,
        10.0,
        "multiplier",
        "effect of reputation on partner entry",
        "P2 §三 齐荣",
        kind="assumption",
        plausible=(0.5, 2.0),
        why="half to double; P2 names 齐荣, with no number",
    )
    entry_base: float = lever(
        0.5,
        0.0,
        5.0,
        "multiplier",
        "partner-entry chance at zero reputation, relative to entry_rate",
        "assumption",
        kind="assumption",
        plausible=(0.25, 1.0),
        why="a school with no standing still finds some partners",
    )
    entry_reputation_floor: float = lever(
        0.2,
        0.0,
        5.0,
        "weight",
        "weight of a firm of zero reputation as a new partner, beside its reputation",
        "assumption",
        kind="assumption",
        plausible=(0.1, 0.5),
        why="little-known firms are still approached",
    )
    entry_rate: float = lever(
        0.5,
        0.0,
        1.0,
        "per month",
        "chance a school below its target recruits a partner",
        "assumption",
        kind="assumption",
        plausible=(0.25, 1.0),
        why="half to double; no source",
    )
    out_of_field_fit: float = lever(
        0.4,
        0.0,
        1.0,
        "multiplier",
        "fit of a post outside the graduate's field, relative to in-field",
        "中国职业技术教育 2015(12)",
        kind="assumption",
        plausible=(0.2, 0.6),
        why="an out-of-field post uses only the general part of a 高职 graduate's skills; no source measures it (中国职业技术教育 2015(12) reports how many interns work out of field, not their fit)",
    )
    teachers_per_school: int = lever(
        150,
        1,
        5000,
        "teachers",
        "teaching staff of a school (party members are among them)",
        "assumption",
        kind="assumption",
        plausible=(100, 200),
        why="a school of about 1,800 students (three cohorts of population.cohort_size) at the 高职 student-teacher ratio of 18:1 in the 教育部 basic standards (普通高等学校基本办学条件指标) has at least 100; more with lab and part-time staff",
    )
    needs_drift: float = lever(
        0.03,
        0.0,
        1.0,
        "log sd per month",
        "drift of firms' skill needs (technology change)",
        "assumption",
        kind="assumption",
        plausible=(0.015, 0.06),
        why="half to double; no source",
    )
    base_strength: float = lever(
        0.3,
        0.0,
        1.0,
        "0..1",
        "strength a partner firm tends to without joint projects or hires (M14)",
        "P2 §三 同强 (assumption)",
        kind="assumption",
        plausible=(0.2, 0.4),
        why="±0.1; no source",
    )
    hire_strength: float = lever(
        0.3,
        0.0,
        1.0,
        "per unit fit",
        "strength added by the fit of the firm's hires (M14)",
        "P2 §三 同强",
        kind="assumption",
        plausible=(0.15, 0.6),
        why="half to double; P2 names 同强, with no number",
    )
    # M11 party recruitment: a pipeline of applications, identification and admission; the quota caps
    recruitment_quota: float = lever(
        50.0,
        0.0,
        1000.0,
        "per 1000 graduates",
        "party recruitment quota (发展党员计划): a cap on admissions, with or without a talent pool",
        "P1 §三(二); 中国共产党发展党员工作细则 (annual plans) (assumption)",
        kind="assumption",
        plausible=(30.0, 80.0),
        why="students admitted in 高职 run at a few per hundred graduates; the annual plan caps them",
    )
    application_logit: float = lever(
        -3.0,
        -10.0,
        10.0,
        "logit",
        "log-odds that a final-year student without civic skill or party contact has applied (入党申请)",
        "assumption",
        kind="assumption",
        plausible=(-4.0, -2.0),
        why="few students apply without civic commitment or contact with party members",
    )
    application_civic: float = lever(
        3.0,
        0.0,
        20.0,
        "logit per unit civic skill",
        "rise of the application log-odds with civic skill",
        "P1 §三(二) 符合党员条件 (assumption)",
        kind="assumption",
        plausible=(1.0, 5.0),
        why="at typical civic skill (0.4) a fifth of students apply, at high (0.8) about half",
    )
    application_contact: float = lever(
        2.0,
        0.0,
        20.0,
        "logit",
        "rise of the application log-odds with accumulated contact with party-member teachers and engineers, at saturation",
        "P1 §三(一)(二) (assumption)",
        kind="assumption",
        plausible=(1.0, 3.0),
        why="guidance by party members (培养联系人, role models) is how most applicants come forward: it doubles to quadruples the odds",
    )
    application_contact_hours: float = lever(
        200.0,
        1.0,
        10000.0,
        "hours",
        "contact hours at which the contact effect on applying reaches 63% of its saturation",
        "assumption",
        kind="assumption",
        plausible=(100.0, 400.0),
        why="a year or two of weekly guidance by party members",
    )
    base_identification: float = lever(
        0.5,
        0.0,
        1.0,
        "share",
        "share of applicants the party branch gets to know and develop without a talent pool (with one: all)",
        "P1 §三(二) 及时…吸纳 (assumption)",
        kind="assumption",
        plausible=(0.3, 0.8),
        why="without a register of candidates a branch knows the applicants in its members' own classes and activities",
    )
    talent_pool_noise: float = lever(
        0.02,
        0.0,
        1.0,
        "sd, quality units 0..1",
        "error in the branch's judgement of an applicant's quality with a talent pool (定期培养及考察)",
        "P1 §三(二)",
        kind="assumption",
        plausible=(0.01, 0.04),
        why="regular observation over a year: about the spread of quality within a cohort or less",
    )
    base_recruitment_noise: float = lever(
        0.08,
        0.0,
        1.0,
        "sd, quality units 0..1",
        "error in the branch's judgement of an applicant's quality without a talent pool",
        "assumption",
        kind="assumption",
        plausible=(0.04, 0.15),
        why="a judgement from a file and an interview: larger than the spread of quality within a cohort",
    )
    admission_rank: float = lever(
        0.05,
        0.0,
        1.0,
        "share of the cohort",
        "the bar: an applicant is admitted only if the branch judges them among this top share of the school's graduating cohort by quality (mean of mean skill and civic skill, 德才兼备; 表现突出)",
        "P1 §三(二) 表现优异, 符合党员条件、表现突出; 结束语 德才兼备 (assumption)",
        kind="assumption",
        plausible=(0.03, 0.1),
        why="outstanding students: the top few per cent of a cohort's 综合测评 standing",
    )
    pool_training_hours: float = lever(
        24.0,
        0.0,
        200.0,
        "hours per applicant",
        "party training (定期培养) of the applicants in a talent pool in their final year, weighed at behaviour.party_hour_effect",
        "中国共产党发展党员工作细则 (发展对象: 集中培训 at least 24 学时)",
        kind="literature",
        plausible=(16.0, 48.0),
        why="24 学时 of 集中培训, more where the pool trains regularly",
    )
    # M11, M14 teachers' practical competence (双师型 share) and turnover
    teacher_turnover: float = lever(
        0.004,
        0.0,
        0.1,
        "per month",
        "share of teachers replaced each month by hires at the status-quo practical competence (behaviour.initial_teacher_quality)",
        "assumption",
        kind="assumption",
        plausible=(0.002, 0.008),
        why="3-10% of 高职 teachers leave or retire a year",
    )
    # M14 joint projects (项目共立, 科研共做) and training capacity (资源共享)
    project_rate: float = lever(
        3.0,
        0.0,
        24.0,
        "projects per partnership-year",
        "joint projects begun at full firm_support.joint_projects and W = 1 (fewer with lower W)",
        "P2 §三 项目共立 (assumption)",
        kind="assumption",
        plausible=(1.0, 4.0),
        why="a deep partnership runs one to a few 横向 projects a year",
    )
    project_months: int = lever(
        6,
        1,
        60,
        "months",
        "duration of a joint project",
        "assumption",
        kind="assumption",
        plausible=(3, 12),
        why="横向 projects with firms typically run a quarter to a year",
    )
    project_success_logit: float = lever(
        -3.0,
        -10.0,
        10.0,
        "logit",
        "log-odds of a project's success without student innovation or teachers' practical competence",
        "assumption",
        kind="assumption",
        plausible=(-4.0, -2.0),
        why="a project needs capable students and teachers: with neither it rarely succeeds",
    )
    project_innovation_weight: float = lever(
        4.0,
        0.0,
        20.0,
        "logit per unit innovation",
        "rise of the success log-odds with the school's students' mean innovation",
        "P2 §三 项目共立 (assumption)",
        kind="assumption",
        plausible=(2.0, 6.0),
        why="from typical innovation (0.37) to high (0.6) lifts success by about 20 points",
    )
    project_competence_weight: float = lever(
        3.0,
        0.0,
        20.0,
        "logit per unit share",
        "rise of the success log-odds with the school's teachers' practical competence (双师型 share)",
        "P2 §三 师资共培 (assumption)",
        kind="assumption",
        plausible=(1.5, 4.5),
        why="from half to two thirds of teachers dual-qualified lifts success by about 10 points",
    )
    project_firm_gain: float = lever(
        0.08,
        0.0,
        1.0,
        "share of the gap to 1",
        "capability a firm gains from a successful joint project",
        "P2 §三 同强 (assumption)",
        kind="assumption",
        plausible=(0.04, 0.15),
        why="one successful project (a process improved, a product developed) is a step, not a transformation",
    )
    project_teachers: float = lever(
        2.0,
        0.0,
        50.0,
        "teachers per project",
        "teachers who work in a joint project; a successful project makes those not yet dual-qualified so (师资共培)",
        "P2 §三 师资共培 (assumption)",
        kind="assumption",
        plausible=(1.0, 4.0),
        why="a 横向 project team has one to a few teachers beside students and engineers",
    )
    training_build_rate: float = lever(
        0.05,
        0.0,
        1.0,
        "per month per unit resources",
        "growth of a school's training capacity (实训基地) per unit of firm resources received per partner place",
        "P2 §一.1 引进企业平台, §三.2(2) (assumption)",
        kind="assumption",
        plausible=(0.02, 0.1),
        why="at the status quo's resources (0.2) the stock settles near half the capacity a school needs",
    )
    training_depreciation: float = lever(
        0.01,
        0.0,
        1.0,
        "per month",
        "depreciation of training capacity (equipment and platforms age)",
        "assumption (equipment written off over 5-10 years)",
        kind="assumption",
        plausible=(0.007, 0.017),
        why="training equipment is written off over five to twelve years",
    )
    initial_training_capacity: float = lever(
        0.32,
        0.0,
        1.0,
        "0..1",
        "training capacity at the start (the status quo's steady state)",
        "assumption",
        kind="assumption",
        plausible=(0.25, 0.45),
        why="the status quo's steady state: build rate × resources given per partner place (about 0.1: resources 0.2, half the places filled) / (that + depreciation)",
    )
    school_strength_weight_teachers: float = lever(
        1.0,
        0.0,
        10.0,
        "weight",
        "weight of teachers' practical competence (双师型 share) in school strength",
        "P2 §三 同强, 师资共培 (assumption)",
        kind="assumption",
        plausible=(0.5, 2.0),
        why="three components of equal standing unless a reader weighs them otherwise",
    )
    school_strength_weight_alignment: float = lever(
        1.0,
        0.0,
        10.0,
        "weight",
        "weight of curriculum alignment with partners' needs in school strength",
        "P2 §三.1 专业共建 (assumption)",
        kind="assumption",
        plausible=(0.5, 2.0),
        why="three components of equal standing unless a reader weighs them otherwise",
    )
    school_strength_weight_training: float = lever(
        1.0,
        0.0,
        10.0,
        "weight",
        "weight of training capacity (实训基地) in school strength",
        "P2 §三 资源共享 (assumption)",
        kind="assumption",
        plausible=(0.5, 2.0),
        why="three components of equal standing unless a reader weighs them otherwise",
    )
    # M15 reputation from results: each signal is a standing 0..1 against a reference (0.5 = typical)
    reputation_weight_placement: float = lever(
        0.5,
        0.0,
        10.0,
        "weight",
        "weight of the placement standing in a school's reputation",
        "P2 §三 齐荣",
        kind="assumption",
        plausible=(0.25, 1.0),
        why="relative weights, renormalised over a school's signals: placement first, as public judgements of 高职 weigh employment; half to double each; no source",
    )
    reputation_weight_fit: float = lever(
        0.3,
        0.0,
        10.0,
        "weight",
        "weight of the graduates' skill-fit standing",
        "P2 §三 齐荣",
        kind="assumption",
        plausible=(0.15, 0.6),
        why="as reputation_weight_placement: half to double; no source",
    )
    reputation_weight_competition: float = lever(
        0.2,
        0.0,
        10.0,
        "weight",
        "weight of competition results, where a school competes (else the other weights are renormalised)",
        "P1 §二, §三(三)",
        kind="assumption",
        plausible=(0.1, 0.4),
        why="as reputation_weight_placement: half to double; no source",
    )
    placement_reference: float = lever(
        0.92,
        0.0,
        1.0,
        "share",
        "typical 6-month placement of 高职 graduates: a school at it has standing 0.5",
        "MyCOS 就业蓝皮书 2018 (高职 2017届 0.92)",
        kind="literature",
        plausible=(0.9, 0.93),
        why="MyCOS 高职 2017届 0.92; 2022届 0.919 (2023 职业教育质量年度报告): the interval of the calibration target",
    )
    placement_spread: float = lever(
        0.03,
        0.001,
        1.0,
        "share",
        "spread of placement between schools (one unit of standing scale)",
        "assumption",
        kind="assumption",
        plausible=(0.015, 0.06),
        why="placement differs between 高职 by a few points; half to double; no source",
    )
    fit_reference: float = lever(
        0.65,
        0.0,
        1.0,
        "cosine 0-1",
        "typical skill fit of graduates' first jobs: standing 0.5",
        "assumption (the status quo of the baseline)",
        kind="assumption",
        plausible=(0.6, 0.75),
        why="the status quo's skill fit, so that a typical school stands at 0.5: 0.65 when it was set; the calibrated baseline now has about 0.69 (seeds 0-1), so its schools stand somewhat above 0.5; no source",
    )
    fit_spread: float = lever(
        0.03,
        0.001,
        1.0,
        "cosine 0-1",
        "spread of skill fit between schools",
        "assumption",
        kind="assumption",
        plausible=(0.015, 0.06),
        why="half to double; no source",
    )
    competition_field: float = lever(
        0.35,
        0.0,
        1.0,
        "0..1 skill",
        "mean innovation and craft of the competitors from outside the region a school meets in skill competitions; the field it meets moves toward the region's own students by population.region_market_share",
        "assumption (the status quo of the baseline)",
        kind="assumption",
        plausible=(0.3, 0.45),
        why="the baseline graduates' mean innovation and craft (about 0.35): competitors are typical students; up to a somewhat stronger field; no source",
    )
    competition_spread: float = lever(
        0.05,
        0.001,
        1.0,
        "0..1 skill",
        "spread of competitors' skill",
        "assumption",
        kind="assumption",
        plausible=(0.025, 0.1),
        why="half to double; no source",
    )
    firm_reputation_weight_willingness: float = lever(
        0.5,
        0.0,
        10.0,
        "weight",
        "weight of a firm's commitment to its partnerships (W) in its reputation",
        "P2 §三 齐荣",
        kind="assumption",
        plausible=(0.25, 1.0),
        why="equal weights unless a reader weighs them otherwise; half to double; P2 gives no number",
    )
    firm_reputation_weight_hires: float = lever(
        0.5,
        0.0,
        10.0,
        "weight",
        "weight of the match quality of its hires in a firm's reputation",
        "P2 §三 齐荣",
        kind="assumption",
        plausible=(0.25, 1.0),
        why="equal weights unless a reader weighs them otherwise; half to double; P2 gives no number",
    )
    # school shadow prices
    staff_wage: float = lever(
        0.1,
        0.0,
        10.0,
        "thousand yuan per hour",
        "staff wage for the school's time",
        "assumption",
        kind="assumption",
        plausible=(0.05, 0.2),
        why="100 yuan an hour: roughly a 高职 teacher's pay with on-costs over about 170 working hours a month; half to double; no source",
    )
    placement_price: float = lever(
        3.0,
        0.0,
        100.0,
        "thousand yuan per placed graduate",
        "school's shadow price of a placement",
        "assumption",
        kind="assumption",
        plausible=(1.5, 6.0),
        why="what a school would pay for a placed graduate (recruiting, placement services): half to double; no source",
    )
    reputation_price: float = lever(
        50.0,
        0.0,
        1000.0,
        "thousand yuan per unit reputation",
        "school's shadow price of reputation",
        "assumption",
        kind="assumption",
        plausible=(25.0, 100.0),
        why="half to double; no source",
    )
    counselled_resistance: float = lever(
        0.2,
        0.0,
        1.0,
        "0..1",
        "resistance above which an intern takes counselling time",
        "P2 §三.2 (学校要主动配合企业) (assumption)",
        kind="assumption",
        plausible=(0.1, 0.4),
        why="counselling starts with visible discontent, a fifth of the scale; half to double; P2 gives no number",
    )
    coordination_hours: float = lever(
        0.5,
        0.0,
        20.0,
        "staff hours per intern-month",
        "school staff time for task coordination at full intensity",
        "P2 §三.2 (学校要主动配合企业) (assumption)",
        kind="assumption",
        plausible=(0.25, 1.0),
        why="half to double; P2 §三.2 (学校要主动配合企业) names the work, not its time",
    )
    counselling_hours: float = lever(
        2.0,
        0.0,
        20.0,
        "staff hours per resistant intern-month",
        "school staff time for counselling at full intensity",
        "P2 §三.2 (学校要主动配合企业) (assumption)",
        kind="assumption",
        plausible=(1.0, 4.0),
        why="one to four hours a month with a resistant intern; P2 §三.2 (学校要主动配合企业) names 疏导, not its time",
    )


# Mechanism families (docs/odd.md §7, M1–M17) that a scenario can switch off, for mechanism
# ablation (``sesim explain``): each has a neutral behaviour, documented under its mechanism in the
# ODD, with which the rest of the model still runs.  A switched-off family still draws its random
# numbers (common random numbers).
MECHANISMS: dict[str, str] = {
    "M1": "communication",
    "M2": "goal_alignment",
    "M3": "learning",
    "M4": "placement_quality",
    "M5": "mentor_workload",
    "M6": "engagement",
    "M7": "joint_evaluation",
    "M8": "willingness",
    "M9": "party_building",
    "M10": "party_alliance",
    "M11": "two_way_cultivation",
    "M12": "craftsman",
    "M13": "partner_hiring",
    "M14": "growing_strong",
    "M15": "shared_honour",
    "M16": "labour_market",
    "M17": "supervision",
}
# families that cannot be switched off, and why
FIXED_MECHANISMS: dict[str, str] = {
    "M3": "learning is what every other family acts through (skills are the outcome): without it nothing "
    "is taught and no other family has anything to work on",
}
SWITCHABLE = tuple(k for k in MECHANISMS if k not in FIXED_MECHANISMS)


def mechanism_ids(value: Any) -> list[str]:
    """Mechanism families named by id (``"M12"``, any case) or name (``"craftsman"``), as ids in the
    ODD's order, each once; a string is read as a comma-separated list.  Raises ``ValueError`` with
    one line naming an unknown or fixed family and what is allowed."""
    import difflib

    if isinstance(value, str):
        value = [v for v in (x.strip() for x in value.split(",")) if v]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValueError(f'{shown(value)}: allowed a list of mechanism ids or names, e.g. ["M12", "M17"]')
    by_name = {name: mid for mid, name in MECHANISMS.items()}
    out = set()
    for v in value:
        key = v.strip()
        mid = key.upper() if key.upper() in MECHANISMS else by_name.get(key.lower())
        if mid is None:
            words = [*MECHANISMS, *by_name]
            near = difflib.get_close_matches(key, words, n=1, cutoff=0.5) or difflib.get_close_matches(
                key.lower(), [w.lower() for w in words], n=1, cutoff=0.5
            )
            hint = f"; did you mean '{near[0]}'?" if near else ""
            raise ValueError(
                f"unknown mechanism {shown(key)}{hint} (allowed: {SWITCHABLE[0]}..{SWITCHABLE[-1]} "
                f"except {', '.join(FIXED_MECHANISMS)}, or their names: "
                f"{', '.join(n for m, n in MECHANISMS.items() if m in SWITCHABLE)})"
            )
        if mid in FIXED_MECHANISMS:
            raise ValueError(f"{mid} ({MECHANISMS[mid]}) cannot be switched off: {FIXED_MECHANISMS[mid]}")
        out.add(mid)
    return [m for m in MECHANISMS if m in out]


@dataclass
class Mechanisms:
    """Mechanism families switched off (a check of the model, docs/odd.md §10); none by default."""

    off: list = field(
        default_factory=list,
        metadata={
            "lo": "M1",
            "hi": "M17",
            "unit": "mechanism ids",
            "choices": None,
            "kind": "structure",
            "plausible": None,
            "why": "",
            "items": mechanism_ids,
            "meaning": "mechanism families switched off, each to its neutral behaviour (docs/odd.md: 'Neutral when off'), "
            'by id or name, e.g. ["M12", "supervision"]; M3 (learning) cannot be',
            "source": "docs/odd.md §10 (mechanism switches)",
        },
    )


# Whose lever is it (docs/odd.md §11 "Agents and decisions"): a school sets the levers of these
# sections for itself, a firm those of firm_support; population, run, behaviour and mechanisms are
# the region's and the model's, nobody's decision.  A partnership reads its school's and its firm's.
SCHOOL_SECTIONS = ("communication", "goal_alignment", "school_cooperation", "party_building", "craftsman")
FIRM_SECTIONS = ("firm_support",)
SIDES: dict[str, tuple[str, ...]] = {"school": SCHOOL_SECTIONS, "firm": FIRM_SECTIONS}
AGENT_TABLES: dict[str, str] = {"schools": "school", "firms": "firm"}  # [[agents.<table>]] -> side


@dataclass
class Agents:
    """Per-agent values of a scenario file (``[[agents.schools]]``, ``[[agents.firms]]``): each entry
    ``{"ids": [...], section: {key: value}}``, checked against the schema, applied in order over the
    scenario's values (a later entry wins for the ids it repeats).  Empty: every agent follows the
    scenario's values."""

    schools: list = field(default_factory=list)
    firms: list = field(default_factory=list)


# --- the industry college (产业学院, docs/odd.md M18) ----------------------------------------------
# A scenario's [[colleges]] tables, each with an optional [colleges.charter]: the institution a school
# runs with the firms of one field.  The default region has none.  The college's behavioural constants
# (base cost, skill gain, head start, board depth) are fields of the table too, with kind, plausible
# range and source, so that a scenario may vary them per college; docs/parameters.md lists them.
COLLEGE_JOINING = ("closed", "open")
BASE_RULES = ("open", "by_contribution")


@dataclass
class CollegeCharter:
    """The college's charter (章程, 制度体系): the rules that bind its members (docs/odd.md M18).  A
    college without one (the paper's 制度体系不健全) has no board and no rule: its members act as
    dyads, and the base is open to every member's students whatever each member gives."""

    board_meetings_per_year: int = lever(
        4,
        0,
        12,
        "per year",
        "members' board (理事会) meetings: each one communication event of depth board_depth with every member at once (M1's trust and belief); the school spends one meeting's staff hours, not one per member",
        "P2 §一 过程共管, 效果共评; a board: assumption beyond P2 (P2 names 制度体系不健全 without detail)",
    )
    notice_months: int = lever(
        0,
        0,
        24,
        "months",
        "leaving rule: a member that would leave by M8's rule stays this many more months of low willingness (notice)",
        "assumption beyond P2 (rules for leaving)",
    )
    cost_share: float = lever(
        0.0,
        0.0,
        1.0,
        "share",
        "实习共担: share of each member intern's allowance paid by the college's pool instead of the host",
        "P2 §一 实习共担",
    )
    school_cost_share: float = lever(
        0.5,
        0.0,
        1.0,
        "share",
        "share of the pool (cost_share of the allowances) that the school pays; the members pay the rest in equal parts",
        "P2 §一 实习共担; split: assumption",
    )
    member_fee: float = lever(
        0.0,
        0.0,
        1000.0,
        "thousand yuan per member per year",
        "binding contribution of each member to the training base, set by the board (in place of the voluntary share base_member_share of its resources)",
        "P2 §一 资源共享; binding fee: assumption",
    )
    base_rule: str = lever(
        "open",
        unit="choice",
        meaning="evaluation rule (效果共评 by the board): the base's member-funded capacity is open to every member's students (open) or shared among members by what each gave (by_contribution: free riders get only the school-funded part)",
        source="P2 §一 效果共评, 资源共享",
        choices=BASE_RULES,
    )
    joint_placement: bool = lever(
        False,
        meaning="就业共推 across members: a member hiring a graduate who completed an internship at another member counts the graduate as trained (hire_value, M8), and members' hiring demand counts the graduates the whole college hosted",
        source="P2 §一 就业共推",
    )


@dataclass
class College:
    """One [[colleges]] table: the school that runs the college, its field, its founding members,
    its joining rule, the training base's funding, public incentives and the charter (None: none)."""

    school: int = lever(0, 0, 99, "school index", "the school that runs the college", "P2 (产业学院)")
    field: int = lever(0, 0, 19, "field index", "the college's field (one programme)", "P2 (产业学院)")
    members: list = dataclasses.field(
        default_factory=list,
        metadata={
            "lo": 0,
            "hi": 4999,
            "unit": "firm indices",
            "choices": None,
            "kind": "policy",
            "plausible": None,
            "why": "",
            "meaning": "founding members by firm index (fields are drawn per replicate, so a listed firm may be of another field; a firm not yet a partner of the school becomes one when the college is founded)",
            "source": "P2 (产业学院)",
        },
    )
    member_count: int = lever(
        0,
        0,
        200,
        "firms",
        "founding members by rule instead of (or besides) by index: this many firms of the field, the school's partners first, then other firms, each group strongest first (no random draw; a firm not yet a partner becomes one)",
        "P2 (产业学院)",
    )
    joining: str = lever(
        "closed",
        unit="choice",
        meaning="joining rule: only the founders (closed) or also every firm of the field that later starts a partnership with the school (open)",
        source="P2 (产业学院); assumption",
        choices=COLLEGE_JOINING,
    )
    base_school_funding: float = lever(
        0.0,
        0.0,
        10000.0,
        "thousand yuan per year",
        "the school's money for the shared training base (实训基地)",
        "P2 §一.2 丰富实践教学, 资源共享",
    )
    base_member_share: float = lever(
        0.5,
        0.0,
        1.0,
        "share",
        "without a member fee: the share of the resources each member gives (M8) that it adds, voluntarily, to the base (paid on top: it costs the firm)",
        "P2 §一.1 引进企业资源; share: assumption",
    )
    intern_subsidy: float = lever(
        0.0,
        0.0,
        5.0,
        "thousand yuan per intern-month",
        "public subsidy to a member for each intern it hosts",
        "local subsidies per intern differ by province (assumption: no national figure found)",
    )
    apprentice_subsidy: float = lever(
        0.0,
        0.0,
        5.0,
        "thousand yuan per apprentice-month",
        "public subsidy to a member for each apprentice (现代学徒制 track) it hosts",
        "人社部发〔2018〕66号 企业新型学徒制: subsidy in principle at least 4,000 yuan per apprentice a year (0.33 a month)",
    )
    credit_share: float = lever(
        0.0,
        0.0,
        1.0,
        "share",
        "产教融合型企业: share of a member's investment in vocational education (its base contribution and its share of the pool) credited against its education surcharges",
        "财税〔2019〕46号: 30% of a qualifying firm's investment in vocational education credited against 教育费附加 and 地方教育附加 of the year",
    )
    surcharge_due: float = lever(
        60.0,
        0.0,
        10000.0,
        "thousand yuan per member per year",
        "education surcharges a member owes in a year: the most the credit can take off",
        "assumption: 5% (3% + 2%) of the VAT of a firm of some hundred workers; no survey found",
        kind="assumption",
        plausible=(10.0, 300.0),
        why="教育费附加 3% and 地方教育附加 2% of VAT and consumption tax: 60 thousand yuan is 1.2 million yuan of VAT, a firm of some hundred workers; from a small firm (10) to a large one (300)",
    )
    base_cost: float = lever(
        0.6,
        0.05,
        10.0,
        "thousand yuan per student-month",
        "what one student-month of training in the base costs (consumables, instructors, equipment written off)",
        "assumption",
        kind="assumption",
        plausible=(0.3, 1.2),
        why="of the order of a 高职 student's practical-training spending a month; half to double; no source gives a number",
    )
    base_gain: float = lever(
        0.03,
        0.0,
        1.0,
        "per student-month",
        "growth of technical skill for a full month in the base, as a share of the room left (1 - x)",
        "P2 §一.2 丰富实践教学; rate: assumption",
        kind="assumption",
        plausible=(0.015, 0.06),
        why="half behaviour.practice_learning_rate (0.06, a front-line post at full mentoring): simulated tasks teach less than real work; half to double",
    )
    base_head_start: float = lever(
        1.0,
        0.0,
        6.0,
        "months",
        "months of an intern's ramp-up (behaviour.ramp_months) saved at a member host by a full course in the base",
        "assumption (冉云芳 & 石伟平 2020: break-even in month 4, so ramp-up is the internship's largest cost)",
        kind="assumption",
        plausible=(0.5, 2.0),
        why="a quarter of the four-month ramp-up at the default; from an eighth to a half; no source",
    )
    base_full_months: float = lever(
        3.0,
        0.5,
        24.0,
        "student-months",
        "months in the base that give the full head start (less: proportionally less)",
        "assumption",
        kind="assumption",
        plausible=(1.0, 6.0),
        why="a term's practical module; from one month to a semester; no source",
    )
    board_depth: float = lever(
        0.6,
        0.0,
        1.0,
        "0..1",
        "depth of a board meeting (as communication.depth): members decide together",
        "P2 §三.1 (substantive talk builds trust); assumption",
        kind="assumption",
        plausible=(0.4, 0.8),
        why="a decision-making meeting is substantive talk, below a needs survey's depth; no source",
    )
    charter: CollegeCharter | None = None


@dataclass
class Colleges:
    """A scenario's [[colleges]] tables (:class:`College`), checked against the schema and the
    population; empty in the default region (cooperation without an industry college)."""

    tables: list = field(default_factory=list)


SECTIONS: dict[str, type] = {
    "communication": Communication,
    "goal_alignment": GoalAlignment,
    "school_cooperation": SchoolCooperation,
    "firm_support": FirmSupport,
    "party_building": PartyBuilding,
    "craftsman": Craftsman,
    "population": Population,
    "run": Run,
    "behaviour": Behaviour,
    "mechanisms": Mechanisms,
}


@dataclass
class Params:
    communication: Communication = field(default_factory=Communication)
    goal_alignment: GoalAlignment = field(default_factory=GoalAlignment)
    school_cooperation: SchoolCooperation = field(default_factory=SchoolCooperation)
    firm_support: FirmSupport = field(default_factory=FirmSupport)
    party_building: PartyBuilding = field(default_factory=PartyBuilding)
    craftsman: Craftsman = field(default_factory=Craftsman)
    population: Population = field(default_factory=Population)
    run: Run = field(default_factory=Run)
    behaviour: Behaviour = field(default_factory=Behaviour)
    mechanisms: Mechanisms = field(default_factory=Mechanisms)
    agents: Agents = field(default_factory=Agents)
    colleges: Colleges = field(default_factory=Colleges)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return dataclasses.asdict(self)


def side_keys(side: str) -> list[str]:
    """Every lever key (``section.name``) that the agents of ``side`` ("school" or "firm") set."""
    return [f"{s}.{f.name}" for s in SIDES[side] for f in dataclasses.fields(SECTIONS[s])]


def assumption_ranges() -> dict[str, tuple[float, float, bool]]:
    """Parameters that are assumptions with a plausible range — behavioural ones of kind
    ``assumption``, and levers whose status-quo value is known only as a range (a lever with a
    ``plausible`` range, e.g. ``firm_support.intern_allowance``): key -> (low, high, integer)."""
    out = {}
    for sname, cls in SECTIONS.items():
        for f in dataclasses.fields(cls):
            m = f.metadata
            default = f.default if f.default is not dataclasses.MISSING else None
            wanted = m.get("kind") == "assumption" if sname == "behaviour" else m.get("kind") == "policy"
            if wanted and m.get("plausible") and isinstance(default, (int, float)) and not isinstance(default, bool):
                lo, hi = m["plausible"]
                if hi > lo:
                    out[f"{sname}.{f.name}"] = (float(lo), float(hi), isinstance(default, int))
    return out


def lever_table() -> list[dict[str, Any]]:
    """One row per key: section.key, type, range, default, unit, meaning, source."""
    rows = []
    for sname, cls in SECTIONS.items():
        for f in dataclasses.fields(cls):
            m = f.metadata
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[operator]
            tname = {bool: "bool", int: "int", float: "float", dict: "table", list: "list"}.get(type(default), "str")
            if m.get("choices"):
                rng = " / ".join(f'"{c}"' for c in m["choices"])
            elif tname == "bool":
                rng = "true / false"
            elif m.get("lo") is not None:
                rng = f"{m['lo']}–{m['hi']}"
            else:
                rng = ""
            pl = m.get("plausible")
            rows.append(
                {
                    "key": f"{sname}.{f.name}",
                    "type": tname,
                    "range": rng,
                    "default": default,
                    "unit": m.get("unit", ""),
                    "meaning": m.get("meaning", ""),
                    "source": m.get("source", ""),
                    "kind": m.get("kind", "policy"),
                    "plausible": f"{pl[0]}–{pl[1]}" if pl else "",
                    "why": m.get("why", ""),
                }
            )
    return rows


def _fmt_default(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k} = {x}" for k, x in v.items()) + "}"
    if isinstance(v, str):
        return f'"{v}"'
    return str(v)


def levers_markdown(include_behaviour: bool = False) -> str:
    """The lever table of the README, generated from this schema."""
    lines = ["| key | type | range | default | unit | meaning | source |", "|---|---|---|---|---|---|---|"]
    for r in lever_table():
        if r["key"].startswith("behaviour.") and not include_behaviour:
            continue
        lines.append(
            f"| `{r['key']}` | {r['type']} | {r['range']} | `{_fmt_default(r['default'])}` | "
            f"{r['unit']} | {r['meaning']} | {r['source']} |"
        )
    return "\n".join(lines)


def behaviour_markdown() -> str:
    """The table of docs/parameters.md: every behavioural parameter with what it is (``kind``)."""
    lines = [
        "| key | type | range | default | unit | kind | plausible range | meaning | source |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in lever_table():
        if r["key"].startswith("behaviour."):
            why = f" ({r['why']})" if r["why"] else ""
            lines.append(
                f"| `{r['key']}` | {r['type']} | {r['range']} | `{_fmt_default(r['default'])}` | "
                f"{r['unit']} | {r['kind']} | {r['plausible']}{why} | {r['meaning']} | {r['source']} |"
            )
    return "\n".join(lines)


def college_markdown() -> str:
    """The table of docs/parameters.md's industry-college section: every key of a ``[[colleges]]`` table
    and of its ``[colleges.charter]`` (docs/odd.md M18), with what it is (``kind``)."""
    lines = [
        "| key | type | range | default | unit | kind | plausible range | meaning | source |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for prefix, cls in (("colleges", College), ("colleges.charter", CollegeCharter)):
        for f in dataclasses.fields(cls):
            if f.name == "charter":
                continue
            m = f.metadata
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[operator]
            tname = {bool: "bool", int: "int", float: "float", list: "list"}.get(type(default), "str")
            if m.get("choices"):
                rng = " / ".join(f'"{c}"' for c in m["choices"])
            elif tname == "bool":
                rng = "true / false"
            else:
                rng = f"{m['lo']}–{m['hi']}"
            pl = m.get("plausible")
            why = f" ({m['why']})" if m.get("why") else ""
            plaus = f"{pl[0]}–{pl[1]}{why}" if pl else ""
            shown_default = "[]" if tname == "list" else _fmt_default(default)
            lines.append(
                f"| `{prefix}.{f.name}` | {tname} | {rng} | `{shown_default}` | {m.get('unit', '')} | "
                f"{m.get('kind', 'policy')} | {plaus} | {m.get('meaning', '')} | {m.get('source', '')} |"
            )
    return "\n".join(lines)
