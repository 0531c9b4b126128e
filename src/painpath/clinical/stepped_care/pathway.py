"""The stepped-care pathway: four steps from least to most intensive.

Stepped/collaborative pain care: Kroenke K et al. 2009, SCAMP, *JAMA* 301:2099-2110; Kroenke K et al.
2014, SCOPE, *JAMA* 312:240-248; Bair MJ et al. 2015, ESCAPE (all (unverified), clinical-reference.md 6).
The step names are painpath's pathway (issue 5), not a published staging system.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Step(StrEnum):
    """Pathway steps; the code is a permanent identity (it becomes a FHIR PlanDefinition action id)."""

    SELF_MANAGEMENT = "self-management"
    PRIMARY_CARE_REHAB = "primary-care-rehab"
    MULTIDISCIPLINARY_PROGRAMME = "multidisciplinary-programme"
    SPECIALIST_INTERVENTIONS = "specialist-interventions"


@dataclass(frozen=True, slots=True)
class PathwayStep:
    """One step: its order (1 = least intensive) and what it contains."""

    step: Step
    order: int
    contents: str


PATHWAY: Final = (
    PathwayStep(
        Step.SELF_MANAGEMENT,
        1,
        "education (pain neuroscience, pacing, sleep, flare plan), diary, home programme",
    ),
    PathwayStep(
        Step.PRIMARY_CARE_REHAB,
        2,
        "primary-care medicine trials (NeuPSIG first line), physiotherapy, brief pain psychology",
    ),
    PathwayStep(
        Step.MULTIDISCIPLINARY_PROGRAMME,
        3,
        "interdisciplinary pain programme: physician, physio, psychology, pharmacist together",
    ),
    PathwayStep(
        Step.SPECIALIST_INTERVENTIONS,
        4,
        "specialist assessment for interventions (e.g. nerve blocks, neuromodulation)",
    ),
)

STEP_ORDER: Final = {p.step: p.order for p in PATHWAY}


def higher_step(a: Step, b: Step) -> Step:
    """The more intensive of two steps."""
    return a if STEP_ORDER[a] >= STEP_ORDER[b] else b
