"""Graded exposure, desensitisation and GMI stage records.

Rows only. Hierarchy order, the next step and every progression decision are recomputed from the
stored ratings and sessions by painpath.clinical.rehab (exposure, desensitisation, gmi), so a page
always shows the rule that produced a decision from what was recorded.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from painpath.records.base import Base, UtcDateTime


class ExposureHierarchy(Base):
    """The patient's fear hierarchy: rated activities (JSON list of {id, label, fear}), the
    TSK-11/PCS totals it was linked to, and the activity currently worked on."""

    __tablename__ = "exposure_hierarchy"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), unique=True)
    activities: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    tsk11: Mapped[int | None] = mapped_column(Integer, default=None)
    pcs: Mapped[int | None] = mapped_column(Integer, default=None)
    scores_source: Mapped[str] = mapped_column(String(24))  # assessment / entered
    current_activity_id: Mapped[str | None] = mapped_column(String(64), default=None)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ExposureTrialRecord(Base):
    """One behavioural experiment: predicted vs actual fear (0-100) and pain (0-10)."""

    __tablename__ = "exposure_trial"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    activity_id: Mapped[str] = mapped_column(String(64))
    performed_on: Mapped[date] = mapped_column(Date)
    predicted_fear: Mapped[int] = mapped_column(Integer)
    actual_fear: Mapped[int] = mapped_column(Integer)
    predicted_pain_nrs: Mapped[int] = mapped_column(Integer)
    actual_pain_nrs: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DesensitisationPlan(Base):
    """Patient-rated stimuli (JSON {stimulus_id: discomfort 0-10}), the current stimulus and
    zone, and the sensory discrimination stage."""

    __tablename__ = "desens_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), unique=True)
    ratings: Mapped[dict[str, Any]] = mapped_column(JSON)
    current_stimulus_id: Mapped[str | None] = mapped_column(String(64), default=None)
    zone: Mapped[str] = mapped_column(String(16))  # edge / inside
    sensory_stage: Mapped[str] = mapped_column(String(40))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DesensitisationSessionRecord(Base):
    __tablename__ = "desens_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    stimulus_id: Mapped[str] = mapped_column(String(64))
    zone: Mapped[str] = mapped_column(String(16))
    performed_on: Mapped[date] = mapped_column(Date)
    duration_s: Mapped[int] = mapped_column(Integer)
    discomfort_nrs: Mapped[int] = mapped_column(Integer)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SensorySessionRecord(Base):
    """A sensory discrimination session: trials and correct answers at one stage."""

    __tablename__ = "sensory_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    stage: Mapped[str] = mapped_column(String(40))
    performed_on: Mapped[date] = mapped_column(Date)
    trials: Mapped[int] = mapped_column(Integer)
    correct: Mapped[int] = mapped_column(Integer)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class GmiStageChange(Base):
    """The GMI stage history: each row starts a stage (or holds it) with the physio's reason and
    the core's recommendation at that moment. The latest row is the current stage."""

    __tablename__ = "gmi_stage_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    stage: Mapped[str] = mapped_column(String(32))
    started_on: Mapped[date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(String(16))  # start / advance / hold / step_back
    core_action: Mapped[str] = mapped_column(String(16), default="")
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class GmiSessionRecord(Base):
    """A GMI practice session at a stage with pain before and after (0-10)."""

    __tablename__ = "gmi_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    stage: Mapped[str] = mapped_column(String(32))
    performed_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    pain_before_nrs: Mapped[int] = mapped_column(Integer)
    pain_after_nrs: Mapped[int] = mapped_column(Integer)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
