"""Shared fixtures: the database under test (SQLite by default, PostgreSQL when
PAINPATH_TEST_DATABASE_URL points at a server), a frozen clock and a named persona world."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from painpath.bootstrap import Container, bootstrap
from painpath.config import Environment, Settings
from painpath.main import create_app
from painpath.records import migrate, registry  # noqa: F401  (every table on the metadata)
from painpath.records.base import Base
from painpath.records.enums import Role, Sex, Side
from painpath.records.models import CareTeam, CareTeamMember, Injury, Patient, UserAccount
from painpath.security import passwords
from painpath.security.policy import Actor
from painpath.services.access import actor_for
from painpath.services.context import RequestContext

PASSWORD = "correct-horse-battery"
_PASSWORD_HASH = passwords.hash_password(PASSWORD)


@dataclass
class FrozenClock:
    now: datetime = field(default_factory=lambda: datetime(2026, 3, 2, 9, 30, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    base = os.environ.get("PAINPATH_TEST_DATABASE_URL")
    if not base or base.startswith("sqlite"):
        directory = Path(tempfile.mkdtemp(prefix=f"painpath-{_worker()}-"))
        yield f"sqlite:///{directory / 'test.db'}"
        return
    url = make_url(base)
    name = re.sub(r"\W", "_", f"{url.database or 'painpath_test'}_{_worker()}")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(env=Environment.TEST, database_url=database_url, log_json=True)


@pytest.fixture(scope="session")
def migrated_engine(settings: Settings) -> Iterator[Engine]:
    container = bootstrap(settings)
    migrate.upgrade(container.engine)
    yield container.engine
    container.engine.dispose()


def wipe(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def container(
    settings: Settings, migrated_engine: Engine, clock: FrozenClock
) -> Iterator[Container]:
    wipe(migrated_engine)
    yield bootstrap(settings, clock=clock, engine=migrated_engine)


@dataclass
class World:
    """The persona world: Team A cares for Ada; Team B for Ben. Dr Bo is in Team A only."""

    team_a: int
    team_b: int
    ada: int
    ben: int
    users: dict[str, int]

    def username(self, key: str) -> str:
        return f"{key}@test.painpath.org"


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> World:
    now = clock()
    with container.uow() as uow:
        s = uow.session
        team_a, team_b = CareTeam(name="Team A"), CareTeam(name="Team B")
        s.add_all([team_a, team_b])
        s.flush()

        def patient(given: str, family: str, team: int, born: date) -> Patient:
            p = Patient(
                mrn=f"T-{given}",
                given_name=given,
                family_name=family,
                born_on=born,
                sex=Sex.FEMALE,
                care_team_id=team,
                created_at=now,
                updated_at=now,
            )
            p.injuries = [
                Injury(
                    mechanism="Traction",
                    injured_on=date(2025, 1, 10),
                    body_region="Arm",
                    side=Side.RIGHT,
                    nerves=["C5"],
                )
            ]
            s.add(p)
            s.flush()
            return p

        ada = patient("Ada", "Moreno", team_a.id, date(1981, 6, 12))
        ben = patient("Ben", "Hughes", team_b.id, date(1958, 2, 3))
        specs = {
            "drbo": (Role.PHYSICIAN, [team_a.id], None),
            "tom": (Role.PHYSIOTHERAPIST, [team_a.id], None),
            "lena": (Role.COORDINATOR, [team_a.id, team_b.id], None),
            "outsider": (Role.PHYSICIAN, [team_b.id], None),
            "admin": (Role.ADMIN, [], None),
            "ada": (Role.PATIENT, [], ada.id),
            "ben": (Role.PATIENT, [], ben.id),
        }
        users: dict[str, int] = {}
        for key, (role, teams, patient_id) in specs.items():
            user = UserAccount(
                username=f"{key}@test.painpath.org",
                full_name=key.title(),
                role=role,
                password_hash=_PASSWORD_HASH,
                patient_id=patient_id,
                created_at=now,
            )
            s.add(user)
            s.flush()
            users[key] = user.id
            s.add_all(CareTeamMember(care_team_id=t, user_id=user.id) for t in teams)
        uow.commit()
        return World(team_a.id, team_b.id, ada.id, ben.id, users)


def context_for(container: Container, world: World, key: str) -> RequestContext:
    with container.uow() as uow:
        user = uow.session.get(UserAccount, world.users[key])
        assert user is not None
        actor: Actor = actor_for(uow, user, now=container.clock())
    return RequestContext(actor=actor, request_id=f"test-{key}", clock=container.clock)


@pytest.fixture
def app_client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container), base_url="http://testserver") as client:
        yield client


def api_login(client: TestClient, world: World, key: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token", json={"username": world.username(key), "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def web_login(client: TestClient, world: World, key: str) -> str:
    """Sign in through the form like a browser; returns the session's CSRF token."""
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    response = client.post(
        "/login",
        data={"username": world.username(key), "password": PASSWORD, "csrf_token": csrf.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    home = client.get("/", follow_redirects=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
    assert token is not None
    return token.group(1)
