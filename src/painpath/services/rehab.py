"""Rehabilitation use cases: the physiotherapist's programme (versioned), the patient's session
logs, physiotherapy session notes with objective measures, pacing plans and their status,
adherence, and graded motor imagery laterality tests.

Every use case goes through authorize_patient (audited) and commits at the end, reads too.
Clinical numbers come from painpath.clinical.rehab; this module stores inputs and applies results.

Access (shared/product.md, "Who may see and do what"): the physiotherapist reads and writes the
programme; other clinicians and the coordinator read it; the patient reads the programme and writes
their own session logs. policy.py grants the patient READ on rehab; patient-entered rows (session
logs, laterality tests) are therefore authorised as the patient's own-record READ scope plus an
explicit check here that the actor is that patient, and they are audited as writes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from painpath.clinical.errors import DomainError, IncompleteResponse
from painpath.clinical.rehab import (
    Phase,
    baseline_quota,
    build_programme,
    compute_adherence,
    decide_pacing,
    default_library,
    default_rules,
    detect_boom_bust,
    laterality_shortfalls,
    prescribed_sessions,
    quota_schedule,
    score_laterality,
)
from painpath.clinical.rehab.gmi import LateralityScore, LateralityTrial
from painpath.clinical.rehab.gmi import Side as GmiSide
from painpath.clinical.rehab.library import (
    BodyRegion,
    Category,
    ContraTag,
    Equipment,
    Exercise,
)
from painpath.clinical.rehab.pacing import (
    BaselineQuota,
    FlareLight,
    PacingAction,
    PacingDecision,
    QuotaMethod,
    QuotaStep,
    classify_day,
)
from painpath.clinical.rehab.programme import (
    ActivityLevel,
    ExerciseSessionLog,
    PatientProfile,
    SocialSupport,
    ToleranceEvidence,
    decide_exercise_progression,
    decide_phase,
    exclusion_reason,
)
from painpath.records.enums import Role
from painpath.records.models import Patient, UserAccount
from painpath.records.models_rehab import (
    RehabGmiTest,
    RehabPacingChange,
    RehabPacingPlan,
    RehabPhysioNote,
    RehabProgramme,
    RehabProgrammeItem,
    RehabProgrammeVersion,
    RehabSessionLog,
)
from painpath.records.models_workflow import AlertRecord
from painpath.security.policy import Action, Kind
from painpath.services.access import authorize_patient, role_may
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput, NotFound, PermissionDenied
from painpath.services.uow import UnitOfWork
from painpath.services.workflow import NewAlert, raise_alerts

# --------------------------------------------------------------------------------------- labels

PHASE_LABELS = {
    Phase.CALM: "Phase 1: calm the system",
    Phase.CONDITION: "Phase 2: build strength and stamina",
    Phase.FUNCTION: "Phase 3: everyday and work tasks",
}
CATEGORY_LABELS = {
    Category.GENTLE_MOBILISATION: "Gentle movement",
    Category.BREATHING_RELAXATION: "Breathing and relaxation",
    Category.STRENGTH: "Strength",
    Category.ENDURANCE: "Endurance",
    Category.BALANCE: "Balance",
    Category.PROPRIOCEPTION: "Joint position sense",
    Category.SENSORY_RETRAINING: "Sensory retraining",
    Category.DESENSITISATION: "Desensitisation (textures)",
    Category.MIRROR_THERAPY_GMI: "Graded motor imagery",
    Category.FUNCTIONAL_TASK: "Everyday and work tasks",
}
REGION_LABELS = {r: r.value.replace("_", " ").capitalize() for r in BodyRegion}
LIGHT_LABELS = {
    FlareLight.GREEN: "Green: keep to your plan",
    FlareLight.AMBER: "Amber: pain is up, keep the same amount",
    FlareLight.RED: "Red: flare, do a little less for now",
}

# ------------------------------------------------------------------------------------ constants

MAX_ITEMS = 20
MAX_SESSIONS_PER_WEEK = 21  # e.g. desensitisation several short sessions a day
MAX_SESSION_MINUTES = 600
MAX_TEXT = 4000
# Adherence shown and checked over the last 14 days (or since the programme started, if later).
ADHERENCE_WINDOW_DAYS = 14
# Non-adherence alert (product.md journey 5): below 50% of prescribed sessions, once at least a week
# of the programme can be judged. painpath clinic default (unverified); the phase gate's own cut-off
# is programme.min_adherence (80%) in clinical/rehab/data/rules.toml.
ADHERENCE_ALERT_BELOW_PCT = Decimal(50)
ADHERENCE_ALERT_MIN_DAYS = 7
# Boom-bust is looked for in the last 28 days of logs (four weekly quota steps; clinic default).
BOOM_BUST_WINDOW_DAYS = 28
# Pacing: a weekly time-contingent step is due after 7 days on a quota (eTG "raise ... a week").
DAYS_PER_QUOTA_STEP = 7
RECENT_PAIN_DAYS = 7
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
GMI_MAX_TRIALS = 200
GMI_MAX_RT_MS = 60_000
PHYSIO_ALERT_SOURCE = "docs/rehab/pacing.md, docs/rehab/boom-bust.md, docs/rehab/adherence.md"


# ------------------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class ItemInput:
    exercise_id: str
    sets: int = 0
    reps: int = 0
    hold_s: int = 0
    duration_min: int = 0
    rpe_target: int = 0
    note: str = ""


@dataclass(frozen=True, slots=True)
class ProfileInput:
    """What the builder needs about the patient (PatientProfile, stored on the programme)."""

    contraindications: tuple[str, ...] = ()
    activity_level: str = ActivityLevel.LOW.value
    focus_regions: tuple[str, ...] = ()
    social_support: str = SocialSupport.LIMITED.value
    has_allodynia: bool = False
    has_hypoaesthesia: bool = False
    is_gmi_candidate: bool = False

    def to_profile(self) -> PatientProfile:
        try:
            return PatientProfile(
                contraindications=frozenset(ContraTag(c) for c in self.contraindications),
                activity_level=ActivityLevel(self.activity_level),
                focus_regions=frozenset(BodyRegion(r) for r in self.focus_regions),
                social_support=SocialSupport(self.social_support),
                has_allodynia=self.has_allodynia,
                has_hypoaesthesia=self.has_hypoaesthesia,
                is_gmi_candidate=self.is_gmi_candidate,
            )
        except ValueError as exc:
            raise InvalidInput(f"unknown code in the patient profile: {exc}") from exc

    def as_json(self) -> dict[str, Any]:
        return {
            "contraindications": list(self.contraindications),
            "activity_level": self.activity_level,
            "focus_regions": list(self.focus_regions),
            "social_support": self.social_support,
            "has_allodynia": self.has_allodynia,
            "has_hypoaesthesia": self.has_hypoaesthesia,
            "is_gmi_candidate": self.is_gmi_candidate,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any] | None) -> ProfileInput:
        raw = raw or {}
        return cls(
            contraindications=tuple(str(c) for c in raw.get("contraindications", [])),
            activity_level=str(raw.get("activity_level", ActivityLevel.LOW.value)),
            focus_regions=tuple(str(r) for r in raw.get("focus_regions", [])),
            social_support=str(raw.get("social_support", SocialSupport.LIMITED.value)),
            has_allodynia=bool(raw.get("has_allodynia", False)),
            has_hypoaesthesia=bool(raw.get("has_hypoaesthesia", False)),
            is_gmi_candidate=bool(raw.get("is_gmi_candidate", False)),
        )


@dataclass(frozen=True, slots=True)
class ProgrammeInput:
    phase: Phase
    sessions_per_week: int
    items: Sequence[ItemInput]
    reason: str
    profile: ProfileInput = field(default_factory=ProfileInput)


@dataclass(frozen=True, slots=True)
class LogInput:
    performed_on: date
    minutes: int
    pain_before_nrs: int
    pain_after_nrs: int
    rpe: int
    idempotency_key: str
    exercise_ids: Sequence[str] = ()
    is_completed: bool = True
    note: str = ""


@dataclass(frozen=True, slots=True)
class MeasureInput:
    name: str
    value: Decimal
    unit: str = ""
    side: str = ""


@dataclass(frozen=True, slots=True)
class PacingInput:
    activity: str
    target: int
    usual_pain_nrs: int
    start_on: date
    unit: str = "min"
    tolerances: Sequence[int] | None = None  # None: from the patient's logged session minutes
    method: QuotaMethod = QuotaMethod.PERCENT_OF_MEAN


@dataclass(frozen=True, slots=True)
class TrialInput:
    shown: str  # left / right
    answer: str | None  # left / right / None (timed out)
    reaction_time_ms: int
    rotation_deg: int = 0
    view: str = "back"


# -------------------------------------------------------------------------------------- views


@dataclass(frozen=True, slots=True)
class ExerciseRef:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class ItemView:
    position: int
    exercise_id: str
    name: str
    category: Category
    category_label: str
    body_region: BodyRegion
    instructions: str
    equipment: tuple[str, ...]
    sets: int
    reps: int
    hold_s: int
    duration_min: int
    rpe_target: int
    note: str
    progression: ExerciseRef | None
    regression: ExerciseRef | None

    @property
    def dosage_text(self) -> str:
        return dosage_text(self.sets, self.reps, self.hold_s, self.duration_min, self.rpe_target)


@dataclass(frozen=True, slots=True)
class ProgrammeView:
    id: int
    patient_id: int
    phase: Phase
    phase_label: str
    sessions_per_week: int
    version: int
    started_on: date
    phase_started_on: date
    updated_at: datetime
    items: tuple[ItemView, ...]
    profile: ProfileInput


@dataclass(frozen=True, slots=True)
class VersionView:
    version: int
    reason: str
    changed_by: str
    changed_at: datetime
    phase: str
    exercise_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LogView:
    id: int
    performed_on: date
    exercise_ids: tuple[str, ...]
    is_completed: bool
    minutes: int
    pain_before_nrs: int
    pain_after_nrs: int
    rpe: int
    note: str
    logged_at: datetime
    logged_by: str


@dataclass(frozen=True, slots=True)
class AdherenceView:
    window_start: date
    window_end: date
    done: int
    prescribed: int
    percent: Decimal
    is_adherent: bool


@dataclass(frozen=True, slots=True)
class StepView:
    index: int
    starts_on: date
    quota: Decimal


@dataclass(frozen=True, slots=True)
class ChangeView:
    decided_on: date
    action: str
    light: str
    from_step: int
    to_step: int
    reason: str


@dataclass(frozen=True, slots=True)
class BoomBustView:
    is_assessable: bool
    is_detected: bool
    cycles: tuple[tuple[date, date, int, int, int], ...]  # boom, bust, minutes, minutes, rise
    reason: str


@dataclass(frozen=True, slots=True)
class PacingView:
    plan_id: int
    activity: str
    unit: str
    baseline: tuple[int, ...]
    method: str
    mean_tolerance: Decimal
    baseline_quota: Decimal
    target: int
    usual_pain_nrs: int
    schedule: tuple[StepView, ...]
    current_step: int
    quota_today: Decimal
    is_stepped_back: bool
    light: FlareLight | None
    action: PacingAction | None
    reason: str
    minutes_today: int
    changes: tuple[ChangeView, ...]
    boom_bust: BoomBustView

    @property
    def light_label(self) -> str:
        return LIGHT_LABELS[self.light] if self.light else "No pain rating in the last week"


@dataclass(frozen=True, slots=True)
class MeasureView:
    name: str
    value: Decimal
    unit: str
    side: str


@dataclass(frozen=True, slots=True)
class PhysioNoteView:
    id: int
    seen_on: date
    summary: str
    measures: tuple[MeasureView, ...]
    author: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class GmiTestView:
    id: int
    taken_at: datetime
    limb: str
    affected_side: str
    trials: int
    correct: int
    accuracy_pct: Decimal
    mean_rt_ms: Decimal | None
    affected_accuracy_pct: Decimal
    unaffected_accuracy_pct: Decimal
    affected_rt_ms: Decimal | None
    unaffected_rt_ms: Decimal | None
    shortfalls: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProgressionHint:
    """decide_exercise_progression for one programme item, from its logged sessions."""

    exercise_id: str
    action: str  # progress / hold / regress
    target: ExerciseRef | None
    reason: str


@dataclass(frozen=True, slots=True)
class PhaseHint:
    """decide_phase: whether the current phase is tolerated well enough to move on."""

    action: str  # advance / hold / step_back / maintain
    phase_label: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LogResult:
    log: LogView
    was_duplicate: bool
    alerts_raised: tuple[str, ...]
    adherence: AdherenceView | None
    pacing: PacingView | None


@dataclass(frozen=True, slots=True)
class RehabOverview:
    patient_id: int
    patient_name: str
    timezone: str
    today: date
    programme: ProgrammeView | None
    adherence: AdherenceView | None
    pacing: PacingView | None
    logs: tuple[LogView, ...]
    logged_today: tuple[LogView, ...]
    notes: tuple[PhysioNoteView, ...]
    gmi_tests: tuple[GmiTestView, ...]
    can_edit: bool
    can_log: bool
    progressions: tuple[ProgressionHint, ...] = ()
    phase_hint: PhaseHint | None = None
    versions: tuple[VersionView, ...] = ()


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    exercise: Exercise
    category_label: str
    region_label: str
    excluded_because: str | None
    dosage_text: str


# -------------------------------------------------------------------------------- pure helpers


def dosage_text(sets: int, reps: int, hold_s: int, duration_min: int, rpe: int) -> str:
    parts: list[str] = []
    if reps > 1:
        parts.append(f"{sets} x {reps}" if sets > 1 else f"{reps} times")
    elif sets > 1:
        parts.append(f"{sets} times")
    if hold_s:
        parts.append(f"hold {hold_s} s")
    if duration_min:
        parts.append(f"{duration_min} min")
    if rpe:
        parts.append(f"effort {rpe}/10")
    return ", ".join(parts) or "as shown"


def library_entries(
    *,
    category: str = "",
    region: str = "",
    query: str = "",
    profile: ProfileInput | None = None,
    hide_excluded: bool = False,
) -> list[LibraryEntry]:
    """The exercise library filtered by category / body region / text, with exclusion reasons."""
    prof = (profile or ProfileInput()).to_profile()
    needle = query.strip().lower()
    out = []
    for ex in default_library():
        if category and ex.category.value != category:
            continue
        if region and ex.body_region.value != region:
            continue
        if needle and needle not in ex.name.lower() and needle not in ex.id:
            continue
        reason = exclusion_reason(ex, prof)
        if hide_excluded and reason is not None:
            continue
        d = ex.dosage
        out.append(
            LibraryEntry(
                ex,
                CATEGORY_LABELS[ex.category],
                REGION_LABELS[ex.body_region],
                reason,
                dosage_text(d.sets, d.reps, d.hold_s, d.duration_min, d.rpe_max),
            )
        )
    return out


def is_known_exercise(exercise_id: str) -> bool:
    return exercise_id in default_library().exercises


def default_item(exercise_id: str) -> ItemInput:
    """An item with the library's default dosage (RPE target = the top of the library range)."""
    ex = _exercise(exercise_id)
    d = ex.dosage
    return ItemInput(ex.id, d.sets, d.reps, d.hold_s, d.duration_min, d.rpe_max)


