"""Pacing quotas, traffic-light flare rules and boom-bust detection (constructed logs)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from painpath.clinical.errors import IncompleteResponse, InvalidAnswer
from painpath.clinical.rehab.pacing import (
    BaselineQuota,
    FlareLight,
    PacingAction,
    QuotaMethod,
    QuotaStep,
    baseline_quota,
    classify_day,
    decide_pacing,
    detect_boom_bust,
    quota_schedule,
)

D = Decimal
MON = date(2026, 1, 5)

BASELINE_CASES = [
    # eTG worked example: mean 200 m -> 80% = 160 m
    pytest.param(
        [D(200), D(200), D(200)], QuotaMethod.PERCENT_OF_MEAN, D(200), D(160), id="etg-200m"
    ),
    # mean (10+12+14+8+6)/5 = 10 min -> 0.8 * 10 = 8 min
    pytest.param(
        [D(10), D(12), D(14), D(8), D(6)], QuotaMethod.PERCENT_OF_MEAN, D(10), D(8), id="mean-10"
    ),
    # mean (7+8+9)/3 = 8 -> 6.4 -> floored to 6 (never above the 80% line)
    pytest.param([D(7), D(8), D(9)], QuotaMethod.PERCENT_OF_MEAN, D(8), D(6), id="floors-6-4"),
    # thenakedphysio example: good day 20, bad day 5 -> (20 + 5) / 2 = 12.5 -> 12
    pytest.param(
        [D(20), D(5), D(10)], QuotaMethod.GOOD_BAD_DAY_MEAN, D(35) / 3, D(12), id="good-bad-day"
    ),
]


@pytest.mark.parametrize(("tolerances", "method", "mean", "quota"), BASELINE_CASES)
def test_baseline_quota_is_below_tolerance(
    tolerances: list[Decimal], method: QuotaMethod, mean: Decimal, quota: Decimal
) -> None:
    result = baseline_quota(tolerances, method=method)
    assert result.mean_tolerance == mean
    assert result.quota == quota
    assert result.days_logged == len(tolerances)


def test_baseline_quota_half_minute_step_keeps_fraction() -> None:
    # (7+8+9)/3 = 8 -> 6.4 -> floor to 0.5 steps = 6.0
    assert baseline_quota([D(7), D(8), D(9)], unit_step=D("0.5")).quota == D("6.0")


def test_baseline_quota_needs_three_days() -> None:
    with pytest.raises(IncompleteResponse):
        baseline_quota([D(10), D(12)])


def test_baseline_quota_rejects_negative() -> None:
    with pytest.raises(InvalidAnswer):
        baseline_quota([D(10), D(-1), D(12)])


def test_quota_schedule_reproduces_etg_worked_example() -> None:
    # eTG: baseline 200 m, start 160 m, +20 m/week (10% of 200), target 300 m within 8 weeks.
    base = BaselineQuota(D(200), D(160), QuotaMethod.PERCENT_OF_MEAN, 5)
    steps = quota_schedule(base, start_on=MON, target=D(300))
    assert [s.quota for s in steps] == [D(q) for q in (160, 180, 200, 220, 240, 260, 280, 300)]
    assert steps[-1] == QuotaStep(7, date(2026, 2, 23), D(300))  # 5 Jan + 7 weeks


SCHEDULE_CASES = [
    # mean 12 -> +1.2 -> floor 1 per week; 8 -> 9 -> 10 capped at target 10
    pytest.param(D(12), D(8), D(10), [8, 9, 10], id="small-increment-floored"),
    # mean 5 -> +0.5 -> floors to 0 -> minimum one unit per week
    pytest.param(D(5), D(4), D(6), [4, 5, 6], id="minimum-one-unit"),
    # mean 30 -> +3; 24, 27, 30, 33, then capped at 35
    pytest.param(D(30), D(24), D(35), [24, 27, 30, 33, 35], id="cap-at-target"),
    pytest.param(D(30), D(24), D(20), [20], id="target-below-quota"),
]


@pytest.mark.parametrize(("mean", "quota", "target", "expected"), SCHEDULE_CASES)
def test_quota_schedule_steps(
    mean: Decimal, quota: Decimal, target: Decimal, expected: list[int]
) -> None:
    base = BaselineQuota(mean, quota, QuotaMethod.PERCENT_OF_MEAN, 3)
    steps = quota_schedule(base, start_on=MON, target=target)
    assert [s.quota for s in steps] == [D(q) for q in expected]
    assert [s.index for s in steps] == list(range(len(expected)))


LIGHT_CASES = [
    pytest.param(4, 4, FlareLight.GREEN, id="usual"),
    pytest.param(5, 4, FlareLight.GREEN, id="plus-1-green"),
    pytest.param(6, 4, FlareLight.AMBER, id="plus-2-amber"),
    pytest.param(7, 4, FlareLight.AMBER, id="plus-3-amber"),
    pytest.param(8, 4, FlareLight.RED, id="plus-4-red"),
    pytest.param(2, 4, FlareLight.GREEN, id="below-usual"),
]


@pytest.mark.parametrize(("pain", "usual", "light"), LIGHT_CASES)
def test_classify_day_traffic_light(pain: int, usual: int, light: FlareLight) -> None:
    assert classify_day(pain, usual) is light


def test_classify_day_rejects_out_of_range() -> None:
    with pytest.raises(InvalidAnswer):
        classify_day(11, 4)


SCHED = tuple(QuotaStep(i, MON, D(q)) for i, q in enumerate((10, 12, 14, 16)))

DECISION_CASES = [
    # usual 3; pain today 3 (green), progression due -> index 1 (12)
    pytest.param(0, [3], False, True, PacingAction.PROGRESS, 1, D(12), id="green-due-progress"),
    pytest.param(1, [3], False, False, PacingAction.CONTINUE, 1, D(12), id="green-not-due"),
    # amber (3 + 2 = 5) today only -> hold even though due
    pytest.param(2, [3, 5], False, True, PacingAction.HOLD, 2, D(14), id="amber-holds"),
    # red (3 + 4 = 7) -> step back from index 2 to 1
    pytest.param(2, [3, 7], False, False, PacingAction.STEP_BACK, 1, D(12), id="red-steps-back"),
    # amber two days running -> treated as red -> step back
    pytest.param(2, [5, 6], False, False, PacingAction.STEP_BACK, 1, D(12), id="amber-persists"),
    # red at the first step stays at index 0
    pytest.param(0, [8], False, False, PacingAction.STEP_BACK, 0, D(10), id="red-at-floor"),
    # stepped back, one green day only -> hold
    pytest.param(1, [7, 3], True, True, PacingAction.HOLD, 1, D(12), id="settling-hold"),
    # stepped back, two green days -> resume at current quota
    pytest.param(1, [7, 3, 4], True, True, PacingAction.RESUME, 1, D(12), id="resume"),
    # last step, due -> nothing to progress to
    pytest.param(3, [3], False, True, PacingAction.CONTINUE, 3, D(16), id="top-of-schedule"),
]


@pytest.mark.parametrize(
    ("index", "pains", "stepped_back", "due", "action", "new_index", "quota"), DECISION_CASES
)
def test_decide_pacing_traffic_light(
    index: int,
    pains: list[int],
    stepped_back: bool,
    due: bool,
    action: PacingAction,
    new_index: int,
    quota: Decimal,
) -> None:
    decision = decide_pacing(
        SCHED,
        current_index=index,
        usual_pain_nrs=3,
        recent_pain_nrs=pains,
        is_stepped_back=stepped_back,
        is_progression_due=due,
    )
    assert (decision.action, decision.step_index, decision.quota) == (action, new_index, quota)


def test_decide_pacing_needs_today() -> None:
    with pytest.raises(IncompleteResponse):
        decide_pacing(
            SCHED,
            current_index=0,
            usual_pain_nrs=3,
            recent_pain_nrs=[],
            is_stepped_back=False,
            is_progression_due=False,
        )


# Constructed logs. Median activity of the 14-day series below = 60 min
# (sorted: 10,10,20,20,60,60,60,60,60,60,60,60,120,130 -> middle pair 60,60).
# Boom >= 1.5 * 60 = 90; bust <= 0.5 * 60 = 30 and pain rise >= 2 within 2 days.
BOOM_BUST_ACTIVITY = [60, 120, 20, 10, 60, 60, 60, 130, 60, 10, 20, 60, 60, 60]
BOOM_BUST_PAIN = [4, 3, 6, 5, 4, 4, 4, 3, 4, 6, 5, 4, 4, 4]

BOOM_BUST_CASES = [
    # day1 boom (120, pain 3) -> day2 bust (20, pain 6, +3); day7 boom (130, pain 3) -> day8 is 60
    # (not a bust) -> day9 bust (10, pain 6, +3) within 2 days.
    pytest.param(
        BOOM_BUST_ACTIVITY,
        BOOM_BUST_PAIN,
        True,
        [date(2026, 1, 6), date(2026, 1, 7), date(2026, 1, 12), date(2026, 1, 14)],
        id="two-cycles-detected",
    ),
    # Only the first cycle: second boom's pain does not rise (day9 pain 4 = 3 + 1)
    pytest.param(
        BOOM_BUST_ACTIVITY,
        [4, 3, 6, 5, 4, 4, 4, 3, 4, 4, 5, 4, 4, 4],
        False,
        [date(2026, 1, 6), date(2026, 1, 7)],
        id="one-cycle-not-flagged",
    ),
    # Steady activity, steady pain: nothing
    pytest.param([45] * 10, [4] * 10, False, [], id="steady"),
    # High activity with pain rise but no rest day (activity stays 60 > 30): not a bust
    pytest.param(
        [60, 120, 60, 60, 60, 120, 60, 60],
        [3, 3, 6, 6, 3, 3, 6, 6],
        False,
        [],
        id="pain-rise-without-rest",
    ),
]


@pytest.mark.parametrize(("activity", "pain", "detected", "evidence"), BOOM_BUST_CASES)
def test_detect_boom_bust(
    activity: list[int], pain: list[int], detected: bool, evidence: list[date]
) -> None:
    result = detect_boom_bust(activity, pain, start_on=MON)
    assert result.is_assessable
    assert result.is_detected is detected
    assert list(result.evidence_days) == evidence


def test_detect_boom_bust_cycle_detail() -> None:
    result = detect_boom_bust(BOOM_BUST_ACTIVITY, BOOM_BUST_PAIN, start_on=MON)
    assert result.median_activity_min == D(60)
    first = result.cycles[0]
    assert (first.boom_activity_min, first.bust_activity_min, first.pain_rise_nrs) == (120, 20, 3)


def test_detect_boom_bust_skips_missing_days() -> None:
    # 8 days, one gap; bust falls on the day after the gap (within 2 days of the boom)
    activity: list[int | None] = [60, 60, 150, None, 10, 60, 60, 60]
    pain: list[int | None] = [4, 4, 3, None, 6, 4, 4, 4]
    result = detect_boom_bust(activity, pain, start_on=MON)
    assert [(c.boom_on, c.bust_on) for c in result.cycles] == [(date(2026, 1, 7), date(2026, 1, 9))]
    assert not result.is_detected  # one cycle < 2


def test_detect_boom_bust_too_few_days_is_not_assessable() -> None:
    result = detect_boom_bust([60, 120, 10], [3, 3, 7], start_on=MON)
    assert not result.is_assessable
    assert not result.is_detected


@pytest.mark.parametrize(
    ("activity", "pain"),
    [
        pytest.param([60, 60], [4], id="length-mismatch"),
        pytest.param([60, -1], [4, 4], id="negative-minutes"),
        pytest.param([60, 60], [4, 11], id="pain-out-of-range"),
    ],
)
def test_detect_boom_bust_rejects_bad_input(activity: list[int], pain: list[int]) -> None:
    with pytest.raises(InvalidAnswer):
        detect_boom_bust(activity, pain, start_on=MON)
