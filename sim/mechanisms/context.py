"""What the monthly student update needs to know about schools, firms and policy."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..params import Behaviour


@dataclass
class MonthContext:
    month: int
    curriculum: np.ndarray  # (S, D), rows sum to 1
    teacher_quality: np.ndarray  # (S,) teachers' practical competence, the 双师型 share (M11, M14)
    party_class: np.ndarray  # (S,) hours a month of party activity reaching a student in school (M9)
    party_practice: np.ndarray  # (S,) share of interns party-member teachers can mentor (M5, M9)
    firm_needs: np.ndarray  # (F, D), rows sum to 1
    mentor_quality: np.ndarray  # (F,) engineers' mentoring quality (M5)
    firm_support: np.ndarray  # (F,) resources the firm actually gives (M8 reciprocity)
    party_engineer: (
        np.ndarray
    )  # (S, F) hours per mentored intern-month with a paired party-member engineer (M9 co-mentoring)
    projects: np.ndarray  # (S, F) 1 while school and firm run a joint project (M14)
    craft_intensity: np.ndarray  # (S,) each school's 工匠精神 cultivation (M12; 0 with M12 off)
    competition: np.ndarray  # (S,) bool: the school enters a skill competition this month
    task_coordination: np.ndarray  # (S,) each school's task coordination
    counselling: np.ndarray  # (S,) each school's counselling
    firm_field: np.ndarray  # (F,) each firm's field (programme), for outside offers (M16)
    firm_strength: np.ndarray  # (F,) firms' capability, for the prospects of outside offers (M16)
    programmes: int  # number of fields
    behaviour: Behaviour
    off: frozenset = frozenset()  # mechanism families switched off (ids, e.g. "M16"): M4, M6, M16 act here
    # the labour market's benchmarks as they stand this month (M16, moved by the region's graduates in
    # proportion to population.region_market_share: CooperationModel.notice_graduates); None: the
    # behaviour's fixed values, as for a region too small for the market to notice
    market_craft_belief: float | None = None  # craft outside employers impute where they cannot see it
    dismissal_ability: float | None = None  # needs-weighted skill below which a hire falls short

    def __post_init__(self) -> None:
        if self.market_craft_belief is None:
            self.market_craft_belief = self.behaviour.market_craft_belief
        if self.dismissal_ability is None:
            self.dismissal_ability = self.behaviour.productive_ability


class DrawBuffers:
    """Arrays that a model's monthly draws are made into and that it keeps from month to month
    (``Generator.random(out=...)`` draws the same numbers as into a fresh array): at a province's
    size a month's normals alone are 38 MB, which the system would otherwise map and zero anew
    every month."""

    def __init__(self) -> None:
        self._memory: dict[str, np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A C-contiguous float array of ``shape`` with undefined contents: the memory of ``name``
        (what it held is overwritten), grown when too small."""
        size = math.prod(shape)
        memory = self._memory.get(name)
        if memory is None or len(memory) < size:
            memory = self._memory[name] = np.empty(size)
        return memory[:size].reshape(shape)


@dataclass
class StudentDraws:
    """Uniform and normal draws for one month, one per student row in the update.

    The draws of M16 (offers, their post, pay, prospects, fit and amenities; dismissals) cover only
    the first ``n_offers`` rows — the graduates in follow-up, who come first in the window since
    cohorts are appended in order of enrolment; their number depends on the calendar alone, not
    on levers."""

    dropout: np.ndarray  # breaking off a placement (M6), from the ``breaks`` stream in the model
    offer: np.ndarray
    offer_value: np.ndarray  # normal: the offer's other amenities (M16)
    dismissal: np.ndarray
    offer_post: np.ndarray  # uniform: the offer's field and firm (M16)
    offer_pay: np.ndarray  # normal: the offering employer's pay premium
    offer_prospects: np.ndarray  # normal: the offer's development prospects
    offer_fit: np.ndarray  # normal: taste for the offer's occupation or industry

    @classmethod
    def draw(
        cls,
        rng: np.random.Generator,
        n: int,
        n_offers: int | None = None,
        breaks: np.random.Generator | None = None,
        interns: slice | None = None,
        buffers: "DrawBuffers | None" = None,
    ) -> "StudentDraws":
        """``breaks``: the stream of broken placements (M6), one draw per row of ``interns`` (the
        rows of the cohorts that can be interning: a block set by the calendar), whether interning
        or not; rows outside it cannot break a placement (draw 1).  Without ``breaks``, ``rng``
        serves every row (tests).  ``buffers``: where the draws are made (the model's, reused each
        month; they hold the numbers until the next month's draws), else fresh arrays."""
        k = n if n_offers is None else n_offers
        room = buffers or DrawBuffers()
        if breaks is None:
            dropout = rng.random(n)
        else:
            block = interns if interns is not None else slice(0, n)
            dropout = room.get("dropout", (n,))
            dropout.fill(1.0)
            breaks.random(out=dropout[block])
        u = rng.random(out=room.get("uniform", (3, k)))
        z = rng.standard_normal(out=room.get("normal", (4, k)))
        return cls(
            dropout=dropout,
            offer=u[0],
            dismissal=u[1],
            offer_post=u[2],
            offer_value=z[0],
            offer_pay=z[1],
            offer_prospects=z[2],
            offer_fit=z[3],
        )

    def rows(self, block: slice) -> "StudentDraws":
        """The draws of the rows ``block`` of the update (views): each row keeps its own draws, and
        the offers' draws still cover the graduates among them only."""
        k = len(self.offer_post)
        offers = slice(min(block.start, k), min(block.stop, k))
        return StudentDraws(
            dropout=self.dropout[block],
            offer=self.offer[offers],
            offer_value=self.offer_value[offers],
            dismissal=self.dismissal[offers],
            offer_post=self.offer_post[offers],
            offer_pay=self.offer_pay[offers],
            offer_prospects=self.offer_prospects[offers],
            offer_fit=self.offer_fit[offers],
        )
