"""Outcome targets and the SMART validator."""

from datetime import date
from decimal import Decimal

import pytest

from painpath.clinical.goals import (
    Comparator,
    Horizon,
    InvalidTarget,
    Milestone,
    OutcomeTarget,
    SmartGoal,
    SmartPart,
    TargetKind,
    check_horizons,
    check_smart,
    is_target_met,
    parse_target,
)

PARSE_CASES = [
    pytest.param(
        "psfs item >= 7",
        "psfs-2",
        OutcomeTarget("psfs", TargetKind.LEVEL, Decimal(7), Comparator.GE, "psfs-2"),
        id="psfs-item-level",
    ),
    pytest.param(
        "peg -30% from baseline",
        None,
        OutcomeTarget("peg", TargetKind.PERCENT_CHANGE, Decimal(-30)),
        id="peg-percent-fall",
    ),
    pytest.param(
        "PSFS +2 from baseline",
        None,
        OutcomeTarget("psfs", TargetKind.CHANGE, Decimal(2)),
        id="psfs-points-rise-case-insensitive",
    ),
    pytest.param(
        "phq9 < 10",
        None,
        OutcomeTarget("phq9", TargetKind.LEVEL, Decimal(10), Comparator.LT),
        id="phq9-below",
    ),
]


@pytest.mark.parametrize(("text", "item", "expected"), PARSE_CASES)
def test_parse_target_reads_clinician_forms(
    text: str, item: str | None, expected: OutcomeTarget
) -> None:
    target = parse_target(text, item_link_id=item)
    assert target == expected
    assert parse_target(target.describe(), item_link_id=item) == expected


@pytest.mark.parametrize(
    ("text", "item"),
    [
        pytest.param("peg improves", None, id="free-text"),
        pytest.param("psfs item >= 7", None, id="item-without-link-id"),
        pytest.param("peg 0% from baseline", None, id="zero-change"),
    ],
)
def test_parse_target_rejects_unsupported_text(text: str, item: str | None) -> None:
    with pytest.raises(InvalidTarget):
        parse_target(text, item_link_id=item)


MET_CASES = [
    # PEG 6.0 -> 4.2: (4.2 - 6.0) / 6.0 = -30.0 % -> meets "-30%" exactly.
    pytest.param("peg -30% from baseline", "6.0", "4.2", True, id="peg-exactly-minus-30pct"),
    # PEG 6.0 -> 4.3: -1.7 / 6 = -28.3 % -> not met.
    pytest.param("peg -30% from baseline", "6.0", "4.3", False, id="peg-minus-28pct"),
    # PSFS 3 -> 5: +2 points -> met; 3 -> 4.5: +1.5 -> not met.
    pytest.param("psfs +2 from baseline", "3", "5", True, id="psfs-plus-2"),
    pytest.param("psfs +2 from baseline", "3", "4.5", False, id="psfs-plus-1-5"),
    pytest.param("peg <= 4", None, "4", True, id="level-boundary"),
    pytest.param("peg <= 4", None, "4.1", False, id="level-above"),
]


@pytest.mark.parametrize(("text", "baseline", "current", "expected"), MET_CASES)
def test_is_target_met(text: str, baseline: str | None, current: str, expected: bool) -> None:
    target = parse_target(text)
    base = None if baseline is None else Decimal(baseline)
    assert is_target_met(target, current=Decimal(current), baseline=base) is expected


def test_percent_target_from_zero_baseline_is_refused() -> None:
    with pytest.raises(InvalidTarget):
        is_target_met(
            parse_target("peg -30% from baseline"), current=Decimal(0), baseline=Decimal(0)
        )


START = date(2026, 11, 2)
DUE = date(2027, 2, 1)
FULL = SmartGoal(
    goal_id="g1",
    statement="lift my daughter",
    horizon=Horizon.LONG,
    specific_activity="lift 15 kg from floor to waist with both arms",
    target=parse_target("psfs item >= 7", item_link_id="psfs-1"),
    is_agreed_achievable=True,
    patient_priority="family",
    start_on=START,
    due_on=DUE,
    milestones=(Milestone("m1", "lift 5 kg", date(2026, 12, 7)),),
)

SMART_CASES = [
    pytest.param({}, (), id="complete-goal"),
    pytest.param({"specific_activity": " "}, (SmartPart.SPECIFIC,), id="no-activity"),
    pytest.param({"target": None}, (SmartPart.MEASURABLE,), id="no-target"),
    pytest.param({"is_agreed_achievable": False}, (SmartPart.ACHIEVABLE,), id="not-agreed"),
    pytest.param({"patient_priority": ""}, (SmartPart.RELEVANT,), id="no-priority"),
    pytest.param({"due_on": None}, (SmartPart.TIME_BOUND,), id="no-due-date"),
    pytest.param(
        {"target": None, "start_on": None},
        (SmartPart.MEASURABLE, SmartPart.TIME_BOUND),
        id="two-missing-in-order",
    ),
]


@pytest.mark.parametrize(("changes", "missing"), SMART_CASES)
def test_check_smart_names_missing_parts(
    changes: dict[str, object], missing: tuple[SmartPart, ...]
) -> None:
    from dataclasses import replace

    check = check_smart(replace(FULL, **changes))  # type: ignore[arg-type]
    assert check.missing == missing
    assert check.is_smart is (not missing)


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"due_on": START}, id="due-equals-start"),
        pytest.param(
            {"milestones": (Milestone("m9", "late", date(2027, 3, 1)),)}, id="milestone-after-due"
        ),
        pytest.param(
            {
                "milestones": (
                    Milestone("m2", "b", date(2026, 12, 20)),
                    Milestone("m1", "a", date(2026, 12, 7)),
                )
            },
            id="milestones-out-of-order",
        ),
    ],
)
def test_check_smart_reports_time_frame_problems(changes: dict[str, object]) -> None:
    from dataclasses import replace

    check = check_smart(replace(FULL, **changes))  # type: ignore[arg-type]
    assert check.problems
    assert not check.is_smart


def test_short_goal_due_after_long_goal_is_a_problem() -> None:
    from dataclasses import replace

    short = replace(FULL, goal_id="s1", horizon=Horizon.SHORT, due_on=date(2027, 3, 1))
    assert check_horizons(short, FULL)
    assert check_horizons(replace(short, due_on=date(2026, 12, 14)), FULL) == ()
