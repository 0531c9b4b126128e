"""The patient's diary, out: a CSV of every entry and a dated one-page PDF summary with a chart,
readable by any doctor (issue 6: "the patient's own data out")."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from painpath.records.models import Patient
from painpath.security.policy import Action, Kind
from painpath.services.access import authorize_patient
from painpath.services.context import RequestContext
from painpath.services.diary import (
    MOOD_LABELS,
    SLEEP_LABELS,
    DayPoint,
    daily_points,
    entry_rows,
    local_today,
    to_view,
)
from painpath.services.uow import UnitOfWork

CSV_COLUMNS = (
    "local_date",
    "local_time",
    "pain_nrs_0_10",
    "sleep_quality_1_5",
    "sleep_words",
    "mood_1_5",
    "mood_words",
    "activity_minutes",
    "flare",
    "flare_trigger",
    "body_region_code",
    "body_region",
    "note",
    "entry_id",
)
PDF_DAYS = 90


@dataclass(frozen=True, slots=True)
class Export:
    filename: str
    content: bytes


def _safe_cell(value: object) -> str:
    """Text that a spreadsheet will not run as a formula (OWASP CSV injection advice)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def diary_csv(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> Export:
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.DIARY, Action.READ, audit_action="diary.export-csv"
    )
    zone = ZoneInfo(patient.timezone)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in entry_rows(uow, patient_id, since=None, until=None):
        e = to_view(row)
        local = e.recorded_at.astimezone(zone)
        writer.writerow(
            [
                e.recorded_on.isoformat(),
                f"{local:%H:%M}",
                e.pain_nrs,
                e.sleep_quality if e.sleep_quality is not None else "",
                e.sleep_label,
                e.mood if e.mood is not None else "",
                e.mood_label,
                e.activity_minutes if e.activity_minutes is not None else "",
                "yes" if e.is_flare else "no",
                _safe_cell(e.flare_trigger),
                e.body_region or "",
                e.body_region_label or "",
                _safe_cell(e.note),
                e.id,
            ]
        )
    today = local_today(patient, ctx.now())
    uow.commit()
    return Export(f"painpath-diary-{patient.mrn}-{today.isoformat()}.csv", out.getvalue().encode())


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _fmt(value: Decimal | None) -> str:
    return "—" if value is None else str(value)


def summary_pdf(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> Export:
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.DIARY, Action.READ, audit_action="diary.export-pdf"
    )
    today = local_today(patient, ctx.now())
    start = today - timedelta(days=PDF_DAYS - 1)
    points = daily_points(entry_rows(uow, patient_id, since=start, until=today))
    content = _build_pdf(patient, points, start=start, today=today)
    uow.commit()
    return Export(f"painpath-diary-summary-{patient.mrn}-{today.isoformat()}.pdf", content)


