"""Staff and patient accounts, care teams."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from painpath.records.enums import Role
from painpath.records.models import CareTeam, CareTeamMember, Patient, UserAccount
from painpath.security import passwords, totp
from painpath.services.errors import Conflict, InvalidInput
from painpath.services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class CreatedUser:
    id: int
    username: str
    role: Role
    totp_uri: str | None


def create_user(
    uow: UnitOfWork,
    *,
    username: str,
    full_name: str,
    role: Role,
    password: str,
    now: datetime,
    team_names: list[str] | None = None,
    patient_id: int | None = None,
    with_totp: bool = False,
) -> CreatedUser:
    username = username.strip().lower()
    if "@" not in username or len(username) > 254:
        raise InvalidInput("username must be an e-mail address")
    if uow.session.scalar(select(UserAccount.id).where(UserAccount.username == username)):
        raise Conflict(f"user {username} already exists")
    if (role is Role.PATIENT) != (patient_id is not None):
        raise InvalidInput("a patient account needs --patient-id, and only a patient account")
    if patient_id is not None and uow.session.get(Patient, patient_id) is None:
        raise InvalidInput(f"patient {patient_id} does not exist")
    try:
        password_hash = passwords.hash_password(password)
    except passwords.WeakPassword as exc:
        raise InvalidInput(str(exc)) from exc
    secret = totp.new_secret() if with_totp else None
    user = UserAccount(
        username=username,
        full_name=full_name.strip() or username,
        role=role,
        password_hash=password_hash,
        totp_secret=secret,
        patient_id=patient_id,
        created_at=now,
    )
    uow.session.add(user)
    uow.session.flush()
    for name in team_names or []:
        team = uow.session.scalar(select(CareTeam).where(CareTeam.name == name))
        if team is None:
            raise InvalidInput(f"care team {name!r} does not exist")
        uow.session.add(CareTeamMember(care_team_id=team.id, user_id=user.id))
    uow.commit()
    return CreatedUser(
        user.id, user.username, role, totp.provisioning_uri(secret, username) if secret else None
    )


def create_care_team(uow: UnitOfWork, *, name: str, description: str = "") -> int:
    if uow.session.scalar(select(CareTeam.id).where(CareTeam.name == name)):
        raise Conflict(f"care team {name!r} already exists")
    team = CareTeam(name=name, description=description)
    uow.session.add(team)
    uow.session.flush()
    uow.commit()
    return team.id
