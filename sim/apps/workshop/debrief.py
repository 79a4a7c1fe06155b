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
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple

import numpy as np
import pandas as pd

from sim import metrics
from sim import policy as pol
from sim.i18n import LANGS, MESSAGES, t
from sim.inputs import shown
from sim.outputs import OutputSlot
from sim.params import FIRM_SECTIONS, SCHOOL_SECTIONS, SECTIONS, Agents, Params
from sim.runner import RunResult, git_commit, run_replicate, spells, write_outputs
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
from sim.version import __version__

if TYPE_CHECKING:
    from .room import Room

KIND = "workshop"
PLAYED = "workshop"  # the played region's name in the debrief's tables and figures
HEADLINE = ("firm_retention", "graduate_retention_12m", "skill_level", "firm_net_benefit", "school_net_benefit")
SENTENCE = ("firm_retention", "graduate_retention_12m", "skill_level")
MAX_GROUPS = 40  # replays without one seat-round of decisions; beyond, one per seat
SUMMARY_FORMAT = "%.10g"  # as sesim run writes summary.csv
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
        )


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
        row, ts, _ = run_replicate(s.params, played.seed, 0, s.name)
        rows.append(row)
        series.append(ts)
    return pd.DataFrame(rows), pd.concat(series, ignore_index=True)


def schedule_of(log: pd.DataFrame, params: Params) -> dict:
    return pol.schedule_from_frame(log, params, "decision log") if len(log) else {}


def attribution(played: Played) -> pd.DataFrame:
    """Per group of decisions (a seat's decisions of a round; a seat's over all rounds when the groups
    are more than :data:`MAX_GROUPS`): the played outcome minus the outcome of a replay without them."""
    log = played.log
    cols = ["seat", "round", "decisions", *HEADLINE]
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
        row, _, _ = run_replicate(
            played.scenario.params, played.seed, 0, played.scenario.name, schedule_of(rest, played.scenario.params)
        )
        taken = log[drop]
        words = "; ".join(f"{lv} = {v}" for lv, v in zip(taken["lever"], taken["value"]))
        rows.append(
            {
                "seat": seat,
                "round": -1 if rnd is None else int(rnd),
                "decisions": words,
                **{k: played.row[k] - row[k] for k in HEADLINE},
            }
        )
    return pd.DataFrame(rows, columns=cols)


# ------------------------------------------------------------------ writing
def write_debrief(played: Played, out: Path | OutputSlot, argv: Iterable[str] = ()) -> Path:
    """Run the strategies and the replays, write every file; the folder written."""
    if not isinstance(out, OutputSlot):
        with OutputSlot(Path(out), KIND) as slot:
            return write_debrief(played, slot, argv)
    started = time.time()
    strat_summary, strat_ts = run_strategies(played)
    attr = attribution(played)
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
    ts = pd.concat([played.timeseries.assign(scenario=PLAYED), strat_ts], ignore_index=True)
    for lang in LANGS:
        figs = tmp / f"figures-{lang}"
        figs.mkdir()
        figures = _figures(ts, summary.assign(scenario=PLAYED), strat_summary, lang, figs)
        html = build_report(played, strat_summary, attr, figures, lang, tmp)
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
    return titles


def _figures(ts: pd.DataFrame, played: pd.DataFrame, strategies: pd.DataFrame, lang: str, out: Path) -> dict[str, Path]:
    import matplotlib

    matplotlib.use("Agg")
    from analysis import plots

    with plots.DRAWING:  # the facilitator's page may be drawing its chart meanwhile
        shown = plots.use_language(lang)
        titles = {k: v[shown == "zh"] for k, v in _titles().items()}
        order = [PLAYED, *[n for n in strategies["scenario"] if n != PLAYED]]
        out_ts = plots.timeseries(ts, order, titles, shown, out)[0]
        return {"timeseries": out_ts, "outcomes": _outcome_figure(played, strategies, titles, shown, out)}


def _outcome_figure(
    played: pd.DataFrame, strategies: pd.DataFrame, titles: dict[str, str], lang: str, out: Path
) -> Path:
    """One panel per sentence outcome: a bar per strategy, your region's bar dark and a line across."""
    import matplotlib.pyplot as plt

    from analysis import plots
    from sim.metrics import display_scale, level_unit, metric_label

    both = pd.concat([played, strategies], ignore_index=True)
    fig, axes = plt.subplots(1, len(SENTENCE), figsize=(plots.WIDTH_IN, 4.6), squeeze=False)
    for ax, m in zip(axes.flat, SENTENCE):
        k = display_scale(m)
        d = both[["scenario", m]].dropna().sort_values(m, ascending=False)
        y = np.arange(len(d))
        colours = [plots.BASELINE_COLOUR if s == PLAYED else "#9ab" for s in d["scenario"]]
        ax.barh(y, d[m] * k, color=colours)
        ax.set_yticks(y, [plots.label(s, titles) for s in d["scenario"]], fontsize=6.5)
        ax.invert_yaxis()
        mine = played[m].iloc[0]
        if mine == mine:
            ax.axvline(mine * k, color=plots.BASELINE_COLOUR, lw=1, ls=":")
        ax.set_title(f"{metric_label(m, lang)}\n{level_unit(m, lang)}", fontsize=8.5, loc="left")
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="x", color="0.92")
    fig.suptitle(t("debrief.outcomes_fig", lang), fontsize=10)
    fig.tight_layout()
    return plots.save(fig, out, "outcomes")[0]


