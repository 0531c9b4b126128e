"""The one-page pre-visit report for the clinician (ReportLab): latest scores with bands and the
change since baseline (clinically significant or not, by the instrument's MCID), the body map
then and now, current medicines and open alerts. Every number comes from services.assessments
(re-scored from stored answers), services.medications and services.workflow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Polygon, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from painpath.clinical.bodymap import REGIONS
from painpath.records.enums import Role
from painpath.security.policy import Action, Kind
from painpath.services import assessments, assessments_bodymap, episodes, medications, workflow
from painpath.services.access import authorize_patient
from painpath.services.context import RequestContext
from painpath.services.errors import PermissionDenied
from painpath.services.patients import get_overview
from painpath.services.uow import UnitOfWork

_INK = colors.HexColor("#1b2430")
_BRAND = colors.HexColor("#0b5c8a")
_LINE = colors.HexColor("#b8c2cc")
_MARK = colors.HexColor("#c0392b")
_OUTLINE = colors.HexColor("#eef2f6")


@dataclass(frozen=True, slots=True)
class ScoreLine:
    title: str
    latest: str
    band: str
    on: date
    baseline: str | None
    change: str | None
    significance: str | None  # "clinically significant improvement" etc., with the MCID


@dataclass(frozen=True, slots=True)
class BodyMapThenNow:
    then_on: date | None
    then_regions: list[str]
    then_codes: frozenset[str]
    now_on: date | None
    now_regions: list[str]
    now_codes: frozenset[str]


@dataclass(frozen=True, slots=True)
class PrevisitReport:
    patient_name: str
    born_on: date
    today: date
    episode: str
    scores: list[ScoreLine]
    bodymap: BodyMapThenNow
    medicines: list[str]
    alerts: list[str]


def build_report(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> PrevisitReport:
    """Gather the report (clinicians: every part reads through its own service and audit)."""
    if ctx.actor.role is Role.PATIENT or not ctx.actor.role.is_clinician:
        # Scores and drawings are clinical reading (Kind.QUESTIONNAIRE read); audited denial.
        authorize_patient(
            uow, ctx, patient_id, Kind.CLINICIAN_ONLY_NOTE, Action.READ, audit_action="previsit"
        )
        raise PermissionDenied("the pre-visit report is for clinicians")
    authorize_patient(
        uow, ctx, patient_id, Kind.QUESTIONNAIRE, Action.READ, audit_action="previsit.report"
    )
    uow.commit()
    patient = get_overview(uow, ctx, patient_id)
    data = assessments.list_assessments(uow, ctx, patient_id)
    changes = {c.instrument_code: c for c in data.changes}
    latest: dict[str, assessments.StatusView] = {}
    for status in data.completed:  # newest first
        if status.corrected_by_id is None:
            latest.setdefault(status.instrument_code, status)
    scores = []
    for code, status in sorted(latest.items(), key=lambda kv: kv[1].title):
        score = data.scores.get(status.id)
        if score is None or score.total is None or status.completed_at is None:
            continue
        change = changes.get(code)
        scores.append(
            ScoreLine(
                title=status.title,
                latest=assessments.format_score(score.total),
                band=(score.band or "—").replace("-", " "),
                on=status.completed_at.date(),
                baseline=None if change is None else assessments.format_score(change.baseline),
                change=None if change is None else _signed(change.change),
                significance=None if change is None else _significance(change),
            )
        )
    page = assessments_bodymap.get_bodymap(uow, ctx, patient_id)
    finished = [d for d in page.drawings if d.is_final]
    first, last = (finished[-1], finished[0]) if finished else (None, None)
    bodymap = BodyMapThenNow(
        then_on=first.recorded_at.date() if first else None,
        then_regions=_regions(first),
        then_codes=frozenset(m.region_code for m in first.marks) if first else frozenset(),
        now_on=last.recorded_at.date() if last and last is not first else None,
        now_regions=_regions(last) if last is not first else [],
        now_codes=frozenset(m.region_code for m in last.marks)
        if last and last is not first
        else frozenset(),
    )
    medicines = medications.medicines_summary(uow, ctx, patient_id) or []
    alerts = [
        f"{a.severity}: {a.title} (raised {a.raised_at.date().isoformat()})"
        for a in workflow.list_alerts(uow, ctx, patient_id)
    ]
    current = episodes.list_episodes(uow, ctx, patient_id).current
    episode_text = "no open episode"
    if current is not None:
        episode_text = f"{current.stage}, referred {current.referred_on.isoformat()}"
        waiting = (episodes.BundleState.OPEN, episodes.BundleState.OVERDUE)
        upcoming = [p for p in current.points if p.state in waiting or p.id is None]
        if upcoming:
            episode_text += (
                f"; next collection point: {upcoming[0].label}, "
                f"{upcoming[0].planned_on.isoformat()}"
            )
    return PrevisitReport(
        patient_name=patient.display_name,
        born_on=patient.born_on,
        today=ctx.now().date(),
        episode=episode_text,
        scores=scores,
        bodymap=bodymap,
        medicines=medicines,
        alerts=alerts,
    )


def _signed(value: Decimal) -> str:
    text = assessments.format_score(value)
    return text if text.startswith("-") or text == "0" else f"+{text}"


def _significance(change: assessments.ChangeView) -> str:
    mcid = f" (MCID {change.mcid_text})" if change.mcid_text else ""
    if change.is_mcid_improvement:
        return "clinically significant improvement" + mcid
    if change.is_mcid_worsening:
        return "clinically significant worsening" + mcid
    if change.is_mcid_improvement is None:
        return "no MCID declared"
    return "not clinically significant" + mcid


def _regions(drawing: assessments_bodymap.DrawingView | None) -> list[str]:
    if drawing is None:
        return []
    return [
        m.label
        + (f" ({', '.join(q.replace('-', ' ') for q in m.qualities)})" if m.qualities else "")
        for m in drawing.marks
    ]


# --- PDF ----------------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontSize=9, leading=11.5, textColor=_INK)
    return {
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontSize=16, leading=19, textColor=_BRAND, alignment=0
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base["Heading2"],
            fontSize=11,
            leading=13,
            textColor=_BRAND,
            spaceBefore=5,
            spaceAfter=2,
        ),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5),
    }


def _figure(codes: frozenset[str], caption: str) -> Drawing:
    """Front and back outlines with the marked regions filled (half-figure polygons mirrored:
    the patient's right is on the viewer's left in the front view, on the right in the back)."""
    scale = 0.3
    width, height = 2 * 80 * scale * 2 + 10, 500 * scale + 14
    d = Drawing(width, height)
    for index, view in enumerate(("front", "back")):
        centre = 80 * scale + index * (160 * scale + 10)
        for region in REGIONS.values():
            if region.view.value != view:
                continue
            right = region.side.value == "r"
            sign = -1 if (right == (view == "front")) else 1
            points: list[float] = []
            for x, y in region.polygon:
                points += [centre + sign * x * scale, height - 12 - y * scale]
            marked = region.code in codes
            d.add(
                Polygon(
                    points,
                    fillColor=_MARK if marked else _OUTLINE,
                    strokeColor=_LINE,
                    strokeWidth=0.3,
                )
            )
        d.add(String(centre, height - 8, view, fontSize=6, textAnchor="middle", fillColor=_INK))
    d.add(String(width / 2, 0, caption, fontSize=7, textAnchor="middle", fillColor=_INK))
    return d


def previsit_pdf(report: PrevisitReport) -> bytes:
    """Render the one-page report; the text is extractable (tested with pdftotext)."""
    s = _styles()
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"Pre-visit report - {report.patient_name}",
        author="painpath",
    )
    story: list[object] = [
        Paragraph("Pre-visit report", s["title"]),
        Paragraph(
            f"<b>{escape(report.patient_name)}</b> &middot; born {report.born_on.isoformat()} "
            f"&middot; printed {report.today.isoformat()} &middot; episode: "
            f"{escape(report.episode)}",
            s["body"],
        ),
        Paragraph("Latest scores and change since baseline", s["h2"]),
    ]
    if report.scores:
        rows = [["Instrument", "Latest", "Band", "Baseline", "Change", "Clinically significant?"]]
        for line in report.scores:
            rows.append(
                [
                    Paragraph(escape(line.title), s["small"]),
                    f"{line.latest}",
                    Paragraph(escape(line.band), s["small"]),
                    line.baseline or "—",
                    line.change or "—",
                    Paragraph(escape(line.significance or "only one result"), s["small"]),
                ]
            )
        table = Table(rows, colWidths=[52 * mm, 15 * mm, 30 * mm, 17 * mm, 15 * mm, 53 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("TEXTCOLOR", (0, 0), (-1, -1), _INK),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, _LINE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ]
            )
        )
        story.append(table)
        story.append(
            Paragraph(
                "Baseline = first completed result; change = latest minus baseline; "
                "significance by each instrument's MCID (see the assessment page for sources).",
                s["small"],
            )
        )
    else:
        story.append(Paragraph("No completed questionnaires yet.", s["body"]))
    bm = report.bodymap
    story.append(Paragraph("Body map: then and now", s["h2"]))
    then_caption = f"then: {bm.then_on.isoformat()}" if bm.then_on else "no drawing"
    now_caption = f"now: {bm.now_on.isoformat()}" if bm.now_on else "no later drawing"
    then_text = "; ".join(bm.then_regions) or "—"
    now_text = "; ".join(bm.now_regions) or "—"
    figures = Table(
        [
            [_figure(bm.then_codes, then_caption), _figure(bm.now_codes, now_caption)],
            [
                Paragraph(f"<b>Then</b>: {escape(then_text)}", s["small"]),
                Paragraph(f"<b>Now</b>: {escape(now_text)}", s["small"]),
            ],
        ],
        colWidths=[91 * mm, 91 * mm],
    )
    figures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(figures)
    story.append(Paragraph("Current medicines", s["h2"]))
    for text in report.medicines or ["No current medicines recorded."]:
        story.append(Paragraph(escape(text), s["body"]))
    story.append(Paragraph("Open alerts", s["h2"]))
    for text in report.alerts or ["No open alerts."]:
        story.append(Paragraph(escape(text), s["body"]))
    story.append(Spacer(1, 2 * mm))
    doc.build(story)
    return out.getvalue()
