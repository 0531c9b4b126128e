"""Education lessons: short self-management lessons (data in portal_lessons.toml, English and
Spanish), the patient's progress, and lessons assigned by the team."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib import resources

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from painpath.records.models_portal import LessonProgress
from painpath.security.policy import Action, Kind
from painpath.services.access import authorize_patient
from painpath.services.context import RequestContext
from painpath.services.errors import NotFound
from painpath.services.uow import UnitOfWork

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class Lesson:
    code: str
    minutes: int
    language: str
    title: str
    summary: str
    body: tuple[str, ...]
    try_this: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LessonCard:
    code: str
    title: str
    summary: str
    minutes: int
    is_assigned: bool
    is_opened: bool
    is_done: bool
    assigned_at: datetime | None
    completed_at: datetime | None


@lru_cache(maxsize=1)
def _library() -> tuple[tuple[str, ...], dict[str, dict[str, Lesson]]]:
    text = resources.files("painpath.services").joinpath("portal_lessons.toml").read_text("utf-8")
    data = tomllib.loads(text)
    languages = tuple(data["languages"])
    by_language: dict[str, dict[str, Lesson]] = {lang: {} for lang in languages}
    for raw in data["lesson"]:
        for lang in languages:
            words = raw[lang]
            by_language[lang][raw["code"]] = Lesson(
                code=raw["code"],
                minutes=int(raw["minutes"]),
                language=lang,
                title=words["title"],
                summary=words["summary"],
                body=tuple(words["body"]),
                try_this=tuple(words["try_this"]),
            )
    return languages, by_language


def languages() -> tuple[str, ...]:
    return _library()[0]


def language_for(preferred: str | None) -> str:
    wanted = (preferred or DEFAULT_LANGUAGE).split("-")[0].lower()
    return wanted if wanted in languages() else DEFAULT_LANGUAGE


def catalogue(language: str = DEFAULT_LANGUAGE) -> list[Lesson]:
    return list(_library()[1][language_for(language)].values())


def get_lesson(code: str, language: str = DEFAULT_LANGUAGE) -> Lesson:
    lesson = _library()[1][language_for(language)].get(code)
    if lesson is None:
        raise NotFound(f"lesson {code} not found")
    return lesson


def list_for_patient(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, *, language: str = DEFAULT_LANGUAGE
) -> list[LessonCard]:
    """Every lesson with this patient's progress: assigned and unfinished first."""
    authorize_patient(uow, ctx, patient_id, Kind.CARE_PLAN, Action.READ, audit_action="lesson.list")
    progress = {
        p.lesson_code: p
        for p in uow.session.scalars(
            select(LessonProgress).where(LessonProgress.patient_id == patient_id)
        )
    }
    cards = []
    for lesson in catalogue(language):
        row = progress.get(lesson.code)
        cards.append(
            LessonCard(
                code=lesson.code,
                title=lesson.title,
                summary=lesson.summary,
                minutes=lesson.minutes,
                is_assigned=bool(row and row.assigned_at),
                is_opened=bool(row and row.opened_at),
                is_done=bool(row and row.completed_at),
                assigned_at=row.assigned_at if row else None,
                completed_at=row.completed_at if row else None,
            )
        )
    uow.commit()
    return sorted(cards, key=lambda c: (c.is_done, not c.is_assigned))


def _progress_row(uow: UnitOfWork, patient_id: int, code: str) -> LessonProgress:
    row = uow.session.scalar(
        select(LessonProgress).where(
            LessonProgress.patient_id == patient_id, LessonProgress.lesson_code == code
        )
    )
    if row is not None:
        return row
    try:
        with uow.session.begin_nested():
            row = LessonProgress(patient_id=patient_id, lesson_code=code)
            uow.session.add(row)
    except IntegrityError:
        existing = uow.session.scalar(
            select(LessonProgress).where(
                LessonProgress.patient_id == patient_id, LessonProgress.lesson_code == code
            )
        )
        if existing is None:
            raise
        return existing
    return row


def open_lesson(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, code: str, *, language: str
) -> Lesson:
    """The patient reads a lesson (its first opening is recorded)."""
    authorize_patient(
        uow,
        ctx,
        patient_id,
        Kind.DIARY,
        Action.WRITE,
        audit_action="lesson.open",
        resource_id=code,
    )
    lesson = get_lesson(code, language)
    row = _progress_row(uow, patient_id, code)
    if row.opened_at is None:
        row.opened_at = ctx.now()
    uow.commit()
    return lesson


def complete_lesson(uow: UnitOfWork, ctx: RequestContext, patient_id: int, code: str) -> None:
    authorize_patient(
        uow,
        ctx,
        patient_id,
        Kind.DIARY,
        Action.WRITE,
        audit_action="lesson.complete",
        resource_id=code,
    )
    get_lesson(code)
    row = _progress_row(uow, patient_id, code)
    now = ctx.now()
    row.opened_at = row.opened_at or now
    row.completed_at = row.completed_at or now
    uow.commit()


def assign_lesson(uow: UnitOfWork, ctx: RequestContext, patient_id: int, code: str) -> None:
    """A clinician of the team assigns a lesson; it shows first on the patient's My day."""
    authorize_patient(
        uow,
        ctx,
        patient_id,
        Kind.CARE_PLAN,
        Action.WRITE,
        audit_action="lesson.assign",
        resource_id=code,
    )
    get_lesson(code)
    row = _progress_row(uow, patient_id, code)
    if row.assigned_at is None:
        row.assigned_at = ctx.now()
        row.assigned_by_id = ctx.actor.user_id
    uow.commit()
