"""Assessment records: questionnaire bundles, item-level responses, body-map drawings and the
clinician's neuropathic examination (NeuPSIG grade).

Rows only. Scores are computed by painpath.clinical.instruments on completion and stored with the
instrument version; every stored number can be recomputed from the stored answers. A completed
assessment is never edited: a correction is a new assessment whose `corrects_id` names the old one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from painpath.records.base import Base, UtcDateTime


class AssessmentBundle(Base):
    """The instruments due at one collection point (e.g. the referral bundle), with a due date."""

    __tablename__ = "assessment_bundle"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    bundle_code: Mapped[str] = mapped_column(String(32))
    collection_point: Mapped[str] = mapped_column(String(32))
    due_on: Mapped[date] = mapped_column(Date)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class Assessment(Base):
    """One administration of one instrument. State: not-started / in-progress / completed."""

    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    bundle_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment_bundle.id"), index=True, default=None
    )
    instrument_code: Mapped[str] = mapped_column(String(32))
    instrument_version: Mapped[str] = mapped_column(String(16))
    respondent: Mapped[str] = mapped_column(String(16))  # patient / clinician
    state: Mapped[str] = mapped_column(String(16), default="not-started")
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"), default=None)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    # Score stored on completion; decimals as exact strings (rounded only for display).
    total: Mapped[str | None] = mapped_column(String(40), default=None)
    band: Mapped[str | None] = mapped_column(String(48), default=None)
    subscales: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_prorated: Mapped[bool] = mapped_column(Boolean, default=False)

    answers: Mapped[list[AssessmentAnswer]] = relationship(
        order_by="AssessmentAnswer.id", cascade="all, delete-orphan"
    )


class AssessmentAnswer(Base):
    """One item's current answer. Upserted while in progress; frozen once the assessment is done."""

    __tablename__ = "assessment_answer"
    __table_args__ = (UniqueConstraint("assessment_id", "link_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    link_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(64))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revision: Mapped[int] = mapped_column(Integer, default=1)  # times the answer was changed


class BodyMapDrawing(Base):
    """One pain drawing: coded regions with qualities (and optional NRS), draft until finished."""

    __tablename__ = "assessment_bodymap"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    respondent: Mapped[str] = mapped_column(String(16))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    # [{"region": code, "qualities": [codes], "intensity_nrs": int | null}]
    markings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    is_final: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class NeuropathicExam(Base):
    """Clinician examination and the NeuPSIG grade derived from it (recomputable from inputs)."""

    __tablename__ = "assessment_neuro_exam"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    examined_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    examined_at: Mapped[datetime] = mapped_column(UtcDateTime)
    history: Mapped[str] = mapped_column(Text, default="")
    has_relevant_lesion_history: Mapped[bool] = mapped_column(Boolean)
    has_plausible_distribution: Mapped[bool] = mapped_column(Boolean)
    distribution_note: Mapped[str] = mapped_column(Text, default="")
    is_examined: Mapped[bool] = mapped_column(Boolean)
    negative_signs: Mapped[list[str]] = mapped_column(JSON, default=list)
    positive_signs: Mapped[list[str]] = mapped_column(JSON, default=list)
    confirmatory_test: Mapped[str] = mapped_column(String(32))
    test_note: Mapped[str] = mapped_column(Text, default="")
    # Function tests: {"timed-up-and-go-s": "9.5", ...} as exact decimal strings.
    function_tests: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    grade: Mapped[str] = mapped_column(String(16))
    grade_rule: Mapped[str] = mapped_column(String(48))
    rule_version: Mapped[str] = mapped_column(String(32))
