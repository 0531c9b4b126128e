"""Emergency (break-the-glass) access and the patient's view of who opened their record."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from painpath.http.deps import ActiveSessionDep, ContainerDep, ContextDep, UowDep
from painpath.services import access, access_log
from painpath.services.errors import InvalidInput, NotFound
from painpath.web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/break-glass")
def break_glass_form(request: Request, active: ActiveSessionDep) -> HTMLResponse:
    return _form(request, active, error=None, mrn="")


def _form(
    request: Request, active: ActiveSessionDep, *, error: str | None, mrn: str, status: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "access/break_glass.html",
        {"active": active, "csrf_token": active.csrf_token, "error": error, "mrn": mrn},
        status_code=status,
    )


@router.post("/break-glass")
def break_glass(
    request: Request,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    mrn: Annotated[str, Form(max_length=32)],
    reason: Annotated[str, Form(max_length=1000)],
    minutes: Annotated[int, Form(ge=5, le=240)] = 60,
) -> Response:
    try:
        patient_id = access.break_the_glass(
            uow, ctx, mrn=mrn, reason=reason, duration=timedelta(minutes=minutes)
        )
    except (InvalidInput, NotFound) as exc:
        return _form(request, active, error=str(exc), mrn=mrn, status=422)
    return RedirectResponse(f"/patients/{patient_id}", status_code=303)


@router.get("/patients/{patient_id}/access-log")
def access_log_page(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> HTMLResponse:
    entries = access_log.access_log(uow, ctx, patient_id)
    return templates.TemplateResponse(
        request,
        "access/access_log.html",
        {
            "active": active,
            "csrf_token": active.csrf_token,
            "entries": entries,
            "patient_id": patient_id,
            "zone": container.settings.clinic_timezone,
        },
    )
