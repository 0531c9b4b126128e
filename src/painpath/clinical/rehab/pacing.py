"""Pacing and graded activity (operant, quota based) and boom-bust detection.

Sources (clinical-reference.md s5): Fordyce 1976 operant model; Sternbach / Nielson WR et al. 2013,
Clin J Pain 29:461-468 (quotas below tolerance; good-day/bad-day mean); Therapeutic Guidelines (eTG)
Pain and Analgesia 'Activity scheduling and pacing' (start at 80% of baseline tolerance, raise by
~10-20% of baseline a week; worked example 200 m -> 160 m, +20 m/week, 300 m by week 8).
Boom-bust: Andrews NE, Strong J, Meredith PJ 2015, Pain 156:1991-2000 (repeated prolonged activity
followed by significant pain increases). Every number is in `data/rules.toml` with its source.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from painpath.clinical.errors import IncompleteResponse, InvalidAnswer
from painpath.clinical.rehab.rules import PacingRules, default_rules
from painpath.clinical.rehab.scales import check_nrs


class QuotaMethod(StrEnum):
    PERCENT_OF_MEAN = "percent_of_mean"  # eTG: 80% of mean baseline tolerance
    GOOD_BAD_DAY_MEAN = "good_bad_day_mean"  # Sternbach via Nielson 2013: (good + bad day) / 2


class FlareLight(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class PacingAction(StrEnum):
    CONTINUE = "continue"  # keep today's quota; no progression is due
    PROGRESS = "progress"  # the scheduled weekly increase is due and symptoms allow it
    HOLD = "hold"  # amber: keep the quota, do not increase even if due
    STEP_BACK = "step_back"  # red: return to the last comfortable quota
    RESUME = "resume"  # flare settled: restart the schedule from the stepped-back quota


@dataclass(frozen=True, slots=True)
class BaselineQuota:
    mean_tolerance: Decimal
    quota: Decimal
    method: QuotaMethod
    days_logged: int


@dataclass(frozen=True, slots=True)
class QuotaStep:
    index: int
    starts_on: date
    quota: Decimal


@dataclass(frozen=True, slots=True)
class PacingDecision:
    action: PacingAction
    step_index: int
    quota: Decimal
    light: FlareLight
    reason: str


@dataclass(frozen=True, slots=True)
class BoomBustCycle:
    boom_on: date
    bust_on: date
    boom_activity_min: int
    bust_activity_min: int
    pain_rise_nrs: int


@dataclass(frozen=True, slots=True)
class BoomBustResult:
    is_assessable: bool
    is_detected: bool
    cycles: tuple[BoomBustCycle, ...]
    evidence_days: tuple[date, ...]
    median_activity_min: Decimal
    reason: str


def _rules(rules: PacingRules | None) -> PacingRules:
    return rules if rules is not None else default_rules().pacing


def _floor_to(value: Decimal, unit_step: Decimal) -> Decimal:
    # SAFETY: quotas round *down* so the prescribed amount never exceeds the cited fraction.
    return (value / unit_step).to_integral_value(rounding=ROUND_FLOOR) * unit_step


def baseline_quota(
    tolerances: Sequence[Decimal],
    *,
    method: QuotaMethod = QuotaMethod.PERCENT_OF_MEAN,
    unit_step: Decimal = Decimal(1),
    rules: PacingRules | None = None,
) -> BaselineQuota:
    """Starting quota below tolerance from logged baseline tolerances (time, reps or distance).

    Raises IncompleteResponse with fewer than `min_baseline_days` logs.
    """
    r = _rules(rules)
    if len(tolerances) < r.min_baseline_days.as_int:
        raise IncompleteResponse(
            f"pacing baseline needs {r.min_baseline_days.as_int} logged days, got {len(tolerances)}"
        )
    if any(t < 0 for t in tolerances):
        raise InvalidAnswer("tolerance values must be non-negative")
    mean = sum(tolerances, Decimal(0)) / len(tolerances)
    if method is QuotaMethod.PERCENT_OF_MEAN:
        raw = mean * r.quota_fraction_of_baseline.value
    else:
        raw = (max(tolerances) + min(tolerances)) / 2
    return BaselineQuota(
        mean_tolerance=mean,
        quota=_floor_to(raw, unit_step),
        method=method,
        days_logged=len(tolerances),
    )


def quota_schedule(
    baseline: BaselineQuota,
    *,
    start_on: date,
    target: Decimal,
    unit_step: Decimal = Decimal(1),
    rules: PacingRules | None = None,
) -> tuple[QuotaStep, ...]:
    """Weekly, time-contingent quota steps from the baseline quota up to (and capped at) target.

    The weekly increment is a fraction of the mean baseline tolerance (eTG), rounded down to
    `unit_step` but at least one `unit_step`.
    """
    r = _rules(rules)
    increment = max(
        _floor_to(
            baseline.mean_tolerance * r.weekly_increment_fraction_of_baseline.value, unit_step
        ),
        unit_step,
    )
    steps: list[QuotaStep] = []
    quota = min(baseline.quota, target)
    index = 0
    while True:
        steps.append(QuotaStep(index, start_on + timedelta(weeks=index), quota))
        if quota >= target:
            return tuple(steps)
        quota = min(quota + increment, target)
        index += 1


def classify_day(
    pain_nrs: int, usual_pain_nrs: int, *, rules: PacingRules | None = None
) -> FlareLight:
    """Traffic light for one day: rise of today's pain over the patient's usual pain."""
    r = _rules(rules)
    rise = check_nrs(pain_nrs, "pain") - check_nrs(usual_pain_nrs, "usual pain")
    if rise >= r.red_pain_rise_nrs.as_int:
        return FlareLight.RED
    if rise >= r.amber_pain_rise_nrs.as_int:
        return FlareLight.AMBER
    return FlareLight.GREEN


def decide_pacing(
    schedule: Sequence[QuotaStep],
    *,
    current_index: int,
    usual_pain_nrs: int,
    recent_pain_nrs: Sequence[int],
    is_stepped_back: bool,
    is_progression_due: bool,
    rules: PacingRules | None = None,
) -> PacingDecision:
    """Symptom-contingent traffic-light rule applied on top of the time-contingent schedule.

    Args:
        recent_pain_nrs: daily pain, oldest first, ending today (at least one value).
        is_stepped_back: the patient is on a flare plan after a STEP_BACK.
        is_progression_due: the schedule's next weekly step has been reached.
    """
    r = _rules(rules)
    if not schedule:
        raise InvalidAnswer("pacing schedule is empty")
    if not 0 <= current_index < len(schedule):
        raise InvalidAnswer(f"step index {current_index} outside the schedule")
    if not recent_pain_nrs:
        raise IncompleteResponse("pacing decision needs today's pain rating")
    lights = [classify_day(p, usual_pain_nrs, rules=r) for p in recent_pain_nrs]
    today = lights[-1]
    persist = r.red_after_consecutive_amber_days.as_int
    # SAFETY: a flare that has not settled after `persist` days is treated as red (step back).
    is_persisting = len(lights) >= persist and all(
        x is not FlareLight.GREEN for x in lights[-persist:]
    )
    if today is FlareLight.RED or (today is FlareLight.AMBER and is_persisting):
        index = max(current_index - 1, 0)
        why = "pain rise at red level" if today is FlareLight.RED else "amber flare not settling"
        return PacingDecision(
            PacingAction.STEP_BACK,
            index,
            schedule[index].quota,
            FlareLight.RED,
            f"{why}: return to the last comfortable quota",
        )
    if today is FlareLight.AMBER:
        return PacingDecision(
            PacingAction.HOLD,
            current_index,
            schedule[current_index].quota,
            today,
            "pain above usual: hold the quota",
        )
    resume_days = r.resume_after_green_days.as_int
    if is_stepped_back:
        settled = len(lights) >= resume_days and all(
            x is FlareLight.GREEN for x in lights[-resume_days:]
        )
        if settled:
            return PacingDecision(
                PacingAction.RESUME,
                current_index,
                schedule[current_index].quota,
                today,
                f"{resume_days} green days: resume the schedule from this quota",
            )
        return PacingDecision(
            PacingAction.HOLD,
            current_index,
            schedule[current_index].quota,
            today,
            "flare settling: hold until green days are confirmed",
        )
    if is_progression_due and current_index + 1 < len(schedule):
        nxt = current_index + 1
        return PacingDecision(
            PacingAction.PROGRESS, nxt, schedule[nxt].quota, today, "scheduled weekly increase"
        )
    return PacingDecision(
        PacingAction.CONTINUE,
        current_index,
        schedule[current_index].quota,
        today,
        "keep to the quota",
    )


def detect_boom_bust(
    activity_minutes: Sequence[int | None],
    pain_nrs: Sequence[int | None],
    *,
    start_on: date,
    rules: PacingRules | None = None,
) -> BoomBustResult:
    """Detect overactivity-underactivity (boom-bust) cycling from daily logs.

    Day i of both series is `start_on + i days`; None marks a day without a log. A boom day has
    activity >= boom ratio x median activity; a bust follows within the window when activity falls to
    <= bust ratio x median and pain rises by >= the bust rise over the boom day. The pattern is
    detected when at least `boom_bust_min_cycles` non-overlapping cycles occur.
    """
    r = _rules(rules)
    if len(activity_minutes) != len(pain_nrs):
        raise InvalidAnswer("activity and pain series must have the same length")
    for i, (a, p) in enumerate(zip(activity_minutes, pain_nrs, strict=True)):
        if a is not None and (isinstance(a, bool) or not isinstance(a, int) or a < 0):
            raise InvalidAnswer(f"activity minutes on day {i} must be a non-negative integer")
        if p is not None:
            check_nrs(p, f"pain on day {i}")
    logged = [
        a
        for a, p in zip(activity_minutes, pain_nrs, strict=True)
        if a is not None and p is not None
    ]
    min_days = r.boom_bust_min_days.as_int
    if len(logged) < min_days:
        return BoomBustResult(
            False,
            False,
            (),
            (),
            Decimal(0),
            f"needs {min_days} days with both logs, has {len(logged)}",
        )
    median = Decimal(str(statistics.median(logged)))
    if median == 0:
        return BoomBustResult(False, False, (), (), median, "median daily activity is zero")
    boom_min = median * r.boom_activity_ratio.value
    bust_max = median * r.bust_activity_ratio.value
    window = r.bust_window_days.as_int
    rise_min = r.bust_pain_rise_nrs.as_int
    cycles: list[BoomBustCycle] = []
    i = 0
    n = len(activity_minutes)
    while i < n:
        a, p = activity_minutes[i], pain_nrs[i]
        bust_at: int | None = None
        if a is not None and p is not None and a >= boom_min:
            for j in range(i + 1, min(i + window, n - 1) + 1):
                aj, pj = activity_minutes[j], pain_nrs[j]
                if aj is not None and pj is not None and aj <= bust_max and pj - p >= rise_min:
                    bust_at = j
                    break
        if bust_at is None or a is None or p is None:
            i += 1
            continue
        bust_a, bust_p = activity_minutes[bust_at], pain_nrs[bust_at]
        assert bust_a is not None and bust_p is not None  # checked in the loop above
        cycles.append(
            BoomBustCycle(
                boom_on=start_on + timedelta(days=i),
                bust_on=start_on + timedelta(days=bust_at),
                boom_activity_min=a,
                bust_activity_min=bust_a,
                pain_rise_nrs=bust_p - p,
            )
        )
        i = bust_at + 1
    evidence = tuple(sorted({d for c in cycles for d in (c.boom_on, c.bust_on)}))
    is_detected = len(cycles) >= r.boom_bust_min_cycles.as_int
    reason = f"{len(cycles)} boom-bust cycle(s); {r.boom_bust_min_cycles.as_int} needed to flag"
    return BoomBustResult(True, is_detected, tuple(cycles), evidence, median, reason)
