"""The dashboard's logic without a browser: schema → controls, typed values, the two runs, export,
result card and replicate intervals.

The Solara page (``app.py``) only lays these out; everything that decides a number or a word is
here, so it is tested without a browser (``tests/apps/dashboard/test_logic.py``).
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.i18n import MESSAGES, t
from sim.inputs import Refusal, shown
from sim.params import SECTIONS as SCHEMA
from sim.scenario import Scenario, ScenarioError, builtin_names, load_scenario, to_toml

POLICY_SECTIONS = (
    "communication",
    "goal_alignment",
    "school_cooperation",
    "firm_support",
    "party_building",
    "craftsman",
)
WORLD_SECTIONS = ("population", "run")
NOT_CONTROLS = {"population.ownership_mix"}  # a table of shares: kept as the strategy has it
# the page starts with a smaller region than the schema's default, so the months tick quickly on a
# projector laptop; every number here is a control of the page and goes into the exported TOML
WORKSHOP_WORLD: dict[str, Any] = {
    "population.schools": 3,
    "population.firms": 45,
    "population.partners_per_school": 12,
    "population.cohort_size": 120,
}
CHART_METRICS = ("firm_retention", "graduate_retention_12m", "skill_mean", "firm_willingness", "reputation")
SLIDER_MAX_STEPS = 100  # integer levers with a wider range get a number box only
FLOAT_SLIDER_STEPS = 100  # a float slider moves in hundredths of its range
DISPLAY_DECIMALS = 1  # differences are shown in points with one decimal
DEFAULT_STRATEGIES = ("baseline", "huli_tongqiang_qirong")
DEFAULT_REPLICATES = 5
MIN_REPLICATES, MAX_REPLICATES = 2, 50


@dataclass(frozen=True)
class Control:
    """One lever as the page shows it: a switch, a menu, or a number (slider and/or box)."""

    key: str
    kind: str  # "switch", "menu", "int" or "float"
    default: Any
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    unit: str = ""
    meaning: str = ""

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]

    @property
    def slider(self) -> bool:
        """Numbers with a short range get a slider as well as a box."""
        if self.kind == "float":
            return True
        return self.kind == "int" and self.hi is not None and self.hi - self.lo <= SLIDER_MAX_STEPS

    @property
    def step(self) -> float:
        if self.kind == "int":
            return 1
        return (self.hi - self.lo) / FLOAT_SLIDER_STEPS

    def label(self, lang: str) -> str:
        return t(f"lever.{self.key}", lang)

    def allowed(self, lang: str) -> str:
        """What the lever accepts, in words: the range, and the unit once in ``lang`` ("0..10 (thousand yuan
        per month)", "0..10（千元/月）"; a unit the range already says, such as ``0..1``, is not repeated)."""
        if self.kind == "switch":
            return f"{t('dash.on', lang)} / {t('dash.off', lang)}"
        if self.kind == "menu":
            return " / ".join(choice_label(c, lang) for c in self.choices)
        span = f"{int(self.lo)}..{int(self.hi)}" if self.kind == "int" else f"{self.lo:g}..{self.hi:g}"
        unit = unit_label(self.unit, lang)
        if not unit:
            return span
        return f"{span}（{unit}）" if lang == "zh" else f"{span} ({unit})"

    def tooltip(self, lang: str) -> str:
        """The schema's meaning, the range and the default (shown when hovering the control)."""
        return (
            f"{self.meaning} — {t('dash.range', lang)}: {self.allowed(lang)}; "
            f"{t('dash.default', lang)}: {format_value(self, self.default, lang)} [{self.key}]"
        )


# units the range or the control already says: "0..1" beside 0..1, a whole number, a menu's choice
UNITS_SAID_BY_RANGE = frozenset({"", "0..1", "integer", "choice"})


def unit_key(unit: str) -> str:
    """The catalogue key of a lever's unit (sim/i18n.py, ``unit.``): ``per year`` -> ``unit.per_year``."""
    return "unit." + re.sub(r"\W+", "_", unit.strip().lower()).strip("_")


def unit_label(unit: str, lang: str) -> str:
    """A lever's unit in ``lang`` ("" when the range says it already); a unit the catalogue lacks fails
    here (tests/test_i18n.py checks every control's)."""
    return "" if unit in UNITS_SAID_BY_RANGE else t(unit_key(unit), lang)


