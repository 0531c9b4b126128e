"""JSON API for questionnaires: assign bundles, create, answer item by item, complete, correct, read.

Scores are exact decimal strings ("7", "6.333…"); round only for display.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Path, status
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from painpath.http.deps import ContextDep, UowDep, patient_guard
from painpath.security.policy import Action, Kind
from painpath.services import assessments as svc

router = APIRouter(prefix="/api/v1", tags=["assessments"])
LinkId = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9-]+$")]
Answer = Annotated[StrictInt, Field(ge=-1000, le=1000)] | Annotated[StrictStr, Field(max_length=64)]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssessmentCreate(_Schema):
    instrument_code: str = Field(max_length=32)
    respondent: svc.Respondent = svc.Respondent.PATIENT
    due_on: date | None = None


class BundleCreate(_Schema):
    bundle_code: str = Field(max_length=32)
    due_on: date


class AnswerPut(_Schema):
    answer: Answer


class AnswersPost(_Schema):
    answers: dict[Annotated[str, Field(max_length=64)], Answer] = Field(min_length=1, max_length=50)


class StatusRead(_Schema):
    id: int
    patient_id: int
    instrument_code: str
    title: str
    state: svc.State
    respondent: svc.Respondent
    due_on: date | None
    is_overdue: bool
    bundle_code: str | None
    answered: int
    required: int
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    corrects_id: int | None
    corrected_by_id: int | None


class ScoreRead(_Schema):
    total: str | None
    band: str | None
    subscales: dict[str, str | None]
    flags: list[str]
    is_prorated: bool


class OptionRead(_Schema):
    code: str
    value: int


class ItemRead(_Schema):
    link_id: str
    number: str
    label: str
    options: list[OptionRead]
    is_optional: bool
    is_scored: bool
    answer_code: str | None
    answer_value: int | None
    answered_at: datetime | None


class AssessmentRead(_Schema):
    status: StatusRead
    version: str
    items: list[ItemRead]
    score: ScoreRead | None
    can_read_answers: bool
    licence_note: str
    citation: str
    workings: dict[str, str]


class SaveRead(_Schema):
    assessment_id: int
    link_id: str
    is_changed: bool
    answered: int
    required: int
    state: svc.State
    has_safety_flag: bool
    alert_ids: list[int]


class ChangeRead(_Schema):
    instrument_code: str
    scale: str
    baseline_id: int
    baseline: str
    current_id: int
    current: str
    change: str
    improvement_percent: str | None
    direction: str
    is_mcid_improvement: bool | None
    is_mcid_worsening: bool | None
    immpact: str | None
    immpact_basis: str | None


class BundleRead(_Schema):
    id: int
    bundle_code: str
    collection_point: str
    due_on: date
    assigned_at: datetime
    completed_at: datetime | None
    assessment_ids: list[int]


class PatientAssessmentsRead(_Schema):
    patient_id: int
    can_read_scores: bool
    assessments: list[StatusRead]
    scores: dict[int, ScoreRead]
    changes: list[ChangeRead]
    bundles: list[BundleRead]


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _score(score: svc.ScoreView) -> ScoreRead:
    return ScoreRead(
        total=_dec(score.total),
        band=score.band,
        subscales={k: _dec(v) for k, v in score.subscales.items()},
        flags=score.flags,
        is_prorated=score.is_prorated,
    )


def _status(s: svc.StatusView) -> StatusRead:
    return StatusRead.model_validate(s, from_attributes=True)


def _assessment(view: svc.AssessmentView) -> AssessmentRead:
    return AssessmentRead(
        status=_status(view.status),
        version=view.version,
        items=[
            ItemRead(
                link_id=i.link_id,
                number=i.number,
                label=i.label,
                options=[OptionRead(code=o.code, value=o.value) for o in i.options],
                is_optional=i.is_optional,
                is_scored=i.is_scored,
                answer_code=i.answer_code,
                answer_value=i.answer_value,
                answered_at=i.answered_at,
            )
            for i in view.items
        ],
        score=None if view.score is None else _score(view.score),
        can_read_answers=view.can_read_answers,
        licence_note=view.licence_note,
        citation=view.citation,
        workings=dict(view.workings),
    )


def _save(result: svc.SaveResult) -> SaveRead:
    return SaveRead.model_validate(result, from_attributes=True)


@router.get(
    "/patients/{patient_id}/assessments",
    response_model=PatientAssessmentsRead,
)
def list_assessments(patient_id: int, ctx: ContextDep, uow: UowDep) -> PatientAssessmentsRead:
    data = svc.list_assessments(uow, ctx, patient_id)
    return PatientAssessmentsRead(
        patient_id=data.patient_id,
        can_read_scores=data.can_read_scores,
        assessments=[_status(a) for a in data.assessments],
        scores={k: _score(v) for k, v in data.scores.items()},
        changes=[
            ChangeRead(
                instrument_code=c.instrument_code,
                scale=c.scale,
                baseline_id=c.baseline_id,
                baseline=str(c.baseline),
                current_id=c.current_id,
                current=str(c.current),
                change=str(c.change),
                improvement_percent=_dec(c.improvement_percent),
                direction=c.direction,
                is_mcid_improvement=c.is_mcid_improvement,
                is_mcid_worsening=c.is_mcid_worsening,
                immpact=c.immpact,
                immpact_basis=c.immpact_basis,
            )
            for c in data.changes
        ],
        bundles=[BundleRead.model_validate(b, from_attributes=True) for b in data.bundles],
    )


@router.post(
    "/patients/{patient_id}/assessments",
    dependencies=[Depends(patient_guard(Kind.QUESTIONNAIRE, Action.READ_STATUS))],
    response_model=AssessmentRead,
    status_code=status.HTTP_201_CREATED,
)
def create_assessment(
    patient_id: int, body: AssessmentCreate, ctx: ContextDep, uow: UowDep
) -> AssessmentRead:
    view = svc.start_assessment(
        uow, ctx, patient_id, body.instrument_code, respondent=body.respondent, due_on=body.due_on
    )
    return _assessment(view)


@router.post(
    "/patients/{patient_id}/assessment-bundles",
    dependencies=[Depends(patient_guard(Kind.TASK, Action.WRITE))],
    response_model=BundleRead,
    status_code=status.HTTP_201_CREATED,
)
def assign_bundle(patient_id: int, body: BundleCreate, ctx: ContextDep, uow: UowDep) -> BundleRead:
    view = svc.assign_bundle(uow, ctx, patient_id, body.bundle_code, due_on=body.due_on)
    return BundleRead.model_validate(view, from_attributes=True)


class DueRead(_Schema):
    patient_id: int
    patient_name: str
    bundle_code: str | None
    due_on: date | None
    is_overdue: bool
    open_count: int
    total_count: int
    in_progress: int
    assessment_ids: list[int]


@router.get("/assessments/due", response_model=list[DueRead])
def list_due(ctx: ContextDep, uow: UowDep, overdue_only: bool = False) -> list[DueRead]:
    """Open questionnaires of the caller's care teams due within 7 days or overdue (status only)."""
    return [
        DueRead.model_validate(line, from_attributes=True)
        for line in svc.list_due(uow, ctx, overdue_only=overdue_only)
    ]