def suggest_items(profile: ProfileInput, phase: Phase) -> list[ItemInput]:
    """The clinical builder's suggestion for this phase and patient profile."""
    built = build_programme(profile.to_profile(), phase)
    return [
        ItemInput(
            p.exercise_id,
            p.dosage.sets,
            p.dosage.reps,
            p.dosage.hold_s,
            p.dosage.duration_min,
            p.dosage.rpe_max,
        )
        for p in built.items
    ]


def _exercise(exercise_id: str) -> Exercise:
    try:
        return default_library().get(exercise_id)
    except DomainError as exc:
        raise InvalidInput(f"unknown exercise {exercise_id}") from exc


def _ref(exercise_id: str | None) -> ExerciseRef | None:
    if exercise_id is None:
        return None
    return ExerciseRef(exercise_id, default_library().get(exercise_id).name)


def _item_view(row: RehabProgrammeItem | ItemInput, position: int) -> ItemView:
    ex = default_library().get(row.exercise_id)
    return ItemView(
        position=position,
        exercise_id=ex.id,
        name=ex.name,
        category=ex.category,
        category_label=CATEGORY_LABELS[ex.category],
        body_region=ex.body_region,
        instructions=ex.instructions,
        equipment=tuple(e.value.replace("_", " ") for e in ex.equipment),
        sets=row.sets,
        reps=row.reps,
        hold_s=row.hold_s,
        duration_min=row.duration_min,
        rpe_target=row.rpe_target,
        note=row.note,
        progression=_ref(ex.progression_id),
        regression=_ref(ex.regression_id),
    )