def choice_label(choice: str, lang: str) -> str:
    return t(f"choice.{choice}", lang) if f"choice.{choice}" in MESSAGES else choice


def format_value(c: Control, value: Any, lang: str) -> str:
    """A lever's value as the page writes it."""
    if c.kind == "switch":
        return t("dash.on", lang) if value else t("dash.off", lang)
    if c.kind == "menu":
        return choice_label(value, lang)
    if c.kind == "int":
        return str(int(value))
    return f"{value:g}"


def controls(sections: tuple[str, ...]) -> list[Control]:
    """The page's controls for the schema's ``sections``, in schema order."""
    out = []
    for sname in sections:
        for f in dataclasses.fields(SCHEMA[sname]):
            key = f"{sname}.{f.name}"
            if key in NOT_CONTROLS:
                continue
            m = f.metadata
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
            if isinstance(default, bool):
                kind = "switch"
            elif m.get("choices"):
                kind = "menu"
            elif isinstance(default, int):
                kind = "int"
            else:
                kind = "float"
            out.append(
                Control(
                    key,
                    kind,
                    default,
                    m.get("lo"),
                    m.get("hi"),
                    tuple(m.get("choices") or ()),
                    m.get("unit", ""),
                    m.get("meaning", ""),
                )
            )
    return out


def section_label(section: str, lang: str) -> str:
    return t(f"section.{section}", lang)


def parse_value(c: Control, text: Any, lang: str) -> Any:
    """A value typed or picked on the page, checked against the schema.

    Raises :class:`~sim.inputs.Refusal` (a :class:`ScenarioError`) with a one-line message in ``lang``
    (and, through its ``text``, in any other) for text that is not a number, a fraction where a whole
    number is needed, a value out of range, or an unknown choice.
    """
    typed = shown(text.strip() if isinstance(text, str) else text, raw=True)  # the user's text, cut
    quoted = shown(text.strip()) if isinstance(text, str) else typed

    def refuse(key: str, **kw: Any) -> Refusal:
        return Refusal(
            lambda said: (
                f"{c.label(said)} = {quoted}: {t(key, said, **kw)}; {t('dash.allowed', said, allowed=c.allowed(said))}"
            ),
            lang,
        )

    if c.kind == "switch":
        if not isinstance(text, bool):
            raise refuse("refused")
        return text
    if c.kind == "menu":
        if text not in c.choices:
            raise refuse("refused")
        return text
    if isinstance(text, bool):
        raise refuse("dash.not_a_number", text=text)
    if isinstance(text, (int, float)):
        try:
            number = float(text)
        except OverflowError:  # an integer past the largest float
            raise refuse("refused") from None
    else:
        try:
            number = float(str(text).strip().replace("，", "").replace(",", ""))
        except ValueError:
            raise refuse("dash.not_a_number", text=typed) from None
    if not math.isfinite(number):
        raise refuse("dash.not_a_number", text=typed)
    if c.kind == "int" and not number.is_integer():
        raise refuse("dash.not_an_integer", text=typed)
    value: Any = int(number) if c.kind == "int" else number
    if (c.lo is not None and value < c.lo) or (c.hi is not None and value > c.hi):
        raise refuse("refused")
    return value


# ---------------------------------------------------------------------------------- strategies
def strategy_title(name: str, lang: str) -> str:
    """``现状 (baseline)`` or ``Status quo (baseline)``."""
    s = load_scenario(name)
    return f"{s.title_zh if lang == 'zh' else s.title_en} ({name})"


def strategy_titles(lang: str) -> dict[str, str]:
    """Every built-in strategy of levers' title in ``lang``, keyed by name, in the order of docs/odd.md §9;
    not those with industry colleges (docs/odd.md M18), whose colleges name schools of the built-in
    region that the dashboard's smaller world may not have."""
    return {n: strategy_title(n, lang) for n in builtin_names() if not load_scenario(n).params.colleges.tables}


@dataclass(frozen=True)
class Setup:
    """What the page holds for one strategy: its name and the levers changed on top of it."""

    strategy: str
    levers: dict[str, Any] = field(default_factory=dict)


