"""Graded exposure: indication from TSK/PCS, fear hierarchy and the move-up rule."""

from __future__ import annotations

from datetime import date

import pytest

from painpath.clinical.errors import InvalidAnswer, StepNotPermitted
from painpath.clinical.rehab.exposure import (
    ExposureAction,
    ExposureTrial,
    assess_fear_avoidance,
    build_fear_hierarchy,
    decide_exposure_step,
    is_tsk_improved,
)

INDICATION_CASES = [
    pytest.param(30, 29, None, False, id="pcs-29-tsk11-only"),
    pytest.param(30, 30, None, True, id="pcs-30"),
    pytest.param(20, 10, 38, True, id="tsk17-38"),
    pytest.param(20, 10, 37, False, id="tsk17-37"),
    pytest.param(44, 0, None, False, id="tsk11-max-has-no-cutoff"),
]


@pytest.mark.parametrize(("tsk11", "pcs", "tsk17", "indicated"), INDICATION_CASES)
def test_assess_fear_avoidance(tsk11: int, pcs: int, tsk17: int | None, indicated: bool) -> None:
    profile = assess_fear_avoidance(tsk11=tsk11, pcs=pcs, tsk17=tsk17)
    assert profile.is_exposure_indicated is indicated
    assert profile.reasons


def test_assess_fear_avoidance_flags_unverified_pcs_cutoff() -> None:
    assert assess_fear_avoidance(tsk11=30, pcs=35).uses_unverified_threshold
    assert not assess_fear_avoidance(tsk11=30, pcs=5, tsk17=40).uses_unverified_threshold


@pytest.mark.parametrize(
    ("tsk11", "pcs", "tsk17"),
    [
        pytest.param(10, 20, None, id="tsk11-below-11"),
        pytest.param(45, 20, None, id="tsk11-above-44"),
        pytest.param(20, 53, None, id="pcs-above-52"),
        pytest.param(20, 20, 16, id="tsk17-below-17"),
    ],
)
def test_assess_fear_avoidance_rejects_out_of_range(
    tsk11: int, pcs: int, tsk17: int | None
) -> None:
    with pytest.raises(InvalidAnswer):
        assess_fear_avoidance(tsk11=tsk11, pcs=pcs, tsk17=tsk17)


@pytest.mark.parametrize(
    ("baseline", "current", "improved"),
    [
        pytest.param(32, 28, True, id="minus-4"),
        pytest.param(32, 29, False, id="minus-3"),
        pytest.param(32, 34, False, id="worse"),
    ],
)
def test_is_tsk_improved(baseline: int, current: int, improved: bool) -> None:
    assert is_tsk_improved(baseline, current) is improved


RATINGS = {"bend-to-floor": 70, "carry-bag": 40, "walk-stairs": 40, "jog": 95, "sit-chair": 5}


def test_build_fear_hierarchy_orders_and_drops_unfeared() -> None:
    h = build_fear_hierarchy(RATINGS)
    # ascending by rating, ties by id: carry-bag(40), walk-stairs(40), bend-to-floor(70), jog(95)
    assert [i.activity_id for i in h.items] == ["carry-bag", "walk-stairs", "bend-to-floor", "jog"]
    assert [i.activity_id for i in h.not_feared] == ["sit-chair"]  # 5 <= 10
    assert h.first_step is not None and h.first_step.activity_id == "carry-bag"


def test_build_fear_hierarchy_rejects_rating_above_100() -> None:
    with pytest.raises(InvalidAnswer):
        build_fear_hierarchy({"jog": 101})


H = build_fear_hierarchy(RATINGS)


def t(activity: str, day: int, predicted: int, actual: int) -> ExposureTrial:
    return ExposureTrial(activity, date(2026, 4, day), predicted, actual, 5, 4)


STEP_CASES = [
    # one trial only -> repeat (2 needed)
    pytest.param(
        "carry-bag", [t("carry-bag", 1, 40, 20)], ExposureAction.REPEAT, "carry-bag", id="one-trial"
    ),
    # two disconfirmations; latest prediction 25 <= 30 -> move up to walk-stairs
    pytest.param(
        "carry-bag",
        [t("carry-bag", 1, 40, 20), t("carry-bag", 2, 25, 10)],
        ExposureAction.MOVE_UP,
        "walk-stairs",
        id="move-up-absolute",
    ),
    # bend-to-floor rated 70: latest prediction 35 > 30 but <= 0.5 * 70 = 35 -> move up to jog
    pytest.param(
        "bend-to-floor",
        [t("bend-to-floor", 1, 60, 50), t("bend-to-floor", 2, 35, 30)],
        ExposureAction.MOVE_UP,
        "jog",
        id="move-up-relative",
    ),
    # latest prediction 36 > 30 and > 35 -> repeat
    pytest.param(
        "bend-to-floor",
        [t("bend-to-floor", 1, 60, 50), t("bend-to-floor", 2, 36, 30)],
        ExposureAction.REPEAT,
        "bend-to-floor",
        id="not-fallen-enough",
    ),
    # actual fear above prediction on the last trial -> repeat
    pytest.param(
        "carry-bag",
        [t("carry-bag", 1, 40, 20), t("carry-bag", 2, 20, 35)],
        ExposureAction.REPEAT,
        "carry-bag",
        id="fear-confirmed",
    ),
    # order is by date, not list order: latest (day 3) predicted 50 -> repeat
    pytest.param(
        "carry-bag",
        [t("carry-bag", 3, 50, 40), t("carry-bag", 1, 40, 20), t("carry-bag", 2, 25, 10)],
        ExposureAction.REPEAT,
        "carry-bag",
        id="sorted-by-date",
    ),
    # top item done -> complete
    pytest.param(
        "jog",
        [t("jog", 1, 40, 20), t("jog", 2, 20, 10)],
        ExposureAction.COMPLETE,
        None,
        id="complete",
    ),
]


@pytest.mark.parametrize(("current", "trials", "action", "next_id"), STEP_CASES)
def test_decide_exposure_step(
    current: str, trials: list[ExposureTrial], action: ExposureAction, next_id: str | None
) -> None:
    decision = decide_exposure_step(H, current, trials)
    assert (decision.action, decision.activity_id) == (action, next_id)


def test_exposure_trial_disconfirmation() -> None:
    trial = ExposureTrial("jog", date(2026, 4, 1), 80, 30, 7, 4)
    assert (trial.fear_disconfirmation, trial.pain_disconfirmation) == (50, 3)


def test_exposure_trial_rejects_bad_pain() -> None:
    with pytest.raises(InvalidAnswer):
        ExposureTrial("jog", date(2026, 4, 1), 80, 30, 11, 4)


def test_decide_exposure_step_unknown_current() -> None:
    with pytest.raises(StepNotPermitted):
        decide_exposure_step(H, "sit-chair", [])
