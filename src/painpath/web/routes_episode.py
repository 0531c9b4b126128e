"""Episode pages: the patient's episode of care with its collection points and bundles, the
intake workflow, the printable pre-visit report, and the coordinator's filtered worklist with
one-click reminders."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import escape

from painpath.http.deps import ActiveSessionDep, ContextDep, UowDep, patient_guard
from painpath.security.policy import Action, Kind
from painpath.services import episodes as svc
from painpath.services import intake, previsit
from painpath.services.errors import InvalidInput
from painpath.services.patients import get_overview
from painpath.web.sections import PatientSection, register_section
from painpath.web.templating import templates

router = APIRouter(include_in_schema=False)

MANAGE_GUARD = [Depends(patient_guard(Kind.DEMOGRAPHICS, Action.WRITE))]
SEND_GUARD = [Depends(patient_guard(Kind.TASK, Action.WRITE))]

register_section(
    PatientSection(
        "episode",
        "Episode of care",
        5,
        "No episode of care yet.",
        link="/patients/{patient_id}/episodes",
        link_text="Open episode",
        summary=svc.summary_lines,
    )
)

NOTICES = {
    "opened": "Episode opened at referral.",
    "started": "Episode started.",
    "ended": "Episode ended; the follow-up point is planned.",
    "pathway": "Pathway saved.",
    "sent": "Bundle sent for this collection point.",
    "linked": "Bundle tied to this collection point.",
    "review": "Review point opened and its bundle sent.",
}


def _render(request: Request, template: str, active: Any, **context: Any) -> HTMLResponse:
    context.update(active=active, csrf_token=active.csrf_token)
    return templates.TemplateResponse(request, template, context)


def _back(patient_id: int, notice: str) -> Response:
    return RedirectResponse(f"/patients/{patient_id}/episodes?notice={notice}", status_code=303)


@router.get("/patients/{patient_id}/episodes")
def episodes_page(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    notice: str = "",
) -> HTMLResponse:
    data = svc.list_episodes(uow, ctx, patient_id)
    patient = get_overview(uow, ctx, patient_id)
    return _render(
        request,
        "episode/episode.html",
        active,
        p=patient,
        data=data,
        notice=NOTICES.get(notice, ""),
        today=ctx.now().date(),
        pathway_kinds=list(svc.PathwayKind),
    )


@router.post("/patients/{patient_id}/episodes", dependencies=MANAGE_GUARD)
def open_episode(
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    referred_on: Annotated[date, Form()],
    referral_source: Annotated[str, Form(max_length=120)] = "",
    review_every_weeks: Annotated[int, Form(ge=1, le=104)] = svc.DEFAULT_REVIEW_WEEKS,
) -> Response:
    svc.open_episode(
        uow,
        ctx,
        patient_id,
        referred_on=referred_on,
        referral_source=referral_source,
        review_every_weeks=review_every_weeks,
    )
    return _back(patient_id, "opened")


@router.post("/patients/{patient_id}/episodes/{episode_id}/start", dependencies=MANAGE_GUARD)
def start_episode(
    patient_id: int,
    episode_id: int,
    ctx: ContextDep,
    uow: UowDep,
    started_on: Annotated[date, Form()],
) -> Response:
    svc.start_episode(uow, ctx, patient_id, episode_id, started_on=started_on)
    return _back(patient_id, "started")


@router.post("/patients/{patient_id}/episodes/{episode_id}/end", dependencies=MANAGE_GUARD)
def end_episode(
    patient_id: int,
    episode_id: int,
    ctx: ContextDep,
    uow: UowDep,
    ended_on: Annotated[date, Form()],
) -> Response:
    svc.end_episode(uow, ctx, patient_id, episode_id, ended_on=ended_on)
    return _back(patient_id, "ended")


@router.post("/patients/{patient_id}/episodes/{episode_id}/pathways", dependencies=MANAGE_GUARD)
def add_pathway(
    patient_id: int,
    episode_id: int,
    ctx: ContextDep,
    uow: UowDep,
    kind: Annotated[str, Form(max_length=32)],
    started_on: Annotated[date, Form()],
    label: Annotated[str, Form(max_length=120)] = "",
) -> Response:
    try:
        pathway_kind = svc.PathwayKind(kind)
    except ValueError as exc:
        raise InvalidInput("choose a pathway type") from exc
    svc.add_pathway(
        uow, ctx, patient_id, episode_id, kind=pathway_kind, label=label, started_on=started_on
    )
    return _back(patient_id, "pathway")


@router.post(
    "/patients/{patient_id}/episodes/{episode_id}/pathways/{pathway_id}/end",
    dependencies=MANAGE_GUARD,
)
def end_pathway(
    patient_id: int,
    episode_id: int,
    pathway_id: int,
    ctx: ContextDep,
    uow: UowDep,
    ended_on: Annotated[date, Form()],
) -> Response:
    svc.end_pathway(uow, ctx, patient_id, episode_id, pathway_id, ended_on=ended_on)
    return _back(patient_id, "pathway")


@router.post("/patients/{patient_id}/episodes/{episode_id}/reviews", dependencies=SEND_GUARD)
def open_review(patient_id: int, episode_id: int, ctx: ContextDep, uow: UowDep) -> Response:
    svc.open_next_review(uow, ctx, patient_id, episode_id)
    return _back(patient_id, "review")


@router.post(
    "/patients/{patient_id}/episodes/{episode_id}/points/{point_id}/bundle",
    dependencies=SEND_GUARD,
)
def send_bundle(
    patient_id: int, episode_id: int, point_id: int, ctx: ContextDep, uow: UowDep
) -> Response:
    svc.send_point_bundle(uow, ctx, patient_id, episode_id, point_id)
    return _back(patient_id, "sent")


@router.post(
    "/patients/{patient_id}/episodes/{episode_id}/points/{point_id}/link",
    dependencies=SEND_GUARD,
)
def link_bundle(
    patient_id: int,
    episode_id: int,
    point_id: int,
    ctx: ContextDep,
    uow: UowDep,
    bundle_id: Annotated[int, Form()],
) -> Response:
    svc.link_bundle(uow, ctx, patient_id, episode_id, point_id, bundle_id)
    return _back(patient_id, "linked")


# --- coordinator worklist -----------------------------------------------------------------------


def _choice(value: str, kind: type[Any]) -> Any:
    try:
        return kind(value)
    except ValueError:
        return None


@router.get("/episodes/worklist")
def worklist_page(
    request: Request,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    show: str = "due",
    point: str = "",
    team: str = "",
    progress: str = "",
    name: str = "",
    notice: str = "",
) -> HTMLResponse:
    shown = _choice(show, svc.Show) or svc.Show.DUE
    chosen_point = _choice(point, svc.PointKind) if point else None
    chosen_progress = _choice(progress, svc.Progress) or svc.Progress.ANY
    team_id = int(team) if team.isdigit() else None
    data = svc.worklist(
        uow,
        ctx,
        show=shown,
        point=chosen_point,
        team_id=team_id,
        progress=chosen_progress,
        name=name[:80],
    )
    return _render(
        request,
        "episode/worklist.html",
        active,
        data=data,
        show=shown,
        point=chosen_point,
        team_id=team_id,
        progress=chosen_progress,
        name=name[:80],
        notice=notice,
        today=ctx.now().date(),
        query=request.url.query,
    )


@router.post("/episodes/bundles/{bundle_id}/reminders")
def remind(
    bundle_id: int,
    ctx: ContextDep,
    uow: UowDep,
    channel: Annotated[str, Form(max_length=16)],
    back: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    chosen = _choice(channel, svc.ReminderChannel)
    if chosen is None:
        raise InvalidInput("choose in-app, e-mail or a task")
    svc.remind_bundle(uow, ctx, bundle_id, chosen)
    query = back if back and "\n" not in back and "//" not in back else ""
    separator = "&" if query else ""
    return RedirectResponse(
        f"/episodes/worklist?{query}{separator}notice=reminded-{chosen.value}", status_code=303
    )


# --- intake -------------------------------------------------------------------------------------

INTAKE_GUARD = [Depends(patient_guard(Kind.CLINICAL_NOTE, Action.WRITE))]


@router.get("/patients/{patient_id}/intake")
def intake_page(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    notice: str = "",
) -> HTMLResponse:
    view = intake.get_intake(uow, ctx, patient_id)
    patient = get_overview(uow, ctx, patient_id)
    return _render(
        request,
        "episode/intake.html",
        active,
        p=patient,
        view=view,
        sections=intake.SECTIONS,
        notice=notice,
    )


@router.post("/patients/{patient_id}/intake", dependencies=INTAKE_GUARD)
async def save_intake(request: Request, patient_id: int, ctx: ContextDep, uow: UowDep) -> Response:
    form = await request.form()
    answers = {
        s.code: str(form.get(s.code, ""))
        for s in intake.SECTIONS
        if isinstance(form.get(s.code), str)
    }
    view = await run_in_threadpool(intake.save_intake, uow, ctx, patient_id, answers)
    if request.headers.get("HX-Request"):
        saved = ", ".join(s.label for s in intake.SECTIONS if s.code in answers)
        return HTMLResponse(
            f'<span class="saved">Saved {escape(saved)} (version {view.revision})</span>'
        )
    return RedirectResponse(f"/patients/{patient_id}/intake?notice=saved", status_code=303)


# --- pre-visit report ---------------------------------------------------------------------------


@router.get("/patients/{patient_id}/previsit-report.pdf")
def previsit_report(patient_id: int, ctx: ContextDep, uow: UowDep) -> Response:
    report = previsit.build_report(uow, ctx, patient_id)
    return Response(
        previsit.previsit_pdf(report),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="previsit-{patient_id}.pdf"',
            "Cache-Control": "no-store",
        },
    )
