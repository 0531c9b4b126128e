"""Rehabilitation clinical core: exercise library, programme builder, pacing, graded exposure,
desensitisation and sensory retraining, graded motor imagery, adherence.

Pure functions over frozen values; thresholds and the exercise library are versioned data shipped in
`data/` and loaded with importlib.resources. Sources: shared/clinical-reference.md section 5;
per-protocol pages in docs/rehab/.
"""

from painpath.clinical.rehab.adherence import Adherence, compute_adherence, prescribed_sessions
from painpath.clinical.rehab.desensitisation import (
    build_desensitisation_hierarchy,
    decide_desensitisation_step,
    decide_sensory_stage,
    starting_stimulus,
)
from painpath.clinical.rehab.exposure import (
    assess_fear_avoidance,
    build_fear_hierarchy,
    decide_exposure_step,
    is_tsk_improved,
)
from painpath.clinical.rehab.gmi import decide_gmi_stage, laterality_shortfalls, score_laterality
from painpath.clinical.rehab.library import Exercise, ExerciseLibrary, default_library
from painpath.clinical.rehab.pacing import (
    BoomBustResult,
    baseline_quota,
    classify_day,
    decide_pacing,
    detect_boom_bust,
    quota_schedule,
)
from painpath.clinical.rehab.programme import (
    ExerciseSessionLog,
    PatientProfile,
    Phase,
    Programme,
    build_programme,
    decide_exercise_progression,
    decide_phase,
)
from painpath.clinical.rehab.rules import RehabRules, default_rules

__all__ = [
    "Adherence",
    "BoomBustResult",
    "Exercise",
    "ExerciseLibrary",
    "ExerciseSessionLog",
    "PatientProfile",
    "Phase",
    "Programme",
    "RehabRules",
    "assess_fear_avoidance",
    "baseline_quota",
    "build_desensitisation_hierarchy",
    "build_fear_hierarchy",
    "build_programme",
    "classify_day",
    "compute_adherence",
    "decide_desensitisation_step",
    "decide_exercise_progression",
    "decide_exposure_step",
    "decide_gmi_stage",
    "decide_pacing",
    "decide_phase",
    "decide_sensory_stage",
    "default_library",
    "default_rules",
    "detect_boom_bust",
    "is_tsk_improved",
    "laterality_shortfalls",
    "prescribed_sessions",
    "quota_schedule",
    "score_laterality",
    "starting_stimulus",
]