def preview_items(items: Sequence[ItemInput]) -> list[ItemView]:
    """Views for a draft (the editor renders unsaved changes with names and links)."""
    return [_item_view(i, n) for n, i in enumerate(items, start=1)]


def _check_nrs(value: int, label: str) -> int:
    if isinstance(value, bool) or not 0 <= value <= 10:
        raise InvalidInput(f"{label} must be a whole number from 0 to 10")
    return value


def _check_items(items: Sequence[ItemInput], profile: PatientProfile) -> None:
    if not items:
        raise InvalidInput("a programme needs at least one exercise")
    if len(items) > MAX_ITEMS:
        raise InvalidInput(f"a programme holds at most {MAX_ITEMS} exercises")
    seen: set[str] = set()
    for item in items:
        ex = _exercise(item.exercise_id)
        if ex.id in seen:
            raise InvalidInput(f"{ex.name} is in the programme twice")
        seen.add(ex.id)
        for label, value, top in (
            ("sets", item.sets, 20),
            ("repetitions", item.reps, 200),
            ("hold", item.hold_s, 600),
            ("minutes", item.duration_min, 240),
        ):
            if not 0 <= value <= top:
                raise InvalidInput(f"{ex.name}: {label} must be between 0 and {top}")
        _check_nrs(item.rpe_target, f"{ex.name}: effort (RPE)")
        if item.reps == 0 and item.hold_s == 0 and item.duration_min == 0:
            raise InvalidInput(f"{ex.name}: give repetitions, a hold or a duration")
        if len(item.note) > 500:
            raise InvalidInput(f"{ex.name}: a note is limited to 500 characters")
        # SAFETY: a contraindicated exercise is refused; the clinician edits the profile to clear it.
        clash = sorted(ex.contraindications & profile.contraindications)
        if clash:
            raise InvalidInput(f"{ex.name} is contraindicated: {', '.join(clash)}")