def make_scenario(setup: Setup, world: dict[str, Any]) -> Scenario:
    """The strategy with the shared world and its changed levers (validated by the scenario loader)."""
    return load_scenario(setup.strategy, {**world, **setup.levers})


def value_of(scn: Scenario, key: str) -> Any:
    section, name = key.split(".", 1)
    return getattr(getattr(scn.params, section), name)


def with_lever(setup: Setup, world: dict[str, Any], c: Control, raw: Any, lang: str) -> Setup:
    """``setup`` with lever ``c`` set to ``raw``; raises :class:`ScenarioError` when it is refused.

    A lever set back to the strategy's own value is dropped from the changes."""
    value = parse_value(c, raw, lang)
    own = value_of(load_scenario(setup.strategy, world), c.key)
    levers = {k: v for k, v in setup.levers.items() if k != c.key}
    if value != own:
        levers[c.key] = value
    new = Setup(setup.strategy, levers)
    make_scenario(new, world)  # cross-lever checks (e.g. partners <= firms)
    return new


def with_world(world: dict[str, Any], setups: tuple[Setup, ...], c: Control, raw: Any, lang: str) -> dict[str, Any]:
    """The shared world with ``c`` set to ``raw``, checked against both strategies."""
    new = {**world, c.key: parse_value(c, raw, lang)}
    for s in setups:
        make_scenario(s, new)
    return new


def default_world() -> dict[str, Any]:
    return dict(WORKSHOP_WORLD)


def export_toml(setup: Setup, world: dict[str, Any]) -> str:
    """The current settings of one strategy as a self-contained scenario file for ``sesim run``.

    Every section is written in full (no ``extends``), so the file works wherever it is saved."""
    scn = make_scenario(setup, world)
    changed = ", ".join(f"{k} = {v}" for k, v in sorted(setup.levers.items())) or "none"
    suffix = "_workshop" if setup.levers else ""
    scn = dataclasses.replace(
        scn,
        name=f"{setup.strategy}{suffix}",
        title_en=f"{scn.title_en} (workshop)" if setup.levers else scn.title_en,
        title_zh=f"{scn.title_zh}（工作坊）" if setup.levers else scn.title_zh,
        description=f"Exported by sesim dashboard from '{setup.strategy}'; levers changed: {changed}",
    )
    header = f"# sesim dashboard export of '{setup.strategy}'. Run it with: sesim run FILE\n"
    return header + to_toml(scn)


def export_filename(setup: Setup) -> str:
    return f"{setup.strategy}{'_workshop' if setup.levers else ''}.toml"


# ---------------------------------------------------------------------------------- the two runs
class Duel:
    """Two strategies stepped month by month on the same seed (common random numbers).

    The warm-up runs when a strategy is (re)built; ``month`` counts reported months."""

    def __init__(self, scenarios: tuple[Scenario, Scenario], seed: int | None = None) -> None:
        self.seed = scenarios[0].params.run.seed if seed is None else seed
        self.scenarios = list(scenarios)
        self.models = [self._fresh(s) for s in scenarios]

    def _fresh(self, scn: Scenario) -> Any:
        from sim.model import CooperationModel

        model = CooperationModel(scn.params, seed=self.seed)
        while model.t < model.warmup and model.running:
            model.step()
        return model

    @property
    def month(self) -> int:
        return len(self.models[0].datacollector.model_vars["firm_retention"])

    @property
    def horizon(self) -> int:
        return 12 * self.scenarios[0].params.run.years

    @property
    def finished(self) -> bool:
        return not all(m.running for m in self.models)

    def step(self, months: int = 1) -> None:
        for _ in range(months):
            if self.finished:
                return
            for m in self.models:
                m.step()

    def replace(self, i: int, scn: Scenario) -> None:
        """Strategy ``i`` with new levers, replayed to the current month (the other is unchanged)."""
        month = self.month
        self.scenarios[i] = scn
        model = self._fresh(scn)
        while len(model.datacollector.model_vars["firm_retention"]) < month and model.running:
            model.step()
        self.models[i] = model

    def series(self, i: int) -> dict[str, list[float]]:
        """The monthly series of strategy ``i`` (the model's DataCollector), for the chart metrics."""
        mv = self.models[i].datacollector.model_vars
        return {k: list(mv[k]) for k in CHART_METRICS}


