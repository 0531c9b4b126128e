"""SMART goals: value objects and a validator that names the missing SMART parts.

SMART = Specific, Measurable, Achievable, Relevant, Time-bound (Doran GT 1981, "There's a S.M.A.R.T.
way to write management's goals and objectives", *Management Review* 70(11):35-36; in rehabilitation
goal setting see Bovend'Eerdt TJH et al. 2009, *Clin Rehabil* 23:352-361 (unverified)). The
mapping of each letter to a field below is a painpath engineering choice, not a published rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from painpath.clinical.goals.targets import OutcomeTarget


class Horizon(StrEnum):
    """Short-term goals feed long-term ones (e.g. week 6 vs month 6)."""

    SHORT = "short"
    LONG = "long"


class SmartPart(StrEnum):
    """The five SMART criteria."""

    SPECIFIC = "specific"
    MEASURABLE = "measurable"
    ACHIEVABLE = "achievable"
    RELEVANT = "relevant"
    TIME_BOUND = "time-bound"


@dataclass(frozen=True, slots=True)
class Milestone:
    """An intermediate check on the way to a goal, optionally with its own target."""

    milestone_id: str
    description: str
    due_on: date
    target: OutcomeTarget | None = None


@dataclass(frozen=True, slots=True)
class SmartGoal:
    """One goal of the care plan.

    Attributes:
        statement: the goal in the patient's words ("lift my daughter").
        specific_activity: the concrete behaviour or activity the goal is about.
        target: the linked outcome measure (instrument + rule) that makes it measurable.
        is_agreed_achievable: clinician and patient agreed it is achievable with the plan.
        patient_priority: which of the patient's stated priorities this serves (relevance).
        start_on / due_on: the time frame.
    """

    goal_id: str
    statement: str
    horizon: Horizon
    specific_activity: str = ""
    target: OutcomeTarget | None = None
    is_agreed_achievable: bool = False
    patient_priority: str = ""
    start_on: date | None = None
    due_on: date | None = None
    milestones: tuple[Milestone, ...] = ()
    parent_goal_id: str | None = None  # a short-term goal may serve a long-term one


@dataclass(frozen=True, slots=True)
class SmartCheck:
    """Result of :func:`check_smart`: which parts are missing and any time-frame problems."""

    missing: tuple[SmartPart, ...]
    problems: tuple[str, ...] = field(default=())

    @property
    def is_smart(self) -> bool:
        """True when no part is missing and the time frame is consistent."""
        return not self.missing and not self.problems


def check_smart(goal: SmartGoal) -> SmartCheck:
    """Name the SMART parts a goal lacks and any inconsistency in its dates or milestones."""
    missing: list[SmartPart] = []
    if not goal.specific_activity.strip():
        missing.append(SmartPart.SPECIFIC)
    if goal.target is None:
        missing.append(SmartPart.MEASURABLE)
    if not goal.is_agreed_achievable:
        missing.append(SmartPart.ACHIEVABLE)
    if not goal.patient_priority.strip():
        missing.append(SmartPart.RELEVANT)
    if goal.start_on is None or goal.due_on is None:
        missing.append(SmartPart.TIME_BOUND)

    problems: list[str] = []
    if goal.start_on is not None and goal.due_on is not None:
        if goal.due_on <= goal.start_on:
            problems.append(f"goal {goal.goal_id}: due_on must be after start_on")
        for milestone in goal.milestones:
            if not goal.start_on < milestone.due_on <= goal.due_on:
                problems.append(
                    f"goal {goal.goal_id}: milestone {milestone.milestone_id} is outside the time frame"
                )
    due_dates = [m.due_on for m in goal.milestones]
    if due_dates != sorted(due_dates):
        problems.append(f"goal {goal.goal_id}: milestones are not in date order")
    return SmartCheck(missing=tuple(missing), problems=tuple(problems))


def check_horizons(short_goal: SmartGoal, long_goal: SmartGoal) -> tuple[str, ...]:
    """Problems linking a short-term goal to the long-term goal it serves."""
    problems: list[str] = []
    if short_goal.horizon is not Horizon.SHORT or long_goal.horizon is not Horizon.LONG:
        problems.append(
            f"goals {short_goal.goal_id}/{long_goal.goal_id}: horizons are not short/long"
        )
    if (
        short_goal.due_on is not None
        and long_goal.due_on is not None
        and short_goal.due_on > long_goal.due_on
    ):
        problems.append(
            f"goal {short_goal.goal_id} is due after the long-term goal {long_goal.goal_id}"
        )
    return tuple(problems)