@router.get("/assessments/{assessment_id}", response_model=AssessmentRead)
def get_assessment(assessment_id: int, ctx: ContextDep, uow: UowDep) -> AssessmentRead:
    return _assessment(svc.get_assessment(uow, ctx, assessment_id))


@router.put("/assessments/{assessment_id}/answers/{link_id}", response_model=SaveRead)
def put_answer(
    assessment_id: int, link_id: LinkId, body: AnswerPut, ctx: ContextDep, uow: UowDep
) -> SaveRead:
    """Idempotent: putting the same answer again changes nothing (`is_changed: false`)."""
    return _save(svc.save_answer(uow, ctx, assessment_id, link_id, body.answer))


@router.post("/assessments/{assessment_id}/answers", response_model=SaveRead)
def post_answers(assessment_id: int, body: AnswersPost, ctx: ContextDep, uow: UowDep) -> SaveRead:
    return _save(svc.save_answers(uow, ctx, assessment_id, body.answers))


@router.post("/assessments/{assessment_id}/complete", response_model=AssessmentRead)
def complete_assessment(assessment_id: int, ctx: ContextDep, uow: UowDep) -> AssessmentRead:
    return _assessment(svc.complete_assessment(uow, ctx, assessment_id))


@router.post(
    "/assessments/{assessment_id}/corrections",
    response_model=AssessmentRead,
    status_code=status.HTTP_201_CREATED,
)
def correct_assessment(assessment_id: int, ctx: ContextDep, uow: UowDep) -> AssessmentRead:
    return _assessment(svc.correct_assessment(uow, ctx, assessment_id))