# ---------------------------------------------------------------------------------- result card
def _kind(metric: str) -> str:
    from sim.metrics import metric_kind

    return metric_kind(metric)


def format_metric(metric: str, value: float) -> str:
    """A share as a percentage, a skill or reputation on a 0–100 scale."""
    if not np.isfinite(value):
        return "–"
    x = 100.0 * value
    return f"{x:.{DISPLAY_DECIMALS}f}%" if _kind(metric) == "share" else f"{x:.{DISPLAY_DECIMALS}f}"


def format_points(x: float, signed: bool = True) -> str:
    """A difference in points (one decimal), ``–`` when there is none."""
    if not np.isfinite(x):
        return "–"
    return f"{x:+.{DISPLAY_DECIMALS}f}" if signed else f"{abs(x):.{DISPLAY_DECIMALS}f}"


def average(values: list[float]) -> float:
    x = np.asarray(values, float)
    x = x[np.isfinite(x)]
    return float(x.mean()) if len(x) else float("nan")


def latest(values: list[float]) -> float:
    """The value of the latest month shown (NaN before any month, or when that month has none)."""
    return float(values[-1]) if len(values) else float("nan")


def months_label(months: int, lang: str) -> str:
    """``months 1–24`` (``month 1`` for a single month): the reported months a number is taken over."""
    return t("dash.month_one", lang, m=months) if months == 1 else t("dash.months_range", lang, first=1, last=months)


@dataclass(frozen=True)
class Difference:
    """B − A of one quantity: both values, the difference in points, and its 95% interval over paired
    runs (``low``/``high`` NaN for one run; ``n`` = runs with a value for both strategies)."""

    n: int
    a: float
    b: float
    points: float
    low: float = math.nan
    high: float = math.nan

    @property
    def has_interval(self) -> bool:
        return self.n >= MIN_REPLICATES and np.isfinite(self.low) and np.isfinite(self.high)

    @property
    def clear(self) -> bool:
        """The interval as shown (one decimal) excludes 0."""
        lo, hi = (round(x, DISPLAY_DECIMALS) for x in (self.low, self.high))
        return self.has_interval and (lo > 0 or hi < 0)

    def cell(self) -> str:
        """The table's Δ cell: ``+4.2`` for one run, ``+4.2 [1.0, 7.4]`` with an interval."""
        if not self.has_interval:
            return format_points(self.points)
        return f"{format_points(self.points)} [{self.low:.{DISPLAY_DECIMALS}f}, {self.high:.{DISPLAY_DECIMALS}f}]"


def one_run_difference(a: float, b: float) -> Difference:
    ok = bool(np.isfinite(a) and np.isfinite(b))
    return Difference(int(ok), a, b, round(100.0 * (b - a), DISPLAY_DECIMALS) if ok else math.nan)


def paired(a: np.ndarray, b: np.ndarray) -> Difference:
    """B − A over paired runs (pairs with a missing value dropped), with the paired t interval."""
    from analysis.stats import paired_difference

    a, b = np.asarray(a, float), np.asarray(b, float)
    ok = np.isfinite(a) & np.isfinite(b)
    n = int(ok.sum())
    if n == 0:
        return Difference(0, math.nan, math.nan, math.nan)
    va, vb = float(a[ok].mean()), float(b[ok].mean())
    if n < MIN_REPLICATES:
        return Difference(n, va, vb, 100.0 * (vb - va))
    d = paired_difference(b, a)
    return Difference(n, va, vb, 100.0 * d.diff, 100.0 * d.low, 100.0 * d.high)


@dataclass(frozen=True)
class Replicates:
    """Paired runs of two strategies (seeds ``seeds``, both strategies on the same seed in each):
    per metric the difference of the mean over months 1..``months`` and of month ``months`` alone.

    Numbers only: the card puts them into words in the language of the moment."""

    params: tuple[Any, Any]
    months: int
    seeds: tuple[int, ...]
    mean: dict[str, Difference]
    last: dict[str, Difference]

    def matches(self, scenarios: tuple[Scenario, ...] | list[Scenario], seed: int, months: int) -> bool:
        """Computed for the run shown: the same two strategies, the same first seed, the same months."""
        return self.months == months and self.seeds[0] == seed and self.params == tuple(s.params for s in scenarios)


