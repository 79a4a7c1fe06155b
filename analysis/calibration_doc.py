"""Fill the generated parts of ``docs/calibration.md`` from a finished ``sesim calibrate`` run
and a check of the calibrated baseline.

Usage::

    python -m analysis.calibration_doc results/calibration results/baseline-check docs/calibration.md

The document keeps its hand-written text; the blocks between ``<!-- BEGIN name -->`` and
``<!-- END name -->`` are replaced: ``settings`` (the command and budget), ``posterior`` (the
posterior of each free parameter), ``secondary`` (the secondary figures), ``fit`` (each target against the calibrated baseline over
its replicates, and the calibration's posterior predictive), ``parameters`` (every behavioural
parameter: free, from the literature, or an assumption) and the figures, copied to
``docs/calibration/``.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from .uncertainty import NOISE_REPLICATES, TARGETS, noise_bound


def _block(text: str, name: str, body: str) -> str:
    pat = re.compile(rf"(<!-- BEGIN {name} -->\n).*?(<!-- END {name} -->)", re.S)
    if not pat.search(text):
        raise SystemExit(f"calibration_doc: the document has no block '{name}'")
    return pat.sub(lambda m: m.group(1) + body.rstrip() + "\n" + m.group(2), text)


def _fmt(x: float) -> str:
    return "—" if not np.isfinite(x) else f"{x:.3g}"


def _mean_ci(x: np.ndarray) -> str:
    """Mean with its 95% t-interval, as text."""
    from scipy import stats

    m = float(np.mean(x))
    if len(x) < 2:
        return _fmt(m)
    h = float(stats.t.ppf(0.975, len(x) - 1) * np.std(x, ddof=1) / np.sqrt(len(x)))
    return f"{_fmt(m)} [{_fmt(m - h)}, {_fmt(m + h)}]"


def settings_md(cal: Path) -> str:
    info = json.loads((cal / "calibration.json").read_text(encoding="utf-8"))
    s = info["settings"]
    gens = pd.read_csv(cal / "generations.csv")
    free = " ".join(f"--free {f['key']}=[{f['low']:g},{f['high']:g}]" for f in s["free"])
    sets = " ".join(f"--set {x}" for x in s.get("sets", []))
    mcmc = s.get("kernel") == "mcmc"
    if s.get("kernel") == "history":
        return _history_md(info, gens, free, sets)
    lines = [
        f"Command: `sesim calibrate scenarios/targets/china_gaozhi.toml --scenario {s['scenario']} {free} "
        f"--budget {s['budget']} --replicates {s['replicates']} --generations {s['generations']} "
        f"--accept {s['accept']}{' --kernel mcmc' if mcmc else ''}"
        f"{(' --distance ' + s['distance']) if s.get('distance') else ''}"
        f"{' --draw-assumptions' if s.get('draw_assumptions') else ''} --seed {s['seed']}{(' ' + sets) if sets else ''}`",
        "",
        f"{s['generations']} generations of {s['proposals_per_generation']} particles × {s['replicates']} "
        f"replicates ({s['generations'] * s['proposals_per_generation'] * s['replicates']} model runs); "
        + (
            f"MCMC moves with equal weights, the best {s['accept']:.0%} of each generation kept alive; "
            if mcmc
            else f"{s['accepted_per_generation']} accepted per generation; "
        )
        + f"sesim {info.get('version', '?')}, {info.get('wall_time_s', '?')} s.",
        "",
    ]
    if mcmc:
        span = reach(cal, s["free"], gens["generation"].astype(int).tolist())
        lines += [
            "| generation | moves run | moves accepted | threshold ε | distinct particles | step scale | "
            "reach (median span) | failed runs |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in gens.itertuples():
            lines.append(
                f"| {r.generation} | {r.proposals} | {r.accepted} | {r.epsilon:.3g} | {r.distinct} | "
                f"{'' if r.step_scale != r.step_scale else f'{r.step_scale:.3g}'} | "
                f"{f'{span[r.generation]:.0%}' if r.generation in span else ''} | {r.failed_runs} |"
            )
        return "\n".join(lines + reach_md(span, len(s["free"])) + last_generation_md(cal, s))
    lines += [
        "| generation | proposals | accepted | threshold ε | effective sample | failed runs |",
        "|---|---|---|---|---|---|",
    ]
    for r in gens.itertuples():
        lines.append(
            f"| {r.generation} | {r.proposals} | {r.accepted} | {r.epsilon:.3g} | {r.ess:.0f} | {r.failed_runs} |"
        )
    return "\n".join(lines)


REACH_LOOKBACK = 5  # generations over which the reach is said to be still growing or not
REACH_GROWING = (
    1.1  # growth of the median span over those generations called "still spreading" (a tenth: the text says so)
)


def reach(cal: Path, free: list[dict], generations: Iterable[int] | None = None) -> dict[int, float]:
    """The chains' reach by generation: the median, over the free parameters, of the particles'
    5-95% span as a share of each free range (``gen-NN/accepted.csv``); only ``generations`` when
    given, and those without a file (or without a finite span) are left out."""
    wanted = None if generations is None else set(generations)
    out = {}
    for folder in cal.glob("gen-*"):
        f = folder / "accepted.csv"
        if not (folder.name[4:].isdigit() and f.is_file()):
            continue
        g = int(folder.name[4:])
        if wanted is not None and g not in wanted:
            continue
        s = spans(pd.read_csv(f), free)
        if len(s):
            out[g] = float(np.median(s))
    return dict(sorted(out.items()))


def spans(df: pd.DataFrame, free: list[dict]) -> np.ndarray:
    """The 5-95% span of each free parameter among the rows of ``df``, as a share of its free range
    (parameters missing from ``df``, with an empty range or without a finite span left out)."""
    s = np.array(
        [
            (df[x["key"]].quantile(0.95) - df[x["key"]].quantile(0.05)) / (x["high"] - x["low"])
            for x in free
            if x["key"] in df and x["high"] > x["low"]
        ],
        float,
    )
    return s[np.isfinite(s)]


def reach_md(span: dict[int, float], n_free: int) -> list[str]:
    """A sentence on whether the chains were still spreading when they stopped: the median span of
    the last generation against that ``REACH_LOOKBACK`` generations before it."""
    if len(span) <= REACH_LOOKBACK:
        return []
    last = max(span)
    before = max(g for g in span if g <= last - REACH_LOOKBACK)
    growing = span[last] > REACH_GROWING * span[before]
    shrinking = span[last] * REACH_GROWING < span[before]
    return [
        "",
        f"*Reach* is the median, over the {n_free} free parameters, of the particles' 5–95% span as a share "
        f"of each free range. From generation {before} to {last} it went from {span[before]:.0%} to "
        f"{span[last]:.0%}: "
        + (
            "the chains were still spreading when they stopped, so the posterior's spread is how far they "
            "got, not yet how far the worlds that fit extend (longer chains, or chains started elsewhere, "
            "would say)."
            if growing
            else "it shrank: the chains were drawing in on a narrower region when they stopped."
            if shrinking
            else "it changed by less than a tenth of itself, so the chains had stopped spreading."
        ),
    ]


def last_generation_md(cal: Path, s: dict) -> list[str]:
    """Lines of a table: for each weighted target, the share of the last generation's particles
    (the mean of each particle's replicates) inside its interval and their median, and a line
    counting the particles inside every one (none when the threshold is above 0); nothing for a
    folder without accepted particles or targets."""
    if not (cal / "accepted.csv").is_file() or not s.get("targets"):
        return []
    acc = pd.read_csv(cal / "accepted.csv")
    lines = [
        "",
        f"The last generation's {len(acc)} particles (each the mean of its {s['replicates']} replicates) "
        "against each weighted interval:",
        "",
        "| target | interval | inside | median |",
        "|---|---|---:|---:|",
    ]
    every = np.ones(len(acc), bool)
    for t in s["targets"]:
        if not t.get("weight") or t["metric"] not in acc:
            continue
        x = acc[t["metric"]].to_numpy(float)
        inside = (x >= t["low"]) & (x <= t["high"])
        every &= inside
        lines.append(
            f"| `{t['name']}` | [{_fmt(t['low'])}, {_fmt(t['high'])}] | {inside.mean():.0%} | {_fmt(float(np.median(x)))} |"
        )
    lines += ["", f"Inside every weighted interval: **{int(every.sum())} of {len(acc)}** particles."]
    return lines


def _history_md(info: dict, gens: pd.DataFrame, free: str, sets: str) -> str:
    """The settings block of a history-matching calibration: a row per wave."""
    s = info["settings"]
    n, w = s["proposals_per_generation"], s["generations"]
    lines = [
        f"Command: `sesim calibrate scenarios/targets/china_gaozhi.toml --scenario {s['scenario']} {free} "
        f"--budget {s['budget']} --replicates {s['replicates']} --generations {w} --kernel history "
        f"--seed {s['seed']}{(' ' + sets) if sets else ''}`",
        "",
        f"{w} waves of history matching × {n} worlds × {s['replicates']} replicate(s) ({w * n * s['replicates']} "
        f"model runs; the assumptions not free drawn over their plausible ranges in every run); "
        f"sesim {info.get('version', '?')}, {info.get('wall_time_s', '?')} s.",
        "",
        "| wave | worlds run | inside every weighted interval | median distance | box not ruled out | "
        "emulator's training runs | failed runs |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in gens.itertuples():
        lines.append(
            f"| {r.generation} | {r.proposals} | {r.accepted} ({r.inside_share:.0%}) | {r.epsilon:.3g} | "
            f"{r.region_share:.2%} | {r.training_runs} | {r.failed_runs} |"
        )
    return "\n".join(lines)


def posterior_md(cal: Path) -> str:
    post = pd.read_csv(cal / "posterior.csv")
    lines = [
        "| parameter | prior (uniform) | posterior median | 90% interval | 95% interval | width / prior |",
        "|---|---|---|---|---|---|",
    ]
    for r in post.itertuples():
        ratio = (r.q95 - r.q05) / (r.prior_high - r.prior_low)
        lines.append(
            f"| `{r.parameter}` | [{r.prior_low:g}, {r.prior_high:g}] | {r.median:.3g} | "
            f"[{r.q05:.3g}, {r.q95:.3g}] | [{r.q025:.3g}, {r.q975:.3g}] | {ratio:.2f} |"
        )
    return "\n".join(lines)


def fit_md(cal: Path, check: Path | None) -> str:
    """The targets against the baseline's 30-seed check: the mean and whether it is inside, and the
    share of single replicates inside (what one draw of ``--uncertainty`` can reach at this point:
    docs/calibration.md, Fit), with a closing line counting the replicates inside every weighted
    interval at once."""
    fit = pd.read_csv(cal / "fit.csv")
    summ = pd.read_csv(check / "summary.csv") if check and (check / "summary.csv").exists() else None
    head = (
        "| target | role | published (interval) | calibrated baseline: mean [95% CI] | inside | one replicate inside "
        "| posterior predictive [95%] | source |"
    )
    lines = [head, "|---|---|---|---|---|---:|---|---|"]
    every = None
    for r in fit.itertuples():
        base = "—"
        inside = "—"
        single = "—"
        if summ is not None and r.metric in summ:
            x = summ[r.metric].dropna().to_numpy(float)
            m = float(x.mean())
            base = f"{_mean_ci(x)} (n = {len(x)})"
            inside = "yes" if r.low <= m <= r.high else "**no**"
            each = (summ[r.metric] >= r.low) & (summ[r.metric] <= r.high)
            single = f"{each.mean():.0%}"
            if r.weight > 0:
                every = each if every is None else every & each
        sided = getattr(r, "sided", "both")
        published = {"upper": f"≤ {r.high:g} (a bound)", "lower": f"≥ {r.low:g} (a bound)"}.get(
            sided, f"{r.value:g} ({r.low:g}–{r.high:g})"
        )
        role = r.role if r.weight > 0 else f"{r.role}, check (weight 0)"
        lines.append(
            f"| `{r.target}` | {role} | {published} | {base} | {inside} | {single} | "
            f"{_fmt(r.model_mean)} [{_fmt(r.model_low)}, {_fmt(r.model_high)}] | {r.source} |"
        )
    if every is not None:
        lines += [
            "",
            f"{int(every.sum())} of {len(every)} replicates of the baseline ({every.mean():.0%}) lie inside "
            "every weighted interval at once: the ceiling for a single-replicate draw at this point.",
        ]
    return "\n".join(lines)


def screen_md(screen: Path) -> str:
    """The block *Joint posterior: the screen*: how many assumptions the fit screen found (and how
    many only in a later step), and its check — how often draws of the rest fit with those held."""
    tab = pd.read_csv(screen / "screen.csv")
    hit = tab[tab["touches"].astype(bool)]
    first = hit.groupby("parameter")["step"].min()
    n_all = tab["parameter"].nunique()
    lines = [
        f"The screen (`{screen.name}`) found **{len(first)} of {n_all}** assumptions touching a weighted target, "
        f"{int((first > 0).sum())} of them only in a later step (hidden behind a stronger one): "
        + ", ".join(f"`{k}`" for k in first.sort_values().index)
        + "."
    ]
    check = screen / "check.csv"
    if check.exists():
        c = pd.read_csv(check)
        every = c.iloc[-1]
        lines += [
            "",
            f"Check: {int(every['draws'])} draws of the other {n_all - len(first)} assumptions over their plausible "
            f"ranges, the {int(every['held'])} found held at the baseline's values, one run each: "
            f"**{every['inside']:.0%} inside every weighted interval**.",
            "",
            "| target | inside | mean | sd between draws |",
            "|---|---:|---:|---:|",
        ]
        lines += [
            f"| `{r.target}` | {r.inside:.0%} | {_fmt(r.mean)} | {_fmt(r.sd)} |" for r in c.iloc[:-1].itertuples()
        ]
    return "\n".join(lines)


def noise_md(check: Path, targets: Path) -> str:
    """The block *Seeds' noise*: from the baseline's check runs (one world, many seeds), the share of
    draws judged outside each weighted interval by seed noise alone, for a posterior whose baselines
    spread evenly over the intervals, judged on K runs (analysis.uncertainty.noise_bound)."""
    from .calibration import load_targets

    summ = pd.read_csv(check / "summary.csv")
    summ = summ[summ["status"] == "ok"] if "status" in summ else summ
    tab = noise_bound(summ, load_targets(targets))
    ks = NOISE_REPLICATES
    head = "| target | sd between seeds | interval width | " + " | ".join(f"K = {k}" for k in ks) + " |"
    lines = [
        f"Seeds of the calibrated baseline: {len(summ)} (`{check.name}`). Share of draws judged **outside** "
        "an interval by the seeds' noise alone, when the draws' expected baselines spread evenly over it "
        "and each draw is judged on the mean of K runs (`--fit-replicates K`):",
        "",
        head,
        "|---|---:|---:|" + "---:|" * len(ks),
    ]
    for r in tab.itertuples():
        every = r.target == "every weighted target"
        name = "**inside every weighted interval**" if every else f"`{r.target}`"
        cells = [f"{1 - getattr(r, f'outside_{k}'):.0%}" if every else f"{getattr(r, f'outside_{k}'):.1%}" for k in ks]
        sd = "" if every else f"{r.sd:.3g}"
        width = "" if every else f"{r.width:g}" + (" (one edge)" if r.edges == 1 else "")
        lines.append(f"| {name} | {sd} | {width} | " + " | ".join(cells) + " |")
    best = next((k for k in ks if 1 - float(tab.iloc[-1][f"outside_{k}"]) >= 0.9), None)
    lines += [
        "",
        "The last row is the share of such draws judged inside every weighted interval at once (the "
        "targets' noise taken as independent): "
        + (f"90% needs K = {best} runs per draw." if best else f"below 90% even at K = {ks[-1]} runs per draw."),
    ]
    return "\n".join(lines)


def _mean(x: np.ndarray) -> float:
    return float(np.mean(x)) if len(x) else float("nan")


def _months(x: np.ndarray) -> str:
    """A crossing month's mean and interval, or that no run crossed within its placements."""
    return _mean_ci(x) if len(x) else "none within 12 months"


def secondary_md(check: Path) -> str:
    """The secondary figures of the targets' sources against the calibrated baseline's run."""
    summ = pd.read_csv(check / "summary.csv")
    yes = lambda ok: "yes" if ok else "**no**"  # noqa: E731

    def col(name: str) -> np.ndarray:
        return summ[name].dropna().to_numpy(float)

    # figures of the targets' sources that are not targets themselves (the targets, checks of
    # weight 0 included, are in the fit table)
    fall = (summ["matched_employment"] - summ["matched_employment_3y"]).dropna().to_numpy(float)
    per_intern, nb = col("firm_net_benefit_per_intern_month"), col("firm_net_benefit")
    rows = [
        (
            "fall of matched employment from 6 months to 3 years (`matched_employment` − `matched_employment_3y`)",
            "4 points (3–6)",
            "MyCOS 就业蓝皮书 2012 (高职 2007届)",
            _mean_ci(fall),
            yes(0.03 <= fall.mean() <= 0.06),
        ),
        (
            "internships profitable for firms on average (`firm_net_benefit_per_intern_month` > 0, thousand yuan), "
            "while `firm_loss_share` > 0.40",
            "positive",
            "冉云芳, 石伟平 (2020)",
            _mean_ci(per_intern),
            yes(per_intern.mean() > 0),
        ),
        (
            "an intern's monthly net benefit to the host turns positive (`intern_break_even_month`, "
            "month of the placement: k − 1 < value ≤ k in the k-th)",
            "the 4th month",
            "冉云芳, 石伟平 (2020)",
            _months(col("intern_break_even_month")),
            yes(3 < _mean(col("intern_break_even_month")) <= 4),
        ),
        (
            "an intern's cumulative net benefit to the host turns positive (`intern_payback_month`)",
            "the 8th month",
            "冉云芳, 石伟平 (2020)",
            _months(col("intern_payback_month")),
            yes(7 < _mean(col("intern_payback_month")) <= 8),
        ),
        (
            "partnerships worth keeping on the whole (`firm_net_benefit`, thousand yuan per partnership-year, "
            "internships plus the investment in hires, services, minus resources)",
            "—",
            "BIBB; Mühlemann & Wolter (docs/odd.md M8)",
            _mean_ci(nb),
            "—",
        ),
    ]
    lines = [
        "| figure | published | source | calibrated baseline: mean [95% CI] | consistent |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows]
    return "\n".join(lines)


def parameters_md(cal: Path) -> str:
    """Every behavioural parameter with what it is, from the schema's ``kind`` field: calibrated
    (freed in this calibration), from the literature (with its citation) or an assumption (with
    its plausible range and the argument for it)."""
    from sim.params import lever_table
    from sim.scenario import load_scenario

    info = json.loads((cal / "calibration.json").read_text(encoding="utf-8"))
    free = {f["key"] for f in info["settings"]["free"]}
    base = load_scenario("baseline").params.behaviour
    rows = [r for r in lever_table() if r["key"].startswith("behaviour.")]
    lines = ["| parameter | baseline value | what it is | plausible range | source |", "|---|---|---|---|---|"]
    for r in rows:
        kind = "**calibrated**" if r["key"] in free else {"literature": "from the literature"}.get(r["kind"], r["kind"])
        value = getattr(base, r["key"].split(".", 1)[1])
        shown = _fmt_value(value)
        why = f" ({r['why']})" if r["why"] else ""
        lines.append(f"| `{r['key']}` | {shown} | {kind} | {r['plausible'] or '—'}{why} | {r['source']} |")
    return "\n".join(lines)


def _fmt_value(v: object) -> str:
    if isinstance(v, dict):
        return ", ".join(f"{k} {x:g}" for k, x in v.items())
    return f"{v:g}" if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


def history_md(cal: Path) -> str:
    """The block *History matching* of docs/calibration.md, from a ``--kernel history`` run: its
    command, a row per wave, and each weighted target's share of runs inside its interval in the
    first and the last wave."""
    from .calibration import load_targets_from_settings

    info = json.loads((cal / "calibration.json").read_text(encoding="utf-8"))
    s = info["settings"]
    gens = pd.read_csv(cal / "generations.csv")
    free = " ".join(f"--free {f['key']}=[{f['low']:g},{f['high']:g}]" for f in s["free"])
    warm = " ".join(f"--warm-start {w}" for w in s.get("warm_start", []))
    text = _history_md(info, gens, f"{free} {warm}".strip(), " ".join(f"--set {x}" for x in s.get("sets", [])))
    waves = sorted(cal.glob("gen-*/accepted.csv"))
    first, last = pd.read_csv(waves[0]), pd.read_csv(waves[-1])
    rows = [
        "",
        f"Share of the worlds run inside each weighted interval, wave 0 and wave {len(waves) - 1}:",
        "",
        "| target | interval | wave 0 | last wave | last wave's median |",
        "|---|---|---|---|---|",
    ]
    for t in load_targets_from_settings(s):
        if t.weight == 0:
            continue

        def inside(df: pd.DataFrame, t: Any = t) -> float:
            return float((t.excess(df[t.metric]) == 0).mean())

        bound = (
            f"≤ {t.high:g}"
            if t.sided == "upper"
            else f"≥ {t.low:g}"
            if t.sided == "lower"
            else f"[{t.low:g}, {t.high:g}]"
        )
        rows.append(
            f"| `{t.name}` | {bound} | {inside(first):.0%} | {inside(last):.0%} | {_fmt(float(last[t.metric].median()))} |"
        )
    rows += ["", _binding_md(pd.concat([pd.read_csv(w) for w in waves], ignore_index=True), s)]
    rows += _history_reach_md([pd.read_csv(w) for w in waves[len(waves) // 2 :]], s, len(waves))
    return text + "\n" + "\n".join(rows)


def _inside_every(df: pd.DataFrame, settings: dict[str, Any]) -> np.ndarray:
    """Which runs of ``df`` lie inside every weighted interval (one-sided targets only beyond their
    bound)."""
    from .calibration import load_targets_from_settings

    ok = np.ones(len(df), bool)
    for t in load_targets_from_settings(settings):
        if t.weight:
            ok &= t.excess(df[t.metric]) == 0
    return ok


def _history_reach_md(waves: list[pd.DataFrame], settings: dict[str, Any], n_waves: int) -> list[str]:
    """How far the worlds that fit extend: of the runs of the second half of the waves, those inside
    every weighted interval, and the median over the free parameters of their 5-95% span as a share
    of each free range (the *reach* of the MCMC block, docs/calibration.md, settings)."""
    runs = pd.concat(waves, ignore_index=True)
    fit = runs[_inside_every(runs, settings)]
    s = spans(fit, settings["free"]) if len(fit) >= 2 else np.array([])
    if not len(s):
        return []
    lo, hi = np.quantile(s, [0.1, 0.9])
    return [
        "",
        f"Reach: of the {len(runs)} runs of "
        + (f"wave {n_waves - 1}" if len(waves) == 1 else f"waves {n_waves - len(waves)}–{n_waves - 1}")
        + f", {len(fit)} lie inside every "
        f"weighted interval; their worlds span a median {np.median(s):.0%} of each of the {len(s)} free "
        f"ranges (10–90% of them: {lo:.0%}–{hi:.0%}).",
    ]


def _binding_md(runs: pd.DataFrame, settings: dict[str, Any]) -> str:
    """One line on the target inside its interval least often: where, in their plausible ranges,
    the runs that meet it sit against all runs (the three parameters that differ most)."""
    from .calibration import load_targets_from_settings
    from .uncertainty import schema_range

    shares = {}
    for t in load_targets_from_settings(settings):
        if t.weight > 0 and t.sided == "both":
            shares[t.name] = (t, runs[t.metric].between(t.low, t.high))
    if not shares:
        return ""
    name, (t, ok) = min(shares.items(), key=lambda kv: kv[1][1].mean())
    if not ok.any():
        return f"No run of the waves meets `{name}` ([{t.low:g}, {t.high:g}]), the target met least often."
    shift = {}
    for c in (c for c in runs.columns if "." in c):
        lo, hi, _ = schema_range(c)
        if hi > lo:
            shift[c] = ((runs.loc[ok, c].mean() - lo) / (hi - lo), (runs[c].mean() - lo) / (hi - lo))
    top = sorted(shift.items(), key=lambda kv: -abs(kv[1][0] - kv[1][1]))[:3]
    where = "; ".join(f"`{k}` at {a:.0%} of its plausible range (all runs {b:.0%})" for k, (a, b) in top)
    return (
        f"The target met least often is `{name}` ({int(ok.sum())} of {len(runs)} runs of the waves inside "
        f"[{t.low:g}, {t.high:g}]); the runs inside it sit, on average, with {where}."
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) == 3 and argv[0] == "--history":
        doc = Path(argv[2])
        doc.write_text(_block(doc.read_text(encoding="utf-8"), "history", history_md(Path(argv[1]))), encoding="utf-8")
        print(f"updated {doc} (History matching)")
        return 0
    if len(argv) == 3 and argv[0] == "--screen":
        doc = Path(argv[2])
        doc.write_text(_block(doc.read_text(encoding="utf-8"), "screen", screen_md(Path(argv[1]))), encoding="utf-8")
        print(f"updated {doc} (the fit screen)")
        return 0
    if len(argv) == 3 and argv[0] == "--noise":
        doc = Path(argv[2])
        body = noise_md(Path(argv[1]), TARGETS)
        doc.write_text(_block(doc.read_text(encoding="utf-8"), "noise", body), encoding="utf-8")
        print(f"updated {doc} (Seeds' noise)")
        return 0
    if len(argv) != 3:
        sys.stderr.write(
            "usage: python -m analysis.calibration_doc CALIBRATION_DIR CHECK_DIR docs/calibration.md\n"
            "       python -m analysis.calibration_doc --history HISTORY_DIR docs/calibration.md\n"
            "       python -m analysis.calibration_doc --noise CHECK_DIR docs/calibration.md\n"
            "       python -m analysis.calibration_doc --screen FIT_SCREEN_DIR docs/calibration.md\n"
        )
        return 2
    cal, check, doc = Path(argv[0]), Path(argv[1]), Path(argv[2])
    text = doc.read_text(encoding="utf-8")
    text = _block(text, "settings", settings_md(cal))
    text = _block(text, "posterior", posterior_md(cal))
    text = _block(text, "fit", fit_md(cal, check))
    text = _block(text, "secondary", secondary_md(check))
    text = _block(text, "noise", noise_md(check, TARGETS))
    text = _block(text, "parameters", parameters_md(cal))
    figs = doc.parent / "calibration"
    figs.mkdir(exist_ok=True)
    shutil.copy2(cal / "posterior.png", figs / "posterior.png")
    doc.write_text(text, encoding="utf-8")
    print(f"updated {doc} and {figs}/posterior.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
