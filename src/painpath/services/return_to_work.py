"""Injury and work: work status, occupational demands, a graded return-to-work plan with
employer-facing restrictions, and progress reports for insurers or workers' compensation.

A report is a snapshot (function, attendance, goals met, rehab adherence) taken when it is
drafted. SAFETY/privacy: the patient sees a preview and approves or declines it; nothing is
released to a third party until she has approved, and every step is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import select

from painpath.records.enums import Role
from painpath.records.models import Injury, Patient, UserAccount
from painpath.records.models_careplan import CarePlan, CarePlanGoal, Visit
from painpath.records.models_teamwork import InsurerReport, ReturnToWorkPlan, ReturnToWorkWeek
from painpath.security.policy import Action, Kind
from painpath.services import assessments, rehab
from painpath.services.access import authorize_patient, role_may
from painpath.services.context import RequestContext
from painpath.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from painpath.services.uow import UnitOfWork


class WorkStatus(StrEnum):
    OFF_WORK = "off-work"
    REDUCED_HOURS = "reduced-hours"
    MODIFIED_DUTIES = "modified-duties"
    FULL_DUTIES = "full-duties"
    NOT_EMPLOYED = "not-employed"


WORK_STATUS_LABELS = {
    WorkStatus.OFF_WORK: "Off work",
    WorkStatus.REDUCED_HOURS: "Back at work, reduced hours",
    WorkStatus.MODIFIED_DUTIES: "Back at work, modified duties",
    WorkStatus.FULL_DUTIES: "Full hours and duties",
    WorkStatus.NOT_EMPLOYED: "Not employed",
}


class ReportState(StrEnum):
    AWAITING_APPROVAL = "awaiting-approval"
    APPROVED = "approved"
    DECLINED = "declined"
    RELEASED = "released"


REPORT_STATE_LABELS = {
    ReportState.AWAITING_APPROVAL: "Waiting for the patient's approval",
    ReportState.APPROVED: "Approved by the patient",
    ReportState.DECLINED: "Declined by the patient",
    ReportState.RELEASED: "Released",
}
# Plain limits on a graded plan (a working day of at most 12 hours is a sanity bound, not advice).
MAX_HOURS_PER_DAY = 12
MAX_WEEKS = 26


@dataclass(frozen=True, slots=True)
class WeekInput:
    hours_per_day: int
    days_per_week: int
    duties: str


@dataclass(frozen=True, slots=True)
class PlanInput:
    work_status: WorkStatus
    job_title: str
    employer: str
    demands: list[tuple[str, str]]
    restrictions: list[str]
    weeks: list[WeekInput]
    start_on: date | None = None
    review_on: date | None = None


@dataclass(frozen=True, slots=True)
class WeekView:
    week_no: int
    hours_per_day: int
    days_per_week: int
    duties: str

    @property
    def hours_per_week(self) -> int:
        return self.hours_per_day * self.days_per_week


@dataclass(frozen=True, slots=True)
class PlanView:
    patient_id: int
    work_status: WorkStatus
    work_status_label: str
    job_title: str
    employer: str
    demands: list[tuple[str, str]]
    restrictions: list[str]
    weeks: list[WeekView]
    start_on: date | None
    review_on: date | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ReportView:
    id: int
    patient_id: int
    recipient: str
    period_from: date
    period_to: date
    content: dict[str, Any]
    state: ReportState
    state_label: str
    patient_comment: str
    decided_at: datetime | None
    released_at: datetime | None
    created_at: datetime

    @property
    def is_releasable(self) -> bool:
        return self.state in (ReportState.APPROVED, ReportState.RELEASED)


def _clean(text: str, limit: int, label: str) -> str:
    value = text.strip()
    if len(value) > limit:
        raise InvalidInput(f"{label} is limited to {limit} characters")
    return value


def save_plan(uow: UnitOfWork, ctx: RequestContext, patient_id: int, data: PlanInput) -> PlanView:
    """Create or replace the return-to-work plan (care-plan writers)."""
    authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.WRITE, audit_action="return-to-work.save"
    )
    if len(data.weeks) > MAX_WEEKS:
        raise InvalidInput(f"a graded plan has at most {MAX_WEEKS} weeks")
    for n, week in enumerate(data.weeks, start=1):
        if not 0 <= week.hours_per_day <= MAX_HOURS_PER_DAY:
            raise InvalidInput(f"week {n}: hours a day must be 0 to {MAX_HOURS_PER_DAY}")
        if not 0 <= week.days_per_week <= 7:
            raise InvalidInput(f"week {n}: days a week must be 0 to 7")
    if data.start_on and data.review_on and data.review_on < data.start_on:
        raise InvalidInput("the review date comes after the start date")
    now = ctx.now()
    plan = uow.session.scalar(
        select(ReturnToWorkPlan).where(ReturnToWorkPlan.patient_id == patient_id)
    )
    if plan is None:
        plan = ReturnToWorkPlan(patient_id=patient_id, created_at=now)
        uow.session.add(plan)
    plan.work_status = data.work_status.value
    plan.job_title = _clean(data.job_title, 200, "job title")
    plan.employer = _clean(data.employer, 200, "employer")
    plan.demands = [
        {"demand": _clean(d, 100, "demand"), "detail": _clean(x, 300, "demand detail")}
        for d, x in data.demands
        if d.strip()
    ]
    plan.restrictions = [_clean(r, 300, "restriction") for r in data.restrictions if r.strip()]
    plan.start_on = data.start_on
    plan.review_on = data.review_on
    plan.updated_by_id = ctx.actor.user_id
    plan.updated_at = now
    plan.weeks = [
        ReturnToWorkWeek(
            week_no=n,
            hours_per_day=w.hours_per_day,
            days_per_week=w.days_per_week,
            duties=_clean(w.duties, 1000, f"week {n} duties"),
        )
        for n, w in enumerate(data.weeks, start=1)
    ]
    uow.session.flush()
    view = _plan_view(plan)
    uow.commit()
    return view


def _plan_view(plan: ReturnToWorkPlan) -> PlanView:
    status = WorkStatus(plan.work_status)
    return PlanView(
        patient_id=plan.patient_id,
        work_status=status,
        work_status_label=WORK_STATUS_LABELS[status],
        job_title=plan.job_title,
        employer=plan.employer,
        demands=[(d["demand"], d.get("detail", "")) for d in plan.demands],
        restrictions=list(plan.restrictions),
        weeks=[WeekView(w.week_no, w.hours_per_day, w.days_per_week, w.duties) for w in plan.weeks],
        start_on=plan.start_on,
        review_on=plan.review_on,
        updated_at=plan.updated_at,
    )


def get_plan(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> PlanView | None:
    authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.READ, audit_action="return-to-work.read"
    )
    plan = uow.session.scalar(
        select(ReturnToWorkPlan).where(ReturnToWorkPlan.patient_id == patient_id)
    )
    view = _plan_view(plan) if plan else None
    uow.commit()
    return view


# ------------------------------------------------------------------------------ reports


def _goal_line(goal: CarePlanGoal) -> dict[str, str]:
    if goal.state == "achieved":
        status = "met"
    elif goal.attained_level is not None and goal.attained_level >= 0:
        status = f"met (GAS level {goal.attained_level:+d})"
    elif goal.attained_level is not None:
        status = f"not yet met (GAS level {goal.attained_level:+d})"
    else:
        status = "in progress"
    return {"goal": goal.statement, "status": status}


def _snapshot(
    uow: UnitOfWork, ctx: RequestContext, patient: Patient, period_from: date, period_to: date
) -> dict[str, Any]:
    """What the report says; read from the plan, visits, assessments and rehab where present."""
    plan = uow.session.scalar(
        select(ReturnToWorkPlan).where(ReturnToWorkPlan.patient_id == patient.id)
    )
    care_plan = uow.session.scalar(select(CarePlan).where(CarePlan.patient_id == patient.id))
    goals = [_goal_line(g) for g in (care_plan.goals if care_plan else []) if g.state != "dropped"]
    visits = uow.session.scalars(select(Visit).where(Visit.patient_id == patient.id)).all()
    in_period = [v for v in visits if period_from <= v.starts_at.date() <= period_to]
    attended = sum(1 for v in in_period if v.state == "done")
    cancelled = sum(1 for v in in_period if v.state == "cancelled")
    injury = uow.session.scalars(
        select(Injury).where(Injury.patient_id == patient.id).order_by(Injury.injured_on)
    ).first()
    plan_data: dict[str, Any] = {}
    if plan is not None:
        pv = _plan_view(plan)
        plan_data = {
            "work_status": pv.work_status_label,
            "job_title": pv.job_title,
            "demands": [f"{d}: {x}" if x else d for d, x in pv.demands],
            "restrictions": pv.restrictions,
            "weeks": [
                {
                    "week": w.week_no,
                    "hours_per_day": w.hours_per_day,
                    "days_per_week": w.days_per_week,
                    "duties": w.duties,
                }
                for w in pv.weeks
            ],
        }
    # The summaries below authorise and audit their own reads; they return None when this
    # viewer may not see them, and an empty list when there is nothing yet.
    function = assessments.summary_lines(uow, ctx, patient.id) or []
    adherence = rehab.summary_lines(uow, ctx, patient.id) or []
    return {
        "patient_name": f"{patient.given_name} {patient.family_name}",
        "born_on": patient.born_on.isoformat(),
        "injury": (
            f"{injury.mechanism}, {injury.body_region}, injured {injury.injured_on.isoformat()}"
            if injury
            else ""
        ),
        "work": plan_data,
        "function": function,
        "rehab": adherence,
        "attendance": {
            "booked": len(in_period),
            "attended": attended,
            "cancelled": cancelled,
        },
        "goals": goals,
    }


def draft_report(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    recipient: str,
    period_from: date,
    period_to: date,
) -> ReportView:
    """Snapshot a progress report; it waits for the patient's approval."""
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.WRITE, audit_action="insurer-report.draft"
    )
    recipient = _clean(recipient, 200, "recipient")
    if not recipient:
        raise InvalidInput("say who the report is for (insurer or case manager)")
    if period_to < period_from:
        raise InvalidInput("the period ends after it starts")
    content = _snapshot(uow, ctx, patient, period_from, period_to)
    author = uow.session.get_one(UserAccount, ctx.actor.user_id)
    content["prepared_by"] = f"{author.full_name} ({author.role.value})"
    report = InsurerReport(
        patient_id=patient_id,
        recipient=recipient,
        period_from=period_from,
        period_to=period_to,
        content=content,
        state=ReportState.AWAITING_APPROVAL.value,
        created_by_id=ctx.actor.user_id,
        created_at=ctx.now(),
    )
    uow.session.add(report)
    uow.session.flush()
    view = _report_view(report)
    uow.commit()
    return view


