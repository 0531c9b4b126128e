"""Medication records: orders with an append-only change history, the titration schedule stored
per order, renal inputs, side-effect reports, dispensing fills, and regimen reviews with their
findings. Rows only: the rules live in clinical/medications and the use cases in services."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from painpath.records.base import Base, UtcDateTime

# Doses in mg (or mcg/h for patches) with three decimals: enough for every formulary unit.
Dose = Numeric(12, 3)


class MedicationOrder(Base):
    """The current state of one medicine for one patient; every change adds a history row."""

    __tablename__ = "medication_order"
    __table_args__ = (Index("ix_medication_order_patient_id_status", "patient_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    drug: Mapped[str] = mapped_column(String(48))
    status: Mapped[str] = mapped_column(String(16))  # active / stopped
    dose_mg: Mapped[Decimal | None] = mapped_column(Dose, default=None)
    times_per_day: Mapped[int | None] = mapped_column(Integer, default=None)
    dose_mcg_per_hr: Mapped[Decimal | None] = mapped_column(Dose, default=None)
    target_daily_dose_mg: Mapped[Decimal | None] = mapped_column(Dose, default=None)
    purpose: Mapped[str] = mapped_column(String(200), default="")  # plain words for the patient
    # Planned exercise sessions the doses are timed around: [{"on": "YYYY-MM-DD"|null, "at": "HH:MM"}]
    exercise_sessions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    schedule_warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    schedule_source: Mapped[str] = mapped_column(Text, default="")
    started_on: Mapped[date] = mapped_column(Date)
    stopped_on: Mapped[date | None] = mapped_column(Date, default=None)
    prescriber_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    steps: Mapped[list[MedicationTitrationStep]] = relationship(
        order_by="MedicationTitrationStep.day", cascade="all, delete-orphan"
    )


class MedicationOrderChange(Base):
    """Append-only history of an order: start, titrate (dose change), stop - each with a reason."""

    __tablename__ = "medication_order_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("medication_order.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    change: Mapped[str] = mapped_column(String(16))  # start / titrate / stop
    dose_mg: Mapped[Decimal | None] = mapped_column(Dose, default=None)
    times_per_day: Mapped[int | None] = mapped_column(Integer, default=None)
    dose_mcg_per_hr: Mapped[Decimal | None] = mapped_column(Dose, default=None)
    reason: Mapped[str] = mapped_column(Text)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class MedicationTitrationStep(Base):
    """One day of the generated titration schedule of an order (capped at the patient's ceiling
    when it was saved)."""

    __tablename__ = "medication_titration_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("medication_order.id"), index=True)
    day: Mapped[int] = mapped_column(Integer)
    scheduled_on: Mapped[date] = mapped_column(Date)
    daily_dose_mg: Mapped[Decimal] = mapped_column(Dose)
    times_per_day: Mapped[int] = mapped_column(Integer)
    # [{"at": "HH:MM", "dose_mg": "75", "covers_session_at": "HH:MM"|null}] in the patient's zone
    administrations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class MedicationRenalInput(Base):
    """Weight and serum creatinine with the date they were measured (Cockcroft-Gault inputs)."""

    __tablename__ = "medication_renal_input"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    weight_kg: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    serum_creatinine_mg_dl: Mapped[Decimal] = mapped_column(Numeric(6, 3))
    measured_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class MedicationSideEffect(Base):
    """A side effect reported by a clinician or by the patient."""

    __tablename__ = "medication_side_effect"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("medication_order.id"), default=None)
    drug: Mapped[str] = mapped_column(String(48))
    effect: Mapped[str] = mapped_column(String(200))
    severity: Mapped[str] = mapped_column(String(16))  # mild / moderate / severe
    note: Mapped[str] = mapped_column(Text, default="")
    reported_by_role: Mapped[str] = mapped_column(String(32))
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    noted_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class MedicationFill(Base):
    """A dispensing (fill) of a scheduled medicine: the input of adherence (PDC)."""

    __tablename__ = "medication_fill"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    drug: Mapped[str] = mapped_column(String(48))
    filled_on: Mapped[date] = mapped_column(Date)
    days_supply: Mapped[int] = mapped_column(Integer)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class MedicationReview(Base):
    """One run of the regimen checks over the active orders, with what it computed."""

    __tablename__ = "medication_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    trigger: Mapped[str] = mapped_column(String(32))  # e.g. order.start, renal.record, review
    crcl_ml_min: Mapped[Decimal | None] = mapped_column(Numeric(8, 2), default=None)
    mme_per_day: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    regimen: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    formulary_version: Mapped[str] = mapped_column(String(32))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    reviewed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class MedicationFinding(Base):
    """A finding of a review. Open until a pharmacist (or physician) acknowledges it or overrides
    it with a reason; a later review showing the same finding carries that response forward."""

    __tablename__ = "medication_finding"
    __table_args__ = (Index("ix_medication_finding_patient_id_status", "patient_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("medication_review.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    fingerprint: Mapped[str] = mapped_column(String(200))  # kind:code:drugs - stable across reviews
    kind: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(80))
    severity: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    drugs: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_verified: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(16))  # open / acknowledged / overridden / resolved
    response_reason: Mapped[str] = mapped_column(Text, default="")
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    responded_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
