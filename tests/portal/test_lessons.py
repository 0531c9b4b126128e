"""Lessons: the team assigns, the patient reads and finishes; English and Spanish content."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from painpath.bootstrap import Container
from painpath.services import lessons
from painpath.services.errors import NotFound, PermissionDenied
from tests.conftest import World, context_for, web_login


@pytest.mark.parametrize("language", ["en", "es"])
def test_lessons_every_lesson_exists_in_every_language(language: str) -> None:
    codes = [lesson.code for lesson in lessons.catalogue(language)]
    assert codes == [lesson.code for lesson in lessons.catalogue("en")]
    for lesson in lessons.catalogue(language):
        assert lesson.title and lesson.summary and lesson.body and lesson.try_this
        # Plain language: short sentences (reading age ~11 favours < 20 words a sentence).
        for paragraph in lesson.body:
            for sentence in paragraph.replace("!", ".").replace("?", ".").split(". "):
                assert len(sentence.split()) <= 25, (lesson.code, sentence)


@pytest.mark.parametrize(
    ("preferred", "expected"),
    [
        pytest.param("es-MX", "es", id="regional-spanish"),
        pytest.param("fr", "en", id="unknown-falls-back-to-english"),
        pytest.param(None, "en", id="none-is-english"),
    ],
)
def test_lessons_language_for(preferred: str | None, expected: str) -> None:
    assert lessons.language_for(preferred) == expected


def test_lessons_assigned_first_then_progress(container: Container, world: World) -> None:
    drbo, ada = context_for(container, world, "drbo"), context_for(container, world, "ada")
    with container.uow() as uow:
        lessons.assign_lesson(uow, drbo, world.ada, "flare-plan")
    with container.uow() as uow:
        cards = lessons.list_for_patient(uow, ada, world.ada)
    assert (cards[0].code, cards[0].is_assigned, cards[0].is_opened) == ("flare-plan", True, False)
    with container.uow() as uow:
        lesson = lessons.open_lesson(uow, ada, world.ada, "flare-plan", language="es")
    assert lesson.title == "Mi plan para las crisis"
    with container.uow() as uow:
        lessons.complete_lesson(uow, ada, world.ada, "flare-plan")
    with container.uow() as uow:
        cards = lessons.list_for_patient(uow, drbo, world.ada)
    done = [c for c in cards if c.is_done]
    assert [c.code for c in done] == ["flare-plan"] and cards[-1].code == "flare-plan"


def test_lessons_only_the_team_assigns_and_only_the_patient_finishes(
    container: Container, world: World
) -> None:
    with container.uow() as uow, pytest.raises(PermissionDenied):
        lessons.assign_lesson(uow, context_for(container, world, "lena"), world.ada, "sleep")
    with container.uow() as uow, pytest.raises(NotFound):
        lessons.assign_lesson(uow, context_for(container, world, "outsider"), world.ada, "sleep")
    with container.uow() as uow, pytest.raises(PermissionDenied):
        lessons.complete_lesson(uow, context_for(container, world, "drbo"), world.ada, "sleep")
    with container.uow() as uow, pytest.raises(NotFound):
        lessons.assign_lesson(uow, context_for(container, world, "drbo"), world.ada, "no-such")


def test_lessons_pages_read_and_finish(app_client: TestClient, world: World) -> None:
    csrf = web_login(app_client, world, "ada")
    listing = app_client.get("/lessons")
    assert listing.status_code == 200 and "Pacing: a bit, often" in listing.text
    spanish = app_client.get("/lessons/pacing?lang=es")
    assert 'lang="es"' in spanish.text and "Dosificar" in spanish.text
    done = app_client.post("/lessons/pacing/done", data={"csrf_token": csrf})
    assert done.status_code == 200  # redirected back to the list
    assert "done" in app_client.get("/lessons?lang=en").text