def _report_view(r: InsurerReport) -> ReportView:
    state = ReportState(r.state)
    return ReportView(
        id=r.id,
        patient_id=r.patient_id,
        recipient=r.recipient,
        period_from=r.period_from,
        period_to=r.period_to,
        content=dict(r.content),
        state=state,
        state_label=REPORT_STATE_LABELS[state],
        patient_comment=r.patient_comment,
        decided_at=r.decided_at,
        released_at=r.released_at,
        created_at=r.created_at,
    )


def _load_report(uow: UnitOfWork, report_id: int) -> InsurerReport:
    report = uow.session.get(InsurerReport, report_id)
    if report is None:
        raise NotFound(f"report {report_id} not found")
    return report


def list_reports(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[ReportView]:
    authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.READ, audit_action="insurer-report.list"
    )
    rows = uow.session.scalars(
        select(InsurerReport)
        .where(InsurerReport.patient_id == patient_id)
        .order_by(InsurerReport.created_at.desc(), InsurerReport.id.desc())
    ).all()
    views = [_report_view(r) for r in rows]
    uow.commit()
    return views


def get_report(uow: UnitOfWork, ctx: RequestContext, report_id: int) -> ReportView:
    report = _load_report(uow, report_id)
    authorize_patient(
        uow,
        ctx,
        report.patient_id,
        Kind.CARE_PLAN,
        Action.READ,
        audit_action="insurer-report.read",
        resource_id=report_id,
    )
    view = _report_view(report)
    uow.commit()
    return view


