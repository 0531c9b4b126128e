"""Descriptive sensory phenotype from a QST profile (Baron 2017 clusters).

Source: Baron R, Maier C, Attal N, et al. Peripheral neuropathic pain: a mechanism-related organizing
principle based on sensory profiles. Pain 2017;158(2):261-272, doi:10.1097/j.pain.0000000000000753
(cluster profiles verified via PubMed 27893485, per clinical-reference.md 3.3):

1. sensory loss: loss of small- and large-fibre function (with paradoxical heat sensations);
2. thermal hyperalgesia: preserved sensory function with heat and cold hyperalgesia (and mild DMA);
3. mechanical hyperalgesia: loss of small-fibre (thermal detection) function with pinprick
   hyperalgesia and/or dynamic mechanical allodynia.

SAFETY / NOT VERIFIED: the published individual allocation (Vollert J et al. Pain 2017;158:
1446-1455) is a statistical algorithm whose coefficients are not in clinical-reference.md and are not
reproduced here. This module applies the cluster *descriptions* above as boolean rules over the
per-parameter findings; a patient may match more than one phenotype (as in Vollert's algorithm) or
none. Results are flagged ``is_verified=False`` and are descriptive/research information only, never
a prescribing rule (clinical-reference.md 3.3).

Feature -> parameters (grouping by peripheral channel, PMC7211210 Table 2: CDT/WDT thermal detection
= A-delta/C; MDT/VDT = A-beta):
- small-fibre loss: loss in CDT, WDT or TSL (thermal detection);
- large-fibre loss: loss in MDT or VDT;
- thermal hyperalgesia: gain in HPT or CPT;
- pinprick hyperalgesia or DMA: gain in MPT, MPS or DMA;
- paradoxical heat sensations: PHS abnormal (reported, supports sensory loss, not required).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from painpath.clinical.qst.profile import QstProfile, SensoryFinding
from painpath.clinical.qst.protocol import QstParameter

SOURCE: Final = (
    "Baron R et al. Pain 2017;158(2):261-272, doi:10.1097/j.pain.0000000000000753 "
    "(cluster descriptions; allocation rule is painpath's descriptive reading, unverified)"
)


class SensoryPhenotype(StrEnum):
    """The three Baron 2017 clusters."""

    SENSORY_LOSS = "sensory-loss"
    THERMAL_HYPERALGESIA = "thermal-hyperalgesia"
    MECHANICAL_HYPERALGESIA = "mechanical-hyperalgesia"


class Feature(StrEnum):
    """Profile features the cluster descriptions are built from."""

    SMALL_FIBRE_LOSS = "small-fibre-loss"
    LARGE_FIBRE_LOSS = "large-fibre-loss"
    THERMAL_HYPERALGESIA = "thermal-hyperalgesia"
    PINPRICK_HYPERALGESIA_OR_DMA = "pinprick-hyperalgesia-or-dma"
    PARADOXICAL_HEAT = "paradoxical-heat"


P = QstParameter
FEATURE_RULES: Final[tuple[tuple[Feature, tuple[QstParameter, ...], SensoryFinding], ...]] = (
    (Feature.SMALL_FIBRE_LOSS, (P.CDT, P.WDT, P.TSL), SensoryFinding.LOSS),
    (Feature.LARGE_FIBRE_LOSS, (P.MDT, P.VDT), SensoryFinding.LOSS),
    (Feature.THERMAL_HYPERALGESIA, (P.HPT, P.CPT), SensoryFinding.GAIN),
    (Feature.PINPRICK_HYPERALGESIA_OR_DMA, (P.MPT, P.MPS, P.DMA), SensoryFinding.GAIN),
    (Feature.PARADOXICAL_HEAT, (P.PHS,), SensoryFinding.ABNORMAL),
)

F = Feature
# Each phenotype: (features that must be present, features that must be absent).
PHENOTYPE_RULES: Final[
    tuple[tuple[SensoryPhenotype, tuple[Feature, ...], tuple[Feature, ...]], ...]
] = (
    (SensoryPhenotype.SENSORY_LOSS, (F.SMALL_FIBRE_LOSS, F.LARGE_FIBRE_LOSS), ()),
    (SensoryPhenotype.THERMAL_HYPERALGESIA, (F.THERMAL_HYPERALGESIA,), (F.SMALL_FIBRE_LOSS,)),
    (
        SensoryPhenotype.MECHANICAL_HYPERALGESIA,
        (F.SMALL_FIBRE_LOSS, F.PINPRICK_HYPERALGESIA_OR_DMA),
        (),
    ),
)


@dataclass(frozen=True, slots=True)
class FeatureOutcome:
    """Whether a feature is present; ``None`` when undecidable (a needed parameter is missing)."""

    feature: Feature
    is_present: bool | None
    supporting: tuple[QstParameter, ...]  # parameters showing the finding
    unassessed: tuple[QstParameter, ...]  # parameters not measured or without a z-score


@dataclass(frozen=True, slots=True)
class PhenotypeResult:
    """Matched phenotypes, those that could not be decided, and the feature trace."""

    phenotypes: tuple[SensoryPhenotype, ...]
    undetermined: tuple[SensoryPhenotype, ...]
    features: tuple[FeatureOutcome, ...]
    is_verified: bool = False
    source: str = SOURCE


def _feature(
    profile: QstProfile,
    feature: Feature,
    parameters: tuple[QstParameter, ...],
    target: SensoryFinding,
) -> FeatureOutcome:
    supporting: list[QstParameter] = []
    unassessed: list[QstParameter] = []
    for parameter in parameters:
        result = profile.result_for(parameter)
        if result is None or result.finding is SensoryFinding.NOT_ASSESSABLE:
            unassessed.append(parameter)
        elif result.finding is target:
            supporting.append(parameter)
    is_present: bool | None
    if supporting:
        is_present = True
    elif unassessed:
        is_present = None
    else:
        is_present = False
    return FeatureOutcome(feature, is_present, tuple(supporting), tuple(unassessed))


def describe_phenotype(profile: QstProfile) -> PhenotypeResult:
    """Apply the Baron 2017 cluster descriptions to a profile (descriptive, unverified)."""
    outcomes = tuple(_feature(profile, f, params, target) for f, params, target in FEATURE_RULES)
    state = {o.feature: o.is_present for o in outcomes}
    matched: list[SensoryPhenotype] = []
    undetermined: list[SensoryPhenotype] = []
    for phenotype, required, excluded in PHENOTYPE_RULES:
        conditions = [state[f] for f in required] + [
            None if state[f] is None else not state[f] for f in excluded
        ]
        if all(c is True for c in conditions):
            matched.append(phenotype)
        elif not any(c is False for c in conditions):
            undetermined.append(phenotype)
    return PhenotypeResult(tuple(matched), tuple(undetermined), outcomes)
