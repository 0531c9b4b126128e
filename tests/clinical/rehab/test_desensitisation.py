"""Desensitisation hierarchy and progression; sensory discrimination retraining stages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from painpath.clinical.errors import InvalidAnswer, StepNotPermitted, UnknownCode
from painpath.clinical.rehab.desensitisation import (
    DesensitisationAction,
    DesensitisationSession,
    SensorySession,
    SensoryStage,
    Zone,
    build_desensitisation_hierarchy,
    decide_desensitisation_step,
    decide_sensory_stage,
    default_stimuli,
    starting_stimulus,
)

RATINGS = {"silk": 1, "terry-towel": 3, "rice-tub": 3, "corduroy": 5, "vibration-high": 8}


def test_default_stimuli_ranks_are_unique_and_ordered() -> None:
    ranks = [s.default_rank for s in default_stimuli().values()]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) == len(ranks)


def test_hierarchy_orders_by_rating_then_default_rank() -> None:
    h = build_desensitisation_hierarchy(RATINGS)
    # terry-towel (rank 5) and rice-tub (rank 7) both rated 3 -> towel first
    assert [i.stimulus_id for i in h.items] == [
        "silk",
        "terry-towel",
        "rice-tub",
        "corduroy",
        "vibration-high",
    ]


def test_hierarchy_rejects_unknown_stimulus() -> None:
    with pytest.raises(UnknownCode):
        build_desensitisation_hierarchy({"sandpaper-coarse": 4})


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        # tolerable <= 5: corduroy (5) is the most provoking still tolerable
        pytest.param(RATINGS, "corduroy", id="edge-of-tolerance"),
        pytest.param({"silk": 6, "corduroy": 9}, None, id="nothing-tolerable"),
        pytest.param({"silk": 0}, "silk", id="single"),
    ],
)
def test_starting_stimulus(ratings: dict[str, int], expected: str | None) -> None:
    start = starting_stimulus(build_desensitisation_hierarchy(ratings))
    assert (start.stimulus_id if start else None) == expected


H = build_desensitisation_hierarchy(RATINGS)


def s(stim: str, zone: Zone, day: int, seconds: int, nrs: int) -> DesensitisationSession:
    return DesensitisationSession(stim, zone, date(2026, 5, day), seconds, nrs)


DESENS_CASES = [
    # two comfortable sessions (<= 2/10, >= 120 s) at the edge -> inside
    pytest.param(
        "corduroy",
        Zone.EDGE,
        [s("corduroy", Zone.EDGE, 1, 120, 2), s("corduroy", Zone.EDGE, 2, 150, 1)],
        DesensitisationAction.ADVANCE_ZONE,
        "corduroy",
        Zone.INSIDE,
        id="edge-to-inside",
    ),
    # comfortable inside -> next stimulus at the edge
    pytest.param(
        "corduroy",
        Zone.INSIDE,
        [s("corduroy", Zone.INSIDE, 1, 120, 0), s("corduroy", Zone.INSIDE, 2, 120, 2)],
        DesensitisationAction.NEXT_STIMULUS,
        "vibration-high",
        Zone.EDGE,
        id="inside-to-next",
    ),
    # one session short of 120 s -> repeat
    pytest.param(
        "corduroy",
        Zone.EDGE,
        [s("corduroy", Zone.EDGE, 1, 120, 2), s("corduroy", Zone.EDGE, 2, 119, 1)],
        DesensitisationAction.REPEAT,
        "corduroy",
        Zone.EDGE,
        id="too-short",
    ),
    # discomfort 3 > 2 -> repeat
    pytest.param(
        "corduroy",
        Zone.EDGE,
        [s("corduroy", Zone.EDGE, 1, 120, 2), s("corduroy", Zone.EDGE, 2, 120, 3)],
        DesensitisationAction.REPEAT,
        "corduroy",
        Zone.EDGE,
        id="not-comfortable",
    ),
    # latest 7/10 inside -> back to the edge
    pytest.param(
        "corduroy",
        Zone.INSIDE,
        [s("corduroy", Zone.INSIDE, 1, 60, 7)],
        DesensitisationAction.STEP_BACK,
        "corduroy",
        Zone.EDGE,
        id="inside-provoked",
    ),
    # latest 8/10 at the edge -> previous stimulus, inside
    pytest.param(
        "corduroy",
        Zone.EDGE,
        [s("corduroy", Zone.EDGE, 1, 60, 8)],
        DesensitisationAction.STEP_BACK,
        "rice-tub",
        Zone.INSIDE,
        id="edge-provoked",
    ),
    # first rung provoked -> repeat with shorter sessions
    pytest.param(
        "silk",
        Zone.EDGE,
        [s("silk", Zone.EDGE, 1, 60, 7)],
        DesensitisationAction.REPEAT,
        "silk",
        Zone.EDGE,
        id="first-rung-provoked",
    ),
    # top stimulus comfortable inside -> complete
    pytest.param(
        "vibration-high",
        Zone.INSIDE,
        [s("vibration-high", Zone.INSIDE, 1, 120, 1), s("vibration-high", Zone.INSIDE, 2, 120, 1)],
        DesensitisationAction.COMPLETE,
        None,
        None,
        id="complete",
    ),
]


@pytest.mark.parametrize(
    ("current", "zone", "sessions", "action", "next_id", "next_zone"), DESENS_CASES
)
def test_decide_desensitisation_step(
    current: str,
    zone: Zone,
    sessions: list[DesensitisationSession],
    action: DesensitisationAction,
    next_id: str | None,
    next_zone: Zone | None,
) -> None:
    d = decide_desensitisation_step(H, current, zone, sessions)
    assert (d.action, d.stimulus_id, d.zone) == (action, next_id, next_zone)


def test_decide_desensitisation_step_unknown_current() -> None:
    with pytest.raises(StepNotPermitted):
        decide_desensitisation_step(H, "felt", Zone.EDGE, [])


LOC = SensoryStage.LOCALISATION_WITH_VISION


def ss(stage: SensoryStage, day: int, trials: int, correct: int) -> SensorySession:
    return SensorySession(stage, date(2026, 5, day), trials, correct)


SENSORY_CASES = [
    # 8/10 = 80% and 9/10 = 90% -> advance
    pytest.param(
        LOC,
        [ss(LOC, 1, 10, 8), ss(LOC, 2, 10, 9)],
        True,
        SensoryStage.LOCALISATION_WITHOUT_VISION,
        id="two-passes",
    ),
    # 7/10 = 70% latest -> stay
    pytest.param(LOC, [ss(LOC, 1, 10, 9), ss(LOC, 2, 10, 7)], False, LOC, id="latest-fails"),
    # 79.9%? 799/1000 -> 79.9 < 80 -> stay
    pytest.param(LOC, [ss(LOC, 1, 10, 9), ss(LOC, 2, 1000, 799)], False, LOC, id="just-below"),
    pytest.param(LOC, [ss(LOC, 1, 10, 10)], False, LOC, id="one-session"),
    pytest.param(
        SensoryStage.SHAPE_OBJECT,
        [ss(SensoryStage.SHAPE_OBJECT, d, 5, 4) for d in (1, 2)],
        True,
        SensoryStage.COMPLETE,
        id="last-stage",
    ),
]


@pytest.mark.parametrize(("stage", "sessions", "advance", "next_stage"), SENSORY_CASES)
def test_decide_sensory_stage(
    stage: SensoryStage, sessions: list[SensorySession], advance: bool, next_stage: SensoryStage
) -> None:
    d = decide_sensory_stage(stage, sessions)
    assert (d.is_advance, d.stage) == (advance, next_stage)


def test_sensory_session_accuracy_rounds_half_up() -> None:
    # 2/3 = 66.666... -> 66.7
    assert ss(LOC, 1, 3, 2).accuracy_pct == Decimal("66.7")


def test_sensory_session_rejects_impossible_counts() -> None:
    with pytest.raises(InvalidAnswer):
        ss(LOC, 1, 5, 6)