def _local_today(ctx: RequestContext, patient: Patient) -> date:
    try:
        zone = ZoneInfo(patient.timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return ctx.now().astimezone(zone).date()


def _user_name(uow: UnitOfWork, user_id: int | None) -> str:
    if user_id is None:
        return ""
    user = uow.session.get(UserAccount, user_id)
    return user.full_name if user else ""


# ------------------------------------------------------------------------------ authorisation


def _authorize_entry(uow: UnitOfWork, ctx: RequestContext, patient_id: int, label: str) -> Patient:
    """Patient-entered rows: the patient on their own record, or the physiotherapist on their behalf."""
    if ctx.actor.role is Role.PATIENT:
        patient = authorize_patient(
            uow, ctx, patient_id, Kind.REHAB, Action.READ, audit_action=label
        )
        if ctx.actor.patient_id != patient.id:  # scope already ensures this; kept explicit
            raise PermissionDenied("patients log only their own sessions")
        return patient
    return authorize_patient(uow, ctx, patient_id, Kind.REHAB, Action.WRITE, audit_action=label)


def can_edit_programme(role: Role) -> bool:
    return role is not Role.PATIENT and role_may(role, Kind.REHAB, Action.WRITE)


def can_log_sessions(role: Role) -> bool:
    return role is Role.PATIENT or role_may(role, Kind.REHAB, Action.WRITE)


# ----------------------------------------------------------------------------------- programme


def _programme_row(uow: UnitOfWork, patient_id: int) -> RehabProgramme | None:
    return uow.session.scalar(select(RehabProgramme).where(RehabProgramme.patient_id == patient_id))


def _programme_view(row: RehabProgramme) -> ProgrammeView:
    phase = Phase(row.phase)
    return ProgrammeView(
        id=row.id,
        patient_id=row.patient_id,
        phase=phase,
        phase_label=PHASE_LABELS[phase],
        sessions_per_week=row.sessions_per_week,
        version=row.version,
        started_on=row.started_on,
        phase_started_on=row.phase_started_on,
        updated_at=row.updated_at,
        items=tuple(_item_view(i, n) for n, i in enumerate(row.items, start=1)),
        profile=ProfileInput.from_json(row.profile),
    )


def get_programme(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> ProgrammeView | None:
    authorize_patient(
        uow, ctx, patient_id, Kind.REHAB, Action.READ, audit_action="rehab.programme.read"
    )
    row = _programme_row(uow, patient_id)
    view = _programme_view(row) if row else None
    uow.commit()
    return view


def save_programme(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, data: ProgrammeInput
) -> ProgrammeView:
    """Create or change the programme; every save is a new version with the reason given."""
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.REHAB, Action.WRITE, audit_action="rehab.programme.write"
    )
    if ctx.actor.role is Role.PATIENT:
        raise PermissionDenied("patients read their programme; the physiotherapist changes it")
    reason = data.reason.strip()
    if not reason:
        raise InvalidInput("say why the programme is being set or changed")
    if len(reason) > MAX_TEXT:
        raise InvalidInput(f"the reason is limited to {MAX_TEXT} characters")
    if not 1 <= data.sessions_per_week <= MAX_SESSIONS_PER_WEEK:
        raise InvalidInput(f"sessions a week must be between 1 and {MAX_SESSIONS_PER_WEEK}")
    profile = data.profile.to_profile()
    _check_items(data.items, profile)
    now = ctx.now()
    today = _local_today(ctx, patient)
    row = _programme_row(uow, patient_id)
    if row is None:
        row = RehabProgramme(
            patient_id=patient_id,
            phase=data.phase.value,
            sessions_per_week=data.sessions_per_week,
            version=1,
            profile=data.profile.as_json(),
            started_on=today,
            phase_started_on=today,
            created_by_id=ctx.actor.user_id,
            created_at=now,
            updated_at=now,
        )
        uow.session.add(row)
    else:
        if row.phase != data.phase.value:
            row.phase_started_on = today
        row.phase = data.phase.value
        row.sessions_per_week = data.sessions_per_week
        row.profile = data.profile.as_json()
        row.version += 1
        row.updated_at = now
        row.items.clear()
        uow.session.flush()
    row.items.extend(
        RehabProgrammeItem(
            position=n,
            exercise_id=i.exercise_id,
            sets=i.sets,
            reps=i.reps,
            hold_s=i.hold_s,
            duration_min=i.duration_min,
            rpe_target=i.rpe_target,
            note=i.note.strip(),
        )
        for n, i in enumerate(data.items, start=1)
    )
    uow.session.flush()
    uow.session.add(
        RehabProgrammeVersion(
            programme_id=row.id,
            version=row.version,
            reason=reason,
            snapshot={
                "phase": row.phase,
                "sessions_per_week": row.sessions_per_week,
                "profile": row.profile,
                "items": [
                    {
                        "exercise_id": i.exercise_id,
                        "sets": i.sets,
                        "reps": i.reps,
                        "hold_s": i.hold_s,
                        "duration_min": i.duration_min,
                        "rpe_target": i.rpe_target,
                        "note": i.note,
                    }
                    for i in row.items
                ],
            },
            changed_by_id=ctx.actor.user_id,
            changed_at=now,
        )
    )
    uow.session.flush()
    uow.session.refresh(row)
    view = _programme_view(row)
    uow.commit()
    return view


def list_programme_versions(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int
) -> list[VersionView]:
    authorize_patient(
        uow, ctx, patient_id, Kind.REHAB, Action.READ, audit_action="rehab.programme.history"
    )
    row = _programme_row(uow, patient_id)
    out = _versions(uow, row) if row is not None else []
    uow.commit()
    return out


def _versions(uow: UnitOfWork, row: RehabProgramme) -> list[VersionView]:
    versions = uow.session.scalars(
        select(RehabProgrammeVersion)
        .where(RehabProgrammeVersion.programme_id == row.id)
        .order_by(RehabProgrammeVersion.version.desc())
    ).all()
    return [
        VersionView(
            v.version,
            v.reason,
            _user_name(uow, v.changed_by_id),
            v.changed_at,
            str(v.snapshot.get("phase", "")),
            tuple(str(i["exercise_id"]) for i in v.snapshot.get("items", [])),
        )
        for v in versions
    ]


# --------------------------------------------------------------------------------------- logs


def _log_view(uow: UnitOfWork, row: RehabSessionLog) -> LogView:
    return LogView(
        id=row.id,
        performed_on=row.performed_on,
        exercise_ids=tuple(row.exercise_ids),
        is_completed=row.is_completed,
        minutes=row.minutes,
        pain_before_nrs=row.pain_before_nrs,
        pain_after_nrs=row.pain_after_nrs,
        rpe=row.rpe,
        note=row.note,
        logged_at=row.logged_at,
        logged_by=_user_name(uow, row.logged_by_id),
    )


def _existing_log(uow: UnitOfWork, patient_id: int, key: str) -> RehabSessionLog | None:
    return uow.session.scalar(
        select(RehabSessionLog).where(
            RehabSessionLog.patient_id == patient_id, RehabSessionLog.idempotency_key == key
        )
    )


def log_session(uow: UnitOfWork, ctx: RequestContext, patient_id: int, data: LogInput) -> LogResult:
    """Store one home session, then check pacing, boom-bust and adherence and tell the physio.

    A retry with the same idempotency key returns the stored log and changes nothing.
    """
    patient = _authorize_entry(uow, ctx, patient_id, "rehab.log.create")
    key = data.idempotency_key.strip()
    if not IDEMPOTENCY_KEY.match(key):
        raise InvalidInput("idempotency key: 8-64 letters, digits or . _ : -")
    existing = _existing_log(uow, patient_id, key)
    if existing is not None:
        result = _log_result(uow, ctx, patient, existing, was_duplicate=True, alerts=())
        uow.commit()
        return result
    today = _local_today(ctx, patient)
    if data.performed_on > today:
        raise InvalidInput("a session cannot be logged for a future day")
    if data.performed_on < today - timedelta(days=30):
        raise InvalidInput("sessions can be logged up to 30 days back")
    if not 0 <= data.minutes <= MAX_SESSION_MINUTES:
        raise InvalidInput(f"minutes must be between 0 and {MAX_SESSION_MINUTES}")
    _check_nrs(data.pain_before_nrs, "pain before")
    _check_nrs(data.pain_after_nrs, "pain after")
    _check_nrs(data.rpe, "effort (RPE)")
    if len(data.note) > MAX_TEXT:
        raise InvalidInput(f"a note is limited to {MAX_TEXT} characters")
    programme = _programme_row(uow, patient_id)
    known = {i.exercise_id for i in programme.items} if programme else set()
    ids = list(dict.fromkeys(data.exercise_ids))
    for exercise_id in ids:
        _exercise(exercise_id)
        if exercise_id not in known:
            raise InvalidInput(f"exercise {exercise_id} is not in the programme")
    row = RehabSessionLog(
        patient_id=patient_id,
        programme_id=programme.id if programme else None,
        programme_version=programme.version if programme else None,
        performed_on=data.performed_on,
        exercise_ids=ids,
        is_completed=data.is_completed,
        minutes=data.minutes,
        pain_before_nrs=data.pain_before_nrs,
        pain_after_nrs=data.pain_after_nrs,
        rpe=data.rpe,
        note=data.note.strip(),
        idempotency_key=key,
        logged_by_id=ctx.actor.user_id,
        logged_at=ctx.now(),
    )
    try:
        with uow.session.begin_nested():
            uow.session.add(row)
            uow.session.flush()
    except IntegrityError:
        # A concurrent retry stored the same key first: answer with that one.
        existing = _existing_log(uow, patient_id, key)
        if existing is None:
            raise
        result = _log_result(uow, ctx, patient, existing, was_duplicate=True, alerts=())
        uow.commit()
        return result
    alerts = _after_log(uow, ctx, patient, row, today)
    result = _log_result(uow, ctx, patient, row, was_duplicate=False, alerts=alerts)
    uow.commit()
    return result


def _log_result(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient: Patient,
    row: RehabSessionLog,
    *,
    was_duplicate: bool,
    alerts: tuple[str, ...],
) -> LogResult:
    today = _local_today(ctx, patient)
    plan = _active_plan(uow, patient.id)
    return LogResult(
        log=_log_view(uow, row),
        was_duplicate=was_duplicate,
        alerts_raised=alerts,
        adherence=_adherence(uow, patient.id, today),
        pacing=_pacing_view(uow, plan, today) if plan else None,
    )


def list_logs(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, *, limit: int = 60
) -> list[LogView]:
    authorize_patient(uow, ctx, patient_id, Kind.REHAB, Action.READ, audit_action="rehab.log.list")
    views = [_log_view(uow, r) for r in _recent_logs(uow, patient_id, limit)]
    uow.commit()
    return views


def _recent_logs(uow: UnitOfWork, patient_id: int, limit: int) -> Sequence[RehabSessionLog]:
    return uow.session.scalars(
        select(RehabSessionLog)
        .where(RehabSessionLog.patient_id == patient_id)
        .order_by(RehabSessionLog.performed_on.desc(), RehabSessionLog.id.desc())
        .limit(limit)
    ).all()


def _logs_between(
    uow: UnitOfWork, patient_id: int, start: date, end: date
) -> Sequence[RehabSessionLog]:
    return uow.session.scalars(
        select(RehabSessionLog)
        .where(
            RehabSessionLog.patient_id == patient_id,
            RehabSessionLog.performed_on >= start,
            RehabSessionLog.performed_on <= end,
        )
        .order_by(RehabSessionLog.performed_on, RehabSessionLog.id)
    ).all()


def _daily_series(
    logs: Sequence[RehabSessionLog], start: date, end: date
) -> tuple[list[int | None], list[int | None]]:
    """Per day: total minutes and the highest pain after a session (None: nothing logged)."""
    days = (end - start).days + 1
    minutes: list[int | None] = [None] * days
    pain: list[int | None] = [None] * days
    for log in logs:
        i = (log.performed_on - start).days
        if 0 <= i < days:
            minutes[i] = (minutes[i] or 0) + log.minutes
            pain[i] = max(pain[i] or 0, log.pain_after_nrs)
    return minutes, pain


# ---------------------------------------------------------------------------------- adherence


def _adherence(uow: UnitOfWork, patient_id: int, today: date) -> AdherenceView | None:
    programme = _programme_row(uow, patient_id)
    if programme is None:
        return None
    start = max(programme.started_on, today - timedelta(days=ADHERENCE_WINDOW_DAYS - 1))
    done_on = [log.performed_on for log in _logs_between(uow, patient_id, start, today)]
    # Today counts once something is logged; until then the day is not over and is left out.
    end = today if today in done_on else today - timedelta(days=1)
    if start > end:
        return None
    prescribed = prescribed_sessions(
        sessions_per_week=programme.sessions_per_week, window_start=start, window_end=end
    )
    if prescribed <= 0:
        return None
    result = compute_adherence(done_on, prescribed=prescribed, window_start=start, window_end=end)
    return AdherenceView(
        result.window_start,
        result.window_end,
        result.done,
        result.prescribed,
        result.percent,
        result.is_adherent,
    )


# -------------------------------------------------------------------------------------- pacing


def _active_plan(uow: UnitOfWork, patient_id: int) -> RehabPacingPlan | None:
    return uow.session.scalar(
        select(RehabPacingPlan)
        .where(RehabPacingPlan.patient_id == patient_id, RehabPacingPlan.is_active.is_(True))
        .order_by(RehabPacingPlan.id.desc())
        .limit(1)
    )


def _baseline(plan: RehabPacingPlan) -> BaselineQuota:
    return baseline_quota([Decimal(v) for v in plan.baseline], method=QuotaMethod(plan.method))


def _schedule(plan: RehabPacingPlan) -> tuple[QuotaStep, ...]:
    return quota_schedule(_baseline(plan), start_on=plan.start_on, target=Decimal(plan.target))


def _recent_pains(uow: UnitOfWork, patient_id: int, today: date) -> list[int]:
    start = today - timedelta(days=RECENT_PAIN_DAYS - 1)
    _, pain = _daily_series(_logs_between(uow, patient_id, start, today), start, today)
    return [p for p in pain if p is not None]


def _is_boom_bust_under_review(uow: UnitOfWork, patient_id: int) -> bool:
    return (
        uow.session.scalar(
            select(AlertRecord.id).where(
                AlertRecord.patient_id == patient_id,
                # monitoring's boom-bust alert, or one raised before the monitoring feed
                AlertRecord.kind.in_(("boom-bust", "rehab-boom-bust")),
                AlertRecord.state != "resolved",
            )
        )
        is not None
    )


def _decide(uow: UnitOfWork, plan: RehabPacingPlan, today: date) -> PacingDecision | None:
    schedule = _schedule(plan)
    pains = _recent_pains(uow, plan.patient_id, today)
    if not pains:
        return None
    try:
        decision = decide_pacing(
            schedule,
            current_index=min(plan.current_step, len(schedule) - 1),
            usual_pain_nrs=plan.usual_pain_nrs,
            recent_pain_nrs=pains,
            is_stepped_back=plan.is_stepped_back,
            is_progression_due=(today - plan.step_entered_on).days >= DAYS_PER_QUOTA_STEP,
        )
    except IncompleteResponse:
        return None
    # Journey 4 (product.md): a boom-bust pattern adjusts the quota and tells the physio. painpath
    # clinic default: while the boom-bust alert is open, the time-contingent increase waits (the
    # quota is held, never raised) until the physiotherapist has reviewed it with the patient.
    if decision.action is PacingAction.PROGRESS and _is_boom_bust_under_review(
        uow, plan.patient_id
    ):
        current = min(plan.current_step, len(schedule) - 1)
        return PacingDecision(
            PacingAction.HOLD,
            current,
            schedule[current].quota,
            decision.light,
            "boom-bust pattern under review: the weekly increase waits until the alert is resolved",
        )
    return decision


def _boom_bust(uow: UnitOfWork, patient_id: int, today: date) -> BoomBustView:
    start = today - timedelta(days=BOOM_BUST_WINDOW_DAYS - 1)
    minutes, pain = _daily_series(_logs_between(uow, patient_id, start, today), start, today)
    result = detect_boom_bust(minutes, pain, start_on=start)
    return BoomBustView(
        result.is_assessable,
        result.is_detected,
        tuple(
            (c.boom_on, c.bust_on, c.boom_activity_min, c.bust_activity_min, c.pain_rise_nrs)
            for c in result.cycles
        ),
        result.reason,
    )


def _pacing_view(uow: UnitOfWork, plan: RehabPacingPlan, today: date) -> PacingView:
    base = _baseline(plan)
    schedule = _schedule(plan)
    step = min(plan.current_step, len(schedule) - 1)
    decision = _decide(uow, plan, today)
    changes = uow.session.scalars(
        select(RehabPacingChange)
        .where(RehabPacingChange.plan_id == plan.id)
        .order_by(RehabPacingChange.id.desc())
        .limit(20)
    ).all()
    minutes_today = sum(log.minutes for log in _logs_between(uow, plan.patient_id, today, today))
    return PacingView(
        plan_id=plan.id,
        activity=plan.activity,
        unit=plan.unit,
        baseline=tuple(plan.baseline),
        method=plan.method,
        mean_tolerance=base.mean_tolerance.quantize(Decimal("0.1")),
        baseline_quota=base.quota,
        target=plan.target,
        usual_pain_nrs=plan.usual_pain_nrs,
        schedule=tuple(StepView(s.index, s.starts_on, s.quota) for s in schedule),
        current_step=step,
        quota_today=schedule[step].quota,
        is_stepped_back=plan.is_stepped_back,
        light=decision.light if decision else None,
        action=decision.action if decision else None,
        reason=decision.reason if decision else "no pain rating logged in the last 7 days",
        minutes_today=minutes_today,
        changes=tuple(
            ChangeView(c.decided_on, c.action, c.light, c.from_step, c.to_step, c.reason)
            for c in changes
        ),
        boom_bust=_boom_bust(uow, plan.patient_id, today),
    )


def _apply_pacing(
    uow: UnitOfWork, ctx: RequestContext, plan: RehabPacingPlan, today: date
) -> PacingDecision | None:
    """Apply the rule's decision to the plan (quota steps only change here, with a reason)."""
    decision = _decide(uow, plan, today)
    if decision is None or decision.action in (PacingAction.CONTINUE, PacingAction.HOLD):
        return decision
    last = uow.session.scalar(
        select(RehabPacingChange)
        .where(RehabPacingChange.plan_id == plan.id)
        .order_by(RehabPacingChange.id.desc())
        .limit(1)
    )
    if last is not None and last.decided_on == today and last.action == decision.action:
        return decision  # already applied today (e.g. a second log on a flare day)
    before = plan.current_step
    plan.current_step = decision.step_index
    plan.step_entered_on = today
    plan.is_stepped_back = decision.action is PacingAction.STEP_BACK
    uow.session.add(
        RehabPacingChange(
            plan_id=plan.id,
            decided_on=today,
            action=decision.action.value,
            light=decision.light.value,
            from_step=before,
            to_step=decision.step_index,
            reason=decision.reason,
            created_at=ctx.now(),
        )
    )
    uow.session.flush()
    return decision


def set_pacing_plan(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, data: PacingInput
) -> PacingView:
    """Start a pacing plan: baseline (given, or the last logged days) -> quota -> weekly schedule."""
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.REHAB, Action.WRITE, audit_action="rehab.pacing.write"
    )
    if ctx.actor.role is Role.PATIENT:
        raise PermissionDenied("the physiotherapist sets the pacing plan")
    activity = data.activity.strip()
    if not activity or len(activity) > 120:
        raise InvalidInput("name the paced activity (up to 120 characters)")
    if data.unit not in ("min", "reps", "m"):
        raise InvalidInput("unit must be min, reps or m")
    _check_nrs(data.usual_pain_nrs, "usual pain")
    today = _local_today(ctx, patient)
    if data.tolerances is None:
        start = today - timedelta(days=13)
        minutes, _ = _daily_series(_logs_between(uow, patient_id, start, today), start, today)
        tolerances = [m for m in minutes if m is not None][-7:]
    else:
        tolerances = list(data.tolerances)
    if any(isinstance(t, bool) or not 0 <= t <= 10_000 for t in tolerances):
        raise InvalidInput("baseline values must be whole numbers from 0 to 10000")
    try:
        base = baseline_quota([Decimal(t) for t in tolerances], method=data.method)
    except IncompleteResponse as exc:
        raise InvalidInput(f"not enough baseline: {exc}") from exc
    if not base.quota < data.target <= 10_000:
        raise InvalidInput(f"the target must be above the starting quota ({base.quota})")
    for old in uow.session.scalars(
        select(RehabPacingPlan).where(
            RehabPacingPlan.patient_id == patient_id, RehabPacingPlan.is_active.is_(True)
        )
    ):
        old.is_active = False
    plan = RehabPacingPlan(
        patient_id=patient_id,
        activity=activity,
        unit=data.unit,
        baseline=tolerances,
        method=data.method.value,
        target=data.target,
        start_on=data.start_on,
        usual_pain_nrs=data.usual_pain_nrs,
        current_step=0,
        step_entered_on=data.start_on,
        is_stepped_back=False,
        is_active=True,
        created_by_id=ctx.actor.user_id,
        created_at=ctx.now(),
    )
    uow.session.add(plan)
    uow.session.flush()
    view = _pacing_view(uow, plan, today)
    uow.commit()
    return view


