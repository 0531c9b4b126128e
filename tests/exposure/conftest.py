"""Extra personas for exposure tests: Dr Priya (psychologist) and Sam (pharmacist) in Team A."""

from __future__ import annotations

import pytest

from painpath.bootstrap import Container
from painpath.records.enums import Role
from painpath.records.models import CareTeamMember, UserAccount
from tests.conftest import _PASSWORD_HASH, World


@pytest.fixture
def team(container: Container, world: World) -> World:
    with container.uow() as uow:
        for key, role in (("priya", Role.PSYCHOLOGIST), ("sam", Role.PHARMACIST)):
            user = UserAccount(
                username=f"{key}@test.painpath.org",
                full_name=key.title(),
                role=role,
                password_hash=_PASSWORD_HASH,
                created_at=container.clock(),
            )
            uow.session.add(user)
            uow.session.flush()
            uow.session.add(CareTeamMember(care_team_id=world.team_a, user_id=user.id))
            world.users[key] = user.id
        uow.commit()
    return world
