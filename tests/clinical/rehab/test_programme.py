"""Programme builder individualisation and tolerance-gated phase progression."""

from __future__ import annotations

from datetime import date

import pytest

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.rehab.adherence import compute_adherence
from painpath.clinical.rehab.library import (
    BodyRegion,
    Category,
    ContraTag,
    Equipment,
    RoleDemand,
    default_library,
)
from painpath.clinical.rehab.programme import (
    ActivityLevel,
    ExerciseAction,
    ExerciseSessionLog,
    PatientProfile,
    Phase,
    PhaseAction,
    SocialSupport,
    ToleranceEvidence,
    build_programme,
    decide_exercise_progression,
    decide_phase,
)

LIB = default_library()


def ids(profile: PatientProfile, phase: Phase) -> list[str]:
    return [i.exercise_id for i in build_programme(profile, phase).items]


@pytest.mark.parametrize(
    ("phase", "allowed"),
    [
        pytest.param(
            Phase.CALM,
            {Category.BREATHING_RELAXATION, Category.GENTLE_MOBILISATION},
            id="phase-1-calm",
        ),
        pytest.param(
            Phase.CONDITION,
            {Category.STRENGTH, Category.ENDURANCE, Category.BALANCE, Category.PROPRIOCEPTION},
            id="phase-2-condition",
        ),
        pytest.param(
            Phase.FUNCTION,
            {Category.FUNCTIONAL_TASK, Category.STRENGTH, Category.ENDURANCE},
            id="phase-3-function",
        ),
    ],
)
def test_phase_uses_only_its_categories_and_covers_each(
    phase: Phase, allowed: set[Category]
) -> None:
    programme = build_programme(PatientProfile(), phase)
    cats = {i.category for i in programme.items}
    assert cats == allowed  # every core category present, nothing else
    assert len(programme.items) == 6  # max_exercises_per_session default


def test_low_activity_starts_every_exercise_at_level_one() -> None:
    for phase in Phase:
        assert {LIB.get(i).level for i in ids(PatientProfile(), phase)} == {1}


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        pytest.param(ActivityLevel.LOW, "str-sit-to-stand-high", id="low"),
        pytest.param(ActivityLevel.MODERATE, "str-sit-to-stand", id="moderate"),
        pytest.param(ActivityLevel.HIGH, "str-sit-to-stand-weighted", id="high"),
    ],
)
def test_prior_activity_level_sets_chain_entry_point(level: ActivityLevel, expected: str) -> None:
    # Knee focus ranks the sit-to-stand chain first among strength exercises.
    profile = PatientProfile(activity_level=level, focus_regions=frozenset({BodyRegion.KNEE}))
    chosen = ids(profile, Phase.CONDITION)
    sit_to_stand = [i for i in chosen if i.startswith("str-sit-to-stand")]
    assert sit_to_stand == [expected]


def test_contraindication_stops_chain_before_excluded_step() -> None:
    # High fall risk excludes str-heel-raise (and single), so a HIGH-level patient with an
    # ankle focus gets the supported heel raise, never a fall-risk exercise.
    profile = PatientProfile(
        activity_level=ActivityLevel.HIGH,
        contraindications=frozenset({ContraTag.HIGH_FALL_RISK}),
        focus_regions=frozenset({BodyRegion.ANKLE_FOOT}),
    )
    programme = build_programme(profile, Phase.CONDITION)
    chosen = [i.exercise_id for i in programme.items]
    assert "str-heel-raise-supported" in chosen
    assert all(ContraTag.HIGH_FALL_RISK not in LIB.get(i).contraindications for i in chosen)
    excluded = {e.exercise_id for e in programme.exclusions}
    assert {"str-heel-raise", "str-heel-raise-single", "bal-one-leg-stand"} <= excluded


def test_limited_support_excludes_helper_exercises_and_occupation_ranks_tasks() -> None:
    profile = PatientProfile(
        activity_level=ActivityLevel.HIGH,
        occupation_demands=frozenset({RoleDemand.DRIVING}),
        social_support=SocialSupport.NONE,
    )
    programme = build_programme(profile, Phase.FUNCTION)
    chosen = [i.exercise_id for i in programme.items]
    assert chosen[0] == "func-car-in-out"  # the only allowed driving task
    assert "func-drive-short" not in chosen
    assert any(e.exercise_id == "func-drive-short" for e in programme.exclusions)