def get_pacing(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> PacingView | None:
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.REHAB, Action.READ, audit_action="rehab.pacing.read"
    )
    plan = _active_plan(uow, patient_id)
    view = _pacing_view(uow, plan, _local_today(ctx, patient)) if plan else None
    uow.commit()
    return view


# -------------------------------------------------------------------------------------- alerts


def _after_log(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient: Patient,
    row: RehabSessionLog,
    today: date,
) -> tuple[str, ...]:
    """Pacing traffic light (applied to the plan), boom-bust and adherence -> physio alerts."""
    alerts: list[NewAlert] = []
    plan = _active_plan(uow, patient.id)
    decision = _apply_pacing(uow, ctx, plan, today) if plan else None
    red_rise = default_rules().pacing.red_pain_rise_nrs.as_int
    rise = row.pain_after_nrs - row.pain_before_nrs
    if decision is not None and decision.action is PacingAction.STEP_BACK:
        alerts.append(
            NewAlert(
                kind="rehab-flare",
                severity="high",
                dedupe_key=f"rehab-flare:{patient.id}",
                owner_role=Role.PHYSIOTHERAPIST.value,
                title="Rehab flare: pacing quota stepped back",
                rationale=f"{decision.reason}; quota now {decision.quota} {plan.unit if plan else ''}",
                source="Pacing traffic-light rules (docs/rehab/pacing.md; eTG pacing)",
                evidence={"on": today.isoformat(), "log_id": row.id, "light": decision.light},
            )
        )
    elif rise >= red_rise:
        alerts.append(
            NewAlert(
                kind="rehab-flare",
                severity="high",
                dedupe_key=f"rehab-flare:{patient.id}",
                owner_role=Role.PHYSIOTHERAPIST.value,
                title="Rehab flare: pain rose sharply after a session",
                rationale=(
                    f"pain {row.pain_before_nrs} -> {row.pain_after_nrs} after the session "
                    f"(rise {rise} >= {red_rise})"
                ),
                source="pacing.red_pain_rise_nrs (clinical/rehab/data/rules.toml)",
                evidence={"on": row.performed_on.isoformat(), "log_id": row.id, "rise": rise},
            )
        )
    raised = tuple(a.kind for a in alerts if raise_alerts(uow, ctx, patient.id, [a]))
    # Boom-bust and session adherence (< 50 %, clinic-configurable) are monitoring rules: one
    # source of truth for those alert kinds and dedupe keys (services/monitoring_feeds.py).
    from painpath.services import monitoring_feeds

    ids = monitoring_feeds.raise_from_feeds(
        uow, ctx, patient, today=today, sources={monitoring_feeds.Source.REHAB}
    )
    return raised + monitoring_feeds.kinds_of(uow, ids)


