"""Milestone status for the care plan and the case-conference agenda ("missed milestones", issue 5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from painpath.clinical.goals.smart import Milestone
from painpath.clinical.goals.targets import TargetKind, is_target_met


class MilestoneStatus(StrEnum):
    """Where a milestone stands on a given day."""

    MET = "met"
    PENDING = "pending"  # not met yet, due date not passed
    MISSED = "missed"  # due date passed, target not met
    NO_TARGET = "no-target"  # no linked measure: the team marks it by hand
    # Due date passed with no value to judge: listed for the case conference, never read as met.
    INSUFFICIENT_DATA = "insufficient-data"


def milestone_status(
    milestone: Milestone,
    *,
    today: date,
    latest: Decimal | None,
    baseline: Decimal | None = None,
) -> MilestoneStatus:
    """Status of a milestone on ``today`` given the latest value of its target measure.

    ``latest`` must be the latest value observed on or before ``today``; ``baseline`` is needed for
    change targets. A milestone is missed from the day after its due date.
    """
    target = milestone.target
    if target is None:
        return MilestoneStatus.NO_TARGET
    is_past_due = today > milestone.due_on
    needs_baseline = target.kind is not TargetKind.LEVEL
    if latest is None or (needs_baseline and baseline is None):
        return MilestoneStatus.INSUFFICIENT_DATA if is_past_due else MilestoneStatus.PENDING
    if is_target_met(target, current=latest, baseline=baseline):
        return MilestoneStatus.MET
    return MilestoneStatus.MISSED if is_past_due else MilestoneStatus.PENDING
