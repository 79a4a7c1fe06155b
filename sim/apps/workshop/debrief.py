"""The debrief (docs/odd.md §11): the played region against every named strategy on the same seed,
each seat's decisions beside its outcomes, the decisions that moved the outcomes most; and the replay.

Written into the workshop's output folder (an :class:`~sim.outputs.OutputSlot` of kind ``workshop``):

- ``summary.csv``, ``timeseries.parquet``, ``spells.parquet``, ``scenario.resolved.toml``: the played run,
  in the form ``sesim run`` writes them (so ``sesim run scenario.resolved.toml --seed S --seeds 1
  --decisions decisions.csv`` writes the same ``summary.csv``);
- ``decisions.parquet`` and ``decisions.csv``: the decision log (round, seat, lever, value, time);
- ``strategies.csv``: every named strategy's outcomes on the room's region and seed (common random numbers);
- ``attribution.csv``: each seat's decisions of a round, and how much the outcomes change when the run is
  replayed without them (the rest of the log kept);
- ``report-en.html``, ``report-zh.html`` and ``report.html`` (the room's language), with the figures
  ``figures-en/`` and ``figures-zh/``;
- ``manifest.json`` (seed, region, the log's SHA-256; never the room's tokens or the seats' secrets).

:func:`replay` re-runs the log of such a folder and says whether the summary is byte-identical.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import os
import platform
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple

import numpy as np
import pandas as pd

from sim import metrics
from sim import policy as pol
from sim.i18n import LANGS, MESSAGES, t
from sim.inputs import shown
from sim.outputs import OutputSlot
from sim.params import FIRM_SECTIONS, SCHOOL_SECTIONS, SECTIONS, Agents, Params
from sim.replicates import Arm
from sim.runner import RunResult, git_commit, run_model, run_replicate, spells, summary_and_series, write_outputs
from sim.scenario import (
    MAX_FILE_BYTES,
    Scenario,
    ScenarioError,
    builtin_names,
    check_regular_file,
    coerce,
    load_scenario,
    to_toml,
)
from sim.spreadsheet import write_csv
from sim.state import END_REASONS
from sim.version import __version__

from .worlds import BASELINE, MINE, WORLDS, Worlds, partnership_measure, run_worlds

if TYPE_CHECKING:
    from .room import Room

KIND = "workshop"
PLAYED = "workshop"  # the played region's name in the debrief's tables and figures
HEADLINE = ("firm_retention", "graduate_retention_12m", "skill_level", "firm_net_benefit", "school_net_benefit")
SENTENCE = ("firm_retention", "graduate_retention_12m", "skill_level")
MAX_GROUPS = 40  # replays without one seat-round of decisions; beyond, one per seat
SUMMARY_FORMAT = "%.10g"  # as sesim run writes summary.csv
PARTNERSHIP_MEASURES = ("kept_all_year", "partner_months_kept")  # sim.metrics.workshop_partnerships
HUB = "huli_tongqiang_qirong"


@dataclass
class Played:
    """What the debrief needs of a finished room (copied out of it, so the room's lock is not held)."""

    scenario: Scenario
    seed: int
    code: str
    schools: int
    firms: int
    rounds: int
    seats: int  # schools, firms and party branches
    taken: list[str]
    log: pd.DataFrame
    row: dict[str, Any]
    timeseries: pd.DataFrame
    spells: pd.DataFrame
    history: list[tuple[int, dict[str, dict[str, Any]]]]  # (round, seat -> what it saw at the year's end)
    lang: str
    # the region's partnerships by year as the pages counted them (partnership_table), and the workshop's
    # partnership measures of the played run (sim.metrics.workshop_partnerships)
    partnerships: list[dict[str, int]] = dataclasses.field(default_factory=list)
    measures: dict[str, float] = dataclasses.field(default_factory=dict)

    @property
    def at_start_per_year(self) -> float:
        """Partnerships at the start of a year, on average over the played years."""
        years = self.partnerships
        return sum(y["at_start"] for y in years) / len(years) if years else 0.0

    @property
    def measure(self) -> str:
        """The partnership measure the debrief compares (worlds.partnership_measure)."""
        return partnership_measure(self.at_start_per_year)


def played_from_room(room: "Room") -> Played:
    with room.lock:
        if not room.ended:
            raise ScenarioError("debrief: the workshop has not ended")
        m = room.model
        name = room.scenario.name
        row = {"scenario": name, "replicate": 0, "seed": room.seed, **metrics.compute(m)}
        ts = m.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        ts.insert(0, "month", np.arange(len(ts)))
        ts.insert(0, "replicate", 0)
        ts.insert(0, "scenario", name)
        return Played(
            scenario=copy.deepcopy(room.scenario),
            seed=room.seed,
            code=room.code,
            schools=m.n_schools,
            firms=m.n_firms,
            rounds=room.rounds,
            seats=len(room.seats),
            taken=[s for s, v in room.seats.items() if v.secret is not None],
            log=m.decision_log(),
            row=row,
            timeseries=ts,
            spells=spells(m, name, 0),
            history=[(h.round, copy.deepcopy(h.seats)) for h in room.history],
            lang=room.lang,
            partnerships=partnership_table(m),
            measures=metrics.workshop_partnerships(m),
        )


def partnership_table(m: Any) -> list[dict[str, int]]:
    """The region's partnerships by played year, counted as the seat pages count them
    (:func:`sim.metrics.partnership_year`): at the start, kept all year, ended (by reason), begun (of them
    re-formed: the school and firm had been partners before), at the end."""
    p = m.partnerships
    school, firm, start, end = p.school[: p.n], p.firm[: p.n], p.start[: p.n], p.end[: p.n]
    out = []
    for r, y in enumerate(metrics.partnership_years(m)):
        again = sum(bool(((school == school[k]) & (firm == firm[k]) & (start < start[k])).any()) for k in y.begun)
        row = {
            "year": r + 1,
            "at_start": len(y.at_start),
            "kept": len(y.kept),
            "ended": len(y.ended),
            **{f"ended_{why}": int((p.reason[y.ended] == i).sum()) for i, why in enumerate(END_REASONS) if i},
            "begun": len(y.begun),
            "again": int(again),
            "at_end": int(((start < y.t1) & ((end < 0) | (end >= y.t1))).sum()),
            "months_kept": y.months_kept,
            "months_possible": y.months_possible,
        }
        out.append(row)
    return out


def strategy_scenarios(played: Played) -> list[Scenario]:
    """Every named strategy of levers on the played region: the played scenario's parameters (population,
    run, behaviour, mechanisms) with the strategy's school and firm levers for every agent, so a room
    started from a scenario file of its own is compared on its own region, not on the built-in one.  The
    strategies with industry colleges (docs/odd.md M18) are left out: their colleges name schools and
    fields of the built-in region, and no seat plays a college's board."""
    out = []
    for name in builtin_names():
        strategy = load_scenario(name)
        if strategy.params.colleges.tables:
            continue  # an industry college (docs/odd.md M18) is an institution of the region, not levers a seat plays
        params = copy.deepcopy(played.scenario.params)
        for section in (*SCHOOL_SECTIONS, *FIRM_SECTIONS):
            setattr(params, section, copy.deepcopy(getattr(strategy.params, section)))
        params.agents = Agents()  # the strategy holds for every school and firm
        out.append(
            Scenario(
                name=name,
                params=params,
                title_en=strategy.title_en,
                title_zh=strategy.title_zh,
                description=strategy.description,
                path=strategy.path,
            )
        )
    return out


def run_strategies(played: Played) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every named strategy on the played region and seed: summary rows and monthly series."""
    rows, series = [], []
    for s in strategy_scenarios(played):  # one strategy at a time; its spells are not kept
        model = run_model(s.params, played.seed)
        row, ts = summary_and_series(model, s.name, 0)
        rows.append({**row, **metrics.workshop_partnerships(model)})
        series.append(ts)
    return pd.DataFrame(rows), pd.concat(series, ignore_index=True)


def schedule_of(log: pd.DataFrame, params: Params) -> dict:
    return pol.schedule_from_frame(log, params, "decision log") if len(log) else {}


def attribution(played: Played) -> pd.DataFrame:
    """Per group of decisions (a seat's decisions of a round; a seat's over all rounds when the groups
    are more than :data:`MAX_GROUPS`): the played outcome minus the outcome of a replay without them."""
    log = played.log
    cols = ["seat", "round", "decisions", *HEADLINE, *PARTNERSHIP_MEASURES]
    if not len(log):
        return pd.DataFrame(columns=cols)
    by_round = log.groupby(["seat", "round"], sort=False).size()
    per_seat = len(by_round) > MAX_GROUPS
    keys = list(dict.fromkeys(log["seat"])) if per_seat else list(by_round.index)
    rows = []
    for key in keys:
        seat, rnd = (key, None) if per_seat else key
        drop = (log["seat"] == seat) & (True if rnd is None else log["round"] == rnd)
        rest = log[~drop].reset_index(drop=True)
        model = run_model(played.scenario.params, played.seed, schedule_of(rest, played.scenario.params))
        row = {**metrics.compute(model), **metrics.workshop_partnerships(model)}
        taken = log[drop]
        words = "; ".join(f"{lv} = {v}" for lv, v in zip(taken["lever"], taken["value"]))
        rows.append(
            {
                "seat": seat,
                "round": -1 if rnd is None else int(rnd),
                "decisions": words,
                **{k: _value(played, k) - row[k] for k in (*HEADLINE, *PARTNERSHIP_MEASURES)},
            }
        )
    return pd.DataFrame(rows, columns=cols)


# ------------------------------------------------------------------ writing
def write_debrief(
    played: Played,
    out: Path | OutputSlot,
    argv: Iterable[str] = (),
    worlds: int = WORLDS,
    workers: int = 1,
    on_run: Callable[[int, int], None] | None = None,
) -> Path:
    """Run the strategies, the replays and the ``worlds`` (on ``workers`` processes; ``on_run(done,
    total)`` after each batch of them), write every file; the folder written."""
    if not isinstance(out, OutputSlot):
        with OutputSlot(Path(out), KIND) as slot:
            return write_debrief(played, slot, argv, worlds, workers, on_run)
    started = time.time()
    strat_summary, strat_ts = run_strategies(played)
    attr = attribution(played)
    params = played.scenario.params
    many = run_worlds(
        Arm(MINE, params, schedule_of(played.log, params)),
        strategy_scenarios(played),
        played.seed,
        worlds,
        workers,
        on_run,
        ranked=(played.measure, *HEADLINE[1:]),
    )
    tmp = out.staging()
    summary = pd.DataFrame([played.row])
    write_csv(summary, tmp / "summary.csv", float_format=SUMMARY_FORMAT)
    played.timeseries.to_parquet(tmp / "timeseries.parquet", index=False)
    played.spells.to_parquet(tmp / "spells.parquet", index=False)
    ran = copy.deepcopy(played.scenario)
    ran.params.run.seed = played.seed
    (tmp / "scenario.resolved.toml").write_text(to_toml(ran), encoding="utf-8")
    pol.write_decision_log(played.log, tmp / "decisions.parquet")
    pol.write_decision_log(played.log, tmp / "decisions.csv")
    write_csv(strat_summary, tmp / "strategies.csv", float_format=SUMMARY_FORMAT)
    write_csv(attr, tmp / "attribution.csv", float_format=SUMMARY_FORMAT)
    write_csv(many.summary, tmp / "worlds.csv", float_format=SUMMARY_FORMAT)
    write_csv(many.table, tmp / "worlds-comparison.csv", float_format=SUMMARY_FORMAT)
    write_csv(pd.DataFrame(played.partnerships), tmp / "partnerships.csv")
    for lang in LANGS:
        figs = tmp / f"figures-{lang}"
        figs.mkdir()
        figures = _figures(many, played, lang, figs)
        html = build_report(played, strat_summary, attr, figures, lang, tmp, many)
        (tmp / f"report-{lang}.html").write_text(html, encoding="utf-8")
    shutil.copyfile(tmp / f"report-{played.lang}.html", tmp / "report.html")
    ended = time.time()
    out.publish(
        {
            "package": "sesim",
            "version": __version__,
            "git_commit": git_commit(),
            "command": list(argv),
            "scenario": played.scenario.name,
            "seed": played.seed,
            "seeds": [played.seed],
            "room": played.code,
            "schools": played.schools,
            "firms": played.firms,
            "rounds": played.rounds,
            "seats_taken": played.taken,
            "decisions": {
                "file": "decisions.parquet",
                "rows": len(played.log),
                "sha256": hashlib.sha256((tmp / "decisions.parquet").read_bytes()).hexdigest(),
            },
            "strategies": list(strat_summary["scenario"]),
            "worlds": {"n": many.n, "seeds": many.seeds, "file": "worlds.csv"},
            "lang": played.lang,
            "debrief_wall_time_s": round(ended - started, 3),
            "python": platform.python_version(),
        }
    )
    return out.out


def _titles() -> dict[str, tuple[str, str]]:
    from analysis.labels import builtin_titles

    titles = builtin_titles(builtin_names())
    titles[PLAYED] = MESSAGES["debrief.played"]
    titles[MINE] = MESSAGES["debrief.mine"]
    return titles


def _figures(many: Worlds, played: Played, lang: str, out: Path) -> dict[str, Path]:
    import matplotlib

    matplotlib.use("Agg")
    from analysis import plots

    with plots.DRAWING:  # the facilitator's page may be drawing its chart meanwhile
        shown = plots.use_language(lang)
        titles = {k: v[shown == "zh"] for k, v in _titles().items()}
        out_ts = plots.timeseries(many.timeseries, many.order, titles, shown, out)[0]  # means of the worlds
        return {"timeseries": out_ts, "outcomes": _outcome_figure(many, played, titles, shown, out)}


def _outcome_figure(many: Worlds, played: Played, titles: dict[str, str], lang: str, out: Path) -> Path:
    """One panel per sentence outcome: a bar per arm (the mean of the worlds) with its 95% interval, your
    decisions' bar dark, and your room's own run as a diamond on it."""
    import matplotlib.pyplot as plt

    from analysis import plots
    from sim.metrics import display_scale, level_unit, metric_label

    measures = (played.measure, *SENTENCE[1:])
    fig, axes = plt.subplots(1, len(measures), figsize=(plots.WIDTH_IN, 4.6), squeeze=False)
    for ax, m in zip(axes.flat, measures):
        k = display_scale(m)
        d = many.table[many.table["metric"] == m].dropna(subset=["mean"]).sort_values("mean", ascending=False)
        y = np.arange(len(d))
        colours = [plots.BASELINE_COLOUR if s == MINE else "#9ab" for s in d["scenario"]]
        mean = d["mean"].to_numpy(float) * k
        err = np.vstack([mean - d["ci_low"].to_numpy(float) * k, d["ci_high"].to_numpy(float) * k - mean])
        ax.barh(y, mean, color=colours, xerr=np.clip(err, 0, None), error_kw={"lw": 0.8, "capsize": 2})
        ax.set_yticks(y, [plots.label(s, titles) for s in d["scenario"]], fontsize=6.5)
        ax.invert_yaxis()
        mine = _value(played, m)
        if mine == mine and MINE in list(d["scenario"]):
            ax.plot([mine * k], [list(d["scenario"]).index(MINE)], "D", color="#c60", ms=5, zorder=3)
        ax.set_title(f"{metric_label(m, lang)}\n{level_unit(m, lang)}", fontsize=8.5, loc="left")
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="x", color="0.92")
    fig.suptitle(t("debrief.outcomes_fig", lang, n=many.n), fontsize=10)
    fig.tight_layout()
    return plots.save(fig, out, "outcomes")[0]


def _value(played: Played, m: str) -> float:
    """The played run's value of ``m`` (a summary metric or a workshop partnership measure)."""
    return float(played.measures[m] if m in played.measures else played.row[m])


def level(v: float, metric: str) -> str:
    """A level as the pages show it: shares and 0–1 indices on 0–100 (the column's unit says which),
    money in thousand yuan."""
    from analysis.labels import num
    from sim.metrics import display_scale

    return "–" if v != v else num(v * display_scale(metric), metric)


def _pct(v: float, metric: str) -> str:
    """A level in a sentence: shares with %, indices out of 100, money in thousand yuan."""
    from analysis.labels import percent
    from sim.metrics import metric_kind

    if v != v:
        return "–"
    if metric_kind(metric) == "share":
        return percent(v)
    return level(v, metric)


def _signed(v: float, metric: str) -> str:
    if v != v:
        return "–"
    text = level(v, metric)
    return text if text.startswith("-") or text == "0" else f"+{text}"


def sentences(played: Played, strategies: pd.DataFrame, lang: str) -> list[str]:
    """What happened in the room's own world, beside the baseline and 互利·同强·齐荣 on the same seed:
    the partnerships (as the pages counted them), graduates' first jobs, skill."""
    titles = _titles()
    short = {n: (n if lang == "en" else zh) for n, (_, zh) in titles.items()}
    short["baseline"] = "the baseline" if lang == "en" else "现状"
    short[HUB] = "互利·同强·齐荣"
    out = []
    for key, m in (
        (f"debrief.{played.measure}", played.measure),
        ("debrief.kept_grads", "graduate_retention_12m"),
        ("debrief.skill", "skill_level"),
    ):
        by = dict(zip(strategies["scenario"], strategies[m]))
        named = [n for n in ("baseline", HUB, "full") if n in by]
        best = max((n for n in by if by[n] == by[n]), key=lambda n: by[n], default=None)
        if best is not None and best not in named:
            named.append(best)
        others = ("; " if lang == "en" else "；").join(f"{short.get(n, n)} {_pct(by[n], m)}" for n in named)
        out.append(t(key, lang, you=_pct(_value(played, m), m), others=others))
    return out


def partnership_lines(played: Played, lang: str) -> list[str]:
    """The region's partnerships over the played years in one sentence, and, when the region is too small
    for a stable share of partnerships kept, why the debrief compares partner-months kept instead."""
    from analysis.labels import percent

    years = played.partnerships
    if not years:
        return []
    start = sum(y["at_start"] for y in years)
    kept = sum(y["kept"] for y in years)
    lines = [
        t(
            "debrief.partnerships_line",
            lang,
            start=start,
            kept=kept,
            share=percent(kept / start) if start else "–",
            ended=sum(y["ended"] for y in years),
            again=sum(y["again"] for y in years),
        )
    ]
    if played.measure == "partner_months_kept":
        per_year = played.at_start_per_year
        lines.append(
            t(
                "debrief.too_small",
                lang,
                n=f"{per_year:.0f}" if per_year >= 1 else f"{per_year:.1f}",
                step=f"{100 / max(per_year, 1):.0f}",
                you=percent(played.measures["partner_months_kept"]),
            )
        )
    return lines


def worlds_lines(played: Played, strategies: pd.DataFrame, many: Worlds, measures: list[str], lang: str) -> list[str]:
    """Per measure, your decisions against the baseline over the worlds (their intervals and the paired
    difference's verdict), and whether your room's own difference was the decisions' or luck's."""
    from analysis.labels import verdict_class
    from sim.metrics import metric_label, unit_label

    base_here = strategies.set_index("scenario").loc[BASELINE] if BASELINE in set(strategies["scenario"]) else None
    out = []
    for m in measures:
        mine, base = many.row(MINE, m), many.row(BASELINE, m)
        cls = verdict_class(m, mine["diff_holm_low"], mine["diff_holm_high"], mine["margin"])
        here = _value(played, m) - float(base_here[m]) if base_here is not None else float("nan")
        words = {"good": "better", "bad": "worse"}.get(cls, cls)
        if cls in ("good", "bad") and here == here and (here > 0) != (mine["diff"] > 0):
            words += "_other_way"  # the room's own world went against what the decisions do
        out.append(
            t(
                "debrief.worlds_line",
                lang,
                measure=metric_label(m, lang),
                mine=_interval(mine, m),
                base=_interval(base, m),
                diff=f"{_shown_interval(mine['diff'], mine['diff_holm_low'], mine['diff_holm_high'], m, True)} "
                f"{unit_label(m, lang)}",
                verdict=t(f"debrief.v_{words}", lang, n=many.n, here=f"{_signed(here, m)} {unit_label(m, lang)}"),
            )
        )
    return out


def _interval(row: pd.Series, m: str) -> str:
    return _shown_interval(row["mean"], row["ci_low"], row["ci_high"], m)


def _shown_interval(v: float, low: float, high: float, m: str, sign: bool = False) -> str:
    """``58 [52, 63]`` on the pages' scale, by the one number rule: the estimate and the ends with the
    decimals of the interval's width (analysis.labels.with_interval, docs/odd.md §7.8)."""
    from analysis.labels import with_interval
    from sim.metrics import display_scale

    if v != v:
        return "–"
    k = display_scale(m)
    d, lo, hi = with_interval(v * k, low * k, high * k, m, sign=sign)
    return f"{d} [{lo}, {hi}]"


def build_report(
    played: Played,
    strategies: pd.DataFrame,
    attr: pd.DataFrame,
    figures: dict[str, Path],
    lang: str,
    root: Path,
    many: Worlds | None = None,
) -> str:
    """The debrief page in ``lang`` (template ``debrief.html`` of analysis/templates/, autoescaped)."""
    from analysis.html import render, title_fn
    from sim.metrics import level_unit, metric_label

    title = title_fn(lang, _titles())
    shown = [played.measure, *HEADLINE[1:]]  # the partnerships as the pages counted them, then the rest
    heads = [(metric_label(m, lang), level_unit(m, lang)) for m in shown]
    # your room's world: your region and every strategy on its seed, ranked by the partnership measure
    here = pd.concat(
        [pd.DataFrame([{**played.row, **played.measures, "scenario": PLAYED}]), strategies], ignore_index=True
    )
    here = here.sort_values(played.measure, ascending=False, na_position="last")
    ranked = [
        {"played": r["scenario"] == PLAYED, "title": title(r["scenario"]), "cells": [level(r[m], m) for m in shown]}
        for _, r in here.iterrows()
    ]
    worlds = None
    if many is not None:
        rows = [
            {
                "played": arm == MINE,
                "title": title(arm),
                "cells": [_interval(many.row(arm, m), m) for m in shown],
            }
            for arm in many.ranking
        ]
        rank_here = list(here["scenario"]).index(PLAYED) + 1
        worlds = {
            "title": t("debrief.worlds", lang, n=many.n),
            "note": t("debrief.worlds_note", lang, n=many.n),
            "rows": rows,
            "lines": worlds_lines(played, strategies, many, shown, lang),
            "rank": t(
                "debrief.worlds_rank",
                lang,
                n=many.n,
                rank=many.ranking.index(MINE) + 1,
                arms=len(many.ranking),
                here=rank_here,
                measure=metric_label(played.measure, lang),
            ),
        }
    net = [float(v) for v in strategies["firm_net_benefit"]] + [float(played.row["firm_net_benefit"])]
    # decisions that moved the outcomes most
    moved = []
    if len(attr):
        from sim.metrics import display_scale

        from .room import seat_label

        size = sum((attr[m].abs() * display_scale(m)).fillna(0) for m in (played.measure, *SENTENCE[1:]))
        for _, r in attr.assign(size=size).sort_values("size", ascending=False).iterrows():
            who = seat_label(r["seat"], lang) + (
                "" if r["round"] < 0 else f", {t('debrief.year', lang)} {int(r['round']) + 1}"
            )
            moved.append({"who": who, "decisions": r["decisions"], "cells": [_signed(r[m], m) for m in shown]})
    meta = t(
        "debrief.meta",
        lang,
        code=played.code,
        schools=played.schools,
        firms=played.firms,
        rounds=played.rounds,
        scenario=played.scenario.name,
        seed=played.seed,
        taken=len(played.taken),
        seats=played.seats,
    )
    return render(
        "debrief.html",
        lang=lang,
        t=lambda key, **kw: t(key, lang, **kw),
        page_title=t("debrief.title", lang),
        meta=meta,
        sentences=sentences(played, strategies, lang),
        partnership_lines=partnership_lines(played, lang),
        firm_net_note=t(
            "debrief.firm_net_note" if all(v < 0 for v in net if v == v) else "debrief.firm_net_unit", lang
        ),
        heads=heads,
        strategies=ranked,
        worlds=worlds,
        figures=[
            (figures["outcomes"], t("debrief.outcomes_fig", lang, n=many.n if many else 1)),
            (figures["timeseries"], t("debrief.figures", lang)),
        ],
        years=_year_rows(played),
        year_heads=[t("debrief.year" if c == "year" else f"debrief.y_{c}", lang) for c in YEAR_COLUMNS],
        moved=moved,
        seats=_seat_tables(played, lang),
    )


YEAR_COLUMNS = ("year", "at_start", "kept", "ended", "begun", "at_end")


def _year_rows(played: Played) -> list[list[str]]:
    """The region's partnerships by year: at the start, kept all year, ended (why), begun (re-formed), at the end."""
    out = []
    for y in played.partnerships:
        why = "/".join(str(y[f"ended_{w}"]) for w in ("firm_decision", "low_willingness", "outside_shock"))
        out.append(
            [
                str(y["year"]),
                str(y["at_start"]),
                str(y["kept"]),
                f"{y['ended']} ({why})",
                f"{y['begun']} ({y['again']})",
                str(y["at_end"]),
            ]
        )
    return out


def _seat_tables(played: Played, lang: str) -> list[dict[str, Any]]:
    """Per seat, its decisions and what its page showed at each year's end: the same partners, the same
    partnerships kept, ended and begun, and the same scales (0–100, %, thousand yuan)."""
    from .room import partnership_cells, seat_label

    log = played.log
    out = []
    seats = [f"school:{i}" for i in range(played.schools)] + [f"firm:{j}" for j in range(played.firms)]
    for seat in seats:
        taken = seat in played.taken or seat.replace("school:", "party:") in played.taken
        side = seat.split(":")[0]
        cols = ["partners", "kept", "ended", "begun", "interns", "net_benefit"]
        cols += ["placement", "reputation"] if side == "school" else ["strength", "reputation"]
        rows = []
        for rnd, seen in played.history[1:]:
            v = seen[seat]
            mine = log[(log["seat"] == seat) & (log["round"] == rnd)]
            words = "; ".join(f"{lv} = {x}" for lv, x in zip(mine["lever"], mine["value"])) or (
                t("debrief.none", lang) if taken else t("debrief.rule", lang)
            )
            partners = ", ".join(f"{seat_label(p, lang)} ({_score(w)})" for p, w in v["partners"].items())
            cells = [
                partners or t("none", lang),
                *partnership_cells(v, lang),
                str(v["interns"]),
                _money(v["net_benefit"]),
            ]
            cells += (
                [_share(v["placement"]), _score(v["reputation"])]
                if side == "school"
                else [_score(v["strength"]), _score(v["reputation"])]
            )
            rows.append({"year": rnd + 1, "decisions": words, "cells": cells})
        out.append(
            {
                "taken": taken,
                "label": seat_label(seat, lang) + ("" if taken else f" {t('debrief.rule', lang)}"),
                "heads": [t(SEAT_HEADS.get(c, f"debrief.{c}"), lang) for c in cols],
                "rows": rows,
            }
        )
    return out


# the seat tables' heads the pages share (the same words, the same 0–100 scales)
SEAT_HEADS = {
    "kept": "ws.kept_all_year",
    "ended": "ws.partnerships_ended",
    "begun": "ws.begun",
    "strength": "ws.strength",
    "reputation": "ws.reputation",
}


def _score(v: float) -> str:
    """A 0–1 index as the pages show it: out of 100."""
    return "–" if v != v else f"{v * 100:.0f}"


def _money(v: float) -> str:
    return "–" if v != v else f"{v:,.1f}"


def _share(v: float) -> str:
    from analysis.labels import percent

    return percent(v)


# ------------------------------------------------------------------ replay
class Replayed(NamedTuple):
    """What :func:`replay` found: ``same`` — the new ``summary.csv`` is byte-identical to the played
    one and, where ``series_compared``, the monthly series are equal; ``out`` — the replay's folder."""

    same: bool
    out: Path
    series_compared: bool


def replay(folder: Path, out: Path, argv: Iterable[str] = ()) -> Replayed:
    """Re-run the log of a workshop folder into ``out`` (a ``sesim run`` result); whether the new
    ``summary.csv`` is byte-identical to the played one and the monthly series (when the folder still
    holds ``timeseries.parquet``) are equal.

    Every file of the folder is read through :func:`sim.scenario.check_regular_file` (a FIFO, a link to
    ``/dev/zero`` or a huge file is refused before it is opened) and every value the manifest gives is
    checked like an input: a tampered folder is refused in one line."""
    folder = Path(folder)
    where = f"workshop replay {shown(folder, raw=True)}"
    manifest_path = folder / "manifest.json"
    if not _present(manifest_path, where):
        raise ScenarioError(
            f"{where}: no manifest.json: allowed the output folder of a "
            f"'sesim workshop' (it holds decisions.parquet and scenario.resolved.toml)"
        )
    check_regular_file(
        manifest_path, MAX_FILE_BYTES, "the manifest.json 'sesim workshop' writes", f"{where}: manifest.json"
    )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as e:  # RecursionError: brackets thousands deep
        raise ScenarioError(f"{where}: manifest.json is unreadable ({shown(str(e), raw=True)})") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND:
        raise ScenarioError(
            f"{where}: not the output of 'sesim workshop' (manifest kind "
            f"{shown(manifest.get('kind') if isinstance(manifest, dict) else None)})"
        )
    for f, limit, what in (
        ("scenario.resolved.toml", MAX_FILE_BYTES, "the resolved scenario"),
        ("decisions.parquet", pol.MAX_LOG_BYTES, "the decision log"),
        ("summary.csv", MAX_FILE_BYTES, "the played run's summary"),
    ):
        if not _present(folder / f, where):
            raise ScenarioError(f"{where}: {f} is missing")
        check_regular_file(folder / f, limit, what, f"{where}: {f}")
    scn = load_scenario(folder / "scenario.resolved.toml")
    seed_field = next(f for f in dataclasses.fields(SECTIONS["run"]) if f.name == "seed")
    seed = coerce(f"{where}: manifest.json", "seed", seed_field, manifest.get("seed"))
    log = pol.load_decisions(folder / "decisions.parquet", scn.params, f"{where}: decisions.parquet")
    played_summary = (folder / "summary.csv").read_bytes()
    series = folder / "timeseries.parquet"
    compare_series = _present(series, where)
    if compare_series:
        check_regular_file(series, pol.MAX_LOG_BYTES, "the played run's monthly series", f"{where}: timeseries.parquet")
    with OutputSlot(Path(out), "run") as slot:
        started = time.time()
        row, ts, sp = run_replicate(scn.params, seed, 0, scn.name, log.schedule)
        write_outputs(
            RunResult(pd.DataFrame([row]), ts, sp), scn, slot, list(argv), [seed], started, time.time(), decisions=log
        )
    same = (Path(out) / "summary.csv").read_bytes() == played_summary
    if same and compare_series:  # every month, at full precision
        same = _same_series(Path(out) / "timeseries.parquet", series, f"{where}: timeseries.parquet")
    return Replayed(same, Path(out), compare_series)


def _present(path: Path, where: str) -> bool:
    """Whether anything (a file, a link, a FIFO) is at ``path``; a name the system refuses is one line."""
    try:
        os.lstat(path)
        return True
    except FileNotFoundError:
        return False
    except OSError as e:
        raise ScenarioError(f"{where}: not a usable folder ({e.strerror})") from None


def _same_series(ours: Path, played: Path, label: str) -> bool:
    """Whether a played run's monthly series equals the replay's; a file of another length (by its
    metadata: a tampered file could unpack to gigabytes) differs without being read."""
    import pyarrow.parquet as pq

    mine = pd.read_parquet(ours)
    try:
        meta = pq.ParquetFile(played).metadata
        if meta.num_rows != len(mine) or meta.num_columns != len(mine.columns):
            return False
        return mine.equals(pd.read_parquet(played))
    except Exception as e:  # a broken file: pyarrow raises many kinds
        msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ScenarioError(f"{label}: not a readable parquet table: {shown(msg, raw=True)}") from None