# ------------------------------------------------------------------------------ physio notes


def add_physio_note(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    seen_on: date,
    summary: str,
    measures: Sequence[MeasureInput],
) -> PhysioNoteView:
    authorize_patient(
        uow, ctx, patient_id, Kind.REHAB, Action.WRITE, audit_action="rehab.note.create"
    )
    if ctx.actor.role is Role.PATIENT:
        raise PermissionDenied("session notes are written by the physiotherapist")
    if not summary.strip() or len(summary) > MAX_TEXT:
        raise InvalidInput(f"a session note needs a summary of up to {MAX_TEXT} characters")
    if seen_on > ctx.now().date() + timedelta(days=1):
        raise InvalidInput("a session note cannot be dated in the future")
    if len(measures) > 30:
        raise InvalidInput("at most 30 measures per note")
    stored = []
    for m in measures:
        if not m.name.strip() or len(m.name) > 120 or len(m.unit) > 24 or len(m.side) > 16:
            raise InvalidInput("each measure needs a name (120), unit (24) and side (16) at most")
        if not m.value.is_finite() or abs(m.value) > 100_000:
            raise InvalidInput(f"{m.name}: value out of range")
        stored.append(
            {"name": m.name.strip(), "value": str(m.value), "unit": m.unit, "side": m.side}
        )
    row = RehabPhysioNote(
        patient_id=patient_id,
        author_id=ctx.actor.user_id,
        seen_on=seen_on,
        summary=summary.strip(),
        measures=stored,
        created_at=ctx.now(),
    )
    uow.session.add(row)
    uow.session.flush()
    view = _note_view(uow, row)
    uow.commit()
    return view