def test_good_support_allows_helper_task_for_driver() -> None:
    profile = PatientProfile(
        activity_level=ActivityLevel.HIGH,
        occupation_demands=frozenset({RoleDemand.DRIVING}),
        social_support=SocialSupport.GOOD,
    )
    assert "func-drive-short" in ids(profile, Phase.FUNCTION)


def test_adjuncts_added_for_allodynia_and_gmi() -> None:
    profile = PatientProfile(has_allodynia=True, is_gmi_candidate=True)
    chosen = ids(profile, Phase.CALM)
    assert "desens-soft-cloth" in chosen  # only level-1 desensitisation root
    assert "gmi-left-right-pictures" in chosen  # GMI starts with laterality
    assert len(chosen) == 6


def test_equipment_filter_for_home_programme() -> None:
    have = frozenset({Equipment.CHAIR, Equipment.BED_OR_MAT})
    profile = PatientProfile(equipment_available=have)
    for phase in Phase:
        for ex_id in ids(profile, phase):
            assert set(LIB.get(ex_id).equipment) <= have, ex_id


START = date(2026, 7, 1)


def evidence(
    today: date, done: int, rises: list[int], red_days: int, prescribed: int = 10
) -> ToleranceEvidence:
    done_on = [START] * done
    adherence = compute_adherence(
        done_on, prescribed=prescribed, window_start=START, window_end=today
    )
    return ToleranceEvidence(START, today, adherence, rises, red_days)


DAY_14 = date(2026, 7, 15)

PHASE_CASES = [
    # 14 days, 8/10 = 80% adherence, mean rise (1+2+0)/3 = 1 <= 2, no red -> advance
    pytest.param(
        Phase.CALM,
        evidence(DAY_14, 8, [1, 2, 0], 0),
        PhaseAction.ADVANCE,
        Phase.CONDITION,
        id="advance-1-to-2",
    ),
    pytest.param(
        Phase.CONDITION,
        evidence(DAY_14, 8, [1, 2, 0], 0),
        PhaseAction.ADVANCE,
        Phase.FUNCTION,
        id="advance-2-to-3",
    ),
    pytest.param(
        Phase.FUNCTION,
        evidence(DAY_14, 8, [1], 0),
        PhaseAction.MAINTAIN,
        Phase.FUNCTION,
        id="maintain-3",
    ),
    # 13 days only
    pytest.param(
        Phase.CALM,
        evidence(date(2026, 7, 14), 8, [1], 0),
        PhaseAction.HOLD,
        Phase.CALM,
        id="too-early",
    ),
    # 7/10 = 70% < 80%
    pytest.param(
        Phase.CALM, evidence(DAY_14, 7, [1], 0), PhaseAction.HOLD, Phase.CALM, id="low-adherence"
    ),
    # mean rise (3+2)/2 = 2.5 > 2
    pytest.param(
        Phase.CALM,
        evidence(DAY_14, 8, [3, 2], 0),
        PhaseAction.HOLD,
        Phase.CALM,
        id="pain-response-too-high",
    ),
    # mean rise (3+1)/2 = 2.0 -> allowed (not above 2)
    pytest.param(
        Phase.CALM,
        evidence(DAY_14, 8, [3, 1], 0),
        PhaseAction.ADVANCE,
        Phase.CONDITION,
        id="pain-response-at-limit",
    ),
    pytest.param(
        Phase.CALM, evidence(DAY_14, 8, [], 0), PhaseAction.HOLD, Phase.CALM, id="no-pain-ratings"
    ),
    # one red day blocks progression
    pytest.param(
        Phase.CONDITION,
        evidence(DAY_14, 8, [1], 1),
        PhaseAction.HOLD,
        Phase.CONDITION,
        id="one-red-day",
    ),
    # two red days step back a phase
    pytest.param(
        Phase.FUNCTION,
        evidence(DAY_14, 10, [0], 2),
        PhaseAction.STEP_BACK,
        Phase.CONDITION,
        id="step-back",
    ),
    pytest.param(
        Phase.CALM, evidence(DAY_14, 10, [0], 3), PhaseAction.HOLD, Phase.CALM, id="step-back-floor"
    ),
]


