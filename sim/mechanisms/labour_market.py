"""M16 the outside labour market (an assumption of this model, needed for realism).

Source of magnitudes: MyCOS Chinese College Graduates' Employment Annual Reports (就业蓝皮书):
early turnover, employers in three years, matched employment, placement (see
``scenarios/targets/china_gaozhi.toml``).  The papers say nothing about it; MODEL.md M16 adds it.

- Graduates not hired by partners search with a monthly job-finding rate and land an
  in-field or out-of-field post; a share continues study (专升本).
- Employed graduates receive outside offers at a rate scaled by their mobility, and quit when
  the offer beats the current job's value — fit, development prospects, familiarity, craft
  (M12, a model assumption) and tenure — plus a switching cost.  Job shopping: the share
  ``offer_match_known`` of an accepted offer's match value proves real and stays with the new
  job, so movers are harder to move again; the rest was only apparent (a job is partly an
  experience good: MyCOS's leading reasons for quitting, too little room to develop and low
  pay, show only on the job), so with a share below 1 a mover can be moved again.
- Firms dismiss poor matches once quality shows (months 2–12 of tenure).
"""
from __future__ import annotations

import numpy as np

from ..state import CRAFT, EMPLOYED
from .context import MonthContext

DISMISSAL_WINDOW = (1, 12)  # tenure months in which quality shows


def job_value(ctx: MonthContext, fit: np.ndarray, prospects: np.ndarray, familiar: np.ndarray,
              craft: np.ndarray, tenure: np.ndarray, quality: np.ndarray) -> np.ndarray:
    """Value of the current job; ``quality`` is the match value of an offer once accepted."""
    b = ctx.behaviour
    return (b.fit_value * fit + prospects + b.familiarity_value * familiar + quality
            + b.craft_value * craft + b.tenure_value * np.minimum(tenure, 24))


def accepted_quality(ctx: MonthContext, z_offer: np.ndarray) -> np.ndarray:
    """Match value an accepted offer keeps in the new job: its real share of the apparent value."""
    b = ctx.behaviour
    return b.offer_match_known * b.offer_sd * z_offer


def separations(ctx: MonthContext, status: np.ndarray, hire_month: np.ndarray, fit: np.ndarray,
                prospects: np.ndarray, familiar: np.ndarray, quality: np.ndarray, skills: np.ndarray,
                mobility: np.ndarray, u_offer: np.ndarray, z_offer: np.ndarray,
                u_dismiss: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of employed graduates who quit (for an outside offer) and who are dismissed."""
    b = ctx.behaviour
    employed = status == EMPLOYED
    tenure = ctx.month - hire_month
    current = job_value(ctx, fit, prospects, familiar, skills[:, CRAFT], tenure, quality)
    offer = b.fit_value * b.offer_fit_mean + b.offer_sd * z_offer
    has_offer = u_offer < np.minimum(b.offer_rate * mobility, 1.0)
    quit = employed & has_offer & (offer > current + b.switching_cost)
    window = (tenure >= DISMISSAL_WINDOW[0]) & (tenure <= DISMISSAL_WINDOW[1])
    dismiss = employed & ~quit & window & (u_dismiss < b.dismissal_rate * (1.0 - fit) ** 2)
    return quit, dismiss