def decide_report(
    uow: UnitOfWork, ctx: RequestContext, report_id: int, *, approve: bool, comment: str = ""
) -> ReportView:
    """Only the patient herself approves or declines the release of her report."""
    report = _load_report(uow, report_id)
    authorize_patient(
        uow,
        ctx,
        report.patient_id,
        Kind.CARE_PLAN,
        Action.COMMENT,
        audit_action="insurer-report.approve" if approve else "insurer-report.decline",
        resource_id=report_id,
    )
    if ctx.actor.role is not Role.PATIENT:
        uow.commit()
        raise PermissionDenied("only the patient can approve the release of this report")
    if report.state != ReportState.AWAITING_APPROVAL:
        raise Conflict(f"report {report_id} is already {report.state}")
    report.state = (ReportState.APPROVED if approve else ReportState.DECLINED).value
    report.patient_comment = _clean(comment, 2000, "comment")
    report.decided_at = ctx.now()
    view = _report_view(report)
    uow.commit()
    return view


def release_report(uow: UnitOfWork, ctx: RequestContext, report_id: int) -> bytes:
    """The PDF for the insurer. SAFETY/privacy: blocked until the patient has approved."""
    report = _load_report(uow, report_id)
    authorize_patient(
        uow,
        ctx,
        report.patient_id,
        Kind.CARE_PLAN,
        Action.WRITE,
        audit_action="insurer-report.release",
        resource_id=report_id,
    )
    if report.state not in (ReportState.APPROVED, ReportState.RELEASED):
        uow.commit()  # keep the audit event of the attempt
        raise Conflict("the patient has not approved this report; it cannot be released")
    if report.released_at is None:
        report.state = ReportState.RELEASED.value
        report.released_at = ctx.now()
        report.released_by_id = ctx.actor.user_id
    body = render_pdf(_report_view(report))
    uow.commit()
    return body