def _note_view(uow: UnitOfWork, row: RehabPhysioNote) -> PhysioNoteView:
    return PhysioNoteView(
        row.id,
        row.seen_on,
        row.summary,
        tuple(
            MeasureView(str(m["name"]), Decimal(str(m["value"])), str(m["unit"]), str(m["side"]))
            for m in row.measures
        ),
        _user_name(uow, row.author_id),
        row.created_at,
    )


def _notes(uow: UnitOfWork, patient_id: int, limit: int = 20) -> list[PhysioNoteView]:
    rows = uow.session.scalars(
        select(RehabPhysioNote)
        .where(RehabPhysioNote.patient_id == patient_id)
        .order_by(RehabPhysioNote.seen_on.desc(), RehabPhysioNote.id.desc())
        .limit(limit)
    ).all()
    return [_note_view(uow, r) for r in rows]


def list_physio_notes(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int
) -> list[PhysioNoteView]:
    authorize_patient(uow, ctx, patient_id, Kind.REHAB, Action.READ, audit_action="rehab.note.list")
    views = _notes(uow, patient_id)
    uow.commit()
    return views


# ----------------------------------------------------------------------------------------- GMI


def _gmi_trials(raw: Sequence[dict[str, Any]]) -> list[LateralityTrial]:
    return [
        LateralityTrial(
            GmiSide(str(t["shown"])),
            GmiSide(str(t["answer"])) if t.get("answer") else None,
            int(t["reaction_time_ms"]),
        )
        for t in raw
    ]


def _gmi_view(row: RehabGmiTest) -> GmiTestView:
    score: LateralityScore = score_laterality(
        _gmi_trials(row.trials), affected_side=GmiSide(row.affected_side)
    )
    return GmiTestView(
        id=row.id,
        taken_at=row.taken_at,
        limb=row.limb,
        affected_side=row.affected_side,
        trials=score.trials,
        correct=score.correct,
        accuracy_pct=score.accuracy_pct,
        mean_rt_ms=score.mean_rt_ms,
        affected_accuracy_pct=score.affected.accuracy_pct,
        unaffected_accuracy_pct=score.unaffected.accuracy_pct,
        affected_rt_ms=score.affected.mean_rt_ms,
        unaffected_rt_ms=score.unaffected.mean_rt_ms,
        shortfalls=laterality_shortfalls(score),
    )