def _pct(v: float, metric: str) -> str:
    from analysis.labels import percent
    from sim.metrics import display_scale, metric_kind

    if v != v:
        return "–"
    if metric_kind(metric) == "share":
        return percent(v)
    if metric_kind(metric) == "skill":
        return f"{v * display_scale(metric):.0f}"
    from analysis.labels import num

    return num(v, metric)  # the one number rule (docs/odd.md §7.8)


def sentences(row: dict[str, Any], strategies: pd.DataFrame, lang: str) -> list[str]:
    """ "Your region kept 62% of firms a year; the baseline 44%; 互利·同强·齐荣 65%" and the like."""
    titles = _titles()
    short = {n: (n if lang == "en" else zh) for n, (_, zh) in titles.items()}
    short["baseline"] = "the baseline" if lang == "en" else "现状"
    short[HUB] = "互利·同强·齐荣"
    out = []
    for key, m in (
        ("debrief.kept_firms", "firm_retention"),
        ("debrief.kept_grads", "graduate_retention_12m"),
        ("debrief.skill", "skill_level"),
    ):
        by = dict(zip(strategies["scenario"], strategies[m]))
        named = [n for n in ("baseline", HUB, "full") if n in by]
        best = max((n for n in by if by[n] == by[n]), key=lambda n: by[n], default=None)
        if best is not None and best not in named:
            named.append(best)
        others = ("; " if lang == "en" else "；").join(f"{short.get(n, n)} {_pct(by[n], m)}" for n in named)
        out.append(t(key, lang, you=_pct(row[m], m), others=others))
    return out


def build_report(
    played: Played, strategies: pd.DataFrame, attr: pd.DataFrame, figures: dict[str, Path], lang: str, root: Path
) -> str:
    """The debrief page in ``lang`` (template ``debrief.html`` of analysis/templates/, autoescaped)."""
    from analysis.html import render, title_fn
    from sim.metrics import display_scale, metric_label

    title = title_fn(lang, _titles())
    # the table: your region and every strategy, ranked by firm retention
    table = pd.concat([pd.DataFrame([{**played.row, "scenario": PLAYED}]), strategies], ignore_index=True)
    table = table.sort_values("firm_retention", ascending=False, na_position="last")
    ranked = [
        {
            "played": r["scenario"] == PLAYED,
            "title": title(r["scenario"]),
            "cells": [_pct(r[m], m) for m in HEADLINE],
        }
        for _, r in table.iterrows()
    ]
    # decisions that moved the outcomes most
    moved = []
    if len(attr):
        from .room import seat_label

        size = sum((attr[m].abs() * display_scale(m)).fillna(0) for m in SENTENCE)
        for _, r in attr.assign(size=size).sort_values("size", ascending=False).iterrows():
            who = seat_label(r["seat"], lang) + (
                "" if r["round"] < 0 else f", {t('debrief.year', lang)} {int(r['round']) + 1}"
            )
            moved.append({"who": who, "decisions": r["decisions"], "cells": [_signed(r[m], m) for m in HEADLINE]})
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
        sentences=sentences(played.row, strategies, lang),
        heads=[metric_label(m, lang) for m in HEADLINE],
        strategies=ranked,
        figures=[
            (figures["outcomes"], t("debrief.outcomes_fig", lang)),
            (figures["timeseries"], t("debrief.figures", lang)),
        ],
        moved=moved,
        seats=_seat_tables(played, lang),
    )


def _signed(v: float, metric: str) -> str:
    from analysis.labels import signed
    from sim.metrics import display_scale, metric_kind

    x = v * (display_scale(metric) if metric_kind(metric) in ("share", "skill") else 1)
    return signed(x, metric)  # the one number rule (docs/odd.md §7.8): "+10", never "+10.0"


def _seat_tables(played: Played, lang: str) -> list[dict[str, Any]]:
    """Per seat, its decisions and what it saw at each year's end (the debrief's folded seat tables)."""
    from .room import seat_label

    log = played.log
    out = []
    seats = [f"school:{i}" for i in range(played.schools)] + [f"firm:{j}" for j in range(played.firms)]
    for seat in seats:
        taken = seat in played.taken or seat.replace("school:", "party:") in played.taken
        side = seat.split(":")[0]
        cols = (
            ["partners", "interns", "net_benefit", "placement", "reputation"]
            if side == "school"
            else ["partners", "interns", "net_benefit", "strength", "reputation"]
        )
        rows = []
        for rnd, seen in played.history[1:]:
            v = seen[seat]
            mine = log[(log["seat"] == seat) & (log["round"] == rnd)]
            words = "; ".join(f"{lv} = {x}" for lv, x in zip(mine["lever"], mine["value"])) or (
                t("debrief.none", lang) if taken else t("debrief.rule", lang)
            )
            cells = [str(len(v["partners"])), str(v["interns"]), _num(v["net_benefit"])]
            cells += (
                [_share(v["placement"]), _num(v["reputation"], 2)]
                if side == "school"
                else [_num(v["strength"], 2), _num(v["reputation"], 2)]
            )
            rows.append({"year": rnd + 1, "decisions": words, "cells": cells})
        out.append(
            {
                "taken": taken,
                "label": seat_label(seat, lang) + ("" if taken else f" {t('debrief.rule', lang)}"),
                "heads": [t(f"debrief.{c}", lang) for c in cols],
                "rows": rows,
            }
        )
    return out


def _num(v: float, digits: int = 1) -> str:
    return "–" if v != v else f"{v:.{digits}f}"


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
