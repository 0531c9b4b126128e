"""Episode records: a patient's course of care (referral to discharge), its pathways, the
collection points at which questionnaire bundles are due, and the intake history.

Rows only. A bundle belongs to its collection point through `episode_collection_point.bundle_id`
(set when the bundle is sent for that point); it is never inferred from dates.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from painpath.records.base import Base, UtcDateTime


class Episode(Base):
    """One course of care: referral -> start -> reviews every N weeks -> end -> follow-up."""

    __tablename__ = "episode"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    referred_on: Mapped[date] = mapped_column(Date)
    referral_source: Mapped[str] = mapped_column(String(120), default="")
    started_on: Mapped[date | None] = mapped_column(Date, default=None)
    ended_on: Mapped[date | None] = mapped_column(Date, default=None)
    review_every_weeks: Mapped[int] = mapped_column(Integer, default=6)
    follow_up_after_weeks: Mapped[int] = mapped_column(Integer, default=26)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class EpisodePathway(Base):
    """A stream within an episode (single discipline, multidisciplinary, group programme)."""

    __tablename__ = "episode_pathway"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episode.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(120), default="")
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date, default=None)


class EpisodeCollectionPoint(Base):
    """A collection point of an episode (or of one of its pathways) and the bundle sent for it."""

    __tablename__ = "episode_collection_point"
    __table_args__ = (UniqueConstraint("bundle_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episode.id"), index=True)
    pathway_id: Mapped[int | None] = mapped_column(ForeignKey("episode_pathway.id"), default=None)
    point: Mapped[str] = mapped_column(String(32))  # clinical.instruments.bundles.CollectionPoint
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # review number (1, 2, ...)
    planned_on: Mapped[date] = mapped_column(Date)
    bundle_id: Mapped[int | None] = mapped_column(ForeignKey("assessment_bundle.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class EpisodeIntake(Base):
    """The intake history of an episode; `answers` holds one text per section, saved as typed."""

    __tablename__ = "episode_intake"
    __table_args__ = (UniqueConstraint("episode_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episode.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
