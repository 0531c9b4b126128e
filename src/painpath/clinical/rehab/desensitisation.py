"""Desensitisation for allodynia and sensory discrimination retraining.

Desensitisation (clinical-reference.md s5; hand-therapy practice, Yerxa EJ et al. 1983, Am J Occup
Ther 37:176-181, unverified): a patient-ranked hierarchy of stimuli from least to most provocative;
start with the most provoking stimulus that is still tolerable, first at the edge and then inside the
allodynic area, several short sessions a day, progress when comfortable.

Sensory re-education (Lundborg G & Rosen B 2007, J Hand Surg Eur 32:76-83, unverified): graded
tactile discrimination - localisation, two-point, texture, shape - with vision, then without.
SAFETY: with painful hypoaesthesia and allodynia, retraining works on the hypoaesthetic border and
avoids the allodynic zone (Spicher, somatosensory rehabilitation, unverified).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cache
from importlib import resources

from painpath.clinical.errors import InvalidAnswer, StepNotPermitted, UnknownCode
from painpath.clinical.rehab.rules import DesensitisationRules, SensoryRules, default_rules
from painpath.clinical.rehab.scales import check_nrs

STIMULI_FILE = "stimuli.toml"


class StimulusKind(StrEnum):
    TEXTURE = "texture"
    PARTICLE = "particle"
    VIBRATION = "vibration"
    TAPPING_PRESSURE = "tapping_pressure"


@dataclass(frozen=True, slots=True)
class Stimulus:
    id: str
    kind: StimulusKind
    default_rank: int


@cache
def default_stimuli() -> Mapping[str, Stimulus]:
    """The shipped stimulus list, keyed by id, in default rank order."""
    text = resources.files(__package__).joinpath("data", STIMULI_FILE).read_text(encoding="utf-8")
    raw = tomllib.loads(text).get("stimulus", [])
    out = [
        Stimulus(str(s["id"]), StimulusKind(str(s["kind"])), int(s["default_rank"])) for s in raw
    ]
    return {s.id: s for s in sorted(out, key=lambda s: s.default_rank)}


@dataclass(frozen=True, slots=True)
class RankedStimulus:
    stimulus_id: str
    discomfort_nrs: int  # patient's rating of how provocative the stimulus is, 0-10


@dataclass(frozen=True, slots=True)
class DesensitisationHierarchy:
    items: tuple[RankedStimulus, ...]  # least to most provocative

    def position(self, stimulus_id: str) -> int:
        for i, item in enumerate(self.items):
            if item.stimulus_id == stimulus_id:
                return i
        raise StepNotPermitted(f"stimulus {stimulus_id} is not in the hierarchy")


def build_desensitisation_hierarchy(
    ratings: Mapping[str, int], *, stimuli: Mapping[str, Stimulus] | None = None
) -> DesensitisationHierarchy:
    """Order the patient's ratings least to most provocative; ties follow the default rank."""
    known = stimuli if stimuli is not None else default_stimuli()
    for sid in ratings:
        if sid not in known:
            raise UnknownCode(f"stimulus {sid}")
    items = sorted(
        (RankedStimulus(sid, check_nrs(v, f"discomfort for {sid}")) for sid, v in ratings.items()),
        key=lambda r: (r.discomfort_nrs, known[r.stimulus_id].default_rank),
    )
    return DesensitisationHierarchy(tuple(items))


def starting_stimulus(
    hierarchy: DesensitisationHierarchy, *, rules: DesensitisationRules | None = None
) -> RankedStimulus | None:
    """The most provoking stimulus still tolerable (rating <= tolerable maximum), or None."""
    r = rules if rules is not None else default_rules().desensitisation
    tolerable = [i for i in hierarchy.items if i.discomfort_nrs <= r.tolerable_max_nrs.as_int]
    return tolerable[-1] if tolerable else None


class Zone(StrEnum):
    EDGE = "edge"  # at the border of the allodynic area
    INSIDE = "inside"  # within the allodynic area


@dataclass(frozen=True, slots=True)
class DesensitisationSession:
    stimulus_id: str
    zone: Zone
    on: date
    duration_s: int
    discomfort_nrs: int

    def __post_init__(self) -> None:
        check_nrs(self.discomfort_nrs, "session discomfort")
        if self.duration_s < 0:
            raise InvalidAnswer("session duration must be non-negative")


class DesensitisationAction(StrEnum):
    REPEAT = "repeat"
    ADVANCE_ZONE = "advance_zone"
    NEXT_STIMULUS = "next_stimulus"
    STEP_BACK = "step_back"
    COMPLETE = "complete"


