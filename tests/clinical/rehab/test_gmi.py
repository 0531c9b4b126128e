"""Graded motor imagery: laterality scoring and stage progression."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from painpath.clinical.errors import IncompleteResponse, InvalidAnswer
from painpath.clinical.rehab.gmi import (
    GmiAction,
    GmiStage,
    LateralityScore,
    LateralityTrial,
    Side,
    decide_gmi_stage,
    laterality_shortfalls,
    score_laterality,
)

L, R = Side.LEFT, Side.RIGHT
D = Decimal


def trials(
    shown: Side, n_right: int, n_wrong: int, n_timeout: int, rt: int
) -> list[LateralityTrial]:
    other = R if shown is L else L
    return (
        [LateralityTrial(shown, shown, rt)] * n_right
        + [LateralityTrial(shown, other, rt)] * n_wrong
        + [LateralityTrial(shown, None, rt)] * n_timeout
    )


SCORE_CASES = [
    # 10 left (affected) all right at 1500 ms; 10 right all right at 1500 ms
    pytest.param(
        trials(L, 10, 0, 0, 1500) + trials(R, 10, 0, 0, 1500),
        (20, 20, D("100.0"), D("1500.0")),
        (D("100.0"), D("1500.0")),
        (D("100.0"), D("1500.0")),
        id="all-correct",
    ),
    # affected left: 6 right, 3 wrong, 1 timeout at 2400 ms -> 60%, RT over 9 answered = 2400
    # unaffected right: 9 right, 1 wrong at 1600 ms -> 90%, RT 1600
    # overall 15/20 = 75%; RT (9*2400 + 10*1600) / 19 = (21600 + 16000) / 19 = 1978.947 -> 1978.9
    pytest.param(
        trials(L, 6, 3, 1, 2400) + trials(R, 9, 1, 0, 1600),
        (20, 15, D("75.0"), D("1978.9")),
        (D("60.0"), D("2400.0")),
        (D("90.0"), D("1600.0")),
        id="affected-side-worse",
    ),
    # 2 of 3 correct -> 66.666 -> 66.7 (half-up at 1 dp)
    pytest.param(
        trials(R, 2, 1, 0, 1000),
        (3, 2, D("66.7"), D("1000.0")),
        (D("0"), None),
        (D("66.7"), D("1000.0")),
        id="rounding-and-empty-side",
    ),
]


@pytest.mark.parametrize(("data", "overall", "affected", "unaffected"), SCORE_CASES)
def test_score_laterality(
    data: list[LateralityTrial],
    overall: tuple[int, int, Decimal, Decimal],
    affected: tuple[Decimal, Decimal | None],
    unaffected: tuple[Decimal, Decimal | None],
) -> None:
    s = score_laterality(data, affected_side=L)
    assert (s.trials, s.correct, s.accuracy_pct, s.mean_rt_ms) == overall
    assert (s.affected.accuracy_pct, s.affected.mean_rt_ms) == affected
    assert (s.unaffected.accuracy_pct, s.unaffected.mean_rt_ms) == unaffected


def test_score_laterality_rejects_empty_and_bad_rt() -> None:
    with pytest.raises(IncompleteResponse):
        score_laterality([], affected_side=L)
    with pytest.raises(InvalidAnswer):
        score_laterality([LateralityTrial(L, L, 0)], affected_side=L)


NORMAL = score_laterality(trials(L, 9, 1, 0, 1700) + trials(R, 10, 0, 0, 1600), affected_side=L)
# overall 19/20 = 95%; RT (10*1700 + 10*1600)/20 = 1650; side gap 100 - 90 = 10 (allowed, not > 10);
# RT gap 100 ms (<= 300)
SLOW = score_laterality(trials(L, 10, 0, 0, 2600) + trials(R, 10, 0, 0, 1800), affected_side=L)
# 100%; RT mean 2200 > 2000; RT gap 800 > 300
INACCURATE = score_laterality(trials(L, 5, 5, 0, 1500) + trials(R, 10, 0, 0, 1500), affected_side=L)
# 15/20 = 75% < 80; side gap 100 - 50 = 50 > 10


@pytest.mark.parametrize(
    ("score", "n_reasons"),
    [
        pytest.param(NORMAL, 0, id="normal"),
        pytest.param(SLOW, 2, id="slow-overall-and-affected-side"),
        pytest.param(INACCURATE, 2, id="inaccurate-overall-and-side-gap"),
    ],
)
def test_laterality_shortfalls(score: LateralityScore, n_reasons: int) -> None:
    assert len(laterality_shortfalls(score)) == n_reasons


START = date(2026, 3, 2)

STAGE_CASES = [
    # 14 days elapsed (2 Mar -> 16 Mar) and normal laterality -> advance to imagined movements
    pytest.param(
        GmiStage.LATERALITY,
        date(2026, 3, 16),
        NORMAL,
        [],
        GmiAction.ADVANCE,
        GmiStage.IMAGINED_MOVEMENTS,
        id="laterality-advance",
    ),
    # 13 days only -> stay
    pytest.param(
        GmiStage.LATERALITY,
        date(2026, 3, 15),
        NORMAL,
        [],
        GmiAction.STAY,
        GmiStage.LATERALITY,
        id="laterality-too-early",
    ),
    # time is up but accuracy 75% -> stay
    pytest.param(
        GmiStage.LATERALITY,
        date(2026, 3, 20),
        INACCURATE,
        [],
        GmiAction.STAY,
        GmiStage.LATERALITY,
        id="laterality-not-accurate",
    ),
    pytest.param(
        GmiStage.LATERALITY,
        date(2026, 3, 20),
        None,
        [],
        GmiAction.STAY,
        GmiStage.LATERALITY,
        id="laterality-no-test",
    ),
    # imagined: 14 days, laterality normal, session rises 0,1,2 (<= 2) -> mirror therapy
    pytest.param(
        GmiStage.IMAGINED_MOVEMENTS,
        date(2026, 3, 16),
        NORMAL,
        [0, 1, 2],
        GmiAction.ADVANCE,
        GmiStage.MIRROR_THERAPY,
        id="imagined-advance",
    ),
    # a session rise of 3 (> 2) -> step back to laterality
    pytest.param(
        GmiStage.IMAGINED_MOVEMENTS,
        date(2026, 3, 16),
        NORMAL,
        [0, 3],
        GmiAction.STEP_BACK,
        GmiStage.LATERALITY,
        id="imagined-flare-steps-back",
    ),
    # imagined with no pain ratings -> stay (tolerance unknown)
    pytest.param(
        GmiStage.IMAGINED_MOVEMENTS,
        date(2026, 3, 16),
        NORMAL,
        [],
        GmiAction.STAY,
        GmiStage.IMAGINED_MOVEMENTS,
        id="imagined-no-ratings",
    ),
    # mirror: laterality lost -> back to laterality (GMI FAQ)
    pytest.param(
        GmiStage.MIRROR_THERAPY,
        date(2026, 3, 10),
        SLOW,
        [0],
        GmiAction.STEP_BACK,
        GmiStage.LATERALITY,
        id="mirror-laterality-lost",
    ),
    # mirror: flare -> back to imagined movements
    pytest.param(
        GmiStage.MIRROR_THERAPY,
        date(2026, 3, 10),
        NORMAL,
        [4],
        GmiAction.STEP_BACK,
        GmiStage.IMAGINED_MOVEMENTS,
        id="mirror-flare",
    ),
    # mirror: 14 days, tolerated -> complete
    pytest.param(
        GmiStage.MIRROR_THERAPY,
        date(2026, 3, 16),
        NORMAL,
        [1, -1],
        GmiAction.ADVANCE,
        GmiStage.COMPLETE,
        id="mirror-complete",
    ),
]


@pytest.mark.parametrize(("stage", "today", "score", "rises", "action", "next_stage"), STAGE_CASES)
def test_decide_gmi_stage(
    stage: GmiStage,
    today: date,
    score: LateralityScore | None,
    rises: list[int],
    action: GmiAction,
    next_stage: GmiStage,
) -> None:
    decision = decide_gmi_stage(
        stage,
        stage_started_on=START,
        today=today,
        latest_laterality=score,
        session_pain_rise_nrs=rises,
    )
    assert (decision.action, decision.stage) == (action, next_stage)
    assert decision.reasons


def test_decide_gmi_stage_rejects_today_before_start() -> None:
    with pytest.raises(InvalidAnswer):
        decide_gmi_stage(
            GmiStage.LATERALITY,
            stage_started_on=START,
            today=date(2026, 3, 1),
            latest_laterality=None,
        )


def test_mirror_stage_ignores_short_quick_check() -> None:
    # 10 trials (< 20) at 50% accuracy: too short to judge a relapse, so no step back
    quick = score_laterality(trials(L, 5, 5, 0, 1500), affected_side=L)
    decision = decide_gmi_stage(
        GmiStage.MIRROR_THERAPY,
        stage_started_on=START,
        today=date(2026, 3, 10),
        latest_laterality=quick,
        session_pain_rise_nrs=[0],
    )
    assert decision.action is GmiAction.STAY
