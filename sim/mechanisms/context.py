"""What the monthly student update needs to know about schools, firms and policy."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..params import Behaviour


@dataclass
class MonthContext:
    month: int
    curriculum: np.ndarray        # (S, D), rows sum to 1
    teacher_quality: np.ndarray   # (S,)
    party_class: np.ndarray       # (S,) quality of party-member contact in class (integrated mode)
    party_practice: np.ndarray    # (S,) quality of party-member co-mentoring of interns
    party_members: np.ndarray     # (S,) party-member teachers; without them no party work of any mode (M9)
    firm_needs: np.ndarray        # (F, D), rows sum to 1
    mentor_quality: np.ndarray    # (F,) engineers' mentoring quality (M5)
    firm_support: np.ndarray      # (F,) resources the firm actually gives (M8 reciprocity)
    party_mode: int               # 0 none, 1 two_skins, 2 integrated
    co_mentoring: bool
    craft_intensity: float
    competition: bool             # a skill competition takes place this month
    joint_projects: float
    task_coordination: float
    counselling: float
    firm_field: np.ndarray        # (F,) each firm's field (programme), for outside offers (M16)
    firm_strength: np.ndarray     # (F,) firms' capability, for the prospects of outside offers (M16)
    programmes: int               # number of fields
    behaviour: Behaviour


@dataclass
class StudentDraws:
    """Uniform and normal draws for one month, one per student row in the update.

    The draws of M16 (offers, their post, pay, prospects, fit and amenities; dismissals) cover only
    the first ``n_offers`` rows — the graduates in follow-up, who come first in the window since
    cohorts are appended in order of enrolment; their number depends on the calendar alone, not
    on levers."""
    dropout: np.ndarray
    offer: np.ndarray
    offer_value: np.ndarray     # normal: the offer's other amenities (M16)
    dismissal: np.ndarray
    offer_post: np.ndarray      # uniform: the offer's field and firm (M16)
    offer_pay: np.ndarray       # normal: the offering employer's pay premium
    offer_prospects: np.ndarray  # normal: the offer's development prospects
    offer_fit: np.ndarray       # normal: taste for the offer's occupation or industry

    @classmethod
    def draw(cls, rng: np.random.Generator, n: int, n_offers: int | None = None) -> "StudentDraws":
        k = n if n_offers is None else n_offers
        dropout = rng.random(n)
        u = rng.random((3, k))
        z = rng.standard_normal((4, k))
        return cls(dropout=dropout, offer=u[0], dismissal=u[1], offer_post=u[2],
                   offer_value=z[0], offer_pay=z[1], offer_prospects=z[2], offer_fit=z[3])