@dataclass(frozen=True, slots=True)
class DesensitisationDecision:
    action: DesensitisationAction
    stimulus_id: str | None
    zone: Zone | None
    reason: str


def decide_desensitisation_step(
    hierarchy: DesensitisationHierarchy,
    current_stimulus_id: str,
    zone: Zone,
    sessions: Sequence[DesensitisationSession],
    *,
    rules: DesensitisationRules | None = None,
) -> DesensitisationDecision:
    """Progress edge -> inside -> next stimulus when comfortable; step back when provoked."""
    r = rules if rules is not None else default_rules().desensitisation
    pos = hierarchy.position(current_stimulus_id)
    own = sorted(
        (s for s in sessions if s.stimulus_id == current_stimulus_id and s.zone is zone),
        key=lambda s: s.on,
    )
    if own and own[-1].discomfort_nrs >= r.step_back_min_nrs.as_int:
        # SAFETY: a strongly provoked session steps back one rung (inside -> edge -> previous).
        if zone is Zone.INSIDE:
            return DesensitisationDecision(
                DesensitisationAction.STEP_BACK, current_stimulus_id, Zone.EDGE, "too provoking"
            )
        if pos > 0:
            prev = hierarchy.items[pos - 1].stimulus_id
            return DesensitisationDecision(
                DesensitisationAction.STEP_BACK, prev, Zone.INSIDE, "too provoking"
            )
        return DesensitisationDecision(
            DesensitisationAction.REPEAT,
            current_stimulus_id,
            zone,
            "too provoking at the first rung: shorter sessions",
        )
    need = r.consecutive_sessions.as_int
    recent = own[-need:]
    is_comfortable = len(recent) == need and all(
        s.discomfort_nrs <= r.comfortable_max_nrs.as_int
        and s.duration_s >= r.target_duration_s.as_int
        for s in recent
    )
    if not is_comfortable:
        return DesensitisationDecision(
            DesensitisationAction.REPEAT, current_stimulus_id, zone, "not yet comfortable"
        )
    if zone is Zone.EDGE:
        return DesensitisationDecision(
            DesensitisationAction.ADVANCE_ZONE, current_stimulus_id, Zone.INSIDE, "comfortable"
        )
    if pos + 1 >= len(hierarchy.items):
        return DesensitisationDecision(
            DesensitisationAction.COMPLETE, None, None, "most provocative stimulus tolerated"
        )
    return DesensitisationDecision(
        DesensitisationAction.NEXT_STIMULUS,
        hierarchy.items[pos + 1].stimulus_id,
        Zone.EDGE,
        "comfortable",
    )


class SensoryStage(StrEnum):
    LOCALISATION_WITH_VISION = "localisation_with_vision"
    LOCALISATION_WITHOUT_VISION = "localisation_without_vision"
    TWO_POINT = "two_point"
    TEXTURE = "texture"
    SHAPE_OBJECT = "shape_object"
    COMPLETE = "complete"


_SENSORY_ORDER = tuple(SensoryStage)


@dataclass(frozen=True, slots=True)
class SensorySession:
    stage: SensoryStage
    on: date
    trials: int
    correct: int

    def __post_init__(self) -> None:
        if self.trials <= 0 or not 0 <= self.correct <= self.trials:
            raise InvalidAnswer("sensory session needs trials > 0 and 0 <= correct <= trials")

    @property
    def accuracy_pct(self) -> Decimal:
        """Correct / trials x 100, half-up to 1 decimal place."""
        return (Decimal(self.correct) * 100 / self.trials).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class SensoryDecision:
    is_advance: bool
    stage: SensoryStage
    reason: str


def decide_sensory_stage(
    stage: SensoryStage,
    sessions: Sequence[SensorySession],
    *,
    rules: SensoryRules | None = None,
) -> SensoryDecision:
    """Advance one discrimination stage after N consecutive sessions at or above the pass mark."""
    r = rules if rules is not None else default_rules().sensory
    if stage is SensoryStage.COMPLETE:
        return SensoryDecision(False, stage, "retraining complete")
    own = sorted((s for s in sessions if s.stage is stage), key=lambda s: s.on)
    need = r.consecutive_sessions.as_int
    recent = own[-need:]
    mark = r.accuracy_to_progress_pct.value
    if len(recent) == need and all(s.accuracy_pct >= mark for s in recent):
        nxt = _SENSORY_ORDER[_SENSORY_ORDER.index(stage) + 1]
        return SensoryDecision(True, nxt, f"{need} sessions at >= {mark}%")
    return SensoryDecision(False, stage, f"needs {need} consecutive sessions at >= {mark}%")