def record_gmi_test(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    limb: str,
    affected_side: str,
    trials: Sequence[TrialInput],
) -> GmiTestView:
    """Store a left/right judgement test and score it (clinical.rehab.gmi.score_laterality)."""
    _authorize_entry(uow, ctx, patient_id, "rehab.gmi.create")
    if limb not in ("hand", "foot"):
        raise InvalidInput("limb must be hand or foot")
    if affected_side not in ("left", "right"):
        raise InvalidInput("affected side must be left or right")
    if not 1 <= len(trials) <= GMI_MAX_TRIALS:
        raise InvalidInput(f"a test has 1 to {GMI_MAX_TRIALS} trials")
    stored = []
    for n, t in enumerate(trials, start=1):
        if t.shown not in ("left", "right") or t.answer not in ("left", "right", None):
            raise InvalidInput(f"trial {n}: sides are left or right")
        if not 0 < t.reaction_time_ms <= GMI_MAX_RT_MS:
            raise InvalidInput(f"trial {n}: reaction time must be 1 to {GMI_MAX_RT_MS} ms")
        if t.rotation_deg % 90 or not 0 <= t.rotation_deg < 360 or t.view not in ("back", "palm"):
            raise InvalidInput(f"trial {n}: rotation 0/90/180/270 and view back or palm")
        stored.append(
            {
                "shown": t.shown,
                "answer": t.answer,
                "reaction_time_ms": t.reaction_time_ms,
                "rotation_deg": t.rotation_deg,
                "view": t.view,
            }
        )
    row = RehabGmiTest(
        patient_id=patient_id,
        limb=limb,
        affected_side=affected_side,
        trials=stored,
        logged_by_id=ctx.actor.user_id,
        taken_at=ctx.now(),
    )
    uow.session.add(row)
    uow.session.flush()
    view = _gmi_view(row)
    uow.commit()
    return view


def _gmi_tests(uow: UnitOfWork, patient_id: int, limit: int = 10) -> list[GmiTestView]:
    rows = uow.session.scalars(
        select(RehabGmiTest)
        .where(RehabGmiTest.patient_id == patient_id)
        .order_by(RehabGmiTest.taken_at.desc(), RehabGmiTest.id.desc())
        .limit(limit)
    ).all()
    return [_gmi_view(r) for r in rows]


def list_gmi_tests(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[GmiTestView]:
    authorize_patient(uow, ctx, patient_id, Kind.REHAB, Action.READ, audit_action="rehab.gmi.list")
    views = _gmi_tests(uow, patient_id)
    uow.commit()
    return views


# ------------------------------------------------------------------------------------ overview


def rehab_overview(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> RehabOverview:
    """Everything the rehab page shows, under one audited read."""
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.REHAB, Action.READ, audit_action="rehab.read"
    )
    today = _local_today(ctx, patient)
    row = _programme_row(uow, patient_id)
    plan = _active_plan(uow, patient_id)
    logs = [_log_view(uow, r) for r in _recent_logs(uow, patient_id, 60)]
    role = ctx.actor.role
    is_staff = role is not Role.PATIENT
    overview = RehabOverview(
        patient_id=patient.id,
        patient_name=f"{patient.given_name} {patient.family_name}",
        timezone=patient.timezone,
        today=today,
        programme=_programme_view(row) if row else None,
        adherence=_adherence(uow, patient_id, today),
        pacing=_pacing_view(uow, plan, today) if plan else None,
        logs=tuple(logs),
        logged_today=tuple(log for log in logs if log.performed_on == today),
        notes=tuple(_notes(uow, patient_id)) if role is not Role.PATIENT else (),
        gmi_tests=tuple(_gmi_tests(uow, patient_id)),
        can_edit=can_edit_programme(role),
        can_log=can_log_sessions(role),
        progressions=_progressions(uow, row) if row and is_staff else (),
        phase_hint=_phase_hint(uow, row, plan, today) if row and is_staff else None,
        versions=tuple(_versions(uow, row)) if row and is_staff else (),
    )
    uow.commit()
    return overview


def _progressions(uow: UnitOfWork, row: RehabProgramme) -> tuple[ProgressionHint, ...]:
    """Tolerance-gated progression per exercise (clinical.rehab.programme), from its logs."""
    logs = _logs_between(uow, row.patient_id, row.started_on, date.max)
    profile = ProfileInput.from_json(row.profile).to_profile()
    hints = []
    for item in row.items:
        done = [
            ExerciseSessionLog(
                log.performed_on,
                log.is_completed,
                log.rpe,
                log.pain_before_nrs,
                log.pain_after_nrs,
            )
            for log in logs
            if item.exercise_id in log.exercise_ids
        ]
        decision = decide_exercise_progression(item.exercise_id, done, profile)
        target = _ref(decision.exercise_id) if decision.exercise_id != item.exercise_id else None
        hints.append(
            ProgressionHint(item.exercise_id, decision.action.value, target, decision.reason)
        )
    return tuple(hints)


def _phase_hint(
    uow: UnitOfWork, row: RehabProgramme, plan: RehabPacingPlan | None, today: date
) -> PhaseHint | None:
    """The phase gate (clinical.rehab.programme.decide_phase) on the last 14 days of the phase."""
    start = max(row.phase_started_on, today - timedelta(days=ADHERENCE_WINDOW_DAYS - 1))
    if start > today:
        return None
    prescribed = prescribed_sessions(
        sessions_per_week=row.sessions_per_week, window_start=start, window_end=today
    )
    if prescribed <= 0:
        return None
    logs = _logs_between(uow, row.patient_id, start, today)
    adherence = compute_adherence(
        [log.performed_on for log in logs],
        prescribed=prescribed,
        window_start=start,
        window_end=today,
    )
    week = today - timedelta(days=6)
    _, pains = _daily_series(_logs_between(uow, row.patient_id, week, today), week, today)
    red_days = (
        sum(
            1
            for p in pains
            if p is not None and classify_day(p, plan.usual_pain_nrs) is FlareLight.RED
        )
        if plan
        else 0
    )
    decision = decide_phase(
        Phase(row.phase),
        ToleranceEvidence(
            phase_started_on=row.phase_started_on,
            today=today,
            adherence=adherence,
            post_session_pain_rises=[log.pain_after_nrs - log.pain_before_nrs for log in logs],
            red_flare_days_last_7=red_days,
        ),
    )
    return PhaseHint(decision.action.value, PHASE_LABELS[decision.phase], decision.reasons)


def summary_lines(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[str] | None:
    """Lines for the patient-overview card; None when the viewer may not read rehab."""
    if not role_may(ctx.actor.role, Kind.REHAB, Action.READ):
        return None
    try:
        ov = rehab_overview(uow, ctx, patient_id)
    except (NotFound, PermissionDenied):
        return None
    if ov.programme is None:
        return []
    lines = [f"{ov.programme.phase_label} · {len(ov.programme.items)} exercises"]
    if ov.adherence:
        a = ov.adherence
        lines.append(
            f"Adherence {a.percent}% ({a.done} of {a.prescribed} sessions since "
            f"{a.window_start.isoformat()})"
        )
    if ov.pacing:
        p = ov.pacing
        light = p.light.value if p.light else "no rating"
        lines.append(f"Pacing: {p.activity} {p.quota_today} {p.unit} a day · {light}")
        if p.boom_bust.is_detected:
            lines.append("Boom-bust pattern detected")
    else:
        lines.append("No pacing plan yet")
    return lines


def equipment_label(code: Equipment) -> str:
    return code.value.replace("_", " ")
