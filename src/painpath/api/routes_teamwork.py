"""JSON API for templated notes and co-signature, the return-to-work plan, insurer reports
(patient approval before release) and community resources. Services authorise and audit."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from painpath.http.deps import ContextDep, UowDep, patient_guard
from painpath.security.policy import Action, Kind
from painpath.services import note_templates, resources, return_to_work

router = APIRouter(prefix="/api/v1", tags=["teamwork"])

WRITE_NOTE = [Depends(patient_guard(Kind.CLINICAL_NOTE, Action.WRITE))]
WRITE_PLAN = [Depends(patient_guard(Kind.CARE_PLAN, Action.WRITE))]
Short = Annotated[str, StringConstraints(max_length=300)]
Text = Annotated[str, StringConstraints(max_length=4000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TemplatedNoteIn(Strict):
    template: str = Field(max_length=48)
    fields: dict[str, Text]
    is_clinician_only: bool = False


class WeekIn(Strict):
    hours_per_day: int = Field(ge=0, le=return_to_work.MAX_HOURS_PER_DAY)
    days_per_week: int = Field(ge=0, le=7)
    duties: Text = ""


class DemandIn(Strict):
    demand: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    detail: Short = ""


class PlanIn(Strict):
    work_status: return_to_work.WorkStatus
    job_title: Annotated[str, StringConstraints(max_length=200)] = ""
    employer: Annotated[str, StringConstraints(max_length=200)] = ""
    demands: list[DemandIn] = Field(default_factory=list, max_length=20)
    restrictions: list[Short] = Field(default_factory=list, max_length=20)
    weeks: list[WeekIn] = Field(default_factory=list, max_length=return_to_work.MAX_WEEKS)
    start_on: date | None = None
    review_on: date | None = None


class ReportIn(Strict):
    recipient: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    period_from: date
    period_to: date


class DecisionIn(Strict):
    decision: Literal["approve", "decline"]
    comment: Annotated[str, StringConstraints(max_length=2000)] = ""


class RecommendIn(Strict):
    resource_id: int
    note: Annotated[str, StringConstraints(max_length=1000)] = ""


class FinancialIn(Strict):
    kind: resources.FinancialKind
    text: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    is_cost_effective_alternative: bool = False


def _dump(value: Any) -> dict[str, Any]:
    return dataclasses.asdict(value)


@router.get("/note-templates")
def note_template_list(ctx: ContextDep) -> list[dict[str, Any]]:
    return [_dump(t) for t in note_templates.TEMPLATES.values()]


@router.get("/patients/{patient_id}/team-notes")
def team_notes(patient_id: int, ctx: ContextDep, uow: UowDep) -> list[dict[str, Any]]:
    return [
        {**_dump(n), "is_cosign_pending": n.is_cosign_pending}
        for n in note_templates.list_team_notes(uow, ctx, patient_id)
    ]


@router.post(
    "/patients/{patient_id}/team-notes",
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE_NOTE,
)
def write_note(
    patient_id: int, body: TemplatedNoteIn, ctx: ContextDep, uow: UowDep
) -> dict[str, Any]:
    view = note_templates.write_templated_note(
        uow, ctx, patient_id, body.template, body.fields, is_clinician_only=body.is_clinician_only
    )
    return {**_dump(view), "is_cosign_pending": view.is_cosign_pending}


@router.post("/team-notes/{note_id}/cosign")
def cosign(note_id: int, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    view = note_templates.cosign_note(uow, ctx, note_id)
    return {**_dump(view), "is_cosign_pending": view.is_cosign_pending}


@router.get("/patients/{patient_id}/return-to-work")
def get_plan(patient_id: int, ctx: ContextDep, uow: UowDep) -> dict[str, Any] | None:
    plan = return_to_work.get_plan(uow, ctx, patient_id)
    return _dump(plan) if plan else None


@router.put("/patients/{patient_id}/return-to-work", dependencies=WRITE_PLAN)
def put_plan(patient_id: int, body: PlanIn, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    plan = return_to_work.save_plan(
        uow,
        ctx,
        patient_id,
        return_to_work.PlanInput(
            work_status=body.work_status,
            job_title=body.job_title,
            employer=body.employer,
            demands=[(d.demand, d.detail) for d in body.demands],
            restrictions=list(body.restrictions),
            weeks=[
                return_to_work.WeekInput(w.hours_per_day, w.days_per_week, w.duties)
                for w in body.weeks
            ],
            start_on=body.start_on,
            review_on=body.review_on,
        ),
    )
    return _dump(plan)


@router.get("/patients/{patient_id}/insurer-reports")
def reports(patient_id: int, ctx: ContextDep, uow: UowDep) -> list[dict[str, Any]]:
    return [_dump(r) for r in return_to_work.list_reports(uow, ctx, patient_id)]


@router.post(
    "/patients/{patient_id}/insurer-reports",
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE_PLAN,
)
def draft_report(patient_id: int, body: ReportIn, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    view = return_to_work.draft_report(
        uow,
        ctx,
        patient_id,
        recipient=body.recipient,
        period_from=body.period_from,
        period_to=body.period_to,
    )
    return _dump(view)


@router.post("/insurer-reports/{report_id}/decision")
def decide(report_id: int, body: DecisionIn, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    view = return_to_work.decide_report(
        uow, ctx, report_id, approve=body.decision == "approve", comment=body.comment
    )
    return _dump(view)


@router.get("/insurer-reports/{report_id}/pdf")
def release(report_id: int, ctx: ContextDep, uow: UowDep) -> Response:
    """Staff: the released PDF (409 until the patient approves). Patient: her preview."""
    if ctx.actor.role.value == "patient":
        body = return_to_work.preview_pdf(uow, ctx, report_id)
    else:
        body = return_to_work.release_report(uow, ctx, report_id)
    return Response(body, media_type="application/pdf")


@router.get("/resources")
def search(
    ctx: ContextDep,
    uow: UowDep,
    q: Annotated[str, Query(max_length=200)] = "",
    region: Annotated[str, Query(max_length=100)] = "",
    need: Annotated[str, Query(max_length=48)] = "",
) -> list[dict[str, Any]]:
    return [
        _dump(r) for r in resources.search_resources(uow, ctx, text=q, region=region, need=need)
    ]


@router.get("/patients/{patient_id}/resources")
def patient_resources(patient_id: int, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    return _dump(resources.patient_resources(uow, ctx, patient_id))


@router.post(
    "/patients/{patient_id}/resources",
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE_NOTE,
)
def recommend(patient_id: int, body: RecommendIn, ctx: ContextDep, uow: UowDep) -> dict[str, int]:
    rec_id = resources.recommend_resource(uow, ctx, patient_id, body.resource_id, note=body.note)
    return {"id": rec_id}


@router.post(
    "/patients/{patient_id}/financial-notes",
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE_NOTE,
)
def financial_note(
    patient_id: int, body: FinancialIn, ctx: ContextDep, uow: UowDep
) -> dict[str, int]:
    note_id = resources.add_financial_note(
        uow,
        ctx,
        patient_id,
        kind=body.kind,
        text=body.text,
        is_cost_effective_alternative=body.is_cost_effective_alternative,
    )
    return {"id": note_id}