@pytest.mark.parametrize(("phase", "ev", "action", "next_phase"), PHASE_CASES)
def test_decide_phase(
    phase: Phase, ev: ToleranceEvidence, action: PhaseAction, next_phase: Phase
) -> None:
    decision = decide_phase(phase, ev)
    assert (decision.action, decision.phase) == (action, next_phase)
    assert decision.reasons


def test_decide_phase_rejects_impossible_red_days() -> None:
    with pytest.raises(InvalidAnswer):
        decide_phase(Phase.CALM, evidence(DAY_14, 8, [1], 8))


def log(
    day: int, done: bool = True, rpe: int = 4, before: int = 3, after: int = 4
) -> ExerciseSessionLog:
    return ExerciseSessionLog(date(2026, 8, day), done, rpe, before, after)


EXERCISE_CASES = [
    # 3 good sessions (done, RPE 4 <= 5, rise 1 <= 2) -> weighted version
    pytest.param(
        "str-sit-to-stand",
        [log(1), log(2), log(3)],
        PatientProfile(),
        ExerciseAction.PROGRESS,
        "str-sit-to-stand-weighted",
        id="progress",
    ),
    pytest.param(
        "str-sit-to-stand",
        [log(1), log(2)],
        PatientProfile(),
        ExerciseAction.HOLD,
        "str-sit-to-stand",
        id="only-two-sessions",
    ),
    # RPE 6 > rpe_max 5 on one session
    pytest.param(
        "str-sit-to-stand",
        [log(1), log(2, rpe=6), log(3)],
        PatientProfile(),
        ExerciseAction.HOLD,
        "str-sit-to-stand",
        id="too-hard",
    ),
    # rise exactly 2 is allowed (3 -> 5)
    pytest.param(
        "str-sit-to-stand",
        [log(1, after=5), log(2, after=5), log(3, after=5)],
        PatientProfile(),
        ExerciseAction.PROGRESS,
        "str-sit-to-stand-weighted",
        id="rise-at-limit",
    ),
    # next step contraindicated (uncontrolled hypertension) -> hold
    pytest.param(
        "str-sit-to-stand",
        [log(1), log(2), log(3)],
        PatientProfile(contraindications=frozenset({ContraTag.UNCONTROLLED_HYPERTENSION})),
        ExerciseAction.HOLD,
        "str-sit-to-stand",
        id="next-step-contraindicated",
    ),
    # last two sessions: rise 3 (> 2) and not completed -> regress
    pytest.param(
        "str-sit-to-stand",
        [log(1), log(2, after=6), log(3, done=False)],
        PatientProfile(),
        ExerciseAction.REGRESS,
        "str-sit-to-stand-high",
        id="regress",
    ),
    # easiest step not tolerated -> hold and review dosage
    pytest.param(
        "str-sit-to-stand-high",
        [log(1, after=7), log(2, after=7)],
        PatientProfile(),
        ExerciseAction.HOLD,
        "str-sit-to-stand-high",
        id="regress-floor",
    ),
    # top of chain tolerated -> hold (raise dosage)
    pytest.param(
        "str-sit-to-stand-weighted",
        [log(1), log(2), log(3)],
        PatientProfile(),
        ExerciseAction.HOLD,
        "str-sit-to-stand-weighted",
        id="top-of-chain",
    ),
    # order by date: the two bad sessions are the latest even though listed first
    pytest.param(
        "str-sit-to-stand",
        [log(5, done=False), log(6, done=False), log(1), log(2)],
        PatientProfile(),
        ExerciseAction.REGRESS,
        "str-sit-to-stand-high",
        id="sorted-by-date",
    ),
]


@pytest.mark.parametrize(("ex_id", "logs", "profile", "action", "target"), EXERCISE_CASES)
def test_decide_exercise_progression(
    ex_id: str,
    logs: list[ExerciseSessionLog],
    profile: PatientProfile,
    action: ExerciseAction,
    target: str,
) -> None:
    decision = decide_exercise_progression(ex_id, logs, profile)
    assert (decision.action, decision.exercise_id) == (action, target)


def test_exercise_session_log_rejects_bad_rpe() -> None:
    with pytest.raises(InvalidAnswer):
        log(1, rpe=11)
