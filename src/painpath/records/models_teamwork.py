"""Team documentation, injury and work, and community resources: rows only.

- note metadata and co-signature state, keyed by clinical_note.id (the note itself stays in the
  foundation table); co-signature rules are clinic data, not code;
- the return-to-work plan (work status, occupational demands, graded weeks, employer-facing
  restrictions) and insurer progress reports that the patient approves before release;
- the community resources directory, recommendations to a patient and financial notes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from painpath.records.base import Base, UtcDateTime


class NoteCosignRule(Base):
    """When a note needs a co-signature. Empty matchers match anything; all given must match."""

    __tablename__ = "note_cosign_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_role: Mapped[str | None] = mapped_column(String(32), default=None)
    author_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), default=None
    )  # e.g. a physiotherapy student account
    template_code: Mapped[str | None] = mapped_column(String(48), default=None)
    cosigner_role: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(300))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class NoteRecordMeta(Base):
    """Template and co-signature state of one clinical note."""

    __tablename__ = "note_record_meta"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("clinical_note.id"), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    template_code: Mapped[str] = mapped_column(String(48))
    fields: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    cosign_role: Mapped[str | None] = mapped_column(String(32), default=None)
    cosign_reason: Mapped[str] = mapped_column(String(300), default="")
    cosign_task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"), default=None)
    cosigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    cosigned_by_name: Mapped[str] = mapped_column(String(200), default="")
    cosigned_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReturnToWorkPlan(Base):
    __tablename__ = "return_to_work_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), unique=True)
    work_status: Mapped[str] = mapped_column(String(32))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    employer: Mapped[str] = mapped_column(String(200), default="")
    # [{"demand": "lifting", "detail": "boxes up to 20 kg from floor to shelf"}]
    demands: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    restrictions: Mapped[list[str]] = mapped_column(JSON, default=list)  # employer-facing
    start_on: Mapped[date | None] = mapped_column(Date, default=None)
    review_on: Mapped[date | None] = mapped_column(Date, default=None)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    weeks: Mapped[list[ReturnToWorkWeek]] = relationship(
        order_by="ReturnToWorkWeek.week_no", cascade="all, delete-orphan"
    )


class ReturnToWorkWeek(Base):
    __tablename__ = "return_to_work_week"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("return_to_work_plan.id"), index=True)
    week_no: Mapped[int] = mapped_column(Integer)
    hours_per_day: Mapped[int] = mapped_column(Integer)
    days_per_week: Mapped[int] = mapped_column(Integer)
    duties: Mapped[str] = mapped_column(Text, default="")


class InsurerReport(Base):
    """A progress report snapshot; the PDF is rendered from `content`, so what the patient
    approved is exactly what is released."""

    __tablename__ = "insurer_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(200))
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(24))  # awaiting-approval/approved/declined/released
    patient_comment: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CommunityResource(Base):
    __tablename__ = "community_resource"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    plain_summary: Mapped[str] = mapped_column(Text)  # what the patient reads
    region: Mapped[str] = mapped_column(String(100), index=True)
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact: Mapped[str] = mapped_column(String(300), default="")
    cost_band: Mapped[str] = mapped_column(String(16), default="free")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ResourceRecommendation(Base):
    __tablename__ = "resource_recommendation"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("community_resource.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    recommended_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), default=None
    )
    recommended_by_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    resource: Mapped[CommunityResource] = relationship(lazy="joined")


class FinancialNote(Base):
    __tablename__ = "financial_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # assistance / alternative / other
    text: Mapped[str] = mapped_column(Text)
    is_cost_effective_alternative: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    author_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
