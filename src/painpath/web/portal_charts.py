"""Server-rendered SVG charts for the diary: no JavaScript, readable by screen readers.

Each chart is an ``<svg role="img">`` with a <title> and a <desc> that states the trend in words;
the page puts the numbers in a table next to it for anyone who cannot see the drawing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 480, 210
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 12, 30


@dataclass(frozen=True, slots=True)
class Point:
    day: date
    value: Decimal | int | None
    is_marked: bool = False  # e.g. a flare day: drawn as a marker


@dataclass(frozen=True, slots=True)
class EventMarker:
    """A dated event drawn as a vertical line with a short code (M1, P1) that the legend table
    beside the chart explains: a medication change ("medication") or a programme phase ("phase")."""

    day: date
    kind: str
    code: str
    label: str


def chart(
    points: Sequence[Point],
    *,
    chart_id: str,
    title: str,
    desc: str,
    start: date,
    end: date,
    y_max: int,
    y_step: int,
    bars: bool = False,
    colour: str = "#0b5c8a",
    mark_label: str = "flare",
    events: Sequence[EventMarker] = (),
) -> Markup:
    """One time-series chart from ``start`` to ``end`` (inclusive); days without data are gaps."""
    span = max(1, (end - start).days)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + plot_w * (day - start).days / span

    def y(value: float) -> float:
        return TOP + plot_h * (1 - min(value, y_max) / y_max)

    parts = [
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for tick in range(0, y_max + 1, y_step):
        ty = y(tick)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end">{tick}</text>'
        )
    for tick_day in _x_ticks(start, end):
        tx = x(tick_day)
        parts.append(
            f'<line class="axis" x1="{tx:.1f}" x2="{tx:.1f}" y1="{HEIGHT - BOTTOM}" '
            f'y2="{HEIGHT - BOTTOM + 5}"/>'
            f'<text class="tick" x="{tx:.1f}" y="{HEIGHT - 6}" text-anchor="middle">'
            f"{tick_day.day} {tick_day:%b}</text>"
        )
    parts.append(
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" '
        f'y2="{HEIGHT - BOTTOM}"/>'
    )
    known = [p for p in points if p.value is not None and start <= p.day <= end]
    if bars:
        bar_w = max(2.0, plot_w / (span + 1) * 0.7)
        for p in known:
            top = y(float(p.value or 0))
            parts.append(
                f'<rect x="{x(p.day) - bar_w / 2:.1f}" y="{top:.1f}" width="{bar_w:.1f}" '
                f'height="{HEIGHT - BOTTOM - top:.1f}" fill="{colour}"/>'
            )
    else:
        for segment in _segments(known):
            coords = " ".join(f"{x(p.day):.1f},{y(float(p.value or 0)):.1f}" for p in segment)
            if len(segment) == 1:
                p = segment[0]
                parts.append(
                    f'<circle cx="{x(p.day):.1f}" cy="{y(float(p.value or 0)):.1f}" r="2.5" '
                    f'fill="{colour}"/>'
                )
            else:
                parts.append(
                    f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5" stroke-linejoin="round"/>'
                )
    parts += _event_lines(events, start, end, x)
    for p in known:
        if p.is_marked:
            mx, my = x(p.day), y(float(p.value or 0))
            parts.append(
                f'<path class="mark" d="M{mx:.1f},{my - 9:.1f} l5,8 h-10 z">'
                f"<title>{escape(mark_label)} {p.day.isoformat()}</title></path>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every interpolated text is escaped above)


def _event_lines(
    events: Sequence[EventMarker], start: date, end: date, x: Callable[[date], float]
) -> list[str]:
    """Vertical lines for events inside the range; codes on the same day stack downwards."""
    parts: list[str] = []
    per_day: dict[date, int] = {}
    for e in events:
        if not start <= e.day <= end:
            continue
        row = per_day.get(e.day, 0)
        per_day[e.day] = row + 1
        ex = x(e.day)
        css = "med" if e.kind == "medication" else "phase"
        anchor = "end" if ex > WIDTH - RIGHT - 24 else "start"
        dx = -3 if anchor == "end" else 3
        parts.append(
            f'<g class="event"><title>{escape(e.code)}: {e.day.isoformat()} {escape(e.label)}</title>'
            f'<line class="marker-{css}" x1="{ex:.1f}" x2="{ex:.1f}" y1="{TOP}" '
            f'y2="{HEIGHT - BOTTOM}"/>'
            f'<text class="marker-label {css}" x="{ex + dx:.1f}" y="{TOP + 12 + 14 * row}" '
            f'text-anchor="{anchor}">{escape(e.code)}</text></g>'
        )
    return parts


def _segments(points: list[Point]) -> list[list[Point]]:
    """Split the line where days are missing, so a gap in the diary shows as a gap."""
    segments: list[list[Point]] = []
    for p in points:
        if segments and (p.day - segments[-1][-1].day).days <= 1:
            segments[-1].append(p)
        else:
            segments.append([p])
    return segments


def _x_ticks(start: date, end: date) -> list[date]:
    span = (end - start).days
    step = 7 if span <= 35 else 21 if span <= 100 else 42
    return [start + timedelta(days=n) for n in range(0, span + 1, step)]


def trend_words(values: Sequence[Decimal | int], *, higher_is: str) -> str:
    """A plain-language description of the change from the first to the last week of data."""
    if len(values) < 2:
        return "Not enough entries yet to show a trend."
    week = max(1, min(7, len(values) // 2))
    first = sum((Decimal(v) for v in values[:week]), Decimal(0)) / week
    last = sum((Decimal(v) for v in values[-week:]), Decimal(0)) / week
    change = (last - first).quantize(Decimal("0.1"))
    if abs(change) < Decimal("0.5"):
        return f"About the same: from {first:.1f} to {last:.1f}."
    direction = "up" if change > 0 else "down"
    return f"Went {direction} from {first:.1f} to {last:.1f} ({higher_is} is higher)."
