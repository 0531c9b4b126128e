"""Milestone status on and around the due date."""

from datetime import date
from decimal import Decimal

import pytest

from painpath.clinical.goals import Milestone, MilestoneStatus, milestone_status, parse_target

DUE = date(2026, 12, 7)
LEVEL = Milestone(
    "m1", "PSFS lifting item at 5", DUE, parse_target("psfs item >= 5", item_link_id="psfs-1")
)
CHANGE = Milestone("m2", "PEG down 30 %", DUE, parse_target("peg -30% from baseline"))
M = MilestoneStatus

CASES = [
    pytest.param(LEVEL, date(2026, 12, 1), "5", None, M.MET, id="met-early"),
    pytest.param(LEVEL, DUE, "4", None, M.PENDING, id="not-met-on-due-date-still-pending"),
    pytest.param(LEVEL, date(2026, 12, 8), "4", None, M.MISSED, id="missed-day-after-due"),
    pytest.param(LEVEL, date(2026, 12, 8), None, None, M.INSUFFICIENT_DATA, id="no-value-past-due"),
    pytest.param(LEVEL, date(2026, 12, 1), None, None, M.PENDING, id="no-value-before-due"),
    # PEG 7.0 -> 4.9: -2.1 / 7 = -30 % -> met.
    pytest.param(CHANGE, DUE, "4.9", "7.0", M.MET, id="change-exactly-30pct"),
    # Change target without a baseline cannot be judged.
    pytest.param(
        CHANGE, date(2026, 12, 8), "4.9", None, M.INSUFFICIENT_DATA, id="change-without-baseline"
    ),
    pytest.param(
        Milestone("m3", "walk the dog", DUE), DUE, None, None, M.NO_TARGET, id="no-target"
    ),
]


@pytest.mark.parametrize(("milestone", "today", "latest", "baseline", "expected"), CASES)
def test_milestone_status(
    milestone: Milestone,
    today: date,
    latest: str | None,
    baseline: str | None,
    expected: MilestoneStatus,
) -> None:
    status = milestone_status(
        milestone,
        today=today,
        latest=None if latest is None else Decimal(latest),
        baseline=None if baseline is None else Decimal(baseline),
    )
    assert status is expected
