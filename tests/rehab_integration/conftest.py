"""Builders shared by the rehab integration tests."""

from __future__ import annotations

from painpath.clinical.rehab import Phase
from painpath.services import rehab

ADA_PHASE_1 = (
    rehab.ItemInput("relax-belly-breathing-sitting", 1, 0, 0, 5, 2),
    rehab.ItemInput("mob-shoulder-pendulum", 2, 10, 0, 0, 2),
    rehab.ItemInput("desens-soft-cloth", 1, 0, 0, 3, 2),
)


def programme_input(
    *,
    sessions_per_week: int = 7,
    items: tuple[rehab.ItemInput, ...] = ADA_PHASE_1,
    reason: str = "Initial phase-1 programme after assessment",
    phase: Phase = Phase.CALM,
) -> rehab.ProgrammeInput:
    return rehab.ProgrammeInput(
        phase=phase,
        sessions_per_week=sessions_per_week,
        items=items,
        reason=reason,
        profile=rehab.ProfileInput(has_allodynia=True, focus_regions=("shoulder",)),
    )
