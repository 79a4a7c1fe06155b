"""The ``sesim`` command.

Fast paths (``--help``, ``scenarios``, ``validate``) import only the standard library and the
parameter schema; Mesa, pandas and SciPy load only for commands that run the model.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import sys
import time
from pathlib import Path

from sim.inputs import MAX_SHOWN, shown
from sim.scenario import ScenarioError, builtin_names, load_scenario

EXIT_BAD_INPUT = 2
REPLICATES_DEFAULT = 2
MAX_SEEDS = 10_000  # replicates per command (sim.resources.MAX_SEEDS); a sweep spreads more over a cluster
SEED_MAX = 2**63 - 1  # run.seed's documented maximum (sim/params.py)
MIN_INTERVAL_REPLICATES = 3  # fewer replicates print no interval
COMPARE_SEEDS = 30  # sesim compare's replicates per scenario by default
MAX_FIT_REPLICATES = 20  # --fit-replicates: runs per candidate's baseline at most
MAX_MESSAGE = 600  # characters of an error line


def finite_float(text: str) -> float:
    """argparse type: a finite number (``nan`` and ``inf`` parse as floats but mean nothing here)."""
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number: {shown(text)}") from None
    if not math.isfinite(x):
        raise argparse.ArgumentTypeError(f"{shown(text)}: allowed a finite number")
    return x


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        sys.stderr.write(f"sesim: error: {one_line(cut_words(message))} (see 'sesim --help')\n")
        raise SystemExit(EXIT_BAD_INPUT)


def cut_words(message: str) -> str:
    """argparse's message with each word of the user's input (``invalid int value: '999…'``,
    ``unrecognized arguments: …``) cut as :func:`sim.inputs.shown` cuts it."""
    return " ".join(w if len(w) <= MAX_SHOWN else shown(w, raw=True) for w in message.split(" "))


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="sesim",
        description=(
            "Agent-based simulation of school-enterprise cooperation in vocational education "
            "(校企协同育人). Compare cooperation strategies on firm retention, graduate retention and skills."
        ),
    )
    from sim.version import __version__

    p.add_argument("--version", action="version", version=f"sesim {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sc = sub.add_parser("scenarios", help="list the named strategies (English and Chinese titles)")
    sc.add_argument("--levers", action="store_true", help="list every lever with its range, default and meaning")
    sc.add_argument(
        "--behaviour",
        action="store_true",
        help="list the behavioural parameters only, with what each is (calibrated, literature, "
        "assumption) and its plausible range",
    )
    sc.add_argument(
        "--markdown",
        action="store_true",
        help="with --levers or --behaviour: print a Markdown table (as in the README, docs/parameters.md)",
    )
    va = sub.add_parser("validate", help="check a scenario file and say what is wrong")
    va.add_argument("file", help="path to a scenario TOML file, or a built-in name")
    ru = sub.add_parser("run", help="run replicates of a scenario and write results")
    ru.add_argument("scenario", help="a scenario file or a built-in name (see 'sesim scenarios')")
    _run_options(ru)
    _backend_options(ru, "replicates")
    ru.add_argument(
        "--decisions",
        type=Path,
        default=None,
        metavar="FILE",
        help="a decision log (CSV or Parquet: round, seat, lever, value, time) that the schools and "
        "firms follow as their policies: round r is the September at month W + 12r after the "
        "warm-up W; every row is checked against the schema",
    )
    ru.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default results/<scenario-name>/, or results/<scenario-name>-set-<hash>/ "
        "with --set or --years); an existing folder is replaced only if it holds an earlier "
        "'sesim run' result",
    )
    co = sub.add_parser(
        "compare",
        help="compare strategies against a baseline: paired statistics, figures, report.html",
        description="Run every SCENARIO on the same seeds (common random numbers) and compare each "
        "with the baseline: paired differences with 95% intervals, Holm-corrected "
        "p-values, figures and a self-contained report.html.",
    )
    co.add_argument(
        "scenarios", nargs="+", metavar="SCENARIO", help="scenario files or built-in names ('all' for every built-in)"
    )
    co.add_argument(
        "--baseline",
        default="baseline",
        metavar="NAME",
        help="the reference scenario (default baseline; added if not listed)",
    )
    co.add_argument(
        "--seeds",
        type=int,
        default=None,
        help=f"replicates per scenario without --precision (default 30, at most {MAX_SEEDS}); not with "
        "--uncertainty posterior|assumptions|all, where each draw is one replicate (--draws)",
    )
    co.add_argument(
        "--precision",
        type=finite_float,
        default=None,
        metavar="E",
        help="add replicates in batches of 10 until every 95%% interval on a headline difference has "
        "half-width <= E, in the metric's own unit (e.g. 0.02 = 2 points of a share)",
    )
    co.add_argument(
        "--max-seeds",
        type=int,
        default=500,
        help=f"upper limit on replicates with --precision (default 500, at most {MAX_SEEDS})",
    )
    co.add_argument(
        "--metrics",
        default=None,
        metavar="m1,m2,...",
        help="headline metrics (default firm_retention,graduate_retention_12m,early_turnover_6m,"
        "skill_fit,skill_technical,skill_civic); comparison.csv always has every metric",
    )
    co.add_argument(
        "--margin",
        default=None,
        metavar="m1=x,... | x",
        help="the smallest difference that matters, in the metric's own unit (e.g. 0.02 = 2 points of a "
        "share): a difference whose interval lies inside +-x is 'negligible'; one number for every "
        "metric, or metric=x pairs (the rest keep their defaults, 0.01 for shares and skills)",
    )
    co.add_argument(
        "--weights",
        default=None,
        metavar="m1=w,...",
        help="the ranking's weight of headline metrics (default 1 each): strategies are ordered by the "
        "weighted mean of their ranks",
    )
    co.add_argument(
        "--lang",
        choices=("en", "zh"),
        default=None,
        help="language of the report, tables and figures (default from the locale)",
    )
    co.add_argument(
        "--seed",
        type=int,
        default=None,
        help="root seed S: replicate i uses S + i in every scenario (default 0; S + replicates - 1 at most 2^63 - 1)",
    )
    co.add_argument("--years", type=int, default=None, help="reported years (overrides run.years in every scenario)")
    co.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="override a lever in every scenario (repeatable)",
    )
    co.add_argument("--workers", type=int, default=1, help="processes for replicates (default 1)")
    co.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default results/compare-<names>/, plus -set-<hash> with --set or --years, "
        "plus -uncertainty-<mode>); an existing folder is replaced only if it holds an earlier "
        "'sesim compare' result",
    )
    co.add_argument(
        "--uncertainty",
        choices=("seeds", "posterior", "assumptions", "all"),
        default="seeds",
        help="what varies between replicates: seeds only (default); or replicate i also takes parameter "
        "draw i: a posterior particle of the calibration (posterior), a Latin-hypercube point over "
        "the assumptions' plausible ranges (assumptions), or both (all). Writes uncertainty.csv, "
        "rank.csv, hinges.csv, draw_fit.csv (each draw's baseline against the targets), "
        "range_coverage.csv and draws.parquet; posterior and all keep only draws whose baseline "
        "fits the weighted targets; resumable",
    )
    co.add_argument(
        "--draws",
        type=int,
        default=32,
        metavar="N",
        help="with --uncertainty: parameter draws (replicates) per strategy (default 32)",
    )
    co.add_argument(
        "--max-draws",
        type=int,
        default=None,
        metavar="M",
        help="with --uncertainty posterior|all: candidate draws tried at most; a draw whose baseline "
        "misses a weighted target interval of scenarios/targets/china_gaozhi.toml is rejected and "
        "replaced by the next candidate (default 4 x --draws)",
    )
    co.add_argument(
        "--fit",
        choices=("intervals", "abc"),
        default=None,
        help="with --uncertainty posterior|all: which draws fit the data — 'intervals' (default): a "
        "baseline inside every weighted target interval; 'abc': a baseline within the calibration's "
        "tolerance (its distance to the targets at most the stored posterior's ABC threshold), "
        "the report still says how many lie inside every interval",
    )
    co.add_argument(
        "--fit-replicates",
        type=int,
        default=None,
        metavar="K",
        help="with --uncertainty posterior|all: judge each candidate's baseline on the mean of K runs "
        "(its own seed and K-1 more): a world fits when its expected baseline does, not one seed's "
        "luck; the strategies are still paired with the run of the draw's own seed (default 1)",
    )
    co.add_argument(
        "--targets",
        type=Path,
        default=None,
        metavar="FILE",
        help="with --uncertainty: the target file each draw's baseline is checked against, and whose "
        "posterior (FILE's stem + .posterior.csv) posterior and all draw from (default "
        "scenarios/targets/china_gaozhi.toml)",
    )
    _backend_options(co, "replicates")
    ex = sub.add_parser(
        "explain",
        help="what a strategy's difference comes from: by part of the strategy (Shapley "
        "values) and by path (share through each mechanism family)",
        description="Two tables. parts.csv, by part of the strategy: how much of the difference comes "
        "from each part of the package (the strategies it extends plus its own levers, or "
        "the lever sections it changes; at most 5 parts): exact Shapley values over every "
        "combination of the parts, run on the same seeds as the baseline, with 95% "
        "intervals over the replicates; the parts add up to the difference. paths.csv, by "
        "path: how much of the difference goes through each mechanism family (docs/odd.md "
        "M1-M17 but M3): the share that disappears when the family's response to the "
        "strategy is held at the baseline (it reads the baseline's levers), with Fieller's "
        "95% interval, paired by replicate.",
    )
    ex.add_argument("strategy", metavar="STRATEGY", help="a scenario file or a built-in name (see 'sesim scenarios')")
    ex.add_argument("--baseline", default="baseline", metavar="NAME", help="the reference scenario (default baseline)")
    ex.add_argument(
        "--seeds",
        type=int,
        default=10,
        help=f"replicates per arm and family (default 10, at least 2, at most {MAX_SEEDS})",
    )
    ex.add_argument(
        "--seed", type=int, default=None, help="root seed S: replicate i uses S + i in both arms (default 0)"
    )
    ex.add_argument(
        "--metrics",
        default=None,
        metavar="m1,m2,...",
        help="metrics to explain (default firm_retention,graduate_retention_12m,early_turnover_6m,"
        "skill_fit,skill_technical,skill_civic)",
    )
    ex.add_argument(
        "--mechanisms",
        default=None,
        metavar="M1,M2,...",
        help="families to hold in turn for the path shares, by id or name (default every family but "
        "M3 learning: M1-M17)",
    )
    ex.add_argument(
        "--fresh",
        action="store_true",
        help="run everything again (by default the runs of an earlier 'sesim explain' in --out made by "
        "the same model source, scenario and seed are reused)",
    )
    ex.add_argument(
        "--parts",
        default="auto",
        choices=("auto", "components", "sections"),
        help="how the strategy is split: the strategies it extends plus its own levers (components), "
        "the lever sections it changes (sections), or auto: components when they make 2-5 parts, "
        "else sections (default auto)",
    )
    ex.add_argument("--years", type=int, default=None, help="reported years (overrides run.years in both arms)")
    ex.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="override a lever in both arms (repeatable)",
    )
    ex.add_argument("--workers", type=int, default=1, help="processes for runs (default 1)")
    ex.add_argument(
        "--lang", choices=("en", "zh"), default=None, help="language of the table and figure (default from the locale)"
    )
    ex.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default results/explain-<strategy>/, plus -vs-<baseline> for another "
        "baseline and -set-<hash> with --set or --years); an existing folder is replaced only if "
        "it holds an earlier 'sesim explain' result",
    )
    cr = sub.add_parser(
        "carriers",
        help="what carries each headline difference: Morris screening of the differences "
        "over the behavioural parameters, then a tornado (docs/carriers.md)",
        description="Screen the differences strategy - baseline (paired on common random numbers) "
        "over every behavioural parameter with a plausible range: Morris elementary "
        "effects by mechanism family beside a dummy family, then the difference at each "
        "end of each leading parameter's plausible range. Writes differences.csv, "
        "screening.csv, tornado.csv, carriers.csv and carriers.md; resumable.",
    )
    cr.add_argument(
        "strategies",
        nargs="*",
        metavar="STRATEGY",
        help="scenario files or built-in names (default huli_tongqiang_qirong party_led craftsman full)",
    )
    cr.add_argument("--baseline", default="baseline", metavar="NAME", help="the reference scenario (default baseline)")
    cr.add_argument(
        "--metrics",
        default=None,
        metavar="m1,m2,...",
        help="outcomes (default firm_retention, graduate_retention_12m, early_turnover_6m, skill_fit, skill_technical, skill_civic: the headline outcomes of compare)",
    )
    cr.add_argument(
        "--parameters",
        default=None,
        metavar="k1,k2,...",
        help="screen only these behavioural parameters (default every one with a plausible range)",
    )
    cr.add_argument("--trajectories", type=int, default=None, metavar="R", help="Morris trajectories (default 8)")
    cr.add_argument(
        "--noise-seeds",
        type=int,
        default=None,
        metavar="N",
        help="seeds at the scenario's values, for the difference and its noise (default 10)",
    )
    cr.add_argument(
        "--tornado-max",
        type=int,
        default=None,
        metavar="K",
        help="parameters in the tornado at most, whole families; each strategy and outcome's leading family is taken even beyond it (default 130)",
    )
    cr.add_argument(
        "--tornado-seeds",
        type=int,
        default=None,
        metavar="N",
        help="seeds per end of a tornado bar (default 2; at most --noise-seeds)",
    )
    cr.add_argument("--seed", type=int, default=None, help="root seed of the design and the runs (default 0)")
    cr.add_argument("--years", type=int, default=None, help="reported years (overrides run.years in every scenario)")
    cr.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="override a lever in every scenario (repeatable)",
    )
    cr.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    cr.add_argument("--backend", choices=("local", "dask"), default="local", help="as sesim sweep (default local)")
    cr.add_argument("--scheduler", default=None, metavar="ADDRESS", help="with --backend dask: a running scheduler")
    cr.add_argument("--dry-run", action="store_true", help="print the design and its cost, run nothing")
    cr.add_argument("--resume", action="store_true", help="continue a killed screening in --out")
    cr.add_argument(
        "--doc",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write carriers.md here (make carriers: docs/carriers.md)",
    )
    cr.add_argument("--out", type=Path, default=None, help="output folder (default results/carriers/)")
    sw = sub.add_parser(
        "sweep",
        help="run a parameter sweep (grid, latin, sobol, morris) locally or on Dask/SLURM; resumable",
        description="Run every design point of a sweep file (scenarios/sweeps/*.toml) with its replicates, on a "
        "local process pool or Dask, into a partitioned Parquet dataset under --out. "
        "'sesim sweep merge DIR' joins the shards of a job array (--shard I/N).",
        epilog="examples:\n  sesim sweep scenarios/sweeps/grid_depth_alignment.toml --workers 2\n"
        "  sesim sweep FILE --backend dask --scheduler tcp://host:8786\n"
        "  sesim sweep FILE --backend dask --cluster slurm --workers 64 --dry-run\n"
        "  sesim sweep FILE --shard $SLURM_ARRAY_TASK_ID/10 --out DIR --resume; sesim sweep merge DIR",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sw.add_argument(
        "target", nargs="+", metavar="FILE", help="a sweep file or built-in sweep name; or: merge DIR [SHARD_DIR ...]"
    )
    _cluster_options(sw, overrides=True)
    sw.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes (local pool, LocalCluster or jobqueue workers; default 1)",
    )
    sw.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="hold a lever the sweep does not vary at a value in every run, like [fixed] (repeatable)",
    )
    sw.add_argument("--dry-run", action="store_true", help="show the plan (and a cluster's job script); run nothing")
    sw.add_argument(
        "--shard", default=None, metavar="I/N", help="run only the runs whose id = I (mod N), for job arrays"
    )
    sw.add_argument(
        "--batch-size",
        type=int,
        default=None,
        metavar="K",
        help="runs per task (default: shrinking batches, at most 25, so workers finish together)",
    )
    sw.add_argument("--resume", action="store_true", help="continue a sweep in --out, skipping runs already stored")
    sw.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default results/sweep-<name>/, plus -set-<hash> with --set)",
    )
    se = sub.add_parser(
        "sensitivity",
        help="Sobol / Morris / delta indices with 95%% intervals of a finished sweep; heat maps for a grid",
        description="Sensitivity of each metric to the sweep's levers (SALib): Sobol S1 and ST for "
        "sobol designs, Morris mu* and sigma for morris, delta and S1 for latin; heat maps "
        "for grid designs. Writes a tidy CSV and a chart per metric into DIR/sensitivity/.",
    )
    se.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of 'sesim sweep'")
    se.add_argument(
        "--metric",
        dest="metrics",
        action="append",
        default=None,
        metavar="NAME",
        help="a metric to analyse (repeatable; default the headline metrics of sesim compare)",
    )
    se.add_argument(
        "--lang", choices=("en", "zh"), default=None, help="language of the charts (default from the locale)"
    )
    se.add_argument("--out", type=Path, default=None, help="output folder (default DIR/sensitivity/)")
    ca = sub.add_parser(
        "calibrate",
        help="fit free parameters to published figures by ABC-SMC over the sweep runner",
        description="Pattern-oriented calibration: approximate Bayesian computation (ABC-SMC). "
        "Generation 0 is a Latin hypercube over the free ranges; later generations move "
        "the accepted particles. Writes the accepted parameter sets (a posterior sample), "
        "posterior plots and a table of each target against the calibrated model.",
        epilog="example:\n  sesim calibrate scenarios/targets/china_gaozhi.toml --scenario baseline \\\n"
        "      --free behaviour.offer_rate=[0.5,1.0] --free behaviour.exit_threshold=[0.3,0.6] "
        "--budget 4000 --workers 2",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ca.add_argument(
        "targets", type=Path, metavar="TARGETS", help="a target file, e.g. scenarios/targets/china_gaozhi.toml"
    )
    ca.add_argument(
        "--scenario", default="baseline", help="the scenario whose parameters are calibrated (default baseline)"
    )
    ca.add_argument(
        "--free",
        action="append",
        default=[],
        metavar="SECTION.KEY=[LO,HI]",
        help="a free parameter with its uniform prior range (repeatable)",
    )
    ca.add_argument("--budget", type=int, default=2000, help="model runs in all (default 2000)")
    ca.add_argument("--replicates", type=int, default=REPLICATES_DEFAULT, help="replicates per particle (default 2)")
    ca.add_argument("--generations", type=int, default=4, help="SMC generations (default 4)")
    ca.add_argument(
        "--accept", type=finite_float, default=0.25, help="share of each generation's proposals accepted (default 0.25)"
    )
    ca.add_argument(
        "--kernel",
        choices=("olcm", "mcmc", "history"),
        default="olcm",
        help="how later generations move: 'olcm' resamples by importance weights and moves each particle "
        "with its own local kernel; 'mcmc' keeps equal weights and moves the particles within the "
        "threshold by a random walk that accepts only runs within it (for many free parameters, where "
        "importance weights degenerate; --accept is then the share kept alive); 'history' runs waves of "
        "history matching: emulators of the targets rule out the worlds that cannot put the baseline "
        "inside every interval, the other assumptions are drawn over their plausible ranges in every run, "
        "and the last wave is the posterior (--accept and --distance unused). Default olcm",
    )
    ca.add_argument(
        "--distance",
        choices=("centre", "intervals"),
        default="centre",
        help="a particle's distance to the targets: 'centre' (default) from each target's value in "
        "half-widths of its interval; 'intervals' only what lies outside each interval, so that 0 is "
        "inside every weighted interval (history matching's implausibility)",
    )
    ca.add_argument(
        "--warm-start",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="with --kernel history: an earlier calibration folder whose runs (DIR/gen-*) join the "
        "emulators' training data (repeatable)",
    )
    ca.add_argument(
        "--hold-assumptions",
        action="store_true",
        help="with --kernel history: hold the assumptions that are not free at the scenario's values "
        "(by default every assumption with a plausible range is drawn over it in every run, as "
        "compare --uncertainty all draws them)",
    )
    ca.add_argument(
        "--draw-assumptions",
        action="store_true",
        help="with --kernel olcm|mcmc: draw every assumption that is not free over its plausible range "
        "in every run, as compare --uncertainty all draws them, so that a particle is judged on "
        "worlds whose other assumptions are uncertain (by default they stay at the scenario's values; "
        "--kernel history draws them unless --hold-assumptions)",
    )
    ca.add_argument(
        "--start",
        choices=("prior", "scenario"),
        default="prior",
        help="with --kernel mcmc: where the first generation lies: 'prior' over the whole box of the "
        "free parameters (default), 'scenario' about the scenario's own values (5%% of each range on "
        "either side), so that the chains start in worlds known to fit, e.g. the calibrated baseline",
    )
    ca.add_argument("--seed", type=int, default=0, help="root seed of proposals and runs (default 0)")
    ca.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="hold a parameter at a value in every run (repeatable)",
    )
    ca.add_argument("--backend", choices=("local", "dask"), default="local", help="as in sesim sweep (default local)")
    ca.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    ca.add_argument("--scheduler", default=None, metavar="ADDRESS", help="with --backend dask: a running scheduler")
    ca.add_argument("--resume", action="store_true", help="continue a calibration in --out")
    ca.add_argument("--out", type=Path, default=None, help="output folder (default results/calibrate-<targets>/)")
    di = sub.add_parser(
        "discover",
        help="scenario discovery (PRIM): which lever ranges keep a metric above/below X",
        description="Find boxes of lever values in which a metric (mean over replicates) stays above "
        "or below a threshold, with PRIM from the EMA Workbench; reports each box's "
        "coverage and density and plots the peeling trajectory.",
    )
    di.add_argument(
        "dir",
        type=Path,
        metavar="DIR",
        help="the --out folder of 'sesim sweep', or of 'sesim compare --uncertainty' (then the boxes are "
        "of parameter draws in which --strategy fails to beat the baseline on the metric)",
    )
    di.add_argument("--metric", required=True, metavar="NAME", help="e.g. firm_retention")
    di.add_argument(
        "--strategy",
        default=None,
        metavar="NAME",
        help="on an uncertainty comparison: the strategy (default the first besides the baseline)",
    )
    th = di.add_mutually_exclusive_group(required=False)
    th.add_argument("--above", type=finite_float, default=None, metavar="X", help="points of interest: metric > X")
    th.add_argument("--below", type=finite_float, default=None, metavar="X", help="points of interest: metric < X")
    di.add_argument(
        "--min-density",
        type=finite_float,
        default=0.8,
        metavar="D",
        help="density a box must reach (default 0.8); the box with most coverage above it is kept",
    )
    di.add_argument("--boxes", type=int, default=3, metavar="K", help="at most K boxes (default 3)")
    di.add_argument(
        "--out", type=Path, default=None, help="output folder (default DIR/discover-<metric>-above-X/ or -below-X/)"
    )
    da = sub.add_parser(
        "dashboard",
        help="the dashboard: two strategies side by side in the browser, levers moved by the facilitator",
        description="Start a local web page (Solara) on which a facilitator picks two strategies, "
        "moves their levers and watches both run month by month on the same seed: "
        "live charts, the network, a result card, TOML and PNG export, 中文 / English.",
    )
    da.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this computer only). The page answers only "
        "requests addressed to HOST:PORT (on loopback also localhost, 127.0.0.1 and [::1]); "
        "--host 0.0.0.0 serves a room: it also answers this computer's names and network "
        "addresses, e.g. http://192.168.1.20:PORT/. Websockets from other sites are refused",
    )
    da.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    da.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=None,
        help="language the page opens in (default from the locale); the page has a switch",
    )
    wo = sub.add_parser(
        "workshop",
        help="a participatory workshop: participants play schools and firms year by year "
        "on their phones; 'sesim workshop replay DIR' re-runs a played one",
        description="Start a workshop room (Solara): prints the join address with its room code and a "
        "QR code, and the facilitator's address. Participants pick a seat (School 1.., "
        "Firm 1..) and decide their levers each year; the facilitator advances the years "
        "and ends the game, which writes the debrief (report, decision log) into --out. "
        "'sesim workshop replay DIR' re-runs a played workshop from its decision log.",
    )
    wo.add_argument(
        "action",
        nargs="*",
        metavar="replay DIR",
        help="'replay DIR': re-run the decision log of a workshop's output folder and check that the "
        "summary is byte-identical and the monthly series equal",
    )
    wo.add_argument(
        "--scenario",
        default="baseline",
        help="the scenario whose rules seats nobody takes follow and every lever starts from (default baseline)",
    )
    wo.add_argument("--schools", type=int, default=3, help="schools of the region, one seat each (default 3)")
    wo.add_argument("--firms", type=int, default=12, help="firms of the region, one seat each (default 12)")
    wo.add_argument("--rounds", type=int, default=6, help="years to play, one round each (default 6)")
    wo.add_argument(
        "--party-branches",
        action="store_true",
        help='give each school\'s party branch a seat of its own ("Party branch, School 1" ..): it sets '
        "the school's party_building levers, the school's seat the others",
    )
    wo.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=None,
        help="language of the pages and the debrief (default from the locale); each page has a switch",
    )
    wo.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this computer only); --host 0.0.0.0 lets the "
        "room's phones and laptops join. Only requests addressed to HOST:PORT and same-origin "
        "websockets are answered",
    )
    wo.add_argument("--port", type=int, default=8766, help="port (default 8766)")
    wo.add_argument(
        "--worlds",
        type=int,
        default=20,
        help="the debrief replays the decision log, and runs every named strategy, in this many worlds (seeds), "
        "so the played region gets an interval (default 20)",
    )
    wo.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes that run the debrief's worlds (default: this computer's cores, at most 4)",
    )
    wo.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder of the debrief (default results/workshop-<room code>/); with replay, the folder of "
        "the re-run (default DIR-replay)",
    )
    return p


def _cluster_options(p: argparse.ArgumentParser, overrides: bool = False) -> None:
    """Where the runs run: --backend, --scheduler, --cluster and the job options, the
    same on run, compare and sweep (sim.backends); ``overrides``: a sweep file's [cluster] table
    may set the job options, which the flags then override."""
    over = " (overrides [cluster])" if overrides else ""
    p.add_argument(
        "--backend",
        choices=("local", "dask"),
        default="local",
        help="local: a process pool here (default); dask: a Dask cluster (the 'cluster' extra)",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="with --backend dask: a running scheduler, e.g. tcp://host:8786",
    )
    p.add_argument(
        "--cluster",
        choices=("slurm", "pbs"),
        default=None,
        help="with --backend dask: start the workers as SLURM or PBS jobs (dask-jobqueue)",
    )
    for opt, kind, helptext in (
        ("queue", str, "partition/queue"),
        ("account", str, "account to charge"),
        ("cores", int, "cores per job (one worker process each)"),
        ("memory", str, "memory per job, e.g. 16GB"),
        ("walltime", str, "e.g. 02:00:00"),
    ):
        p.add_argument(f"--{opt}", type=kind, default=None, help=f"with --cluster: {helptext}{over}")
    p.add_argument(
        "--interface",
        default=None,
        metavar="NAME",
        help="with --backend dask: network interface of the scheduler and workers, e.g. ib0 or lo "
        f"(default: a LocalCluster on loopback, a --cluster on every interface){over}",
    )


def _backend_options(p: argparse.ArgumentParser, what: str) -> None:
    """Where the runs run, as for sweeps (:func:`_cluster_options`), and --shard / --resume of run and compare."""
    _cluster_options(p)
    p.add_argument(
        "--shard",
        default=None,
        metavar="I/N",
        help=f"run only the {what} whose run id = I (mod N), for job arrays; the shards fill one store "
        "beside --out (OUT.replicates/), then the command with --resume writes the result",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help=f"continue a killed or sharded command: run only the {what} missing from OUT.replicates/",
    )


def _backend(args: argparse.Namespace, copts: dict | None = None) -> "object":
    """The backend the flags ask for, every flag checked first (one line each)."""
    if args.backend == "local" and (args.scheduler or args.cluster or args.interface):
        raise ScenarioError("--scheduler, --cluster and --interface need --backend dask")
    if args.scheduler and (args.cluster or args.interface):
        raise ScenarioError(
            "--scheduler excludes --cluster and --interface: connect to a running scheduler, "
            "or start one (with its workers as jobs)"
        )
    if args.workers < 1:
        raise ScenarioError(f"--workers {args.workers}: allowed an integer >= 1")
    from sim.backends import DaskBackend, LocalBackend, check_interface, import_dask, jobqueue_options

    if args.backend == "local":
        return LocalBackend(args.workers)
    import_dask()  # without the extra: the one-line install hint
    copts = dict(copts or {})
    copts.update(
        {
            k: getattr(args, k)
            for k in ("queue", "account", "cores", "memory", "walltime", "interface")
            if getattr(args, k, None) is not None
        }
    )
    if args.cluster:
        jobqueue_options(args.cluster, copts)  # refuse missing settings before anything is written
    if copts.get("interface"):
        check_interface(copts["interface"])
    return DaskBackend(args.workers, args.scheduler, args.cluster, copts)


def _run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seeds", type=int, default=10, help=f"number of replicates (default 10, at most {MAX_SEEDS})")
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        help="root seed S: replicate i uses S + i (default run.seed; S + replicates - 1 at most 2^63 - 1)",
    )
    p.add_argument("--years", type=int, default=None, help="reported years (overrides run.years)")
    p.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="override a lever, e.g. --set communication.depth=0.8 (repeatable)",
    )
    p.add_argument("--workers", type=int, default=1, help="processes for replicates (default 1)")


def cmd_scenarios(args: argparse.Namespace) -> int:
    if args.levers or args.behaviour:
        from sim.params import behaviour_markdown, lever_table, levers_markdown

        if args.markdown:
            print(behaviour_markdown() if args.behaviour else levers_markdown())
            return 0
        for r in lever_table():
            if args.behaviour and not r["key"].startswith("behaviour."):
                continue
            default = r["default"]
            d = (
                ("true" if default else "false")
                if isinstance(default, bool)
                else (", ".join(f"{k} {v:g}" for k, v in default.items()) if isinstance(default, dict) else default)
            )
            unit = f" [{r['unit']}]" if r["unit"] and r["type"] not in ("bool",) else ""
            extra = f"  {r['kind']}" + (f", plausible {r['plausible']}" if r["plausible"] else "")
            print(f"{r['key']:40s} {r['type']:6s} {r['range']:>34s}  default {d!s:10s} {r['meaning']}{unit}{extra}")
        return 0
    print(f"{'name':24s} {'English':56s} 中文")
    for name in builtin_names():
        s = load_scenario(name)
        print(f"{name:24s} {s.title_en:56s} {s.title_zh}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    s = load_scenario(args.file)
    print(f"{s.path}: ok ({s.name}: {s.title_en} / {s.title_zh})")
    return 0


def _overrides(args: argparse.Namespace) -> list[str]:
    sets = list(args.sets)
    if args.years is not None:
        sets.append(f"run.years={args.years}")
    return sets


def _check_counts(args: argparse.Namespace, most: int | None = None) -> None:
    most = args.seeds if most is None else most
    if not 1 <= args.seeds <= MAX_SEEDS:
        raise ScenarioError(f"--seeds {args.seeds}: allowed an integer in 1..{MAX_SEEDS}")
    if args.workers < 1:
        raise ScenarioError(f"--workers {args.workers}: allowed an integer >= 1")
    if args.seed is not None and not 0 <= args.seed <= SEED_MAX - most + 1:
        raise ScenarioError(
            f"--seed {args.seed}: allowed an integer in 0..{SEED_MAX - most + 1} "
            f"(seeds run up to S + {most - 1}, at most 2^63 - 1)"
        )


def _set_tag(sets: list[str]) -> str:
    """``-set-<hash>`` naming what --set/--years changed, so such a run does not replace the plain one."""
    if not sets:
        return ""
    return "-set-" + hashlib.sha256("\n".join(sorted(sets)).encode()).hexdigest()[:8]


def _compare_folder(names: list[str], sets: list[str]) -> Path:
    joined = "compare-" + "-".join(names)
    if len(joined) > 120:  # eleven strategies: name the baseline and count the rest
        digest = hashlib.sha256(" ".join(names).encode()).hexdigest()[:8]
        joined = f"compare-{names[0]}-and-{len(names) - 1}-strategies-{digest}"
    return Path("results") / (joined + _set_tag(sets))


def cmd_run(args: argparse.Namespace) -> int:
    _check_counts(args)
    sets = _overrides(args)
    scn = load_scenario(args.scenario, sets)
    root = scn.params.run.seed if args.seed is None else args.seed
    if root > SEED_MAX - args.seeds + 1:
        raise ScenarioError(f"{scn.path}: run.seed = {root} with --seeds {args.seeds}: seeds would pass 2^63 - 1")
    log = None
    if args.decisions is not None:
        from sim.policy import load_decisions

        log = load_decisions(args.decisions, scn.params)
    tag = _set_tag(sets) + (f"-decisions-{log.sha256[:8]}" if log is not None else "")
    out = args.out or Path("results") / (scn.name + tag)
    from analysis.sweep import parse_shard

    shard = parse_shard(args.shard)
    backend = _backend(args)
    from sim.outputs import OutputSlot, ResumableLock, check_out
    from sim.replicates import Arm, ReplicateStore, fingerprint, store_path
    from sim.resources import check_fits
    from sim.runner import interval_table, run_to_store, write_outputs

    check_out(out, "run")
    store = ReplicateStore(store_path(out))
    fp = fingerprint("run", [Arm(scn.name, scn.params, log.schedule if log is not None else None)], root)
    store.check(fp, args.resume, shard)
    ids = [i for i in range(args.seeds) if shard is None or i % shard[1] == shard[0]]
    est = None
    if not (args.scheduler or args.cluster):
        est = check_fits([scn.params], len(ids), args.workers, f"sesim run {scn.name} --seeds {args.seeds}")
    _resumable(args, store)
    if shard is not None:
        with ResumableLock(store.folder, shard=shard):
            store.check(fp, True, shard)
            store.open(fp, sys.argv)
            ran = run_to_store(scn, store, ids, root, backend, decisions=log)
        print(
            f"shard {shard[0]}/{shard[1]}: {ran} replicates run, {len(store.stored())} of {args.seeds} stored in "
            f"{store.folder}/; when every shard is done: {args.resume_command}"
        )
        return 0
    with OutputSlot(out, "run") as slot, ResumableLock(store.folder):
        store.check(fp, args.resume, None)
        est and _say_estimate(est)
        started = time.time()
        store.open(fp, sys.argv)
        run_to_store(scn, store, ids, root, backend, decisions=log)
        try:
            summary = write_outputs(
                (store, ids),
                scn,
                slot,
                sys.argv,
                [root + i for i in range(args.seeds)],
                started,
                time.time(),
                decisions=log,
            )
        except OSError as e:
            raise ScenarioError(f"--out {out}: cannot write results: {e.strerror or e}") from None
        store.remove()
    tab = interval_table(summary)
    print(
        f"{scn.name} ({scn.title_en} / {scn.title_zh}): {args.seeds} replicates, seeds {root}..{root + args.seeds - 1}"
    )
    print(_metric_table(tab, args.seeds, scn.params.run))
    if log is not None:
        print(f"decisions: {log.rows} from {args.decisions} (sha256 {log.sha256[:12]}...)")
    print(
        f"wrote {out}/: summary.csv timeseries.parquet spells.parquet scenario.resolved.toml manifest.json"
        + (" decisions.csv" if log is not None else "")
    )
    return 0


def _resumable(args: argparse.Namespace, store: "object") -> None:
    """For main's message on Ctrl-C: the replicate store kept, and the command that continues it."""
    import shlex

    words = list(getattr(args, "argv", sys.argv[1:]))
    if "--shard" in words:  # the command that writes the result after the shards
        i = words.index("--shard")
        del words[i : i + 2]
    words = [w for w in words if not w.startswith("--shard=")]
    args.resume_out = store.folder
    args.resume_command = shlex.join(["sesim", *words, *([] if args.resume else ["--resume"])])


