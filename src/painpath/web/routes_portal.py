"""Patient portal pages: My day (diary), diary history with charts and exports, journal,
and the team's monitoring dashboard. Thin: parse, call one service, render."""

from __future__ import annotations

import gettext
import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.support import Translations
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from painpath.clinical.bodymap.regions import REGIONS
from painpath.http.deps import ActiveSessionDep, ContainerDep, ContextDep, UowDep, patient_guard
from painpath.records.enums import Role
from painpath.records.models import Patient
from painpath.security.policy import Action, Kind
from painpath.services import (
    diary,
    journal,
    lessons,
    monitoring,
    monitoring_feeds,
    patients,
    reminders,
)
from painpath.services.access import authorize_patient, role_may
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput
from painpath.services.uow import UnitOfWork
from painpath.web.portal_charts import EventMarker, Point, chart, trend_words
from painpath.web.sections import PatientSection, register_section
from painpath.web.templating import templates

router = APIRouter(include_in_schema=False)


def clock_time(value: datetime, zone: str = "UTC") -> str:
    """Wall-clock time in the viewer's zone, for lists of one day."""
    return value.astimezone(ZoneInfo(zone)).strftime("%H:%M")


templates.env.filters.setdefault("clock_time", clock_time)
REGION_CHOICES = sorted(((code, r.label) for code, r in REGIONS.items()), key=lambda c: c[1])
CHART_RANGES = (30, 90)
LATEST_ENTRIES = 14


LOCALE_DIR = Path(__file__).parent / "portal_locale"


def N_(message: str) -> str:  # noqa: N802  (gettext's "mark for translation" convention)
    return message


# Words shown through _() from data (diary scales, chart headings, reminder kinds), listed here
# so that Babel extracts them into the catalogue.
_CATALOGUE_WORDS = (
    N_("very poor"),
    N_("poor"),
    N_("OK"),
    N_("good"),
    N_("very good"),
    N_("very low"),
    N_("low"),
    N_("Medicine"),
    N_("Exercises"),
    N_("Questionnaire"),
)
LANG_COOKIE = "painpath_lang"


@lru_cache(maxsize=8)
def _translations(language: str) -> gettext.NullTranslations:
    if language == lessons.DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    return Translations.load(str(LOCALE_DIR), [language], domain="portal")


def gettext_for(language: str) -> Callable[..., str]:
    """``_("text", name=...)`` for templates: the catalogue's text, %-formatted with keywords."""
    translations = _translations(language)

    def translate(message: str, **values: object) -> str:
        text = translations.gettext(message)
        return text % values if values else text

    return translate


def ui_language(request: Request, uow: UnitOfWork, active: Any) -> str:
    """?lang=, then the choice remembered in a cookie, then the patient's preferred language."""
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if asked:
        return lessons.language_for(asked)
    if active is not None and active.actor.patient_id is not None:
        patient = uow.session.get(Patient, active.actor.patient_id)
        return lessons.language_for(patient.preferred_language if patient else None)
    return lessons.DEFAULT_LANGUAGE


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    active = context.get("active")
    context.setdefault("csrf_token", active.csrf_token if active else None)
    language = context.setdefault("lang", lessons.DEFAULT_LANGUAGE)
    context["_"] = gettext_for(language)
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    if request.query_params.get("lang"):
        response.set_cookie(LANG_COOKIE, language, httponly=True, samesite="lax")
    return response


def _zone(active: Any, patient_zone: str, clinic_zone: str) -> str:
    return patient_zone if active.actor.role is Role.PATIENT else clinic_zone


# ---- overview card -------------------------------------------------------------------------


def _overview_lines(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[str] | None:
    if not role_may(ctx.actor.role, Kind.DIARY, Action.READ):
        return None
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.DIARY, Action.READ, audit_action="diary.summary"
    )
    summary = diary.summarize(uow, patient, ctx.now())
    lines: list[str] = []
    if summary.last_entry_at is not None:
        local = summary.last_entry_at.astimezone(ZoneInfo(patient.timezone))
        lines.append(f"Last entry {local:%Y-%m-%d %H:%M %Z}: pain {summary.last_pain_nrs}/10")
        if summary.mean_pain_7d is not None:
            lines.append(
                f"7-day mean pain {summary.mean_pain_7d}/10 "
                f"({summary.days_with_entries_7d} of 7 days with entries)"
            )
        else:
            lines.append("No entries in the last 7 days")
    if role_may(ctx.actor.role, Kind.TASK, Action.READ):
        open_alerts = monitoring.open_alerts(uow, ctx, patient_id)
        if open_alerts:
            lines.append(
                f"Open alerts: {len(open_alerts)} ("
                + "; ".join(a.title for a in open_alerts[:3])
                + ")"
            )
        elif lines:
            lines.append("No open alerts")
    uow.commit()
    return lines


