"""Body map drawings and the NeuPSIG examination on the real database, and their pages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from painpath.bootstrap import Container
from painpath.services import assessments_bodymap as bm
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput, NotFound, PermissionDenied
from tests.conftest import FrozenClock, World, context_for, web_login

FOREARM = "r-forearm-ventral-lateral"


@pytest.fixture
def ctxs(container: Container, world: World) -> dict[str, RequestContext]:
    keys = ("ada", "drbo", "lena", "outsider", "tom")
    return {key: context_for(container, world, key) for key in keys}


def test_bodymap_marks_save_at_once_and_finish_feeds_the_heat_map(
    container: Container, world: World, ctxs: dict[str, RequestContext], clock: FrozenClock
) -> None:
    ada = ctxs["ada"]
    for _ in range(2):
        with container.uow() as uow:
            bm.mark_region(uow, ada, world.ada, FOREARM, ["burning", "allodynia"], intensity_nrs=7)
        with container.uow() as uow:
            bm.mark_region(uow, ada, world.ada, "r-thumb-palmar", ["electric"])
        with container.uow() as uow:
            draft = bm.get_bodymap(uow, ada, world.ada).draft
        assert draft is not None and [m.region_code for m in draft.marks] == [
            FOREARM,
            "r-thumb-palmar",
        ]
        with container.uow() as uow:
            bm.finish_drawing(uow, ada, world.ada)
        clock.advance(days=30)
    with container.uow() as uow:
        bm.mark_region(uow, ada, world.ada, FOREARM, ["burning"])
    with container.uow() as uow:
        bm.mark_region(uow, ada, world.ada, FOREARM, [])  # cleared again
        page = bm.get_bodymap(uow, ctxs["drbo"], world.ada)
    assert page.heat is not None and page.heat.drawings == 2
    assert page.heat.regions[FOREARM] == (2, 7)  # marked in 2 of 2, mean NRS (7 + 7) / 2 = 7
    assert page.heat.regions["r-thumb-palmar"] == (2, None)  # never rated
    assert any(t.code == "median" for t in page.territories)


def test_bodymap_refuses_unknown_region_and_quality(
    container: Container, world: World, ctxs: dict[str, RequestContext]
) -> None:
    with container.uow() as uow, pytest.raises(InvalidInput):
        bm.mark_region(uow, ctxs["ada"], world.ada, "r-tail", ["burning"])
    with container.uow() as uow, pytest.raises(InvalidInput):
        bm.mark_region(uow, ctxs["ada"], world.ada, FOREARM, ["itchy"])
    with container.uow() as uow, pytest.raises(InvalidInput):
        bm.finish_drawing(uow, ctxs["ada"], world.ada)  # nothing marked


def test_bodymap_access_coordinator_sees_no_drawing_outsider_nothing(
    container: Container, world: World, ctxs: dict[str, RequestContext]
) -> None:
    with container.uow() as uow:
        bm.mark_region(uow, ctxs["ada"], world.ada, FOREARM, ["burning"])
    with container.uow() as uow:
        bm.finish_drawing(uow, ctxs["ada"], world.ada)
    with container.uow() as uow:
        page = bm.get_bodymap(uow, ctxs["lena"], world.ada)
    assert (page.can_read, page.drawings, page.heat) == (False, [], None)
    with container.uow() as uow, pytest.raises(NotFound):
        bm.get_bodymap(uow, ctxs["outsider"], world.ada)
    with container.uow() as uow, pytest.raises(PermissionDenied):
        bm.mark_region(uow, ctxs["lena"], world.ada, FOREARM, ["burning"])


def exam(**changes: object) -> bm.ExamInput:
    base: dict[str, object] = {
        "history": "traction injury",
        "has_relevant_lesion_history": True,
        "has_plausible_distribution": True,
        "distribution_note": "C6-C7, right",
        "is_examined": True,
        "negative_signs": [],
        "positive_signs": ["dynamic-mechanical-allodynia"],
        "confirmatory_test": "not-performed",
        "test_note": "",
        "function_tests": {"grip-strength-affected-kg": "14.5"},
    }
    base.update(changes)
    return bm.ExamInput(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "grade", "rule"),
    [
        pytest.param(exam(), "probable", "signs-in-distribution", id="signs-probable"),
        pytest.param(
            exam(confirmatory_test="confirms-lesion"),
            "definite",
            "signs-and-confirmatory-test",
            id="signs-and-test-definite",
        ),
        pytest.param(
            exam(is_examined=False, positive_signs=[]),
            "possible",
            "history-and-distribution",
            id="not-examined-possible",
        ),
        pytest.param(
            exam(has_relevant_lesion_history=False),
            "unlikely",
            "no-relevant-history",
            id="no-history-unlikely",
        ),
    ],
)
def test_exam_grade_follows_neupsig_with_trace(
    container: Container,
    world: World,
    ctxs: dict[str, RequestContext],
    data: bm.ExamInput,
    grade: str,
    rule: str,
) -> None:
    with container.uow() as uow:
        view = bm.record_exam(uow, ctxs["drbo"], world.ada, data)
    assert (view.grade, view.rule) == (grade, rule)
    assert [t.criterion for t in view.trace] == [
        "lesion-history",
        "plausible-distribution",
        "sensory-signs",
        "confirmatory-test",
    ]
    assert "Finnerup" in view.source


def test_exam_access_and_validation(
    container: Container, world: World, ctxs: dict[str, RequestContext]
) -> None:
    with container.uow() as uow, pytest.raises(PermissionDenied):
        bm.record_exam(uow, ctxs["lena"], world.ada, exam())
    with container.uow() as uow, pytest.raises(InvalidInput):
        bm.record_exam(uow, ctxs["drbo"], world.ada, exam(positive_signs=["glowing"]))
    with container.uow() as uow, pytest.raises(InvalidInput):
        bm.record_exam(
            uow, ctxs["drbo"], world.ada, exam(function_tests={"six-minute-walk-m": "far"})
        )
    with container.uow() as uow:
        bm.record_exam(uow, ctxs["tom"], world.ada, exam())  # a physiotherapist examines too
        assert len(bm.list_exams(uow, ctxs["drbo"], world.ada)) == 1


def test_bodymap_and_exam_pages(app_client: TestClient, world: World) -> None:
    csrf = web_login(app_client, world, "ada")
    saved = app_client.post(
        f"/patients/{world.ada}/bodymap/marks",
        data={"csrf_token": csrf, "region": FOREARM, "qualities": ["burning", "allodynia"]},
    )
    assert saved.status_code == 200 and "Marked so far" in saved.text
    assert f"#draw-{FOREARM} {{ fill" in saved.text
    done = app_client.post(f"/patients/{world.ada}/bodymap/finish", data={"csrf_token": csrf})
    assert "Drawing saved" in done.text and "1 of 1" in done.text

    doctor = TestClient(app_client.app)
    token = web_login(doctor, world, "drbo")
    page = doctor.post(
        f"/patients/{world.ada}/examination",
        data={
            "csrf_token": token,
            "has_relevant_lesion_history": "yes",
            "has_plausible_distribution": "yes",
            "is_examined": "yes",
            "positive_signs": ["dynamic-mechanical-allodynia"],
            "confirmatory_test": "confirms-lesion",
        },
    )
    assert page.status_code == 200
    assert "definite neuropathic pain" in page.text and "Finnerup" in page.text
    missing = doctor.post(f"/patients/{world.ada}/examination", data={"csrf_token": token})
    assert missing.status_code == 422 and "answer yes or no" in missing.text