def _build_pdf(patient: Patient, points: list[DayPoint], *, start: date, today: date) -> bytes:
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=20 * mm,
        title=f"Pain diary summary {today.isoformat()}",
        author="painpath",
    )
    story: list[object] = [
        Paragraph("Pain diary summary", styles["Title"]),
        Paragraph(
            f"<b>{patient.given_name} {patient.family_name}</b> · record {patient.mrn} · "
            f"born {patient.born_on.isoformat()}",
            styles["Normal"],
        ),
        Paragraph(
            f"Prepared on {today.isoformat()} for {start.isoformat()} to {today.isoformat()} "
            f"({PDF_DAYS} days). Dates are the patient's local dates ({patient.timezone}).",
            styles["Normal"],
        ),
        Spacer(1, 5 * mm),
    ]
    first, last = points[:14], points[-14:]
    flare_days = [p.day for p in points if p.is_flare]
    facts = [
        ["Days with entries", f"{len(points)} of {PDF_DAYS}"],
        [
            "Pain, daily average (0-10)",
            f"first 2 weeks {_fmt(_mean([p.mean_pain for p in first]))}, "
            f"last 2 weeks {_fmt(_mean([p.mean_pain for p in last]))}",
        ],
        [
            "Sleep quality (1-5)",
            _fmt(_mean([p.mean_sleep for p in points if p.mean_sleep is not None])),
        ],
        ["Mood (1-5)", _fmt(_mean([p.mean_mood for p in points if p.mean_mood is not None]))],
        [
            "Activity, minutes a day",
            _fmt(
                _mean(
                    [Decimal(p.activity_minutes) for p in points if p.activity_minutes is not None]
                )
            ),
        ],
        [
            "Flare days",
            f"{len(flare_days)}"
            + (
                f" (from {flare_days[0].isoformat()} to {flare_days[-1].isoformat()})"
                if flare_days
                else ""
            ),
        ],
    ]
    story.append(_table(facts, header=False))
    story.append(Spacer(1, 5 * mm))
    story.append(Paragraph("Pain over time (daily average, 0-10)", styles["Heading2"]))
    story.append(_pain_chart(points, start=start, today=today))
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph("Week by week", styles["Heading2"]))
    story.append(_table(_weekly_rows(points, start=start, today=today), header=True))
    footer = (
        "Patient-reported diary from painpath. Pain: 0-10 numeric rating scale (0 no pain, 10 worst "
        f"imaginable). Sleep: 1 {SLEEP_LABELS[1]} to 5 {SLEEP_LABELS[5]}; mood: 1 {MOOD_LABELS[1]} "
        f"to 5 {MOOD_LABELS[5]}. Daily values average the day's entries; activity minutes are summed."
    )

    def _footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica-Oblique", 7.5)
        lines = simpleSplit(footer, "Helvetica-Oblique", 7.5, A4[0] - 36 * mm)
        for n, line in enumerate(lines[:3]):
            canvas.drawString(18 * mm, (13 - 3.3 * n) * mm, line)
        canvas.drawRightString(
            A4[0] - 18 * mm, 3 * mm, f"Prepared {today.isoformat()} · page {document.page}"
        )
        canvas.restoreState()

    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def _table(rows: list[list[str]], *, header: bool) -> Table:
    table = Table(rows, hAlign="LEFT")
    style = [
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style += [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e7eef5")),
            ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ]
    else:
        style.append(("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"))
    table.setStyle(TableStyle(style))
    return table


def _weekly_rows(points: list[DayPoint], *, start: date, today: date) -> list[list[str]]:
    rows = [["Week from", "Days", "Pain", "Sleep", "Mood", "Activity min/day", "Flare days"]]
    week_start = start
    while week_start <= today:
        week = [p for p in points if week_start <= p.day < week_start + timedelta(days=7)]
        activity = [Decimal(p.activity_minutes) for p in week if p.activity_minutes is not None]
        rows.append(
            [
                week_start.isoformat(),
                str(len(week)),
                _fmt(_mean([p.mean_pain for p in week])),
                _fmt(_mean([p.mean_sleep for p in week if p.mean_sleep is not None])),
                _fmt(_mean([p.mean_mood for p in week if p.mean_mood is not None])),
                _fmt(_mean(activity)),
                str(sum(1 for p in week if p.is_flare)),
            ]
        )
        week_start += timedelta(days=7)
    return rows


def _pain_chart(points: list[DayPoint], *, start: date, today: date) -> Drawing:
    width, height = 170 * mm, 55 * mm
    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y = 12 * mm, 8 * mm
    plot.width, plot.height = width - 16 * mm, height - 12 * mm
    segments: list[list[tuple[float, float]]] = []
    previous: date | None = None
    for p in points:
        xy = (float((p.day - start).days), float(p.mean_pain))
        if previous is not None and (p.day - previous).days <= 1 and segments:
            segments[-1].append(xy)
        else:
            segments.append([xy])
        previous = p.day
    plot.data = segments or [[(0.0, 0.0)]]
    for n in range(len(plot.data)):
        plot.lines[n].strokeColor = colors.HexColor("#a4161a")
        plot.lines[n].strokeWidth = 1.5
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax, plot.yValueAxis.valueStep = 0, 10, 2
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0, float((today - start).days)
    plot.xValueAxis.valueSteps = [float(d) for d in range(0, (today - start).days + 1, 14)]
    plot.xValueAxis.labelTextFormat = lambda v: (start + timedelta(days=int(v))).strftime("%d %b")
    drawing.add(plot)
    if not points:
        drawing.add(String(width / 2, height / 2, "No entries in this period", textAnchor="middle"))
    return drawing
