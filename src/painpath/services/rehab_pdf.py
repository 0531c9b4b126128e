"""The printable home programme (ReportLab): exercises in order with dosage and instructions,
the pacing quota and its weekly schedule, and the flare plan in plain language."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from painpath.services.pdf_style import LINE, PATIENT_STANDARD, paragraph_styles
from painpath.services.rehab import RehabOverview


def _styles() -> dict[str, ParagraphStyle]:
    return paragraph_styles(PATIENT_STANDARD)


def programme_pdf(ov: RehabOverview) -> bytes:
    """Render the patient's home programme; the text is extractable (tested with pdftotext)."""
    s = _styles()
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"Home exercise programme - {ov.patient_name}",
        author="painpath",
    )
    story: list[object] = [
        Paragraph("My home exercise programme", s["title"]),
        Paragraph(
            f"<b>{escape(ov.patient_name)}</b> &middot; printed {ov.today.isoformat()}", s["body"]
        ),
    ]
    p = ov.programme
    if p is None:
        story.append(Paragraph("No exercise programme has been set yet.", s["body"]))
    else:
        story.append(
            Paragraph(
                f"{escape(p.phase_label)} &middot; {p.sessions_per_week} sessions a week "
                f"&middot; version {p.version} of {p.updated_at.date().isoformat()}",
                s["body"],
            )
        )
        story.append(Spacer(1, 4 * mm))
        story.append(Paragraph("Exercises, in this order", s["h2"]))
        for item in p.items:
            block = [
                Paragraph(f"{item.position}. {escape(item.name)}", s["h3"]),
                Table(
                    [["How much", item.dosage_text], ["Type", item.category_label]]
                    + ([["You need", ", ".join(item.equipment)]] if item.equipment else []),
                    colWidths=[32 * mm, 138 * mm],
                    style=TableStyle(
                        [
                            ("FONTSIZE", (0, 0), (-1, -1), 11.5),
                            ("TEXTCOLOR", (0, 0), (0, -1), colors.HexColor("#4a5566")),
                            ("FONTNAME", (1, 0), (1, 0), "Helvetica-Bold"),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                            ("TOPPADDING", (0, 0), (-1, -1), 1),
                            ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ]
                    ),
                ),
                Paragraph(escape(item.instructions), s["body"]),
            ]
            if item.note:
                block.append(
                    Paragraph(f"<i>Note from your physio:</i> {escape(item.note)}", s["body"])
                )
            block.append(Spacer(1, 3 * mm))
            story.append(KeepTogether(block))
    pacing = ov.pacing
    if pacing is not None:
        rows = [["Step", f"Daily amount ({pacing.unit})", ""]]
        rows += [
            [
                str(st.index + 1),
                f"{st.quota}",
                "you are here" if st.index == pacing.current_step else "",
            ]
            for st in pacing.schedule
        ]
        here = pacing.current_step + 1
        story += [
            Paragraph(f"Pacing: {escape(pacing.activity)}", s["h2"]),
            Paragraph(
                f"Your amount for now is <b>{pacing.quota_today} {escape(pacing.unit)} a day</b>. "
                f"It starts below what you could manage at the start ({pacing.mean_tolerance} on "
                "average) and goes up one step each week. If you have a flare, follow the plan "
                "below.",
                s["body"],
            ),
            Spacer(1, 2 * mm),
            Table(
                rows,
                colWidths=[18 * mm, 50 * mm, 40 * mm],
                hAlign="LEFT",
                style=TableStyle(
                    [
                        ("FONTSIZE", (0, 0), (-1, -1), 11.5),
                        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE),
                        ("BACKGROUND", (0, here), (-1, here), colors.HexColor("#e7f1fb")),
                        ("FONTNAME", (0, here), (-1, here), "Helvetica-Bold"),
                    ]
                ),
            ),
            Spacer(1, 3 * mm),
            KeepTogether(
                [
                    Paragraph("If you have a flare", s["h3"]),
                    Paragraph(
                        "<b>Green</b> (pain near your usual level): keep to your amount. "
                        "<b>Amber</b> (pain 2 or more points above usual): keep the same amount, "
                        "do not add more. <b>Red</b> (pain 4 or more above usual, or amber for 2 "
                        "days): go back one step, then carry on after 2 green days. Your physio is "
                        "told.",
                        s["body"],
                    ),
                ]
            ),
        ]
    story += [
        Spacer(1, 5 * mm),
        Paragraph(
            "Stop and contact the clinic if you have new weakness, numbness that spreads, chest "
            "pain or breathlessness. Log each session on your phone so your physio can see it.",
            s["small"],
        ),
    ]
    doc.build(story)
    return out.getvalue()