def run_replicates(
    scenarios: tuple[Scenario, Scenario], months: int, replicates: int, root_seed: int, lang: str
) -> Replicates:
    """Run ``replicates`` pairs (seed ``root_seed + i`` for both strategies; the first is the run shown)
    for ``months`` reported months; ``lang`` is the language of the refusal of a bad count."""
    if not MIN_REPLICATES <= replicates <= MAX_REPLICATES:
        raise ScenarioError(
            f"{t('dash.replicates', lang)} = {replicates}: "
            f"{t('dash.allowed', lang, allowed=f'{MIN_REPLICATES}..{MAX_REPLICATES}')}"
        )
    seeds = tuple(root_seed + i for i in range(replicates))
    means = {m: ([], []) for m in CHART_METRICS}
    lasts = {m: ([], []) for m in CHART_METRICS}
    for seed in seeds:
        duel = Duel(scenarios, seed=seed)
        duel.step(months)
        for k in (0, 1):
            s = duel.series(k)
            for m in CHART_METRICS:
                means[m][k].append(average(s[m]))
                lasts[m][k].append(latest(s[m]))
    return Replicates(
        tuple(s.params for s in scenarios),
        months,
        seeds,
        {m: paired(*means[m]) for m in CHART_METRICS},
        {m: paired(*lasts[m]) for m in CHART_METRICS},
    )


@dataclass(frozen=True)
class CardRow:
    metric: str
    label: str
    mean: Difference  # the mean over the months shown
    last: Difference  # the latest month shown
    verdict: str  # raises, lowers, same (one run); unclear (an interval with 0); no_data
    sentence: str


@dataclass(frozen=True)
class Card:
    """The result card: a headline saying what the numbers are computed from, a table, a sentence per metric."""

    headline: str
    groups: list[tuple[str, int]]  # the table's upper header: (text, columns spanned)
    head: list[str]
    rows: list[CardRow]
    replicated: bool

    def cells(self) -> list[list[str]]:
        return [
            [
                r.label,
                format_metric(r.metric, r.mean.a),
                format_metric(r.metric, r.mean.b),
                r.mean.cell(),
                format_metric(r.metric, r.last.a),
                format_metric(r.metric, r.last.b),
                r.last.cell(),
            ]
            for r in self.rows
        ]


def _verdict(d: Difference, replicated: bool) -> str:
    if not np.isfinite(d.points) or (replicated and not d.has_interval):
        return "no_data"
    if replicated and not d.clear:
        return "unclear"
    if d.points == 0:
        return "same"
    return "raises" if d.points > 0 else "lowers"


