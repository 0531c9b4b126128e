"""SQLAlchemy 2 models. Rows only: business rules live in clinical/ and services/."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from painpath.records.base import Base, UtcDateTime
from painpath.records.enums import AuditOutcome, Discipline, Role, Sex, Side


def _enum(cls: type[Any]) -> Enum:
    # Plain VARCHAR + CHECK on both engines: adding a code later needs no PostgreSQL type ALTER.
    return Enum(cls, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class CareTeam(Base):
    __tablename__ = "care_team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")


class UserAccount(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(_enum(Role))
    password_hash: Mapped[str] = mapped_column(String(255))
    totp_secret: Mapped[str | None] = mapped_column(String(64), default=None)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    patient_id: Mapped[int | None] = mapped_column(
        ForeignKey("patient.id", ondelete="RESTRICT"), default=None, unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CareTeamMember(Base):
    __tablename__ = "care_team_member"

    care_team_id: Mapped[int] = mapped_column(ForeignKey("care_team.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)


class Patient(Base):
    __tablename__ = "patient"

    id: Mapped[int] = mapped_column(primary_key=True)
    mrn: Mapped[str] = mapped_column(String(32), unique=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    born_on: Mapped[date] = mapped_column(Date)
    sex: Mapped[Sex] = mapped_column(_enum(Sex))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    preferred_language: Mapped[str] = mapped_column(String(16), default="en")
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    phone: Mapped[str | None] = mapped_column(String(40), default=None)
    occupation: Mapped[str] = mapped_column(String(120), default="")
    care_team_id: Mapped[int] = mapped_column(ForeignKey("care_team.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    care_team: Mapped[CareTeam] = relationship(lazy="joined")
    injuries: Mapped[list[Injury]] = relationship(
        back_populates="patient", order_by="Injury.injured_on", cascade="all, delete-orphan"
    )
    comorbidities: Mapped[list[Comorbidity]] = relationship(
        back_populates="patient", order_by="Comorbidity.name", cascade="all, delete-orphan"
    )


class Injury(Base):
    __tablename__ = "injury"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    mechanism: Mapped[str] = mapped_column(String(200))
    injured_on: Mapped[date] = mapped_column(Date)
    body_region: Mapped[str] = mapped_column(String(100))
    side: Mapped[Side] = mapped_column(_enum(Side))
    nerves: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")

    patient: Mapped[Patient] = relationship(back_populates="injuries")


class Comorbidity(Base):
    __tablename__ = "comorbidity"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str | None] = mapped_column(String(32), default=None)
    noted_on: Mapped[date | None] = mapped_column(Date, default=None)

    patient: Mapped[Patient] = relationship(back_populates="comorbidities")


class ClinicalNote(Base):
    __tablename__ = "clinical_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    discipline: Mapped[Discipline] = mapped_column(_enum(Discipline))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    is_clinician_only: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    author: Mapped[UserAccount] = relationship(lazy="joined")


class UserSession(Base):
    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    is_mfa_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)

    user: Mapped[UserAccount] = relationship(lazy="joined")


class LoginAttempt(Base):
    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_username_at", "username", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(254))
    client_ip: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    is_success: Mapped[bool] = mapped_column(Boolean)


class AuditEvent(Base):
    """Append-only, hash-chained. patient_id has no foreign key so the trail outlives the record."""

    __tablename__ = "audit_event"
    __table_args__ = (UniqueConstraint("prev_hash"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor_id: Mapped[int | None] = mapped_column(Integer, default=None)
    actor_username: Mapped[str] = mapped_column(String(254))
    actor_role: Mapped[str] = mapped_column(String(32))
    patient_id: Mapped[int | None] = mapped_column(Integer, index=True, default=None)
    action: Mapped[str] = mapped_column(String(64))
    resource: Mapped[str] = mapped_column(String(64))
    resource_id: Mapped[str | None] = mapped_column(String(64), default=None)
    outcome: Mapped[AuditOutcome] = mapped_column(_enum(AuditOutcome))
    request_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
