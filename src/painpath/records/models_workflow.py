"""Alerts (detected conditions) and tasks (work someone owns), shared by every capability."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from painpath.records.base import Base, UtcDateTime


class AlertRecord(Base):
    __tablename__ = "alert"
    __table_args__ = (Index("ix_alert_dedupe_key_state", "dedupe_key", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    kind: Mapped[str] = mapped_column(String(48))
    severity: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="open")  # open/acknowledged/resolved
    dedupe_key: Mapped[str] = mapped_column(String(200))
    owner_role: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    rationale: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    is_safety: Mapped[bool] = mapped_column(Boolean, default=False)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    raised_at: Mapped[datetime] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    resolution: Mapped[str] = mapped_column(Text, default="")


class TaskRecord(Base):
    __tablename__ = "task"
    __table_args__ = (Index("ix_task_state_due_on", "state", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int | None] = mapped_column(
        ForeignKey("patient.id"), index=True, default=None
    )
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alert.id"), default=None)
    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="")
    owner_role: Mapped[str] = mapped_column(String(32))
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    due_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="open")  # open/done/cancelled
    is_safety: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    completion_note: Mapped[str] = mapped_column(Text, default="")
