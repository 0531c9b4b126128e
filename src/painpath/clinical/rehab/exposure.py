"""Graded exposure in vivo for pain-related fear.

Source: Vlaeyen JWS, Linton SJ 2000, Pain 85:317-332 (fear-avoidance model; exposure with a fear
hierarchy of patient-rated activities, 0-100, e.g. PHODA photographs; behavioural experiments start
at low-moderate items and repeat until expected harm falls, then move up). Indication: TSK-17 >= 38
(Vlaeyen 1995, verified) and/or PCS >= 30 (unverified); TSK-11 has no validated cut-off, so it is
tracked for change (>= 4-point reduction = MCID, Woby SR et al. 2005, Pain 117:137-144).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from painpath.clinical.errors import InvalidAnswer, StepNotPermitted
from painpath.clinical.rehab.rules import ExposureRules, default_rules
from painpath.clinical.rehab.scales import check_fear, check_nrs, check_range

TSK11_RANGE = (11, 44)  # Woby 2005 (clinical-reference.md s1.3)
TSK17_RANGE = (17, 68)  # Vlaeyen 1995
PCS_RANGE = (0, 52)  # Sullivan 1995


@dataclass(frozen=True, slots=True)
class FearAvoidanceProfile:
    is_exposure_indicated: bool
    tsk11: int
    pcs: int
    tsk17: int | None
    reasons: tuple[str, ...]
    uses_unverified_threshold: bool


def assess_fear_avoidance(
    *, tsk11: int, pcs: int, tsk17: int | None = None, rules: ExposureRules | None = None
) -> FearAvoidanceProfile:
    """Whether graded exposure is indicated from TSK and PCS totals (ints from the scored forms)."""
    r = rules if rules is not None else default_rules().exposure
    check_range(tsk11, *TSK11_RANGE, "TSK-11 total")
    check_range(pcs, *PCS_RANGE, "PCS total")
    if tsk17 is not None:
        check_range(tsk17, *TSK17_RANGE, "TSK-17 total")
    reasons: list[str] = []
    unverified = False
    if tsk17 is not None and tsk17 >= r.tsk17_high_min.as_int:
        reasons.append(f"TSK-17 {tsk17} >= {r.tsk17_high_min.as_int} (high kinesiophobia)")
        unverified = unverified or not r.tsk17_high_min.is_verified
    if pcs >= r.pcs_high_min.as_int:
        reasons.append(
            f"PCS {pcs} >= {r.pcs_high_min.as_int} (clinically relevant catastrophising)"
        )
        unverified = unverified or not r.pcs_high_min.is_verified
    indicated = bool(reasons)
    if not indicated:
        reasons.append("no threshold met; TSK-11 has no validated cut-off (track change instead)")
    return FearAvoidanceProfile(indicated, tsk11, pcs, tsk17, tuple(reasons), unverified)


def is_tsk_improved(baseline: int, current: int, *, rules: ExposureRules | None = None) -> bool:
    """True when TSK (11 or 17 item) fell by at least the MCID (4 points, Woby 2005)."""
    r = rules if rules is not None else default_rules().exposure
    return baseline - current >= r.tsk_mcid_reduction.as_int


@dataclass(frozen=True, slots=True)
class FearItem:
    activity_id: str
    fear_rating: int  # 0-100 perceived harm/fear as rated by the patient


@dataclass(frozen=True, slots=True)
class FearHierarchy:
    """Feared activities, least to most feared; items at or below 'not feared' are left out."""

    items: tuple[FearItem, ...]
    not_feared: tuple[FearItem, ...]

    def position(self, activity_id: str) -> int:
        for i, item in enumerate(self.items):
            if item.activity_id == activity_id:
                return i
        raise StepNotPermitted(f"activity {activity_id} is not in the fear hierarchy")

    @property
    def first_step(self) -> FearItem | None:
        """Start of exposure: the least-feared item that is still feared (low-moderate start)."""
        return self.items[0] if self.items else None


def build_fear_hierarchy(
    ratings: Mapping[str, int], *, rules: ExposureRules | None = None
) -> FearHierarchy:
    """Order patient-rated activities (0-100) ascending; ties broken by activity id."""
    r = rules if rules is not None else default_rules().exposure
    items = sorted(
        (FearItem(a, check_fear(v, f"fear rating for {a}")) for a, v in ratings.items()),
        key=lambda i: (i.fear_rating, i.activity_id),
    )
    floor = r.not_feared_max.as_int
    return FearHierarchy(
        items=tuple(i for i in items if i.fear_rating > floor),
        not_feared=tuple(i for i in items if i.fear_rating <= floor),
    )


@dataclass(frozen=True, slots=True)
class ExposureTrial:
    """One behavioural experiment: ratings predicted before and experienced after."""

    activity_id: str
    on: date
    predicted_fear: int  # 0-100
    actual_fear: int  # 0-100
    predicted_pain_nrs: int
    actual_pain_nrs: int

    def __post_init__(self) -> None:
        check_fear(self.predicted_fear, "predicted fear")
        check_fear(self.actual_fear, "actual fear")
        check_nrs(self.predicted_pain_nrs, "predicted pain")
        check_nrs(self.actual_pain_nrs, "actual pain")

    @property
    def fear_disconfirmation(self) -> int:
        """Predicted minus actual fear: positive when the feared outcome was over-predicted."""
        return self.predicted_fear - self.actual_fear

    @property
    def pain_disconfirmation(self) -> int:
        return self.predicted_pain_nrs - self.actual_pain_nrs


class ExposureAction(StrEnum):
    REPEAT = "repeat"
    MOVE_UP = "move_up"
    COMPLETE = "complete"


@dataclass(frozen=True, slots=True)
class ExposureDecision:
    action: ExposureAction
    activity_id: str | None
    reason: str


def decide_exposure_step(
    hierarchy: FearHierarchy,
    current_activity_id: str,
    trials: Sequence[ExposureTrial],
    *,
    rules: ExposureRules | None = None,
) -> ExposureDecision:
    """Rule for moving up the hierarchy.

    Move up when the last N trials of the current item each disconfirmed the prediction (actual
    fear <= predicted fear) and the latest predicted fear has fallen to <= the absolute ceiling or
    <= the fraction of the item's hierarchy rating. Otherwise repeat the item.
    """
    r = rules if rules is not None else default_rules().exposure
    pos = hierarchy.position(current_activity_id)
    item = hierarchy.items[pos]
    own = sorted((t for t in trials if t.activity_id == current_activity_id), key=lambda t: t.on)
    if any(t.activity_id not in {i.activity_id for i in hierarchy.items} for t in trials):
        raise InvalidAnswer("exposure trial for an activity outside the hierarchy")
    need = r.consecutive_disconfirmations.as_int
    if len(own) < need:
        return ExposureDecision(
            ExposureAction.REPEAT, item.activity_id, f"{len(own)} of {need} trials done"
        )
    recent = own[-need:]
    if not all(t.actual_fear <= t.predicted_fear for t in recent):
        return ExposureDecision(
            ExposureAction.REPEAT, item.activity_id, "fear not yet disconfirmed on recent trials"
        )
    latest = recent[-1].predicted_fear
    relative_ceiling = item.fear_rating * r.move_up_fraction_of_initial.value
    if latest > r.move_up_fear_max.as_int and latest > relative_ceiling:
        return ExposureDecision(
            ExposureAction.REPEAT, item.activity_id, "expected harm has not fallen enough yet"
        )
    if pos + 1 >= len(hierarchy.items):
        return ExposureDecision(ExposureAction.COMPLETE, None, "top of the hierarchy reached")
    nxt = hierarchy.items[pos + 1]
    return ExposureDecision(ExposureAction.MOVE_UP, nxt.activity_id, "expected harm has fallen")
