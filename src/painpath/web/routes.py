"""Server-rendered pages. Thin: parse the form, call one service, render."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from painpath.http.deps import (
    SESSION_COOKIE,
    ActiveSessionDep,
    ContainerDep,
    ContextDep,
    UowDep,
    client_ip,
)
from painpath.records.enums import Role, Sex, Side
from painpath.security import tokens
from painpath.security.policy import Action, Kind
from painpath.services import auth, notes, patients
from painpath.services.access import role_may
from painpath.services.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from painpath.web.sections import render_sections
from painpath.web.templating import form_fields, render

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "painpath_login_csrf"
E = TypeVar("E", Sex, Side)


def _safe_next(value: str | None) -> str:
    # Only same-site relative paths: never an open redirect.
    if value and value.startswith("/") and not value.startswith("//"):
        return value
    return "/"


@router.get("/login")
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return _login_form(request, next_url=next)


def _login_form(
    request: Request,
    *,
    next_url: str,
    error: str | None = None,
    username: str = "",
    status: int = 200,
) -> HTMLResponse:
    login_csrf = request.cookies.get(LOGIN_CSRF_COOKIE) or tokens.new_token()
    response = render(
        request,
        "pages/login.html",
        status_code=status,
        login_csrf=login_csrf,
        next=_safe_next(next_url),
        error=error,
        username=username,
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, login_csrf, httponly=True, samesite="strict")
    return response


def _check_login_csrf(request: Request, given: str) -> None:
    if not tokens.tokens_match(request.cookies.get(LOGIN_CSRF_COOKIE) or "", given):
        raise PermissionDenied("the sign-in form expired; reload the page and try again")


@router.post("/login")
def login(
    request: Request,
    container: ContainerDep,
    uow: UowDep,
    username: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    _check_login_csrf(request, csrf_token)
    try:
        signed = auth.sign_in(
            uow,
            username=username,
            password=password,
            client_ip=client_ip(request),
            now=container.clock(),
            policy=container.login_policy,
        )
    except AuthenticationFailed:
        return _login_form(
            request,
            next_url=next,
            error="That e-mail and password do not match an active account.",
            username=username,
            status=401,
        )
    target = "/login/totp" if signed.needs_second_factor else _safe_next(next)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signed.token,
        httponly=True,
        samesite="lax",
        secure=container.settings.cookie_secure,
        max_age=int(container.login_policy.session_lifetime.total_seconds()),
    )
    return response


@router.get("/login/totp")
def totp_page(request: Request) -> HTMLResponse:
    login_csrf = request.cookies.get(LOGIN_CSRF_COOKIE) or tokens.new_token()
    response = render(request, "pages/totp.html", login_csrf=login_csrf)
    response.set_cookie(LOGIN_CSRF_COOKIE, login_csrf, httponly=True, samesite="strict")
    return response


@router.post("/login/totp")
def totp_submit(
    request: Request,
    container: ContainerDep,
    uow: UowDep,
    code: Annotated[str, Form(max_length=8)],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    _check_login_csrf(request, csrf_token)
    try:
        auth.confirm_second_factor(
            uow, token=request.cookies.get(SESSION_COOKIE) or "", code=code, now=container.clock()
        )
    except AuthenticationFailed as exc:
        return render(
            request, "pages/totp.html", status_code=401, login_csrf=csrf_token, error=str(exc)
        )
    return RedirectResponse("/", status_code=303)


@router.post("/logout")
def logout(
    request: Request, container: ContainerDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    auth.sign_out(uow, token=request.cookies.get(SESSION_COOKIE) or "", now=container.clock())
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
def home(active: ActiveSessionDep) -> Response:
    if active.actor.role is Role.PATIENT:
        return RedirectResponse("/me", status_code=303)
    return RedirectResponse("/patients", status_code=303)


@router.get("/patients")
def patient_list(
    request: Request,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    q: Annotated[str, Query(max_length=100)] = "",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    page = patients.list_patients(uow, ctx, search=q, limit=25, offset=offset)
    return render(
        request,
        "pages/patients.html",
        active=active,
        page=page,
        q=q,
        can_register=role_may(active.actor.role, Kind.DEMOGRAPHICS, Action.WRITE)
        and active.actor.role is not Role.PATIENT,
    )


@router.get("/patients/new")
def new_patient_form(
    request: Request, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> HTMLResponse:
    return _new_patient_form(request, ctx, uow, active, form={}, error=None)


def _new_patient_form(
    request: Request,
    ctx: Any,
    uow: Any,
    active: auth.ActiveSession,
    *,
    form: dict[str, str],
    error: str | None,
) -> HTMLResponse:
    return render(
        request,
        "pages/patient_new.html",
        status_code=422 if error else 200,
        active=active,
        form=form,
        error=error,
        teams=patients.list_care_teams(uow, ctx),
        sexes=list(Sex),
        sides=list(Side),
    )


@router.post("/patients")
async def register_patient(
    request: Request, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    form = await form_fields(request)
    try:
        data = patients.PatientInput(
            given_name=form.get("given_name", ""),
            family_name=form.get("family_name", ""),
            born_on=_parse_date(form.get("born_on", ""), "date of birth"),
            sex=_parse_choice(Sex, form.get("sex", ""), "sex"),
            care_team_id=_parse_int(form.get("care_team_id", ""), "care team"),
            timezone=form.get("timezone", "UTC") or "UTC",
        )
        injury = patients.InjuryInput(
            mechanism=form.get("mechanism", ""),
            injured_on=_parse_date(form.get("injured_on", ""), "date of injury"),
            body_region=form.get("body_region", ""),
            side=_parse_choice(Side, form.get("side", ""), "side"),
            nerves=form.get("nerves", "").split(","),
        )
        created = patients.register_patient(uow, ctx, data, [injury])
    except InvalidInput as exc:
        return _new_patient_form(request, ctx, uow, active, form=form, error=str(exc))
    return RedirectResponse(f"/patients/{created.id}", status_code=303)


def _parse_date(value: str, label: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{label} must be a date like 2025-03-31") from exc


def _parse_int(value: str, label: str) -> int:
    if not value.isdigit():
        raise InvalidInput(f"choose a {label}")
    return int(value)


def _parse_choice(cls: type[E], value: str, label: str) -> E:
    try:
        return cls(value)
    except ValueError as exc:
        raise InvalidInput(f"choose a valid {label}") from exc


@router.get("/patients/{patient_id}")
def patient_page(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> HTMLResponse:
    overview = patients.get_overview(uow, ctx, patient_id)
    role = active.actor.role
    can_read_notes = role_may(role, Kind.CLINICAL_NOTE, Action.READ) and role is not Role.PATIENT
    note_list = notes.list_notes(uow, ctx, patient_id) if can_read_notes else None
    return render(
        request,
        "pages/patient.html",
        active=active,
        p=overview,
        notes=note_list,
        can_write_note=role_may(role, Kind.CLINICAL_NOTE, Action.WRITE)
        and role is not Role.PATIENT,
        sections=render_sections(uow, ctx, patient_id),
        today=ctx.now().date(),
        viewer_zone=overview.timezone
        if role is Role.PATIENT
        else container.settings.clinic_timezone,
    )


@router.post("/patients/{patient_id}/notes")
def add_note(
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    title: Annotated[str, Form(max_length=200)],
    body: Annotated[str, Form(max_length=20000)],
    is_clinician_only: Annotated[str, Form()] = "",
) -> Response:
    notes.add_note(
        uow, ctx, patient_id, title=title, body=body, is_clinician_only=is_clinician_only == "1"
    )
    return RedirectResponse(f"/patients/{patient_id}#h-notes", status_code=303)