def preview_pdf(uow: UnitOfWork, ctx: RequestContext, report_id: int) -> bytes:
    """The patient's own preview (marked as a preview until released); staff use release."""
    report = _load_report(uow, report_id)
    authorize_patient(
        uow,
        ctx,
        report.patient_id,
        Kind.CARE_PLAN,
        Action.READ,
        audit_action="insurer-report.preview",
        resource_id=report_id,
    )
    if ctx.actor.role is not Role.PATIENT:
        uow.commit()
        raise PermissionDenied("staff download the report through its release")
    body = render_pdf(_report_view(report), is_preview=report.released_at is None)
    uow.commit()
    return body


def summary_lines(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[str] | None:
    if not role_may(ctx.actor.role, Kind.CARE_PLAN, Action.READ):
        return None
    plan = get_plan(uow, ctx, patient_id)
    reports = list_reports(uow, ctx, patient_id)
    lines = []
    if plan is not None:
        lines.append(f"Work: {plan.work_status_label}; {len(plan.weeks)}-week return-to-work plan")
    waiting = [r for r in reports if r.state is ReportState.AWAITING_APPROVAL]
    if waiting:
        lines.append(f"{len(waiting)} insurer report(s) waiting for the patient's approval")
    return lines


# ------------------------------------------------------------------------------------ PDF

_INK = colors.HexColor("#1b2430")
_BRAND = colors.HexColor("#0b5c8a")


def render_pdf(report: ReportView, *, is_preview: bool = False) -> bytes:
    base = getSampleStyleSheet()
    body = ParagraphStyle("b", parent=base["BodyText"], fontSize=11, leading=15, textColor=_INK)
    h1 = ParagraphStyle("h1", parent=base["Title"], fontSize=18, textColor=_BRAND, alignment=0)
    h2 = ParagraphStyle("h2", parent=base["Heading2"], fontSize=13, textColor=_BRAND)
    small = ParagraphStyle("s", parent=body, fontSize=9, leading=12)
    c = report.content
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title="Progress report",
        author="painpath",
    )

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text), style)

    story: list[Any] = [p("Progress report for the insurer / workers' compensation", h1)]
    if is_preview:
        story.append(p("PREVIEW - not released. Please check it and approve or decline.", h2))
    story += [
        p(f"Patient: {c.get('patient_name', '')}, born {c.get('born_on', '')}"),
        p(f"For: {report.recipient}"),
        p(f"Period: {report.period_from.isoformat()} to {report.period_to.isoformat()}"),
    ]
    if c.get("injury"):
        story.append(p(f"Injury: {c['injury']}"))
    story.append(p(f"Prepared by: {c.get('prepared_by', '')}", small))
    work = c.get("work") or {}
    story.append(p("Work status", h2))
    if work:
        story.append(p(f"{work.get('work_status', '')} - {work.get('job_title', '')}"))
        for d in work.get("demands", []):
            story.append(p(f"Job demand: {d}"))
        story.append(p("Restrictions (for the employer)", h2))
        story += [p(f"- {r}") for r in work.get("restrictions", [])] or [p("None recorded.")]
        weeks = work.get("weeks", [])
        if weeks:
            story.append(p("Graded return-to-work plan", h2))
            rows: list[list[Any]] = [["Week", "Hours a day", "Days a week", "Duties"]]
            rows += [
                [
                    str(w["week"]),
                    str(w["hours_per_day"]),
                    str(w["days_per_week"]),
                    Paragraph(escape(str(w["duties"])), small),
                ]
                for w in weeks
            ]
            table = Table(rows, colWidths=[14 * mm, 24 * mm, 24 * mm, 110 * mm])
            table.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.append(table)
    else:
        story.append(p("No return-to-work plan recorded."))
    story.append(p("Function", h2))
    story += [p(line) for line in c.get("function", [])] or [p("No scored questionnaires yet.")]
    story.append(p("Attendance", h2))
    att = c.get("attendance", {})
    story.append(
        p(
            f"{att.get('attended', 0)} visits attended of {att.get('booked', 0)} booked in the "
            f"period; {att.get('cancelled', 0)} cancelled."
        )
    )
    story += [p(f"Rehabilitation: {line}") for line in c.get("rehab", [])]
    story.append(p("Goals", h2))
    story += [p(f"- {g['goal']}: {g['status']}") for g in c.get("goals", [])] or [
        p("No goals recorded.")
    ]
    story.append(Spacer(1, 6 * mm))
    if report.decided_at and report.state in (ReportState.APPROVED, ReportState.RELEASED):
        story.append(
            p(f"Release approved by the patient on {report.decided_at.date().isoformat()}.", small)
        )
    doc.build(story)
    return out.getvalue()
