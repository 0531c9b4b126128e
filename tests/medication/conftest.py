"""A pharmacist persona (Sam) in both care teams, added to the shared world."""

from __future__ import annotations

import pytest

from painpath.bootstrap import Container
from painpath.records.enums import Role
from painpath.records.models import CareTeamMember, UserAccount
from tests.conftest import _PASSWORD_HASH, World


def add_pharmacist(container: Container, world: World) -> str:
    with container.uow() as uow:
        user = UserAccount(
            username=world.username("sam"),
            full_name="Sam Costa",
            role=Role.PHARMACIST,
            password_hash=_PASSWORD_HASH,
            created_at=container.clock(),
        )
        uow.session.add(user)
        uow.session.flush()
        uow.session.add_all(
            CareTeamMember(care_team_id=t, user_id=user.id) for t in (world.team_a, world.team_b)
        )
        world.users["sam"] = user.id
        uow.commit()
    return "sam"


@pytest.fixture
def sam(container: Container, world: World) -> str:
    return add_pharmacist(container, world)
