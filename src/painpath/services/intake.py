"""Intake workflow: the history taken at the start of an episode, then the steps that follow it
(screening bundle, body map, examination, NeuPSIG grade) with the state of each.

The history is free text per section (product brief journey 1; issue 4 "Intake workflow"), saved
section by section as it is typed so nothing is lost. It belongs to the current episode. Staff
only: Kind.CLINICAL_NOTE read/write (clinicians and the coordinator, who takes occupation and
social support); the patient does not read the intake history here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select

from painpath.records.enums import Role
from painpath.records.models_assessment import BodyMapDrawing, NeuropathicExam
from painpath.records.models_episode import Episode, EpisodeCollectionPoint, EpisodeIntake
from painpath.security.policy import Action, Kind
from painpath.services import episodes
from painpath.services.access import authorize_patient, role_may
from painpath.services.context import RequestContext
from painpath.services.errors import Conflict, InvalidInput
from painpath.services.uow import UnitOfWork

MAX_SECTION_CHARS = 4000


@dataclass(frozen=True, slots=True)
class Section:
    code: str
    label: str
    hint: str


SECTIONS: tuple[Section, ...] = (
    Section("history", "Pain history", "Onset, injury or surgery, course since, investigations"),
    Section("comorbidities", "Comorbidities", "Other conditions, e.g. kidney disease, depression"),
    Section(
        "medications-so-far",
        "Medicines tried so far",
        "Name, dose, how long, effect, side effects, why stopped",
    ),
    Section("prior-activity", "Activity before and now", "Exercise, hobbies, daily activities"),
    Section("occupation", "Occupation", "Job, hours, off work since, employer contact"),
    Section("social-support", "Social support", "Who lives with them, carers, who helps"),
    Section(
        "pain-pattern",
        "Pain over the day",
        "Constant or episodic, worst time of day, triggers, flares",
    ),
    Section("sleep", "Sleep", "Hours, waking with pain, daytime tiredness"),
)
SECTION_CODES = frozenset(s.code for s in SECTIONS)


class StepState(StrEnum):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    NOT_VISIBLE = "not-visible"  # the viewer's role may not see this step's state


@dataclass(frozen=True, slots=True)
class Step:
    code: str
    title: str
    state: StepState
    detail: str
    link: str


@dataclass(frozen=True, slots=True)
class IntakeView:
    patient_id: int
    episode_id: int | None
    answers: dict[str, str]
    revision: int
    updated_at: datetime | None
    steps: list[Step]
    can_write: bool

    @property
    def filled(self) -> int:
        return sum(1 for s in SECTIONS if self.answers.get(s.code, "").strip())


def _authorize(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, action: Action, label: str
) -> None:
    # The patient has a read grant on released clinical notes only; the intake is staff work.
    kind = Kind.CLINICIAN_ONLY_NOTE if ctx.actor.role is Role.PATIENT else Kind.CLINICAL_NOTE
    authorize_patient(uow, ctx, patient_id, kind, action, audit_action=label)


def _current_episode(uow: UnitOfWork, patient_id: int) -> Episode | None:
    return uow.session.scalar(
        select(Episode)
        .where(Episode.patient_id == patient_id, Episode.ended_on.is_(None))
        .order_by(Episode.id.desc())
        .limit(1)
    )


def _intake(uow: UnitOfWork, episode_id: int) -> EpisodeIntake | None:
    return uow.session.scalar(select(EpisodeIntake).where(EpisodeIntake.episode_id == episode_id))


def get_intake(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> IntakeView:
    """The intake history of the current episode and the state of the steps after it."""
    _authorize(uow, ctx, patient_id, Action.READ, "intake.read")
    view = _view(uow, ctx, patient_id)
    uow.commit()
    return view


def _view(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> IntakeView:
    episode = _current_episode(uow, patient_id)
    row = _intake(uow, episode.id) if episode else None
    answers = {k: str(v) for k, v in (row.answers if row else {}).items()}
    filled = sum(1 for s in SECTIONS if answers.get(s.code, "").strip())
    history_state = (
        StepState.NOT_STARTED
        if filled == 0
        else (StepState.DONE if filled == len(SECTIONS) else StepState.IN_PROGRESS)
    )
    steps = [
        Step(
            "history",
            "Intake history",
            history_state,
            f"{filled} of {len(SECTIONS)} sections",
            f"/patients/{patient_id}/intake#history-form",
        ),
        _screening_step(uow, ctx, patient_id, episode),
        _bodymap_step(uow, patient_id),
        *_exam_steps(uow, ctx, patient_id),
    ]
    return IntakeView(
        patient_id=patient_id,
        episode_id=episode.id if episode else None,
        answers=answers,
        revision=row.revision if row else 0,
        updated_at=row.updated_at if row else None,
        steps=steps,
        can_write=episode is not None
        and ctx.actor.role is not Role.PATIENT
        and role_may(ctx.actor.role, Kind.CLINICAL_NOTE, Action.WRITE),
    )


def _screening_step(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, episode: Episode | None
) -> Step:
    link = f"/patients/{patient_id}/episodes"
    if episode is None:
        return Step("screening", "Screening bundle", StepState.NOT_STARTED, "no episode", link)
    point = uow.session.scalar(
        select(EpisodeCollectionPoint).where(
            EpisodeCollectionPoint.episode_id == episode.id,
            EpisodeCollectionPoint.point == episodes.PointKind.REFERRAL,
        )
    )
    if point is None or point.bundle_id is None:
        return Step("screening", "Screening bundle", StepState.NOT_STARTED, "not sent yet", link)
    progress = episodes._bundle_progress(uow.session, [point.bundle_id])[point.bundle_id]
    state = episodes._state(progress, ctx.now().date())
    detail = f"{progress.done} of {progress.total} questionnaires done"
    if state is episodes.BundleState.OVERDUE:
        detail += " (overdue)"
    return Step(
        "screening",
        "Screening bundle",
        StepState.DONE if state is episodes.BundleState.COMPLETE else StepState.IN_PROGRESS,
        detail,
        f"/patients/{patient_id}/assessments",
    )


def _bodymap_step(uow: UnitOfWork, patient_id: int) -> Step:
    drawings = uow.session.execute(
        select(func.count(), func.max(BodyMapDrawing.recorded_at)).where(
            BodyMapDrawing.patient_id == patient_id, BodyMapDrawing.is_final.is_(True)
        )
    ).one()
    count, last = drawings
    return Step(
        "bodymap",
        "Body map",
        StepState.DONE if count else StepState.NOT_STARTED,
        f"{count} drawing{'s' if count != 1 else ''}"
        + (f", latest {last.date().isoformat()}" if last else ""),
        f"/patients/{patient_id}/bodymap",
    )


def _exam_steps(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[Step]:
    link = f"/patients/{patient_id}/examination"
    if not role_may(ctx.actor.role, Kind.CLINICIAN_ONLY_NOTE, Action.READ):
        hidden = "recorded by a clinician"
        return [
            Step("examination", "Examination", StepState.NOT_VISIBLE, hidden, ""),
            Step("neupsig", "NeuPSIG grade", StepState.NOT_VISIBLE, hidden, ""),
        ]
    exam = uow.session.scalar(
        select(NeuropathicExam)
        .where(NeuropathicExam.patient_id == patient_id)
        .order_by(NeuropathicExam.examined_at.desc(), NeuropathicExam.id.desc())
        .limit(1)
    )
    if exam is None:
        return [
            Step("examination", "Examination", StepState.NOT_STARTED, "not recorded", link),
            Step("neupsig", "NeuPSIG grade", StepState.NOT_STARTED, "after the examination", link),
        ]
    on = exam.examined_at.date().isoformat()
    tests = len(exam.function_tests or {})
    return [
        Step(
            "examination",
            "Examination",
            StepState.DONE,
            f"{on}: sensory signs, {tests} function test{'s' if tests != 1 else ''}",
            link,
        ),
        Step("neupsig", "NeuPSIG grade", StepState.DONE, f"{exam.grade} ({on})", link),
    ]


def save_intake(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    answers: dict[str, str],
) -> IntakeView:
    """Save one or more sections (the page saves each section as it changes); unknown section
    codes are refused; a section sent empty is cleared."""
    _authorize(uow, ctx, patient_id, Action.WRITE, "intake.save")
    unknown = sorted(set(answers) - SECTION_CODES)
    if unknown:
        raise InvalidInput("unknown intake section: " + ", ".join(unknown))
    for code, text in answers.items():
        if len(text) > MAX_SECTION_CHARS:
            raise InvalidInput(f"{code} is longer than {MAX_SECTION_CHARS} characters")
    episode = _current_episode(uow, patient_id)
    if episode is None:
        raise Conflict("open an episode before taking the intake history")
    row = _intake(uow, episode.id)
    now = ctx.now()
    if row is None:
        row = EpisodeIntake(
            episode_id=episode.id,
            patient_id=patient_id,
            answers={},
            note="",
            revision=0,
            updated_at=now,
        )
        uow.session.add(row)
    merged = dict(row.answers)
    changed = False
    for code, text in answers.items():
        clean = text.strip()
        if merged.get(code, "") != clean:
            merged[code] = clean
            changed = True
    if changed:
        row.answers = merged
        row.revision += 1
        row.updated_at = now
        row.updated_by_id = ctx.actor.user_id
    uow.session.flush()
    view = _view(uow, ctx, patient_id)
    uow.commit()
    return view