WALLTIME_SAFETY = 1.5  # --walltime to ask for: the estimated time per job times this


def _cost_line(params: "object", runs: int, workers: int, cluster: str | None, copts: dict) -> str:
    """What a sweep will cost: with --cluster the jobs of how many cores it submits, the time per job
    and the core-hours in all (so a user can choose --walltime); else the time on this machine."""
    from sim.progress import format_seconds
    from sim.resources import estimate

    est = estimate([params], runs, 1, keep_results=False)  # core-seconds of every run
    core_hours = est.seconds / 3600
    if cluster:
        cores = int(copts.get("cores") or 1)
        jobs = -(-workers // cores)
        per_job = est.seconds / max(1, workers)
        hms = int(per_job * WALLTIME_SAFETY)
        walltime = f"{hms // 3600:02d}:{hms % 3600 // 60:02d}:{hms % 60:02d}"
        return (
            f"{cluster.upper()}: {jobs} job(s) of {cores} cores ({workers} workers); about "
            f"{format_seconds(per_job)} per job, {core_hours:.3g} core-hours in all (estimate); "
            f"--walltime {walltime} leaves a {WALLTIME_SAFETY:g}x margin"
            + (f" (asked: {copts['walltime']})" if copts.get("walltime") else "")
        )
    return (
        f"about {format_seconds(est.seconds / max(1, workers))} on {workers} worker(s), "
        f"{core_hours:.3g} core-hours in all (estimate)"
    )


def _say_estimate(est: "object") -> None:
    """One line on stderr before long work: what it will take."""
    if est.seconds >= 60:
        sys.stderr.write(f"sesim: this will take {est.text()}\n")


def summary_decimals(x: float, significant: int = 3, most: int = 6) -> int:
    """Decimals that show ``x`` to ``significant`` figures: 0.435, 0.0590, 2.46, -124, and a small
    value not as 0.000 (a mean is shown with its interval, to the figures of the larger end)."""
    if x == 0 or x != x or math.isinf(x):
        return significant
    return min(max(significant - 1 - math.floor(math.log10(abs(x))), 0), most)


def _metric_table(tab: "object", n: int, run: "object") -> str:
    """Means with their unit and, from 3 replicates on, the 95% interval; missing metrics say why."""
    from sim.metrics import metric_kind, own_unit, years_needed

    show_ci = n >= MIN_INTERVAL_REPLICATES
    lines = [f"{'metric':32s} {'mean':>10s}   {'95% interval' if show_ci else '':20s}  unit"]
    for r in tab.itertuples():
        if r.mean != r.mean:
            need = years_needed(r.metric, run.warmup_months)
            why = (
                f"needs at least {need} reported years (this run has {run.years}; try --years {need})"
                if need > run.years
                else "nothing to measure in these runs"
            )
            lines.append(f"{r.metric:32s} {'n/a':>10s}   {why}")
            continue
        lo, hi = r.ci_low, r.ci_high
        if metric_kind(r.metric) in ("share", "skill"):  # a share or index lies in 0..1: so does its interval
            lo, hi = max(lo, 0.0), min(hi, 1.0)
        d = summary_decimals(max(abs(r.mean), abs(lo), abs(hi)) if show_ci and lo == lo else r.mean)
        ci = f"[{lo:.{d}f}, {hi:.{d}f}]" if show_ci and lo == lo else ""
        lines.append(f"{r.metric:32s} {r.mean:10.{d}f}   {ci:20s}  {own_unit(r.metric)}")
    if not show_ci:
        lines.append(f"(no intervals with fewer than {MIN_INTERVAL_REPLICATES} replicates)")
    return "\n".join(lines)


def cmd_compare(args: argparse.Namespace) -> int:
    if args.seeds is not None and args.uncertainty != "seeds":
        raise ScenarioError(
            f"--seeds {args.seeds} goes with a plain comparison: with --uncertainty "
            f"{args.uncertainty} each parameter draw is one replicate with its own seed; give --draws N "
            "for more draws"
        )
    args.seeds = COMPARE_SEEDS if args.seeds is None else args.seeds
    _check_counts(args, args.max_seeds if args.precision is not None else args.seeds)
    if args.seeds < 2 and args.precision is None:
        raise ScenarioError(f"--seeds {args.seeds}: a comparison needs at least 2 replicates")
    if args.precision is not None and not args.precision > 0:
        raise ScenarioError(f"--precision {args.precision}: allowed a number > 0 (in the metric's own unit)")
    if not 10 <= args.max_seeds <= MAX_SEEDS:
        raise ScenarioError(f"--max-seeds {args.max_seeds}: allowed an integer in 10..{MAX_SEEDS}")
    names = [n for name in args.scenarios for n in (builtin_names() if name == "all" else [name])]
    sets = _overrides(args)
    base = load_scenario(args.baseline, sets)
    scns = [base] + [sc for sc in (load_scenario(n, sets) for n in names) if sc.name != base.name]
    seen: set[str] = set()
    for sc in scns:
        if sc.name in seen:
            raise ScenarioError(f"{sc.path or sc.name}: scenario name '{sc.name}' is listed twice")
        seen.add(sc.name)
    if len(scns) < 2:
        raise ScenarioError("compare: give at least one scenario besides the baseline")
    from sim.metrics import ALL_METRICS

    headline = _metric_list(args.metrics, ALL_METRICS, "--metrics")
    lang = args.lang or _default_lang()
    margins = _metric_values(args.margin, ALL_METRICS, "--margin", one_for_all=True, low=0.0)
    weights = _metric_values(args.weights, tuple(headline), "--weights", low=0.0)
    if weights and not any(weights.get(m, 1.0) > 0 for m in headline):
        raise ScenarioError("--weights: at least one headline metric needs a weight > 0")
    if args.uncertainty != "seeds":
        if margins:
            raise ScenarioError(
                "--margin goes with a plain comparison (an uncertainty comparison gives ranges over "
                "worlds, not tests against a margin)"
            )
        args.weights = weights
        return _compare_uncertainty(args, scns, base.name, headline, lang, sets)
    for flag, given in (
        ("--max-draws", args.max_draws),
        ("--fit", args.fit),
        ("--fit-replicates", args.fit_replicates),
        ("--targets", args.targets),
    ):
        if given:
            raise ScenarioError(f"{flag} goes with --uncertainty posterior|assumptions|all")
    out = args.out or _compare_folder([sc.name for sc in scns], sets)
    from analysis.sweep import parse_shard

    shard = parse_shard(args.shard)
    if shard is not None and args.precision is not None:
        raise ScenarioError(
            "--shard goes with --seeds, not --precision (how many replicates --precision needs is "
            "known only as they finish)"
        )
    backend = _backend(args)
    from analysis.compare import BATCH, headline_text, run_comparison
    from analysis.publish import write_comparison
    from sim.outputs import OutputSlot, ResumableLock, check_out
    from sim.replicates import Arm, ReplicateStore, fingerprint, store_path
    from sim.resources import check_fits

    check_out(out, "compare")
    root = 0 if args.seed is None else args.seed
    store = ReplicateStore(store_path(out))
    fp = fingerprint("compare", [Arm(sc.name, sc.params) for sc in scns], root)
    store.check(fp, args.resume, shard)
    reps = args.seeds if args.precision is None else BATCH
    est = None
    if not (args.scheduler or args.cluster):
        what = f"sesim compare ({len(scns)} scenarios x {reps} replicates" + (
            f" a batch, up to {args.max_seeds})" if args.precision is not None else ")"
        )
        est = check_fits(
            [sc.params for sc in scns],
            reps if shard is None else -(-reps // shard[1]),
            args.workers,
            what,
            keep_results=False,
        )
    _resumable(args, store)
    if shard is not None:
        with ResumableLock(store.folder, shard=shard):
            store.check(fp, True, shard)
            store.open(fp, sys.argv)
            ran = run_comparison(
                scns,
                base.name,
                seeds=args.seeds,
                root=root,
                headline=headline,
                backend=backend,
                store=store,
                shard=shard,
            )
        print(
            f"shard {shard[0]}/{shard[1]}: {ran} replicates run, {len(store.stored())} of {args.seeds * len(scns)} "
            f"stored in {store.folder}/; when every shard is done: {args.resume_command}"
        )
        return 0
    with OutputSlot(out, "compare") as slot, ResumableLock(store.folder):
        store.check(fp, args.resume, None)
        if est is not None:
            if args.precision is not None and est.seconds >= 60 / (args.max_seeds / BATCH):
                from sim.progress import format_seconds
                from sim.resources import format_bytes

                sys.stderr.write(
                    f"sesim: each batch of {BATCH} replicates takes about {format_seconds(est.seconds)}; "
                    f"up to {args.max_seeds // BATCH} batches until the precision is reached "
                    f"(memory: about {format_bytes(est.peak_bytes)})\n"
                )
            else:
                _say_estimate(est)
        started = time.time()
        store.open(fp, sys.argv)
        comp = run_comparison(
            scns,
            base.name,
            seeds=args.seeds,
            root=root,
            precision=args.precision,
            max_seeds=args.max_seeds,
            headline=headline,
            backend=backend,
            progress=True,
            store=store,
            margins=margins,
            weights=weights,
        )
        try:
            notes = write_comparison(comp, slot, lang, sys.argv, started)
        except OSError as e:
            raise ScenarioError(f"--out {out}: cannot write results: {e.strerror or e}") from None
        store.remove()
    from sim.i18n import tf

    for n in notes:
        sys.stderr.write(f"sesim: warning: {n}\n")
    if comp.warnings:
        sys.stderr.write(f"sesim: warning: {tf('cli_missing', lang, k=len(set(comp.warnings)))}\n")
    print(
        tf(
            "cli_header_one" if len(scns) == 2 else "cli_header",
            lang,
            k=len(scns) - 1,
            base=base.name,
            n=comp.n_replicates,
            a=root,
            b=root + comp.n_replicates - 1,
        )
    )
    if args.precision is not None:
        print(
            tf(
                "cli_precision_ok" if comp.precision_reached else "cli_precision_no",
                lang,
                e=f"{args.precision:g}",
                n=comp.n_replicates,
                w=f"{comp.worst_half_width:.4g}",
            )
        )
    print(headline_text(comp, lang))
    print(tf("cli_report", lang, path=out / "report.html"))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    _check_counts(args)
    if args.seeds < 2:
        raise ScenarioError(f"--seeds {args.seeds}: explaining a difference needs at least 2 replicates")
    sets = _overrides(args)
    base = load_scenario(args.baseline, sets)
    strategy = load_scenario(args.strategy, sets)
    if strategy.name == base.name:
        raise ScenarioError(
            f"explain: the strategy '{strategy.name}' is its own baseline; give another "
            f"strategy, or another --baseline NAME"
        )
    from sim.metrics import ALL_METRICS
    from sim.params import mechanism_ids

    names = _metric_list(args.metrics, ALL_METRICS, "--metrics")
    if args.mechanisms is not None:
        try:
            mechs = mechanism_ids(args.mechanisms)
        except ValueError as e:
            raise ScenarioError(f"--mechanisms: {e}") from None
        if not mechs:
            raise ScenarioError("--mechanisms: give at least one family, e.g. --mechanisms M12,M17")
    else:
        mechs = None
    lang = args.lang or _default_lang()
    tag = "" if base.name == "baseline" else f"-vs-{base.name}"
    out = args.out or Path("results") / f"explain-{strategy.name}{tag}{_set_tag(sets)}"
    from analysis.explain import default_families, strategy_parts
    from sim.outputs import OutputSlot
    from sim.resources import check_fits

    parts = strategy_parts(strategy, base, args.parts)
    n_configs = 2 ** len(parts) + len(mechs if mechs is not None else default_families())
    est = check_fits(
        [strategy.params, base.params],
        args.seeds * n_configs,
        args.workers,
        f"sesim explain ({2 ** len(parts)} combinations of {len(parts)} parts and {n_configs - 2 ** len(parts)} "
        f"families held, x {args.seeds} replicates)",
        keep_results=False,
    )
    root = 0 if args.seed is None else args.seed
    with OutputSlot(out, "explain") as slot:
        _say_estimate(est)
        from analysis.explain import explain_text, load_cache, run_explain, write_explain

        started = time.time()
        cache = None if args.fresh else load_cache(slot.out)
        exp = run_explain(
            strategy,
            base,
            seeds=args.seeds,
            root=root,
            metric_names=names,
            families=mechs,
            grouping=args.parts,
            workers=args.workers,
            progress=True,
            cache=cache,
        )
        if exp.reused:
            sys.stderr.write(
                f"sesim: reused {exp.reused} of {exp.n_runs} runs from the earlier result in {out} "
                f"(--fresh runs them again)\n"
            )
        try:
            notes = write_explain(exp, slot, lang, sys.argv, started)
        except OSError as e:
            raise ScenarioError(f"--out {out}: cannot write results: {e.strerror or e}") from None
    for n in notes:
        sys.stderr.write(f"sesim: warning: {n}\n")
    print(explain_text(exp, lang))
    print(
        f"wrote {out}/: parts.csv paths.csv explain.png explain.svg summary.csv manifest.json "
        f"({time.time() - started:.0f} s)"
    )
    return 0


def _compare_uncertainty(
    args: argparse.Namespace, scns: list, baseline: str, headline: list[str], lang: str, sets: list[str]
) -> int:
    """``sesim compare --uncertainty``: replicate i takes parameter draw i and seed S + i in every
    scenario; runs through the sweep runner (resumable, local pool or Dask, shards)."""
    if not 4 <= args.draws <= MAX_SEEDS:
        raise ScenarioError(f"--draws {args.draws}: allowed an integer in 4..{MAX_SEEDS}")
    if args.precision is not None:
        raise ScenarioError("--precision goes with --uncertainty seeds only (the draws are fixed in number)")
    _backend(args)  # every backend flag checked before anything is written
    from analysis.uncertainty import MAX_DRAWS_PER_DRAW, REJECTING
    from sim.progress import format_seconds

    if args.max_draws is not None:
        if args.uncertainty not in REJECTING:
            raise ScenarioError("--max-draws goes with --uncertainty posterior|all (assumptions rejects no draw)")
        if not args.draws <= args.max_draws <= MAX_SEEDS * MAX_DRAWS_PER_DRAW:
            raise ScenarioError(
                f"--max-draws {args.max_draws}: allowed an integer in {args.draws} (--draws).."
                f"{MAX_SEEDS * MAX_DRAWS_PER_DRAW}"
            )
    if args.fit is not None and args.uncertainty not in REJECTING:
        raise ScenarioError("--fit goes with --uncertainty posterior|all (the modes that keep only worlds that fit)")
    if args.fit_replicates is not None:
        if args.uncertainty not in REJECTING:
            raise ScenarioError(
                "--fit-replicates goes with --uncertainty posterior|all (the modes that keep only worlds that fit)"
            )
        if not 1 <= args.fit_replicates <= MAX_FIT_REPLICATES:
            raise ScenarioError(
                f"--fit-replicates {args.fit_replicates}: allowed an integer in 1..{MAX_FIT_REPLICATES}"
            )
    fit_reps = args.fit_replicates or 1
    cap = (args.max_draws or MAX_DRAWS_PER_DRAW * args.draws) if args.uncertainty in REJECTING else args.draws
    root = 0 if args.seed is None else args.seed
    if root > SEED_MAX - cap + 1:
        raise ScenarioError(f"--seed {root}: seeds would pass 2^63 - 1 with {cap} draws")
    out = args.out or Path(str(_compare_folder([sc.name for sc in scns], sets)) + f"-uncertainty-{args.uncertainty}")
    if args.targets is not None:
        from analysis.calibration import load_targets

        load_targets(args.targets)  # one line naming the file and key, before anything is written
        if args.uncertainty in REJECTING:
            from analysis.uncertainty import posterior_particles

            posterior_particles(args.targets)
    from analysis.publish import write_uncertainty_report
    from analysis.sweep import parse_shard
    from analysis.uncertainty import KIND, MARKER, run_uncertainty, text
    from sim.outputs import check_resumable

    check_resumable(out, KIND)
    if (Path(out) / MARKER).exists() and not args.resume:
        raise ScenarioError(
            f"--out {out}: already holds an uncertainty comparison; add --resume to continue it, "
            "or choose another folder with --out DIR"
        )
    shard = parse_shard(args.shard)
    if not args.scheduler:
        from sim.resources import check_fits

        est = check_fits(
            [sc.params for sc in scns],
            args.draws,
            args.workers,
            f"sesim compare --uncertainty ({len(scns)} scenarios x {args.draws} draws)",
            keep_results=False,
        )
        if args.uncertainty in REJECTING:
            # the baseline of every candidate, then the strategies of the draws kept: from every first
            # candidate fitting to all --max-draws candidates tried
            from sim.resources import estimate

            worst = estimate([scns[0].params], cap * fit_reps - args.draws, args.workers, keep_results=False)
            if est.seconds + worst.seconds >= 60:
                sys.stderr.write(
                    f"sesim: this will take {format_seconds(est.seconds)} if every draw fits the targets, "
                    f"up to {format_seconds(est.seconds + worst.seconds)} if {cap} candidates must be "
                    "tried\n"
                )
        else:
            _say_estimate(est)
    backend = _backend(args)
    args.resume_out = out  # for main's message on Ctrl-C
    try:
        res = run_uncertainty(
            scns,
            baseline,
            args.uncertainty,
            args.draws,
            root,
            Path(out),
            backend,
            headline,
            args.resume,
            sys.argv,
            shard,
            lang=lang,
            max_draws=args.max_draws,
            fit=args.fit or "intervals",
            fit_replicates=fit_reps,
            weights=args.weights,
            write_report=write_uncertainty_report,
            **({"targets": args.targets} if args.targets else {}),
        )
    except OSError as e:
        raise ScenarioError(f"--out {out}: cannot write results: {e.strerror or e}") from None
    from sim.i18n import tf

    if isinstance(res, Path):
        print(tf("cli_unc_shard", lang, i=shard[0], n=shard[1], out=res))
        return 0
    for n in res.notes:
        sys.stderr.write(f"sesim: warning: {n}\n")
    print(text(res, baseline, headline, args.uncertainty, lang))
    print(tf("cli_unc_wrote", lang, out=out))
    print(tf("cli_report", lang, path=Path(out) / "report.html"))
    return 0


def cmd_carriers(args: argparse.Namespace) -> int:
    from analysis import carriers as cr
    from sim.metrics import ALL_METRICS

    if args.workers < 1:
        raise ScenarioError(f"--workers {args.workers}: allowed an integer >= 1")
    for flag, v, lo in (
        ("--trajectories", args.trajectories, 2),
        ("--noise-seeds", args.noise_seeds, 3),
        ("--tornado-max", args.tornado_max, 1),
        ("--tornado-seeds", args.tornado_seeds, 1),
    ):
        if v is not None and not lo <= v <= MAX_SEEDS:
            raise ScenarioError(f"{flag} {v}: allowed an integer in {lo}..{MAX_SEEDS}")
    if args.scheduler and args.backend != "dask":
        raise ScenarioError("--scheduler needs --backend dask")
    sets = _overrides(args)
    base = load_scenario(args.baseline, sets)
    strategies = [load_scenario(n, sets) for n in (args.strategies or cr.STRATEGIES)]
    seen = {base.name}
    for sc in strategies:
        if sc.name in seen:
            raise ScenarioError(f"{sc.path or sc.name}: scenario '{sc.name}' is listed twice or is the baseline")
        seen.add(sc.name)
    default_metrics = [*cr.HEADLINE, *[m for m in cr.PAY_METRICS if m in ALL_METRICS][:1]]
    metrics = _metric_list(args.metrics, ALL_METRICS, "--metrics") if args.metrics else default_metrics
    only = [k.strip() for k in args.parameters.split(",") if k.strip()] if args.parameters else None
    params = cr.screened_parameters(base, only, cr.posterior_ranges())
    noise = args.noise_seeds or cr.NOISE_SEEDS
    tseeds = args.tornado_seeds or min(cr.TORNADO_SEEDS, noise)
    if tseeds > noise:
        raise ScenarioError(
            f"--tornado-seeds {tseeds}: at most --noise-seeds ({noise}): a tornado end reuses the "
            "seeds of the scenario's own values"
        )
    root = 0 if args.seed is None else args.seed
    if not 0 <= root <= SEED_MAX:
        raise ScenarioError(f"--seed {root}: allowed an integer in 0..2^63 - 1")
    import shlex

    words = sys.argv[1:] if sys.argv[1:2] == ["carriers"] else ["carriers", *sys.argv[1:]]
    s = cr.Settings(
        base,
        strategies,
        metrics,
        params,
        args.trajectories or cr.TRAJECTORIES,
        noise,
        args.tornado_max or cr.TORNADO_MAX,
        tseeds,
        root,
        ["sesim", *words],
    )
    from analysis.uncertainty import strategy_levers

    own = strategy_levers(s.scenarios)  # refuses strategies set agent by agent, in one line
    if any(p.key in own for p in s.parameters):  # a lever a compared strategy sets is not screened
        s.parameters = [p for p in s.parameters if p.key not in own]
        if not s.parameters:
            raise ScenarioError("--parameters: every one is a lever a compared strategy sets; nothing to screen")
    out = args.out or Path("results") / f"carriers{_set_tag(sets)}"
    n_screen, n_torn = cr.cost(s)
    from sim.progress import format_seconds
    from sim.resources import check_fits, estimate

    secs = estimate([base.params], n_screen + n_torn, args.workers, keep_results=False).seconds
    plan = (
        f"carriers: {len(params)} parameters in {len(s.family_names())} families (+ a dummy), "
        f"{len(strategies)} strategies x {len(metrics)} outcomes; screening {s.trajectories} Morris trajectories "
        f"+ {noise} seeds at the scenario's values = {n_screen} runs; tornado about {n_torn} runs "
        f"({min(s.tornado_max, len(params))} parameters x 2 ends x {tseeds} seeds x {len(s.scenarios)} arms; more "
        f"if the outcomes' leading families need more parameters); about {format_seconds(secs)} on {args.workers} "
        "worker(s)"
    )
    if args.dry_run:
        print(plan)
        return 0
    from sim.outputs import ResumableLock, check_resumable

    def check() -> None:
        """Every check on --out before anything is written into it."""
        check_resumable(out, cr.KIND)
        if (Path(out) / cr.MARKER).exists() and not args.resume:
            raise ScenarioError(
                f"--out {out}: already holds a carriers screening; add --resume to continue it, "
                "or choose another folder with --out DIR"
            )

    check()
    if args.doc is not None:
        if args.doc.is_dir() or not args.doc.parent.is_dir():
            raise ScenarioError(f"--doc {args.doc}: allowed a file in an existing folder (e.g. docs/carriers.md)")
    if not args.scheduler:
        check_fits([sc.params for sc in s.scenarios], 1, args.workers, "sesim carriers", keep_results=False)
    sys.stderr.write(f"sesim: {plan}\n")
    from analysis.sweep import DaskBackend, LocalBackend

    backend = DaskBackend(args.workers, args.scheduler) if args.backend == "dask" else LocalBackend(args.workers)
    args.resume_out = out
    args.resume_command = shlex.join(["sesim", *words, *([] if args.resume else ["--resume"])])
    try:
        with ResumableLock(out):
            check()  # the folder may have changed before the lock was ours
            res = cr.run_carriers(s, Path(out), backend, args.resume)
        if args.doc is not None:
            cr.write_text(args.doc, (Path(out) / "carriers.md").read_text(encoding="utf-8"))
    except OSError as e:
        raise ScenarioError(f"--out {out}: cannot write results: {e.strerror or e}") from None
    for n in res.notes:
        sys.stderr.write(f"sesim: note: {n}\n")
    print(
        f"What carries each difference (against {base.name}; carriers above noise, share of the difference "
        "each moves over its plausible range):"
    )
    print(cr.text(res, s))
    print(
        f"wrote {out}/: differences.csv screening.csv tornado.csv carriers.csv carriers.md carriers.json"
        + (f"; {args.doc}" if args.doc else "")
    )
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    if args.target[0] == "merge":
        return _sweep_merge(args.target[1:])
    if len(args.target) > 1:
        raise ScenarioError(f"sweep: one sweep file at a time (got {len(args.target)}: {' '.join(args.target)})")
    if args.workers < 1:
        raise ScenarioError(f"--workers {args.workers}: allowed an integer >= 1")
    if args.batch_size is not None and args.batch_size < 1:
        raise ScenarioError(f"--batch-size {args.batch_size}: allowed an integer >= 1")
    if args.backend == "local" and (args.scheduler or args.cluster or args.interface):
        raise ScenarioError("--scheduler, --cluster and --interface need --backend dask")
    if args.scheduler and (args.cluster or args.interface):
        raise ScenarioError(
            "--scheduler excludes --cluster and --interface: connect to a running scheduler, "
            "or start one (with its workers as jobs)"
        )
    from analysis.sweep import (
        DaskBackend,
        LocalBackend,
        batch_size,
        check_interface,
        check_sweep_out,
        job_script,
        jobqueue_options,
        parse_shard,
        resume_command,
        run_sweep,
        split,
    )
    from analysis.sweepfile import load_sweep

    sw = load_sweep(args.target[0], args.sets)
    shard = parse_shard(args.shard)
    out = args.out or Path("results") / f"sweep-{sw.name}{_set_tag(args.sets)}"
    copts = dict(sw.cluster) if args.cluster else {}  # [cluster] is for --cluster; a LocalCluster takes the flag
    copts.update(
        {
            k: getattr(args, k)
            for k in ("queue", "account", "cores", "memory", "walltime", "interface")
            if getattr(args, k) is not None
        }
    )
    if args.cluster:
        jobqueue_options(args.cluster, copts)  # refuse missing settings before anything is written
    n_runs = sw.n_runs()
    mine = n_runs if shard is None else len(range(shard[0], n_runs, shard[1]))
    if args.dry_run:
        size = batch_size(mine, args.workers, args.batch_size)
        tasks = len(split(list(range(mine)), args.workers, args.batch_size))
        levers = ", ".join(lv.key for lv in sw.levers)
        print(f"sweep {sw.name} ({sw.path}): {sw.design} design over {len(sw.levers)} levers ({levers})")
        print(
            f"base {sw.base}; {sw.n_points()} design points x {sw.replicates} replicates = {n_runs} runs"
            + (f"; shard {shard[0]}/{shard[1]}: {mine} runs" if shard else "")
        )
        if sw.fixed:
            print("held fixed: " + ", ".join(f"{k} = {v}" for k, v in sw.fixed.items()))
        print(
            f"backend {args.backend}, {args.workers} worker(s), {tasks} batches of {size} runs or fewer; output {out}/"
        )
        print(_cost_line(sw.base_params, mine, args.workers, args.cluster, copts))
        if args.backend == "dask" and args.cluster:
            print(
                f"\n# job script dask-jobqueue submits for each {args.cluster.upper()} job of workers "
                "(the scheduler's address is filled in when the sweep starts):"
            )
            print(job_script(args.cluster, copts))
        return 0
    check_sweep_out(sw, out, shard, args.resume)  # the folder before anything is said or written
    if not (args.scheduler or args.cluster):  # the workers run on this machine: will they fit?
        from sim.resources import check_fits

        _say_estimate(
            check_fits([sw.base_params], mine, args.workers, f"sweep {sw.name} ({mine} runs)", keep_results=False)
        )
    if args.backend == "dask":
        if copts.get("interface"):
            check_interface(copts["interface"])  # the scheduler runs here, on that interface
        backend = DaskBackend(args.workers, args.scheduler, args.cluster, copts)
    else:
        backend = LocalBackend(args.workers)
    args.resume_out = out  # for main's message on Ctrl-C
    args.resume_command = resume_command(args.target[0], out, args.sets, shard)
    try:
        res = run_sweep(sw, out, backend, shard=shard, resume=args.resume, batch=args.batch_size)
    except OSError as e:
        raise ScenarioError(f"--out {out}: cannot write results: {e.strerror or e}") from None
    what = f"shard {shard[0]}/{shard[1]} of " if shard else ""
    print(
        f"{what}sweep {sw.name}: {res.ran} runs in {res.seconds:.1f} s ({res.runs_per_second:.2f} runs/s, "
        f"{args.backend}, {args.workers} worker(s)); "
        f"{res.done_before} were already stored; {res.failed} failed"
    )
    for rid, err in res.failures[:5]:
        sys.stderr.write(f"sesim: run {rid} failed: {err}\n")
    if len(res.failures) > 5:
        sys.stderr.write(f"sesim: ... and {len(res.failures) - 5} more failed runs (status = 'failed' in the table)\n")
    print(
        f"results: {out}/runs/ ({res.done_before + res.ran} of {res.total} runs)"
        + (f"; when every shard is done: sesim sweep merge {out}" if shard else "")
    )
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from sim.metrics import ALL_METRICS

    metrics = _metric_list(",".join(args.metrics) if args.metrics else None, ALL_METRICS, "--metric")
    dest = args.out or args.dir / "sensitivity"
    from analysis.sensitivity import analyse, summary_text

    design, tab, figs = analyse(args.dir, metrics, dest, args.lang or _default_lang())
    print(summary_text(design, tab))
    table = "grid_means.csv" if design == "grid" else "indices.csv"
    print(
        f"wrote {dest}/: {table} and {len(figs)} chart(s) ({', '.join(f.name for f in figs[:3])}"
        f"{', ...' if len(figs) > 3 else ''})"
    )
    return 0


def cmd_discover(args: argparse.Namespace) -> int:
    from sim.metrics import ALL_METRICS

    metric = _metric_list(args.metric, ALL_METRICS, "--metric")[0]
    if not 0 < args.min_density <= 1:
        raise ScenarioError(f"--min-density {args.min_density}: allowed a number in (0, 1]")
    if args.boxes < 1:
        raise ScenarioError(f"--boxes {args.boxes}: allowed an integer >= 1")
    above = args.above is not None
    x = args.above if above else args.below
    from analysis.uncertainty import MARKER

    on_draws = (args.dir / MARKER).is_file()
    if x is None and not on_draws:
        raise ScenarioError("discover: give --above X or --below X (only an uncertainty comparison needs neither)")
    if args.strategy and not on_draws:
        raise ScenarioError("--strategy goes with the folder of 'sesim compare --uncertainty'")
    tag = f"{'above' if above else 'below'}-{x:g}" if x is not None else "fails"
    from analysis.discovery import boxes_text, discover, uncertainty_strategy

    if on_draws:  # a compared strategy's name (an identifier) before it names a folder
        args.strategy = uncertainty_strategy(args.dir, args.strategy)[1]
    dest = args.out or args.dir / (
        f"discover-{metric}-{tag}" if not on_draws else f"discover-{args.strategy}-{metric}-{tag}"
    )
    boxes, hits, n = discover(args.dir, metric, x, above, dest, args.boxes, args.min_density, args.strategy)
    what = "parameter draws" if on_draws else "design points (mean over replicates)"
    cond = f"{metric} {'>' if above else '<'} {x:g}" if x is not None else f"{metric}: no improvement on the baseline"
    print(f"{cond} at {hits} of {n} {what}")
    if not boxes:
        print(
            "no box found: "
            + (f"no {what.split(' (')[0][:-1]} meets the condition" if hits == 0 else "PRIM found nothing")
        )
    else:
        print(boxes_text(boxes))
    print(f"wrote {dest}/: boxes.csv trajectory.csv trajectory.png manifest.json")
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    if args.budget < 1 or args.replicates < 1 or args.generations < 1 or args.workers < 1:
        raise ScenarioError("--budget, --replicates, --generations and --workers: allowed integers >= 1")
    if not 0 < args.accept < 1:
        raise ScenarioError(f"--accept {args.accept}: allowed a number between 0 and 1")
    if args.seed < 0:
        raise ScenarioError(f"--seed {args.seed}: allowed an integer >= 0")
    if args.scheduler and args.backend != "dask":
        raise ScenarioError("--scheduler needs --backend dask")
    from analysis.calibration import (
        Settings,
        calibrate,
        fit_text,
        load_targets,
        parse_free,
        posterior_table,
        write_outputs,
    )

    targets = load_targets(args.targets)
    free = parse_free(args.free)
    load_scenario(args.scenario, list(args.sets))  # check it before any run
    s = Settings(
        args.scenario,
        free,
        targets,
        args.budget,
        args.replicates,
        args.generations,
        args.accept,
        args.seed,
        tuple(args.sets),
        args.kernel,
        "intervals" if args.kernel == "history" else args.distance,  # history matching asks for every interval
        tuple(str(x) for x in args.warm_start),
        args.hold_assumptions,
        args.draw_assumptions,
        args.start,
    )
    if args.start != "prior" and args.kernel != "mcmc":
        raise ScenarioError("--start scenario goes with --kernel mcmc")
    if args.hold_assumptions and args.kernel != "history":
        raise ScenarioError("--hold-assumptions goes with --kernel history")
    if args.draw_assumptions and args.kernel == "history":
        raise ScenarioError("--draw-assumptions goes with --kernel olcm|mcmc (--kernel history draws them by default)")
    if args.warm_start and args.kernel != "history":
        raise ScenarioError("--warm-start goes with --kernel history")
    if args.warm_start:
        from analysis.history_matching import check_warm_start

        check_warm_start(args.warm_start, sorted({t.metric for t in targets if t.weight > 0}))
    if s.proposals < 4:
        raise ScenarioError(
            f"--budget {args.budget}: too small for {args.generations} generations of "
            f"{args.replicates} replicates (at least {4 * args.generations * args.replicates})"
        )
    out = args.out or Path("results") / f"calibrate-{args.targets.stem}"
    from analysis.calibration import KIND
    from sim.outputs import ResumableLock, check_resumable

    check_resumable(out, KIND)
    if (out / "calibration.json").exists() and not args.resume:
        raise ScenarioError(
            f"--out {out}: already holds a calibration; add --resume to continue it, "
            "or choose another folder with --out DIR"
        )
    from analysis.sweep import DaskBackend, LocalBackend

    def backend():
        return DaskBackend(args.workers, args.scheduler) if args.backend == "dask" else LocalBackend(args.workers)

    started = time.time()
    print(
        f"calibrating {len(free)} parameters of {args.scenario} to {sum(t.weight > 0 for t in targets)} targets: "
        f"{args.generations} generations x {s.proposals} particles x {args.replicates} replicates"
    )
    try:
        with ResumableLock(out):
            if s.kernel == "history":
                from analysis import history_matching

                acc, gens, fit = history_matching.calibrate(s, out, backend)
            else:
                acc, gens, fit = calibrate(s, out, backend)
            write_outputs(out, s, acc, gens, fit, started)
    except OSError as e:
        raise ScenarioError(f"--out {out}: cannot write results: {e.strerror or e}") from None
    print(fit_text(fit, posterior_table(acc, free)))
    print(f"wrote {out}/: accepted.csv posterior.csv posterior.png fit.csv generations.csv calibration.json")
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    from .dashboard.server import serve

    serve(args.host, args.port, args.lang or _default_lang())
    return 0


def cmd_workshop(args: argparse.Namespace) -> int:
    if args.action:
        return _workshop_replay(args)
    lang = args.lang or _default_lang()
    from .workshop.room import Room, check_world

    check_world(args.schools, args.firms, args.rounds)
    from .workshop.worlds import check_worlds, default_workers

    check_worlds(args.worlds)
    workers = default_workers() if args.workers is None else args.workers
    if workers < 1:
        raise ScenarioError(f"--workers {workers}: allowed an integer >= 1")
    from .dashboard.server import check_port

    check_port(args.host, args.port)
    room = Room(args.scenario, args.schools, args.firms, args.rounds, lang, party=args.party_branches)
    out = args.out or Path("results") / f"workshop-{room.code}"
    from sim.outputs import check_out

    check_out(out, "workshop")
    from .workshop.server import serve

    serve(room, args.host, args.port, out, sys.argv, args.worlds, workers)
    return 0


def _workshop_replay(args: argparse.Namespace) -> int:
    if len(args.action) != 2 or args.action[0] != "replay":
        raise ScenarioError(
            f"workshop {' '.join(args.action)}: allowed 'sesim workshop' (start a room) or 'sesim workshop replay DIR'"
        )
    folder = Path(args.action[1])
    if args.out is None and folder.name in ("", ".", ".."):
        raise ScenarioError(
            f"workshop replay {folder}: give --out DIR for the replay (the default, the folder's "
            f"name with -replay beside it, needs a folder name)"
        )
    out = args.out or folder.with_name(folder.name + "-replay")
    from .workshop.debrief import replay

    same, out, series = replay(folder, out, sys.argv)
    if not same:
        print(
            f"{out}: summary.csv{' or timeseries.parquet' if series else ''} differs from {folder}'s: the replay "
            f"did not reproduce the played run",
            file=sys.stderr,
        )
        return 1
    print(
        f"replayed {folder}/decisions.parquet: {out}/summary.csv is byte-identical to {folder}/summary.csv, "
        + (
            "and the monthly series are equal"
            if series
            else f"and the monthly series were not compared ({folder} holds no timeseries.parquet)"
        )
    )
    return 0


def _sweep_merge(dirs: list[str]) -> int:
    if not dirs:
        raise ScenarioError("sweep merge: give the output folder, e.g. sesim sweep merge results/sweep-grid")
    from analysis.sweep import merge

    n, failed = merge(Path(dirs[0]), [Path(d) for d in dirs[1:]])
    print(f"{dirs[0]}: {n} runs, one row each ({failed} failed); manifest.json written")
    return 0


def _metric_list(text: str | None, allowed: tuple[str, ...], flag: str) -> list[str]:
    from analysis.compare import HEADLINE

    if not text:
        return list(HEADLINE)
    import difflib

    out = []
    for m in (x.strip() for x in text.split(",")):
        if m not in allowed:
            near = difflib.get_close_matches(m, allowed, n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            raise ScenarioError(f"{flag}: unknown metric '{m}'{hint} (allowed: {', '.join(allowed)})")
        out.append(m)
    return out


def _metric_values(
    text: str | None, allowed: tuple[str, ...], flag: str, one_for_all: bool = False, low: float = 0.0
) -> dict[str, float]:
    """``metric=x,...`` (or, with ``one_for_all``, one number for every allowed metric) as a dict; one
    line naming the flag, the key and the allowed range on bad input."""
    if not text:
        return {}
    import difflib
    import math

    def number(word: str, key: str) -> float:
        try:
            x = float(word)
        except ValueError:
            x = math.nan
        if not (math.isfinite(x) and x >= low):
            raise ScenarioError(f"{flag} {key}={word}: allowed a number >= {low:g}")
        return x

    if one_for_all and "=" not in text:
        x = number(text.strip(), "(every metric)")
        return {m: x for m in allowed}
    out: dict[str, float] = {}
    for item in (x.strip() for x in text.split(",") if x.strip()):
        key, eq, word = item.partition("=")
        key = key.strip()
        if not eq:
            raise ScenarioError(
                f"{flag} {item}: allowed metric=x pairs separated by commas"
                + (", or one number for every metric" if one_for_all else "")
            )
        if key not in allowed:
            near = difflib.get_close_matches(key, allowed, n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            raise ScenarioError(f"{flag}: unknown metric '{key}'{hint} (allowed: {', '.join(allowed)})")
        out[key] = number(word.strip(), key)
    return out


def _default_lang() -> str:
    from sim.i18n import default_lang

    return default_lang()


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    handlers = {
        "scenarios": cmd_scenarios,
        "validate": cmd_validate,
        "run": cmd_run,
        "compare": cmd_compare,
        "explain": cmd_explain,
        "sweep": cmd_sweep,
        "carriers": cmd_carriers,
        "sensitivity": cmd_sensitivity,
        "discover": cmd_discover,
        "calibrate": cmd_calibrate,
        "dashboard": cmd_dashboard,
        "workshop": cmd_workshop,
    }
    args.argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return handlers[args.command](args)
    except ScenarioError as e:
        sys.stderr.write(f"sesim: error: {one_line(str(e))}\n")
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading: not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        # run and compare keep every finished replicate in OUT.replicates/, sweep and calibrate every
        # finished batch, and --resume continues from them
        note = "no results written"
        if args.command == "calibrate":
            args.resume_out = args.out or Path("results") / f"calibrate-{args.targets.stem}"
        out = getattr(args, "resume_out", None)
        if out is not None and getattr(args, "resume_command", None) is None:
            import shlex  # the command as typed, continuing in the same folder

            words = list(sys.argv[1:] if argv is None else argv)
            args.resume_command = shlex.join(
                ["sesim", *words, *([] if args.resume else ["--resume"]), *([] if args.out else ["--out", str(out)])]
            )
        if out is not None and str(out).endswith(".replicates"):
            from sim.replicates import ReplicateStore

            n = len(ReplicateStore(Path(out)).stored())
            if not n:  # nothing finished: the store sesim opened goes again
                ReplicateStore(Path(out)).remove()
            else:
                note = (
                    f"{n} replicate{'s' if n != 1 else ''} stored in {out} {'are' if n != 1 else 'is'} kept: "
                    f"continue with '{args.resume_command}'"
                )
        elif out is not None and Path(out).is_dir():
            # batches of the folder's own sweep and of its stages (calibration generations, the fit
            # rounds of an uncertainty comparison, the carriers' screening and tornado)
            n = len(list(Path(out).glob("runs/runs-*.parquet")) + list(Path(out).glob("*/runs/runs-*.parquet")))
            note = (
                f"{n} batch{'es' if n != 1 else ''} stored in {out} {'are' if n != 1 else 'is'} kept: "
                f"continue with '{args.resume_command}'"
            )
        sys.stderr.write(f"sesim: interrupted; {note}\n")
        return 130


def one_line(message: str) -> str:
    """A message as one line of reasonable length (keys and names from a file may hold anything)."""
    flat = " ".join(message.split("\n")).replace("\r", " ")
    return flat if len(flat) <= MAX_MESSAGE else flat[: MAX_MESSAGE - 3] + "..."
