"""Exercise library: typed values loaded from the shipped `data/exercises.toml`.

Each exercise has a permanent kebab-case `id` (its identity in programmes, logs and FHIR export),
a category, body region, equipment, assistive device, dosage (sets, reps, hold, duration, intensity
as RPE on the Borg CR10 0-10 scale: Borg GA 1982, Med Sci Sports Exerc 14:377-381), progression and
regression links and contraindication tags. Instructions are plain language written for painpath.

Validation on load: ids unique and kebab-case, every link resolves, progression/regression links are
mutual, the progression graph has no cycles and the level never falls along a progression.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import TypeVar

from painpath.clinical.errors import DomainError, UnknownCode

LIBRARY_FILE = "exercises.toml"
_ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
RPE_MAX = 10  # Borg CR10 upper anchor (Borg 1982)
MAX_LEVEL = 3

_E = TypeVar("_E", bound=StrEnum)


class LibraryDataError(DomainError):
    """The exercise library data breaks a structural rule (bad link, cycle, duplicate id)."""


class Category(StrEnum):
    GENTLE_MOBILISATION = "gentle_mobilisation"
    BREATHING_RELAXATION = "breathing_relaxation"
    STRENGTH = "strength"
    ENDURANCE = "endurance"
    BALANCE = "balance"
    PROPRIOCEPTION = "proprioception"
    SENSORY_RETRAINING = "sensory_retraining"
    DESENSITISATION = "desensitisation"
    MIRROR_THERAPY_GMI = "mirror_therapy_gmi"
    FUNCTIONAL_TASK = "functional_task"


class BodyRegion(StrEnum):
    WHOLE_BODY = "whole_body"
    NECK = "neck"
    SHOULDER = "shoulder"
    ELBOW = "elbow"
    HAND_WRIST = "hand_wrist"
    UPPER_BACK = "upper_back"
    LOWER_BACK = "lower_back"
    HIP = "hip"
    KNEE = "knee"
    ANKLE_FOOT = "ankle_foot"


class Equipment(StrEnum):
    CHAIR = "chair"
    BED_OR_MAT = "bed_or_mat"
    WALL = "wall"
    TABLE = "table"
    RESISTANCE_BAND = "resistance_band"
    SMALL_WEIGHT = "small_weight"
    STEP = "step"
    TOWEL = "towel"
    THERAPY_PUTTY = "therapy_putty"
    BALL = "ball"
    BALANCE_CUSHION = "balance_cushion"
    EXERCISE_BIKE = "exercise_bike"
    ARM_ERGOMETER = "arm_ergometer"
    POOL = "pool"
    TEXTURE_KIT = "texture_kit"
    PARTICLE_TUB = "particle_tub"
    VIBRATION_DEVICE = "vibration_device"
    PICTURE_CARDS = "picture_cards"
    MIRROR_BOX = "mirror_box"
    EVERYDAY_OBJECTS = "everyday_objects"
    BOX = "box"
    BAG = "bag"
    TROLLEY = "trolley"
    CAR = "car"
    STAIRS = "stairs"
    TIMER = "timer"


class AssistiveDevice(StrEnum):
    NONE = "none"
    WALKING_STICK = "walking_stick"
    RAIL_OR_COUNTER = "rail_or_counter"
    WALKING_FRAME = "walking_frame"
    WHEELCHAIR = "wheelchair"


class ContraTag(StrEnum):
    """Conditions that exclude an exercise until a clinician clears it (comorbidities map here)."""

    UNSTABLE_CARDIAC = "unstable_cardiac"
    UNCONTROLLED_HYPERTENSION = "uncontrolled_hypertension"
    OSTEOPOROSIS_FRACTURE_RISK = "osteoporosis_fracture_risk"
    HIGH_FALL_RISK = "high_fall_risk"
    VESTIBULAR_DISORDER = "vestibular_disorder"
    OPEN_WOUND_OR_SKIN_LESION = "open_wound_or_skin_lesion"
    INSENSATE_SKIN = "insensate_skin"
    RECENT_SURGERY_UNHEALED = "recent_surgery_unhealed"
    PREGNANCY_LATE = "pregnancy_late"
    SEVERE_RESPIRATORY_DISEASE = "severe_respiratory_disease"
    PSYCHOSIS_OR_DISSOCIATION = "psychosis_or_dissociation"
    SEVERE_VISUAL_IMPAIRMENT = "severe_visual_impairment"
    WRIST_HAND_WEIGHT_BEARING_LIMIT = "wrist_hand_weight_bearing_limit"
    KNEELING_INTOLERANCE = "kneeling_intolerance"


class RoleDemand(StrEnum):
    """Occupation or role demands a functional task rehearses."""

    SEDENTARY = "sedentary"
    STANDING = "standing"
    MANUAL_HANDLING = "manual_handling"
    OVERHEAD = "overhead"
    DRIVING = "driving"
    FINE_MOTOR = "fine_motor"
    CARING = "caring"
    HOUSEHOLD = "household"
    WALKING = "walking"


@dataclass(frozen=True, slots=True)
class Dosage:
    """Default prescription; zero means 'not used' for that parameter."""

    sets: int
    reps: int
    hold_s: int
    duration_min: int
    rpe_min: int
    rpe_max: int


@dataclass(frozen=True, slots=True)
class Exercise:
    id: str
    name: str
    category: Category
    body_region: BodyRegion
    level: int
    equipment: tuple[Equipment, ...]
    assistive_device: AssistiveDevice
    dosage: Dosage
    progression_id: str | None
    regression_id: str | None
    contraindications: frozenset[ContraTag]
    role_demands: frozenset[RoleDemand]
    needs_helper: bool
    instructions: str


@dataclass(frozen=True, slots=True)
class ExerciseLibrary:
    version: str
    exercises: Mapping[str, Exercise]

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self.exercises.values())

    def __len__(self) -> int:
        return len(self.exercises)

    def get(self, exercise_id: str) -> Exercise:
        """The exercise with this id, or UnknownCode."""
        try:
            return self.exercises[exercise_id]
        except KeyError as exc:
            raise UnknownCode(f"exercise {exercise_id}") from exc

    def progression_chain(self, exercise_id: str) -> tuple[Exercise, ...]:
        """The exercise, then each progression in turn (regression root first if asked from it)."""
        chain = [self.get(exercise_id)]
        while chain[-1].progression_id is not None:
            chain.append(self.get(chain[-1].progression_id))
        return tuple(chain)

    def by_category(self, category: Category) -> tuple[Exercise, ...]:
        """Exercises of one category, ordered by id."""
        return tuple(e for e in self if e.category is category)


def _enum_value(enum: type[_E], raw: object, where: str) -> _E:
    try:
        return enum(str(raw))
    except ValueError as exc:
        raise LibraryDataError(f"{where}: unknown {enum.__name__} {raw!r}") from exc


def _int(raw: Mapping[str, object], key: str, where: str) -> int:
    value = raw.get(key, 0)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise LibraryDataError(f"{where}: {key} must be a non-negative integer")
    return value


def _str_list(raw: Mapping[str, object], key: str, where: str) -> Sequence[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LibraryDataError(f"{where}: {key} must be a list of strings")
    return [str(v) for v in value]


def _parse_exercise(raw: Mapping[str, object]) -> Exercise:
    exercise_id = str(raw.get("id", ""))
    if not _ID_PATTERN.match(exercise_id):
        raise LibraryDataError(f"exercise id {exercise_id!r} is not kebab-case")
    where = f"exercise {exercise_id}"
    dosage = Dosage(
        sets=_int(raw, "sets", where),
        reps=_int(raw, "reps", where),
        hold_s=_int(raw, "hold_s", where),
        duration_min=_int(raw, "duration_min", where),
        rpe_min=_int(raw, "rpe_min", where),
        rpe_max=_int(raw, "rpe_max", where),
    )
    if not dosage.rpe_min <= dosage.rpe_max <= RPE_MAX:
        raise LibraryDataError(f"{where}: RPE must satisfy 0 <= min <= max <= {RPE_MAX}")
    if dosage.reps == 0 and dosage.duration_min == 0 and dosage.hold_s == 0:
        raise LibraryDataError(f"{where}: dosage needs reps, a hold or a duration")
    level = _int(raw, "level", where)
    if not 1 <= level <= MAX_LEVEL:
        raise LibraryDataError(f"{where}: level must be 1..{MAX_LEVEL}")
    name = str(raw.get("name", "")).strip()
    instructions = " ".join(str(raw.get("instructions", "")).split())
    if not name or not instructions:
        raise LibraryDataError(f"{where}: name and instructions are required")
    progression = str(raw.get("progression", "")) or None
    regression = str(raw.get("regression", "")) or None
    return Exercise(
        id=exercise_id,
        name=name,
        category=_enum_value(Category, raw.get("category"), where),
        body_region=_enum_value(BodyRegion, raw.get("body_region"), where),
        level=level,
        equipment=tuple(
            _enum_value(Equipment, v, where) for v in _str_list(raw, "equipment", where)
        ),
        assistive_device=_enum_value(AssistiveDevice, raw.get("assistive_device", "none"), where),
        dosage=dosage,
        progression_id=progression,
        regression_id=regression,
        contraindications=frozenset(
            _enum_value(ContraTag, v, where) for v in _str_list(raw, "contraindications", where)
        ),
        role_demands=frozenset(
            _enum_value(RoleDemand, v, where) for v in _str_list(raw, "role_demands", where)
        ),
        needs_helper=bool(raw.get("needs_helper", False)),
        instructions=instructions,
    )


def validate_links(exercises: Mapping[str, Exercise]) -> None:
    """Raise LibraryDataError unless links resolve, are mutual, acyclic and never drop in level."""
    for ex in exercises.values():
        for label, target in (("progression", ex.progression_id), ("regression", ex.regression_id)):
            if target is None:
                continue
            if target == ex.id:
                raise LibraryDataError(f"exercise {ex.id}: {label} links to itself")
            if target not in exercises:
                raise LibraryDataError(f"exercise {ex.id}: {label} {target} does not exist")
        if ex.progression_id is not None:
            nxt = exercises[ex.progression_id]
            if nxt.regression_id != ex.id:
                raise LibraryDataError(
                    f"exercise {ex.id}: progression {nxt.id} must regress back to {ex.id}"
                )
            if nxt.level < ex.level:
                raise LibraryDataError(f"exercise {ex.id}: progression {nxt.id} has a lower level")
        if ex.regression_id is not None:
            prev = exercises[ex.regression_id]
            if prev.progression_id != ex.id:
                raise LibraryDataError(
                    f"exercise {ex.id}: regression {prev.id} must progress back to {ex.id}"
                )
    for start in exercises.values():
        seen = {start.id}
        current = start
        while current.progression_id is not None:
            if current.progression_id in seen:
                raise LibraryDataError(f"progression cycle through exercise {start.id}")
            seen.add(current.progression_id)
            current = exercises[current.progression_id]


def parse_library(doc: Mapping[str, object]) -> ExerciseLibrary:
    """Build and validate a library from a parsed TOML document."""
    raw_list = doc.get("exercise")
    if not isinstance(raw_list, list):
        raise LibraryDataError("library has no [[exercise]] entries")
    exercises: dict[str, Exercise] = {}
    for raw in raw_list:
        if not isinstance(raw, dict):
            raise LibraryDataError("each [[exercise]] must be a table")
        ex = _parse_exercise(raw)
        if ex.id in exercises:
            raise LibraryDataError(f"duplicate exercise id {ex.id}")
        exercises[ex.id] = ex
    validate_links(exercises)
    meta = doc.get("meta")
    version = str(meta.get("version", "")) if isinstance(meta, dict) else ""
    return ExerciseLibrary(version=version, exercises=dict(sorted(exercises.items())))


@cache
def default_library() -> ExerciseLibrary:
    """The shipped painpath exercise library."""
    text = resources.files(__package__).joinpath("data", LIBRARY_FILE).read_text(encoding="utf-8")
    return parse_library(tomllib.loads(text))
