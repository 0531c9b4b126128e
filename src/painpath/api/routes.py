"""JSON API under /api/v1. Routes parse, call one service, shape the answer; no rules here."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status

from painpath.api.schemas import (
    ChainReportRead,
    ComorbidityCreate,
    ComorbidityRead,
    InjuryCreate,
    InjuryRead,
    MeRead,
    NoteCreate,
    NoteRead,
    PageRead,
    PatientCreate,
    PatientRead,
    PatientSummaryRead,
    PatientUpdate,
    Problem,
    TokenRead,
    TokenRequest,
)
from painpath.http.deps import (
    ActiveSessionDep,
    ContainerDep,
    ContextDep,
    UowDep,
    client_ip,
    patient_guard,
)
from painpath.security.policy import Action, Kind
from painpath.services import audit, auth, notes, patients
from painpath.services.access import require_role_grant
from painpath.services.errors import AuthenticationFailed

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "content": {"application/problem+json": {}}}
    for code in (400, 401, 403, 404, 409, 413, 422, 429)
}
router = APIRouter(prefix="/api/v1", responses=ERRORS)
Limit = Annotated[int, Query(ge=1, le=patients.MAX_PAGE)]
Offset = Annotated[int, Query(ge=0)]


def _plain(value: Any) -> dict[str, Any]:
    return dataclasses.asdict(value)


@router.post("/auth/token", response_model=TokenRead, tags=["auth"])
def issue_token(
    body: TokenRequest, request: Request, container: ContainerDep, uow: UowDep
) -> TokenRead:
    """Exchange credentials (and the TOTP code when enrolled) for a bearer token."""
    now = container.clock()
    signed = auth.sign_in(
        uow,
        username=body.username,
        password=body.password,
        client_ip=client_ip(request),
        now=now,
        policy=container.login_policy,
    )
    if signed.needs_second_factor:
        if not body.totp_code:
            raise AuthenticationFailed("this account needs totp_code")
        auth.confirm_second_factor(uow, token=signed.token, code=body.totp_code, now=now)
    return TokenRead(access_token=signed.token)


@router.get("/me", response_model=MeRead, tags=["auth"])
def me(active: ActiveSessionDep) -> MeRead:
    actor = active.actor
    return MeRead(
        user_id=actor.user_id,
        username=actor.username,
        full_name=active.full_name,
        role=actor.role,
        patient_id=actor.patient_id,
        care_team_ids=sorted(actor.team_ids),
    )


@router.get("/patients", response_model=PageRead[PatientSummaryRead], tags=["patients"])
def list_patients(
    ctx: ContextDep,
    uow: UowDep,
    response: Response,
    request: Request,
    limit: Limit = 25,
    offset: Offset = 0,
    q: Annotated[str, Query(max_length=100)] = "",
) -> dict[str, Any]:
    page = patients.list_patients(uow, ctx, search=q, limit=limit, offset=offset)
    if page.offset + page.limit < page.total:
        next_url = request.url.include_query_params(offset=page.offset + page.limit)
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return _plain(page)


@router.post(
    "/patients",
    response_model=PatientRead,
    status_code=status.HTTP_201_CREATED,
    tags=["patients"],
)
def register_patient(body: PatientCreate, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    data = body.model_dump(exclude={"injuries"})
    injuries = [patients.InjuryInput(**i.model_dump()) for i in body.injuries]
    return _plain(patients.register_patient(uow, ctx, patients.PatientInput(**data), injuries))


@router.get("/patients/{patient_id}", response_model=PatientRead, tags=["patients"])
def read_patient(patient_id: int, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    return _plain(patients.get_overview(uow, ctx, patient_id))


@router.patch(
    "/patients/{patient_id}",
    response_model=PatientRead,
    tags=["patients"],
    dependencies=[Depends(patient_guard(Kind.DEMOGRAPHICS, Action.WRITE))],
)
def update_patient(
    patient_id: int, body: PatientUpdate, ctx: ContextDep, uow: UowDep
) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    return _plain(patients.update_patient(uow, ctx, patient_id, changes))


@router.post(
    "/patients/{patient_id}/injuries",
    dependencies=[Depends(patient_guard(Kind.DEMOGRAPHICS, Action.WRITE))],
    response_model=InjuryRead,
    status_code=status.HTTP_201_CREATED,
    tags=["patients"],
)
def add_injury(patient_id: int, body: InjuryCreate, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    return _plain(
        patients.add_injury(uow, ctx, patient_id, patients.InjuryInput(**body.model_dump()))
    )


@router.post(
    "/patients/{patient_id}/comorbidities",
    dependencies=[Depends(patient_guard(Kind.DEMOGRAPHICS, Action.WRITE))],
    response_model=ComorbidityRead,
    status_code=status.HTTP_201_CREATED,
    tags=["patients"],
)
def add_comorbidity(
    patient_id: int, body: ComorbidityCreate, ctx: ContextDep, uow: UowDep
) -> dict[str, Any]:
    return _plain(patients.add_comorbidity(uow, ctx, patient_id, **body.model_dump()))


@router.get("/patients/{patient_id}/notes", response_model=list[NoteRead], tags=["notes"])
def list_notes(patient_id: int, ctx: ContextDep, uow: UowDep) -> list[dict[str, Any]]:
    return [_plain(n) for n in notes.list_notes(uow, ctx, patient_id)]


@router.post(
    "/patients/{patient_id}/notes",
    dependencies=[Depends(patient_guard(Kind.CLINICAL_NOTE, Action.WRITE))],
    response_model=NoteRead,
    status_code=status.HTTP_201_CREATED,
    tags=["notes"],
)
def add_note(patient_id: int, body: NoteCreate, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    return _plain(notes.add_note(uow, ctx, patient_id, **body.model_dump()))


@router.get("/audit/verify", response_model=ChainReportRead, tags=["audit"])
def verify_audit(ctx: ContextDep, uow: UowDep) -> ChainReportRead:
    require_role_grant(ctx, Kind.AUDIT_LOG, Action.READ)
    report = audit.verify_chain(uow)
    return ChainReportRead(
        intact=report.is_intact,
        checked=report.checked,
        first_broken_seq=report.first_broken_seq,
        problem=report.problem,
    )
