"""What the monthly student update needs to know about schools, firms and policy."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..params import Behaviour


@dataclass
class MonthContext:
    month: int
    curriculum: np.ndarray        # (S, D), rows sum to 1
    teacher_quality: np.ndarray   # (S,) teachers' practical competence, the 双师型 share (M11, M14)
    party_class: np.ndarray       # (S,) hours a month of party activity reaching a student in school (M9)
    party_practice: np.ndarray    # (S,) share of interns party-member teachers can mentor (M5, M9)
    firm_needs: np.ndarray        # (F, D), rows sum to 1
    mentor_quality: np.ndarray    # (F,) engineers' mentoring quality (M5)
    firm_support: np.ndarray      # (F,) resources the firm actually gives (M8 reciprocity)
    party_mode: int               # 0 none, 1 two_skins, 2 integrated (already in the hours above)
    party_engineer: np.ndarray    # (F,) hours per mentored intern-month with a paired party-member engineer (M9 co-mentoring)
    projects: np.ndarray          # (S, F) 1 while school and firm run a joint project (M14)
    craft_intensity: float
    competition: bool             # a skill competition takes place this month
    task_coordination: float
    counselling: float
    behaviour: Behaviour


@dataclass
class StudentDraws:
    """Uniform and normal draws for one month, one per student row in the update."""
    dropout: np.ndarray     # breaking off a placement (M6), from the ``breaks`` stream in the model
    offer: np.ndarray
    offer_value: np.ndarray
    dismissal: np.ndarray

    @classmethod
    def draw(cls, rng: np.random.Generator, n: int, breaks: np.random.Generator | None = None) -> "StudentDraws":
        """``breaks``: the stream of broken placements (M6), one draw per row whether interning or
        not; without it the first uniform of ``rng`` serves (tests)."""
        u = rng.random((3, n))
        dropout = u[0] if breaks is None else breaks.random(n)
        return cls(dropout=dropout, offer=u[1], dismissal=u[2], offer_value=rng.standard_normal(n))
