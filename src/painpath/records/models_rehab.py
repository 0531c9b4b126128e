"""Rehabilitation records: programmes (versioned), session logs, physiotherapy session notes,
pacing plans and their changes, graded motor imagery laterality tests.

Rows only. Numbers that the clinical core derives (quotas, schedule, adherence, laterality scores)
are recomputed from the stored inputs by painpath.clinical.rehab, so every figure on a page traces
back to what was logged and the rule that produced it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from painpath.records.base import Base, UtcDateTime


class RehabProgramme(Base):
    """The patient's current exercise programme (one per patient; every change is a version)."""

    __tablename__ = "rehab_programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), unique=True)
    phase: Mapped[str] = mapped_column(String(32))
    sessions_per_week: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # PatientProfile inputs for the builder: contraindication tags, flags, focus regions.
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_on: Mapped[date] = mapped_column(Date)
    phase_started_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    items: Mapped[list[RehabProgrammeItem]] = relationship(
        order_by="RehabProgrammeItem.position", cascade="all, delete-orphan"
    )


class RehabProgrammeItem(Base):
    __tablename__ = "rehab_programme_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("rehab_programme.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    exercise_id: Mapped[str] = mapped_column(String(64))
    sets: Mapped[int] = mapped_column(Integer, default=0)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    hold_s: Mapped[int] = mapped_column(Integer, default=0)
    duration_min: Mapped[int] = mapped_column(Integer, default=0)
    rpe_target: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")


class RehabProgrammeVersion(Base):
    """An immutable snapshot of the programme after each change, with who changed it and why."""

    __tablename__ = "rehab_programme_version"
    __table_args__ = (UniqueConstraint("programme_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("rehab_programme.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RehabSessionLog(Base):
    """One home session as the patient logged it. The idempotency key makes a retry harmless."""

    __tablename__ = "rehab_session_log"
    __table_args__ = (UniqueConstraint("patient_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("rehab_programme.id"), default=None)
    programme_version: Mapped[int | None] = mapped_column(Integer, default=None)
    performed_on: Mapped[date] = mapped_column(Date)
    exercise_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_completed: Mapped[bool] = mapped_column(Boolean, default=True)
    minutes: Mapped[int] = mapped_column(Integer)
    pain_before_nrs: Mapped[int] = mapped_column(Integer)
    pain_after_nrs: Mapped[int] = mapped_column(Integer)
    rpe: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    idempotency_key: Mapped[str] = mapped_column(String(64))
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    logged_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RehabPhysioNote(Base):
    """A physiotherapy session note with objective measures (name, value, unit, side)."""

    __tablename__ = "rehab_physio_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    seen_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    measures: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RehabPacingPlan(Base):
    """Quota-based pacing for one activity: baseline tolerances in, schedule derived by the rules."""

    __tablename__ = "rehab_pacing_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    activity: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(16), default="min")
    baseline: Mapped[list[int]] = mapped_column(JSON)
    method: Mapped[str] = mapped_column(String(32))
    target: Mapped[int] = mapped_column(Integer)
    start_on: Mapped[date] = mapped_column(Date)
    usual_pain_nrs: Mapped[int] = mapped_column(Integer)
    current_step: Mapped[int] = mapped_column(Integer, default=0)
    step_entered_on: Mapped[date] = mapped_column(Date)
    is_stepped_back: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RehabPacingChange(Base):
    """Each rule decision that changed the plan (step back, resume, progress), with its reason."""

    __tablename__ = "rehab_pacing_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("rehab_pacing_plan.id"), index=True)
    decided_on: Mapped[date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(String(16))
    light: Mapped[str] = mapped_column(String(8))
    from_step: Mapped[int] = mapped_column(Integer)
    to_step: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RehabGmiTest(Base):
    """A left/right judgement test: every trial as shown and answered; scored on read."""

    __tablename__ = "rehab_gmi_test"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    limb: Mapped[str] = mapped_column(String(8))  # hand / foot
    affected_side: Mapped[str] = mapped_column(String(8))
    trials: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime)
