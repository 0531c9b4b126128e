"""Sections of the patient overview page. Capability modules register theirs on import
(from their web/routes_<area>.py), so the overview grows without edits to a shared template."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from painpath.services.context import RequestContext
from painpath.services.uow import UnitOfWork

# Returns short lines for the overview card, or None when the viewer may not see this section.
Summary = Callable[[UnitOfWork, RequestContext, int], list[str] | None]


@dataclass(frozen=True, slots=True)
class PatientSection:
    slug: str
    title: str
    order: int
    empty_text: str
    link: str | None = None  # e.g. "/patients/{patient_id}/assessments"
    link_text: str = "Open"
    summary: Summary | None = None


SECTIONS: dict[str, PatientSection] = {}


def register_section(section: PatientSection) -> None:
    SECTIONS[section.slug] = section


for _slug, _title, _order, _empty in (
    ("assessments", "Assessments", 10, "No questionnaires or examinations yet."),
    ("care-plan", "Care plan and goals", 20, "No care plan yet."),
    ("medicines", "Medicines", 30, "No medicines recorded yet."),
    ("rehab", "Rehabilitation", 40, "No exercise programme yet."),
    ("diary", "Diary and monitoring", 50, "No diary entries yet."),
):
    register_section(PatientSection(_slug, _title, _order, _empty))


@dataclass(frozen=True, slots=True)
class RenderedSection:
    slug: str
    title: str
    lines: list[str]
    empty_text: str
    link: str | None
    link_text: str


def render_sections(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[RenderedSection]:
    rendered = []
    for section in sorted(SECTIONS.values(), key=lambda s: s.order):
        lines = section.summary(uow, ctx, patient_id) if section.summary else []
        if lines is None:
            continue
        link = section.link.format(patient_id=patient_id) if section.link else None
        rendered.append(
            RenderedSection(
                section.slug, section.title, lines, section.empty_text, link, section.link_text
            )
        )
    return rendered
