"""The care plan printed for the patient (ReportLab): the plain-language view in large type."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from painpath.services import careplan
from painpath.services.careplan import CarePlanView
from painpath.services.context import RequestContext
from painpath.services.pdf_style import PATIENT_LARGE, paragraph_styles
from painpath.services.uow import UnitOfWork


def _styles() -> dict[str, ParagraphStyle]:
    return paragraph_styles(PATIENT_LARGE)


def _date(value: object) -> str:
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return ""


def render(plan: CarePlanView) -> bytes:
    s = _styles()
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"Care plan - {plan.patient_name}",
        author="painpath",
    )
    story: list[object] = [
        Paragraph(f"Care plan for {escape(plan.patient_name)}", s["title"]),
        Paragraph(
            f"Version {plan.version}, last changed {_date(plan.updated_at.date())}."
            + (" You agreed to this plan." if plan.is_agreed else ""),
            s["small"],
        ),
        Spacer(1, 4 * mm),
        Paragraph("What matters to you", s["h2"]),
    ]
    story += [Paragraph(f"• {escape(p)}", s["body"]) for p in plan.priorities] or [
        Paragraph("Nothing written yet.", s["body"])
    ]
    story.append(Paragraph("Your goals", s["h2"]))
    for g in plan.active_goals:
        block: list[object] = [Paragraph(escape(g.plain_text), s["h3"])]
        if g.target_text:
            block.append(Paragraph(escape(careplan.plain_target(g.target_text)), s["body"]))
        for m in g.milestones:
            if m.status in ("pending", "no-target"):
                block.append(
                    Paragraph(
                        f"Step on the way: {escape(m.description)} by {_date(m.due_on)}.",
                        s["body"],
                    )
                )
        story.append(KeepTogether(block))
    story.append(Paragraph("What your team will do", s["h2"]))
    for i in plan.interventions:
        if i.state == "active":
            who = careplan.PLAIN_DISCIPLINE.get(i.discipline, i.discipline)
            story.append(Paragraph(f"<b>{escape(who)}:</b> {escape(i.plain_text)}", s["body"]))
    story.append(Paragraph("When we will check together", s["h2"]))
    for d in plan.decision_points:
        if d.state == "scheduled":
            story.append(Paragraph(f"<b>{_date(d.due_on)}:</b> {escape(d.plain_text)}", s["body"]))
    story += [
        Spacer(1, 6 * mm),
        Paragraph(
            "Questions or something to change? Tell your team at your next visit or on painpath.",
            s["small"],
        ),
    ]
    doc.build(story)
    return out.getvalue()


def plan_pdf(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> bytes | None:
    """The patient's plan as a PDF (authorised and audited as a read of the plain view)."""
    plan = careplan.get_plain_plan(uow, ctx, patient_id)
    return render(plan) if plan is not None else None
