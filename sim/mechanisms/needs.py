"""Firms' needs drift (docs/odd.md §7, "Firms' needs drift"): technology moves what firms need, so a
school's belief about its partners' needs goes stale without ongoing communication (M1).  Each month
every firm's needs are multiplied by a log-normal factor per dimension (``behaviour.needs_drift``,
the ``firms`` stream) and normalised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..model import CooperationModel


def drift_needs(model: "CooperationModel") -> None:
    """Firms' needs drift with technology, so beliefs need ongoing communication."""
    z = model.streams["firms"].normal(0.0, model.params.behaviour.needs_drift, model.firm_needs.shape)
    n = model.firm_needs * np.exp(z)
    model.firm_needs = n / n.sum(axis=1, keepdims=True)