def result_card(
    a: dict[str, list[float]],
    b: dict[str, list[float]],
    names: tuple[str, str],
    seed: int,
    lang: str,
    replicates: Replicates | None = None,
) -> Card:
    """The headline outcomes of both strategies and their difference, in plain words.

    ``a`` and ``b`` are the series shown (months 1..M of one run on ``seed``); ``names`` the strategies'
    titles as the page shows them.  Every number is labelled with what it is: the mean over months
    1..M or month M alone (the value the chart ends on), from this run or, given ``replicates``
    computed for this run, averaged over the paired runs with the difference's 95% interval; then
    the verdict follows the interval (an interval that includes 0 is no clear difference)."""
    from sim.metrics import metric_label

    months = len(a[CHART_METRICS[0]])
    span, last = months_label(months, lang), t("dash.month_one", lang, m=months)
    rep = replicates is not None
    if rep:
        if replicates.months != months:
            raise ValueError(f"replicates for {replicates.months} months, card for {months}")
        headline = t(
            "dash.card_replicates",
            lang,
            months=span,
            n=len(replicates.seeds),
            first=replicates.seeds[0],
            last=replicates.seeds[-1],
        )
    else:
        headline = t("dash.card_one_run", lang, months=span, seed=seed, last=last)
    rows = []
    for metric in CHART_METRICS:
        label = metric_label(metric, lang)
        if rep:
            mean, end = replicates.mean[metric], replicates.last[metric]
        else:
            mean = one_run_difference(average(a[metric]), average(b[metric]))
            end = one_run_difference(latest(a[metric]), latest(b[metric]))
        verdict = _verdict(mean, rep)
        words = dict(
            a=names[0],
            b=names[1],
            metric=label,
            months=span,
            last=last,
            va=format_metric(metric, mean.a),
            vb=format_metric(metric, mean.b),
            la=format_metric(metric, end.a),
            lb=format_metric(metric, end.b),
            diff=t("dash.points", lang, x=format_points(mean.points, signed=False)),
            signed=format_points(mean.points),
            n=mean.n,
            min=MIN_REPLICATES,
            low=f"{mean.low:.{DISPLAY_DECIMALS}f}",
            high=f"{mean.high:.{DISPLAY_DECIMALS}f}",
        )
        if verdict == "no_data":
            sentence = t("dash.too_few" if rep and np.isfinite(mean.points) else "dash.no_data", lang, **words)
        else:
            sentence = t(f"dash.{verdict}_ci" if rep else f"dash.{verdict}", lang, **words)
        rows.append(CardRow(metric, label, mean, end, verdict, sentence))
    groups = [("", 1), (t("dash.col_mean", lang, months=span), 3), (last, 3)]
    head = ["", "A", "B", "B − A", "A", "B", "B − A"]
    return Card(headline, groups, head, rows, rep)


# ---------------------------------------------------------------------------------- network
SCHOOL_RADIUS = 0.35  # schools on an inner ring, firms on the unit circle
MEMBER_RADIUS = 0.12  # party-member teachers in a small ring around their school


@dataclass
class NetworkView:
    """Positions and links of one model's schools, firms and party-member teachers."""

    schools: np.ndarray  # (S, 2)
    firms: np.ndarray  # (F, 2)
    firm_willingness: np.ndarray  # (F,), NaN without an active partnership
    members: np.ndarray  # (M, 2)
    partnerships: list[tuple[int, int]]  # (school, firm)
    mentoring: list[tuple[int, int]]  # (member, firm)


def _ring(n: int, radius: float, centre: np.ndarray | None = None, phase: float = 0.0) -> np.ndarray:
    angle = phase + 2 * np.pi * np.arange(n) / max(n, 1)
    return (np.zeros(2) if centre is None else centre) + radius * np.column_stack([np.cos(angle), np.sin(angle)])


def network_view(model: Any) -> NetworkView:
    """Read the network off a model: active partnerships, and party-member teachers co-mentoring at
    the firms that host their school's interns (integrated party building with co-mentoring).

    The model does not pair teachers with firms; the view deals each school's host firms out to its
    party-member teachers in turn."""
    from sim.state import INTEGRATED, INTERNING

    S, F = model.n_schools, model.n_firms
    schools = _ring(S, SCHOOL_RADIUS, phase=np.pi / 2)
    order = np.lexsort((np.arange(F), model.firm_field))  # firms of a field sit together
    firms = np.zeros((F, 2))
    firms[order] = _ring(F, 1.0)
    p = model.partnerships
    act = p.active()
    w_sum = np.bincount(p.firm[act], weights=p.willingness[act], minlength=F)
    n = np.bincount(p.firm[act], minlength=F)
    willingness = np.where(n > 0, w_sum / np.maximum(n, 1), np.nan)
    links = [(int(s), int(f)) for s, f in zip(p.school[act], p.firm[act])]
    members, mentoring = [], []
    party_building = model.school_levers.party_building  # each school's own choices (docs/odd.md §11)
    st = model.students
    interning = st.status[: st.n] == INTERNING
    for s, n in enumerate(model.party_members.tolist()):
        first = len(members)
        members += list(_ring(n, MEMBER_RADIUS, schools[s]))
        if not n or party_building.mode[s] != INTEGRATED or not party_building.co_mentoring[s]:
            continue
        hosts = np.unique(st.intern_firm[: st.n][interning & (st.school[: st.n] == s)])
        mentoring += [(first + j % n, int(f)) for j, f in enumerate(hosts)]
    return NetworkView(schools, firms, willingness, np.array(members).reshape(-1, 2), links, mentoring)
