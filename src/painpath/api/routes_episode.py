"""JSON API for episodes of care, collection points, bundle links, the worklist and reminders."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, ConfigDict, Field

from painpath.http.deps import ContextDep, UowDep, patient_guard
from painpath.security.policy import Action, Kind
from painpath.services import episodes as svc
from painpath.services import intake

router = APIRouter(prefix="/api/v1", tags=["episodes"])
MANAGE = [Depends(patient_guard(Kind.DEMOGRAPHICS, Action.WRITE))]
SEND = [Depends(patient_guard(Kind.TASK, Action.WRITE))]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EpisodeCreate(_Schema):
    referred_on: date
    referral_source: str = Field(default="", max_length=120)
    review_every_weeks: int = Field(default=svc.DEFAULT_REVIEW_WEEKS, ge=1, le=104)
    follow_up_after_weeks: int = Field(default=svc.DEFAULT_FOLLOW_UP_WEEKS, ge=1, le=104)


class EpisodeStart(_Schema):
    started_on: date


class EpisodeEnd(_Schema):
    ended_on: date


class PathwayCreate(_Schema):
    kind: svc.PathwayKind
    label: str = Field(default="", max_length=120)
    started_on: date


class BundleLink(_Schema):
    bundle_id: int


class ReminderCreate(_Schema):
    channel: svc.ReminderChannel


class PointRead(_Schema):
    id: int | None
    point: svc.PointKind
    label: str
    sequence: int
    planned_on: date
    pathway_id: int | None
    bundle_id: int | None
    bundle_code: str | None
    due_on: date | None
    state: svc.BundleState
    done: int
    total: int
    is_reminding: bool


class PathwayRead(_Schema):
    id: int
    kind: svc.PathwayKind
    label: str
    started_on: date
    ended_on: date | None


class EpisodeRead(_Schema):
    id: int
    referred_on: date
    referral_source: str
    started_on: date | None
    ended_on: date | None
    review_every_weeks: int
    follow_up_after_weeks: int
    stage: str
    pathways: list[PathwayRead]
    points: list[PointRead]


class EpisodesRead(_Schema):
    patient_id: int
    episodes: list[EpisodeRead]


class Created(_Schema):
    id: int


class WorkLineRead(_Schema):
    patient_id: int
    patient_name: str
    bundle_id: int | None
    bundle_code: str | None
    point: svc.PointKind | None
    point_label: str | None
    due_on: date | None
    is_overdue: bool
    done: int
    total: int
    is_reminding: bool


class ReminderRead(_Schema):
    bundle_id: int
    channel: svc.ReminderChannel
    plan_id: int | None
    task_id: int | None


def _episode(e: svc.EpisodeView) -> EpisodeRead:
    return EpisodeRead(
        id=e.id,
        referred_on=e.referred_on,
        referral_source=e.referral_source,
        started_on=e.started_on,
        ended_on=e.ended_on,
        review_every_weeks=e.review_every_weeks,
        follow_up_after_weeks=e.follow_up_after_weeks,
        stage=e.stage,
        pathways=[
            PathwayRead(
                id=p.id, kind=p.kind, label=p.label, started_on=p.started_on, ended_on=p.ended_on
            )
            for p in e.pathways
        ],
        points=[
            PointRead(
                id=p.id,
                point=p.point,
                label=p.label,
                sequence=p.sequence,
                planned_on=p.planned_on,
                pathway_id=p.pathway_id,
                bundle_id=p.bundle_id,
                bundle_code=p.bundle_code,
                due_on=p.due_on,
                state=p.state,
                done=p.done,
                total=p.total,
                is_reminding=p.is_reminding,
            )
            for p in e.points
        ],
    )


@router.get("/patients/{patient_id}/episodes")
def list_episodes(patient_id: int, ctx: ContextDep, uow: UowDep) -> EpisodesRead:
    data = svc.list_episodes(uow, ctx, patient_id)
    return EpisodesRead(patient_id=patient_id, episodes=[_episode(e) for e in data.episodes])


@router.post(
    "/patients/{patient_id}/episodes", status_code=status.HTTP_201_CREATED, dependencies=MANAGE
)
def open_episode(patient_id: int, body: EpisodeCreate, ctx: ContextDep, uow: UowDep) -> Created:
    return Created(
        id=svc.open_episode(
            uow,
            ctx,
            patient_id,
            referred_on=body.referred_on,
            referral_source=body.referral_source,
            review_every_weeks=body.review_every_weeks,
            follow_up_after_weeks=body.follow_up_after_weeks,
        )
    )


@router.post(
    "/patients/{patient_id}/episodes/{episode_id}/start",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=MANAGE,
)
def start_episode(
    patient_id: int, episode_id: int, body: EpisodeStart, ctx: ContextDep, uow: UowDep
) -> None:
    svc.start_episode(uow, ctx, patient_id, episode_id, started_on=body.started_on)


@router.post(
    "/patients/{patient_id}/episodes/{episode_id}/end",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=MANAGE,
)
def end_episode(
    patient_id: int, episode_id: int, body: EpisodeEnd, ctx: ContextDep, uow: UowDep
) -> None:
    svc.end_episode(uow, ctx, patient_id, episode_id, ended_on=body.ended_on)


@router.post(
    "/patients/{patient_id}/episodes/{episode_id}/pathways",
    status_code=status.HTTP_201_CREATED,
    dependencies=MANAGE,
)
def add_pathway(
    patient_id: int, episode_id: int, body: PathwayCreate, ctx: ContextDep, uow: UowDep
) -> Created:
    return Created(
        id=svc.add_pathway(
            uow,
            ctx,
            patient_id,
            episode_id,
            kind=body.kind,
            label=body.label,
            started_on=body.started_on,
        )
    )


@router.post(
    "/patients/{patient_id}/episodes/{episode_id}/pathways/{pathway_id}/end",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=MANAGE,
)
def end_pathway(
    patient_id: int,
    episode_id: int,
    pathway_id: int,
    body: EpisodeEnd,
    ctx: ContextDep,
    uow: UowDep,
) -> None:
    svc.end_pathway(uow, ctx, patient_id, episode_id, pathway_id, ended_on=body.ended_on)


@router.post(
    "/patients/{patient_id}/episodes/{episode_id}/reviews",
    status_code=status.HTTP_201_CREATED,
    dependencies=SEND,
)
def open_review(patient_id: int, episode_id: int, ctx: ContextDep, uow: UowDep) -> Created:
    return Created(id=svc.open_next_review(uow, ctx, patient_id, episode_id))


@router.post(
    "/patients/{patient_id}/episodes/{episode_id}/points/{point_id}/bundle",
    status_code=status.HTTP_201_CREATED,
    dependencies=SEND,
)
def send_bundle(
    patient_id: int, episode_id: int, point_id: int, ctx: ContextDep, uow: UowDep
) -> Created:
    return Created(id=svc.send_point_bundle(uow, ctx, patient_id, episode_id, point_id))


@router.post(
    "/patients/{patient_id}/episodes/{episode_id}/points/{point_id}/link",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=SEND,
)
def link_bundle(
    patient_id: int,
    episode_id: int,
    point_id: int,
    body: BundleLink,
    ctx: ContextDep,
    uow: UowDep,
) -> None:
    svc.link_bundle(uow, ctx, patient_id, episode_id, point_id, body.bundle_id)


@router.get("/episodes/worklist")
def worklist(
    ctx: ContextDep,
    uow: UowDep,
    show: svc.Show = svc.Show.DUE,
    point: svc.PointKind | None = None,
    team_id: int | None = None,
    progress: svc.Progress = svc.Progress.ANY,
    name: str = "",
) -> list[WorkLineRead]:
    data = svc.worklist(
        uow, ctx, show=show, point=point, team_id=team_id, progress=progress, name=name[:80]
    )
    return [
        WorkLineRead(
            patient_id=w.line.patient_id,
            patient_name=w.line.patient_name,
            bundle_id=w.line.bundle_id,
            bundle_code=w.line.bundle_code,
            point=w.point,
            point_label=w.point_label,
            due_on=w.line.due_on,
            is_overdue=w.line.is_overdue,
            done=w.line.total_count - w.line.open_count,
            total=w.line.total_count,
            is_reminding=w.is_reminding,
        )
        for w in data.lines
    ]


@router.post("/bundles/{bundle_id}/reminders", status_code=status.HTTP_201_CREATED)
def remind(bundle_id: int, body: ReminderCreate, ctx: ContextDep, uow: UowDep) -> ReminderRead:
    r = svc.remind_bundle(uow, ctx, bundle_id, body.channel)
    return ReminderRead(
        bundle_id=r.bundle_id, channel=r.channel, plan_id=r.plan_id, task_id=r.task_id
    )


# --- intake -------------------------------------------------------------------------------------

INTAKE_WRITE = [Depends(patient_guard(Kind.CLINICAL_NOTE, Action.WRITE))]
SectionText = Annotated[str, Field(max_length=intake.MAX_SECTION_CHARS)]


class IntakeUpdate(_Schema):
    answers: dict[Annotated[str, Field(max_length=32)], SectionText] = Field(
        min_length=1, max_length=len(intake.SECTIONS)
    )


class StepRead(_Schema):
    code: str
    title: str
    state: intake.StepState
    detail: str


class IntakeRead(_Schema):
    patient_id: int
    episode_id: int | None
    answers: dict[str, str]
    revision: int
    steps: list[StepRead]


def _intake(view: intake.IntakeView) -> IntakeRead:
    return IntakeRead(
        patient_id=view.patient_id,
        episode_id=view.episode_id,
        answers=view.answers,
        revision=view.revision,
        steps=[
            StepRead(code=s.code, title=s.title, state=s.state, detail=s.detail) for s in view.steps
        ],
    )


@router.get("/patients/{patient_id}/intake")
def get_intake(patient_id: int, ctx: ContextDep, uow: UowDep) -> IntakeRead:
    return _intake(intake.get_intake(uow, ctx, patient_id))


@router.put("/patients/{patient_id}/intake", dependencies=INTAKE_WRITE)
def put_intake(patient_id: int, body: IntakeUpdate, ctx: ContextDep, uow: UowDep) -> IntakeRead:
    return _intake(intake.save_intake(uow, ctx, patient_id, dict(body.answers)))
