"""Ranking strategies: per metric and replicate (or draw) each strategy's rank, the share of runs in
which it is first and its mean rank, and the order the reports show (weighted mean rank over the
headline metrics).  Shared by the comparison, the uncertainty analysis and the reports."""

from __future__ import annotations

import math

import pandas as pd

from .labels import higher_is_better


def ranks(runs: pd.DataFrame, order: list[str], metrics: list[str], higher_better: dict[str, bool]) -> pd.DataFrame:
    """Per headline metric and draw, strategies ranked (1 = best); probability of first (strategies
    tied for first share the draw) and mean rank."""
    rows = []
    for m in metrics:
        wide = runs.pivot(index="draw", columns="scenario", values=m)[order].dropna()
        if wide.empty:
            continue
        r = (-wide if higher_better.get(m, True) else wide).rank(axis=1, method="min")
        first = (r == 1).astype(float)
        share = first.div(first.sum(axis=1), axis=0)  # a tie for first shares the draw
        for s in order:
            rows.append(
                {
                    "metric": m,
                    "strategy": s,
                    "prob_first": float(share[s].mean()),
                    "mean_rank": float(r[s].mean()),
                    "n_draws": len(r),
                }
            )
    return pd.DataFrame(rows)


def replicate_ranks(summary: pd.DataFrame, order: list[str], metrics: list[str]) -> pd.DataFrame:
    """rank.csv's table over the replicates of a plain comparison: per metric, each scenario's share of
    replicates in which it is first (ties share first place) and its mean rank."""
    runs = summary.rename(columns={"replicate": "draw"})
    return ranks(runs, order, metrics, {m: higher_is_better(m) for m in metrics})


def ranked_by(
    rank: pd.DataFrame, order: list[str], baseline: str, weights: dict[str, float] | None = None
) -> list[str]:
    """Strategies (not the baseline) by the weighted mean of their mean ranks over the metrics (each
    metric's weight from ``weights``, 1 when not given), best first; stable."""
    if rank.empty:
        return [s for s in order if s != baseline]
    w = rank["metric"].map(lambda m: (weights or {}).get(m, 1.0)).to_numpy(float)
    tab = rank.assign(w=w, wr=w * rank["mean_rank"].to_numpy(float)).groupby("strategy")[["w", "wr"]].sum()
    mean = (tab["wr"] / tab["w"].where(tab["w"] > 0)).dropna()
    others = [s for s in order if s != baseline]
    return sorted(others, key=lambda s: (mean.get(s, math.inf), others.index(s)))