register_section(
    PatientSection(
        "diary",
        "Diary and monitoring",
        50,
        "No diary entries yet.",
        link="/patients/{patient_id}/diary",
        link_text="Diary, charts and export",
        summary=_overview_lines,
    )
)


def _lesson_lines(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[str] | None:
    if not role_may(ctx.actor.role, Kind.CARE_PLAN, Action.READ):
        return None
    cards = lessons.list_for_patient(uow, ctx, patient_id)
    done = sum(1 for c in cards if c.is_done)
    assigned_open = [c.title for c in cards if c.is_assigned and not c.is_done]
    if not done and not assigned_open and not any(c.is_opened for c in cards):
        return []
    lines = [f"{done} of {len(cards)} lessons done"]
    if assigned_open:
        lines.append("Assigned, not finished: " + "; ".join(assigned_open))
    return lines


register_section(
    PatientSection(
        "lessons",
        "Lessons",
        55,
        "No lessons opened or assigned yet.",
        link="/patients/{patient_id}/lessons",
        link_text="Lessons and progress",
        summary=_lesson_lines,
    )
)


# ---- My day ---------------------------------------------------------------------------------


@router.get("/me")
def my_day(
    request: Request,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    saved: int | None = None,
) -> Response:
    if active.actor.role is not Role.PATIENT or active.actor.patient_id is None:
        return RedirectResponse("/monitoring", status_code=303)
    return _my_day(request, ctx, uow, active, saved=saved)


def _my_day(
    request: Request,
    ctx: RequestContext,
    uow: UnitOfWork,
    active: Any,
    *,
    saved: int | None = None,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    patient_id = active.actor.patient_id
    today, entries = diary.today_entries(uow, ctx, patient_id)
    overview = patients.get_overview(uow, ctx, patient_id)
    due = reminders.today_slots(uow, ctx, patient_id)
    lesson_cards = [
        c
        for c in lessons.list_for_patient(
            uow, ctx, patient_id, language=ui_language(request, uow, active)
        )
        if not c.is_done
    ][:3]
    language = ui_language(request, uow, active)
    return render(
        request,
        "portal/me.html",
        lang=language,
        today_label=format_date(today, "EEEE d MMMM", locale=language),
        status_code=422 if error else 200,
        active=active,
        patient_id=patient_id,
        given_name=overview.given_name,
        zone=overview.timezone,
        today=today,
        entries=entries,
        due_reminders=due,
        lessons=lesson_cards,
        now=ctx.now(),
        saved=saved,
        error=error,
        form=form or {},
        idempotency_key=(form or {}).get("idempotency_key") or str(uuid.uuid4()),
        regions=REGION_CHOICES,
        sleep_labels=diary.SLEEP_LABELS,
        mood_labels=diary.MOOD_LABELS,
    )


def _opt_int(value: str, label: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.lstrip("-").isdigit():
        raise InvalidInput(f"{label} must be a whole number")
    return int(value)


def _typed_at(age_seconds: str, now: datetime) -> datetime | None:
    """When the entry was typed, from how long ago the phone says it was (immune to a wrong
    clock on the phone); None = now. The service refuses entries older than 7 days."""
    age = _opt_int(age_seconds, "entry age")
    if age is None or age <= 0:
        return None
    return now - timedelta(seconds=age)


@router.post(
    "/patients/{patient_id}/diary",
    dependencies=[Depends(patient_guard(Kind.DIARY, Action.WRITE))],
)
def save_diary_entry(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    pain_nrs: Annotated[str, Form(max_length=4)] = "",
    sleep_quality: Annotated[str, Form(max_length=4)] = "",
    mood: Annotated[str, Form(max_length=4)] = "",
    activity_minutes: Annotated[str, Form(max_length=6)] = "",
    is_flare: Annotated[str, Form(max_length=4)] = "",
    flare_trigger: Annotated[str, Form(max_length=diary.MAX_TRIGGER_CHARS)] = "",
    body_region: Annotated[str, Form(max_length=64)] = "",
    note: Annotated[str, Form(max_length=diary.MAX_NOTE_CHARS)] = "",
    age_seconds: Annotated[str, Form(max_length=12)] = "",
    idempotency_key: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    form = {
        "pain_nrs": pain_nrs,
        "sleep_quality": sleep_quality,
        "mood": mood,
        "activity_minutes": activity_minutes,
        "is_flare": is_flare,
        "flare_trigger": flare_trigger,
        "body_region": body_region,
        "note": note,
        "idempotency_key": idempotency_key,
    }
    try:
        pain = _opt_int(pain_nrs, "pain")
        if pain is None:
            raise InvalidInput("choose how bad your pain is, from 0 to 10")
        data = diary.DiaryInput(
            pain_nrs=pain,
            sleep_quality=_opt_int(sleep_quality, "sleep"),
            mood=_opt_int(mood, "mood"),
            activity_minutes=_opt_int(activity_minutes, "activity"),
            is_flare=is_flare == "1",
            flare_trigger=flare_trigger,
            body_region=body_region or None,
            note=note,
            recorded_at=_typed_at(age_seconds, ctx.now()),
        )
        recorded = diary.record_entry(uow, ctx, patient_id, data, idempotency_key=idempotency_key)
    except InvalidInput as exc:
        if active.actor.role is Role.PATIENT:
            return _my_day(request, ctx, uow, active, error=str(exc), form=form)
        raise
    return RedirectResponse(f"/me?saved={recorded.entry.id}#today", status_code=303)


# ---- diary history, charts, exports ---------------------------------------------------------


@router.get("/patients/{patient_id}/diary")
def diary_page(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
    days: Annotated[int, Query(ge=7, le=366)] = 90,
) -> HTMLResponse:
    today, points = diary.series(uow, ctx, patient_id, days=days)
    entries = diary.list_entries(uow, ctx, patient_id, limit=LATEST_ENTRIES)
    summary = diary.get_summary(uow, ctx, patient_id)
    overview = patients.get_overview(uow, ctx, patient_id)
    start = today - timedelta(days=days - 1)
    markers = monitoring_feeds.markers_for(uow, ctx, patient_id, start=start, end=today)
    charts = _charts(points, start=start, end=today, markers=markers)
    return render(
        request,
        "portal/diary.html",
        lang=ui_language(request, uow, active),
        active=active,
        p=overview,
        patient_id=patient_id,
        today=today,
        days=days,
        ranges=CHART_RANGES,
        points=list(reversed(points)),
        charts=charts,
        entries=entries,
        summary=summary,
        is_patient=active.actor.role is Role.PATIENT,
        zone=_zone(active, overview.timezone, container.settings.clinic_timezone),
    )


def _charts(
    points: list[diary.DayPoint],
    *,
    start: Any,
    end: Any,
    markers: list[monitoring_feeds.CodedMarker] | None = None,
) -> list[dict[str, Any]]:
    markers = markers or []
    events = [EventMarker(m.on, m.kind, m.code, m.label) for m in markers]
    n_med = sum(1 for m in markers if m.kind == "medication")
    n_phase = len(markers) - n_med
    marker_words = (
        f" Lines mark {n_med} medicine changes and {n_phase} programme phases, listed below."
        if markers
        else ""
    )
    pain = [p.mean_pain for p in points]
    sleep = [p.mean_sleep for p in points if p.mean_sleep is not None]
    activity = [p.activity_minutes for p in points if p.activity_minutes is not None]
    flare_days = sum(1 for p in points if p.is_flare)
    return [
        {
            "heading": N_("Pain (0 to 10), daily average"),
            "svg": chart(
                [Point(p.day, p.mean_pain, p.is_flare) for p in points],
                chart_id="chart-pain",
                title="Pain (0-10), daily average",
                desc=f"{len(points)} days with entries. {trend_words(pain, higher_is='more pain')}"
                f" Triangles mark {flare_days} flare days.{marker_words}",
                start=start,
                end=end,
                y_max=10,
                y_step=2,
                colour="#a4161a",
                events=events,
            ),
            "markers": markers,
            "has_flares": flare_days > 0,
        },
        {
            "heading": N_("Sleep (1 very poor to 5 very good)"),
            "svg": chart(
                [Point(p.day, p.mean_sleep) for p in points],
                chart_id="chart-sleep",
                title="Sleep quality (1 very poor to 5 very good), daily average",
                desc=trend_words(sleep, higher_is="better sleep"),
                start=start,
                end=end,
                y_max=5,
                y_step=1,
                colour="#5b3f8c",
            ),
        },
        {
            "heading": N_("Active minutes a day"),
            "svg": chart(
                [Point(p.day, p.activity_minutes) for p in points],
                chart_id="chart-activity",
                title="Activity, minutes per day",
                desc=trend_words(activity, higher_is="more activity"),
                start=start,
                end=end,
                y_max=max([60, *activity]) // 30 * 30 + 30,
                y_step=30 if max([60, *activity]) <= 150 else 60,
                bars=True,
                colour="#1e6b3a",
            ),
        },
    ]


@router.get("/patients/{patient_id}/diary/export.csv")
def diary_csv(patient_id: int, ctx: ContextDep, uow: UowDep) -> Response:
    from painpath.services import diary_export

    export = diary_export.diary_csv(uow, ctx, patient_id)
    return Response(
        export.content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


@router.get("/patients/{patient_id}/diary/summary.pdf")
def diary_pdf(patient_id: int, ctx: ContextDep, uow: UowDep) -> Response:
    from painpath.services import diary_export

    export = diary_export.summary_pdf(uow, ctx, patient_id)
    return Response(
        export.content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


# ---- journal ----------------------------------------------------------------------------------


@router.get("/patients/{patient_id}/journal")
def journal_page(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> HTMLResponse:
    entries = journal.list_entries(uow, ctx, patient_id)
    patient = uow.session.get(Patient, patient_id)
    zone = patient.timezone if patient and active.actor.role is Role.PATIENT else None
    return render(
        request,
        "portal/journal.html",
        lang=ui_language(request, uow, active),
        active=active,
        patient_id=patient_id,
        entries=entries,
        is_patient=active.actor.role is Role.PATIENT,
        idempotency_key=str(uuid.uuid4()),
        zone=zone or container.settings.clinic_timezone,
    )


@router.post(
    "/patients/{patient_id}/journal",
    dependencies=[Depends(patient_guard(Kind.JOURNAL, Action.WRITE))],
)
def write_journal(
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    body: Annotated[str, Form(max_length=journal.MAX_JOURNAL_CHARS)] = "",
    idempotency_key: Annotated[str, Form(max_length=64)] = "",
    is_shared: Annotated[str, Form()] = "",
) -> Response:
    journal.write_entry(
        uow,
        ctx,
        patient_id,
        body=body,
        is_shared=is_shared == "1",
        idempotency_key=idempotency_key,
    )
    return RedirectResponse(f"/patients/{patient_id}/journal#entries", status_code=303)


@router.post(
    "/patients/{patient_id}/journal/{entry_id}/share",
    dependencies=[Depends(patient_guard(Kind.JOURNAL, Action.WRITE))],
)
def share_journal(
    patient_id: int,
    entry_id: int,
    ctx: ContextDep,
    uow: UowDep,
    is_shared: Annotated[str, Form()] = "",
) -> Response:
    journal.set_shared(uow, ctx, patient_id, entry_id, is_shared=is_shared == "1")
    return RedirectResponse(f"/patients/{patient_id}/journal#entry-{entry_id}", status_code=303)


# ---- monitoring dashboard ---------------------------------------------------------------------


@router.get("/monitoring")
def monitoring_page(
    request: Request,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    kind: Annotated[str, Query(max_length=40)] = "",
    severity: Annotated[str, Query(max_length=16)] = "",
    done: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    if active.actor.role is Role.PATIENT:
        return RedirectResponse("/me", status_code=303)
    filters = monitoring.DashboardFilter(
        kind=kind if kind in monitoring.KIND_LABELS else None,
        severity=severity if severity in monitoring.SEVERITIES else None,
    )
    return _monitoring(request, ctx, uow, active, filters, done=done)


def _monitoring(
    request: Request,
    ctx: RequestContext,
    uow: UnitOfWork,
    active: Any,
    filters: monitoring.DashboardFilter,
    *,
    done: str = "",
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    needs = monitoring.dashboard(uow, ctx, filters)
    return render(
        request,
        "portal/monitoring.html",
        status_code=status_code,
        active=active,
        needs=needs,
        filters=filters,
        kinds=monitoring.KIND_LABELS,
        kind_names=monitoring.KIND_NAMES,
        severities=monitoring.SEVERITIES,
        done=done if done in ("acknowledged", "resolved") else "",
        error=error,
        can_act=role_may(active.actor.role, Kind.TASK, Action.WRITE),
        sees_diary=role_may(active.actor.role, Kind.DIARY, Action.READ),
    )


def _back_to_monitoring(kind: str, severity: str, done: str, alert_id: int) -> RedirectResponse:
    query = "&".join(
        f"{k}={v}" for k, v in (("kind", kind), ("severity", severity), ("done", done)) if v
    )
    return RedirectResponse(f"/monitoring?{query}#alert-{alert_id}", status_code=303)


@router.post("/monitoring/alerts/{alert_id}/acknowledge")
def acknowledge_alert(
    request: Request,
    alert_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    note: Annotated[str, Form(max_length=500)] = "",
    kind: Annotated[str, Form(max_length=40)] = "",
    severity: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    try:
        monitoring.acknowledge_alert(uow, ctx, alert_id, note=note)
    except InvalidInput as exc:
        return _monitoring(
            request, ctx, uow, active, monitoring.DashboardFilter(), error=str(exc), status_code=422
        )
    return _back_to_monitoring(kind, severity, "acknowledged", alert_id)


@router.post("/monitoring/alerts/{alert_id}/resolve")
def resolve_alert(
    request: Request,
    alert_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    reason: Annotated[str, Form(max_length=500)] = "",
    kind: Annotated[str, Form(max_length=40)] = "",
    severity: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    from painpath.services import workflow

    try:
        workflow.resolve_alert(uow, ctx, alert_id, resolution=reason)
    except InvalidInput as exc:
        return _monitoring(
            request, ctx, uow, active, monitoring.DashboardFilter(), error=str(exc), status_code=422
        )
    return _back_to_monitoring(kind, severity, "resolved", alert_id)


# ---- reminders ----------------------------------------------------------------------------------

REMINDER_KINDS = (
    ("medication", "Medicine"),
    ("exercise", "Exercises"),
    ("questionnaire", "Questionnaire"),
)


@router.get("/patients/{patient_id}/reminders")
def reminders_page(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
) -> HTMLResponse:
    return _reminders(request, patient_id, ctx, uow, active)


def _reminders(
    request: Request,
    patient_id: int,
    ctx: RequestContext,
    uow: UnitOfWork,
    active: Any,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    plans = reminders.list_plans(uow, ctx, patient_id)
    sent = reminders.recent_deliveries(uow, ctx, patient_id)
    patient = uow.session.get(Patient, patient_id)
    return render(
        request,
        "portal/reminders.html",
        lang=ui_language(request, uow, active),
        status_code=status_code,
        active=active,
        patient_id=patient_id,
        plans=plans,
        sent=sent,
        labels={p.item_code: p.label for p in plans},
        kinds=REMINDER_KINDS,
        is_patient=active.actor.role is Role.PATIENT,
        zone=patient.timezone if patient else "UTC",
        error=error,
    )


@router.post(
    "/patients/{patient_id}/reminders",
    dependencies=[Depends(patient_guard(Kind.DIARY, Action.WRITE))],
)
def add_reminder(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    kind: Annotated[str, Form(max_length=32)] = "",
    label: Annotated[str, Form(max_length=120)] = "",
    local_times: Annotated[str, Form(max_length=100)] = "",
    is_email: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    try:
        reminders.add_plan(
            uow,
            ctx,
            patient_id,
            kind=kind,
            label=label,
            local_times=[local_times],
            is_email=is_email == "1",
        )
    except InvalidInput as exc:
        return _reminders(request, patient_id, ctx, uow, active, str(exc), 422)
    return RedirectResponse(f"/patients/{patient_id}/reminders", status_code=303)


@router.post(
    "/patients/{patient_id}/reminders/done",
    dependencies=[Depends(patient_guard(Kind.DIARY, Action.WRITE))],
)
def reminder_done(
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    item_code: Annotated[str, Form(max_length=64)] = "",
    local_date: Annotated[str, Form(max_length=10)] = "",
    local_time: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    try:
        day, at = date.fromisoformat(local_date), time.fromisoformat(local_time)
    except ValueError as exc:
        raise InvalidInput("that reminder slot is not readable") from exc
    reminders.mark_done(uow, ctx, patient_id, item_code=item_code, local_date=day, local_time=at)
    return RedirectResponse("/me#h-due", status_code=303)


@router.post(
    "/patients/{patient_id}/reminders/{plan_id}",
    dependencies=[Depends(patient_guard(Kind.DIARY, Action.WRITE))],
)
def update_reminder(
    request: Request,
    patient_id: int,
    plan_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    local_times: Annotated[str, Form(max_length=100)] = "",
    is_email: Annotated[str, Form(max_length=4)] = "",
    is_active: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    try:
        reminders.update_plan(
            uow,
            ctx,
            patient_id,
            plan_id,
            local_times=[local_times],
            is_email=is_email == "1",
            is_active=is_active == "1",
        )
    except InvalidInput as exc:
        return _reminders(request, patient_id, ctx, uow, active, str(exc), 422)
    return RedirectResponse(f"/patients/{patient_id}/reminders#plan-{plan_id}", status_code=303)


# ---- lessons ------------------------------------------------------------------------------------

LANGUAGE_NAMES = {"en": "English", "es": "Español"}


@router.get("/lessons")
def lessons_page(
    request: Request,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    lang: Annotated[str | None, Query(max_length=8)] = None,
) -> HTMLResponse:
    del lang  # read by ui_language from the query string
    language = ui_language(request, uow, active)
    patient_id = active.actor.patient_id
    cards = (
        lessons.list_for_patient(uow, ctx, patient_id, language=language)
        if patient_id is not None
        else None
    )
    return render(
        request,
        "portal/lessons.html",
        active=active,
        patient_id=patient_id,
        cards=cards,
        catalogue=lessons.catalogue(language),
        language=language,
        language_names=LANGUAGE_NAMES,
        lang=language,
    )


@router.get("/lessons/{code}")
def lesson_page(
    request: Request,
    code: str,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    lang: Annotated[str | None, Query(max_length=8)] = None,
) -> HTMLResponse:
    del lang  # read by ui_language from the query string
    language = ui_language(request, uow, active)
    patient_id = active.actor.patient_id
    if patient_id is not None:
        lesson = lessons.open_lesson(uow, ctx, patient_id, code, language=language)
    else:
        lesson = lessons.get_lesson(code, language)
    return render(
        request,
        "portal/lesson.html",
        active=active,
        patient_id=patient_id,
        lesson=lesson,
        language=language,
        language_names=LANGUAGE_NAMES,
        lang=language,
    )


@router.post("/lessons/{code}/done")
def lesson_done(code: str, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep) -> Response:
    if active.actor.patient_id is None:
        raise InvalidInput("only patients mark their own lessons as done")
    lessons.complete_lesson(uow, ctx, active.actor.patient_id, code)
    return RedirectResponse("/lessons#done", status_code=303)


@router.get("/patients/{patient_id}/lessons")
def patient_lessons_page(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> HTMLResponse:
    cards = lessons.list_for_patient(uow, ctx, patient_id)
    return render(
        request,
        "portal/patient_lessons.html",
        active=active,
        patient_id=patient_id,
        cards=cards,
        can_assign=role_may(active.actor.role, Kind.CARE_PLAN, Action.WRITE),
    )


@router.post(
    "/patients/{patient_id}/lessons",
    dependencies=[Depends(patient_guard(Kind.CARE_PLAN, Action.WRITE))],
)
def assign_lesson(
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    code: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    lessons.assign_lesson(uow, ctx, patient_id, code)
    return RedirectResponse(f"/patients/{patient_id}/lessons", status_code=303)
