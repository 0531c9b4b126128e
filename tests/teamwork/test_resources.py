"""Community resources: search by words, region and need; recommendations and financial notes
the patient can read."""

from __future__ import annotations

import pytest

from painpath.bootstrap import Container
from painpath.services import resources
from painpath.services.errors import NotFound, PermissionDenied
from painpath.services.resources import FinancialKind, Need
from tests.conftest import World, context_for


def _seed(container: Container, world: World) -> dict[str, int]:
    lena = context_for(container, world, "lena")
    ids = {}
    for name, region, needs in (
        ("Peer Circle (demo)", "North", [Need.SUPPORT_GROUP]),
        ("Pain Skills Course (demo)", "North", [Need.SELF_MANAGEMENT]),
        ("Driver Scheme (demo)", "South", [Need.TRANSPORT]),
    ):
        with container.uow() as uow:
            ids[name] = resources.add_resource(
                uow, lena, name=name, plain_summary=f"{name} helps.", region=region, needs=needs
            )
    return ids


@pytest.mark.parametrize(
    ("text", "region", "need", "expected"),
    [
        pytest.param(
            "",
            "",
            "",
            ["Driver Scheme (demo)", "Pain Skills Course (demo)", "Peer Circle (demo)"],
            id="everything-by-name",
        ),
        pytest.param(
            "", "North", "", ["Pain Skills Course (demo)", "Peer Circle (demo)"], id="by-region"
        ),
        pytest.param("", "", "transport", ["Driver Scheme (demo)"], id="by-need"),
        pytest.param("skills", "", "", ["Pain Skills Course (demo)"], id="by-word"),
        pytest.param("skills", "South", "", [], id="word-and-region-none"),
    ],
)
def test_search_resources(
    container: Container, world: World, text: str, region: str, need: str, expected: list[str]
) -> None:
    _seed(container, world)
    with container.uow() as uow:
        found = resources.search_resources(
            uow, context_for(container, world, "ada"), text=text, region=region, need=need
        )
    assert [r.name for r in found] == expected


def test_only_coordinator_or_admin_edits_directory(container: Container, world: World) -> None:
    with container.uow() as uow, pytest.raises(PermissionDenied):
        resources.add_resource(
            uow,
            context_for(container, world, "drbo"),
            name="x",
            plain_summary="y",
            region="z",
            needs=[Need.TRANSPORT],
        )


def test_recommendation_and_financial_note_reach_the_patient(
    container: Container, world: World
) -> None:
    ids = _seed(container, world)
    tom = context_for(container, world, "tom")
    with container.uow() as uow:
        resources.recommend_resource(uow, tom, world.ada, ids["Peer Circle (demo)"], note="Try it")
    with container.uow() as uow:
        resources.add_financial_note(
            uow,
            context_for(container, world, "lena"),
            world.ada,
            kind=FinancialKind.ALTERNATIVE,
            text="Generic available",
            is_cost_effective_alternative=True,
        )
    with container.uow() as uow:
        mine = resources.patient_resources(uow, context_for(container, world, "ada"), world.ada)
    assert [r.resource.name for r in mine.recommendations] == ["Peer Circle (demo)"]
    assert [(n.text, n.is_cost_effective_alternative) for n in mine.financial_notes] == [
        ("Generic available", True)
    ]
    with container.uow() as uow, pytest.raises(NotFound):
        resources.patient_resources(uow, context_for(container, world, "ben"), world.ada)
