"""Shared care plan records: plan, goals (SMART + GAS), milestones, interventions, decision points,
outcome observations, version history, patient comments; case conferences; visits; stated
treatment preferences.

Rows only. GAS T-scores, milestone status, decision-point outcomes and stepped-care routing are
recomputed by painpath.clinical.goals / stepped_care from what is stored here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from painpath.records.base import Base, UtcDateTime


class CarePlan(Base):
    """One plan per patient. Problems and priorities are short lists kept as JSON."""

    __tablename__ = "care_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    summary: Mapped[str] = mapped_column(Text, default="")
    # [{"domain": "pain", "text": "..."}]; domains: pain, mood, sleep, function, work
    problems: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    priorities: Mapped[list[str]] = mapped_column(JSON, default=list)  # the patient's own words
    current_step: Mapped[str | None] = mapped_column(String(48), default=None)
    agreed_version: Mapped[int | None] = mapped_column(Integer, default=None)
    agreed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    goals: Mapped[list[CarePlanGoal]] = relationship(
        back_populates="plan", order_by="CarePlanGoal.id", cascade="all, delete-orphan"
    )
    interventions: Mapped[list[CarePlanIntervention]] = relationship(
        order_by="CarePlanIntervention.id", cascade="all, delete-orphan"
    )
    decision_points: Mapped[list[CarePlanDecisionPoint]] = relationship(
        order_by="CarePlanDecisionPoint.due_on", cascade="all, delete-orphan"
    )


class CarePlanGoal(Base):
    __tablename__ = "care_plan_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("care_plan.id"), index=True)
    statement: Mapped[str] = mapped_column(String(300))
    plain_text: Mapped[str] = mapped_column(Text, default="")  # what the patient reads
    horizon: Mapped[str] = mapped_column(String(16))  # short / long
    specific_activity: Mapped[str] = mapped_column(String(300), default="")
    target_text: Mapped[str] = mapped_column(
        String(120), default=""
    )  # e.g. "peg -30% from baseline"
    target_item_link_id: Mapped[str | None] = mapped_column(String(64), default=None)
    is_agreed_achievable: Mapped[bool] = mapped_column(Boolean, default=False)
    patient_priority: Mapped[str] = mapped_column(String(200), default="")
    start_on: Mapped[date | None] = mapped_column(Date, default=None)
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    parent_goal_id: Mapped[int | None] = mapped_column(
        ForeignKey("care_plan_goal.id"), default=None
    )
    # GAS: {"-2": "...", "-1": "...", "0": "...", "1": "...", "2": "..."}
    gas_levels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    weight: Mapped[int] = mapped_column(Integer, default=1)
    baseline_level: Mapped[int] = mapped_column(Integer, default=-1)
    attained_level: Mapped[int | None] = mapped_column(Integer, default=None)
    rated_on: Mapped[date | None] = mapped_column(Date, default=None)
    state: Mapped[str] = mapped_column(String(16), default="active")  # active/achieved/dropped
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    plan: Mapped[CarePlan] = relationship(back_populates="goals")
    milestones: Mapped[list[CarePlanMilestone]] = relationship(
        order_by="CarePlanMilestone.due_on", cascade="all, delete-orphan"
    )


class CarePlanMilestone(Base):
    __tablename__ = "care_plan_milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("care_plan_goal.id"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date] = mapped_column(Date)
    target_text: Mapped[str] = mapped_column(String(120), default="")
    met_on: Mapped[date | None] = mapped_column(Date, default=None)  # marked by hand


class CarePlanIntervention(Base):
    __tablename__ = "care_plan_intervention"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("care_plan.id"), index=True)
    discipline: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="")
    plain_text: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default="active")  # active/stopped
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CarePlanDecisionPoint(Base):
    __tablename__ = "care_plan_decision_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("care_plan.id"), index=True)
    rule_code: Mapped[str] = mapped_column(String(64))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    baseline_on: Mapped[date | None] = mapped_column(Date, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    owner_role: Mapped[str] = mapped_column(String(32), default="physician")
    state: Mapped[str] = mapped_column(String(16), default="scheduled")  # scheduled/evaluated
    status: Mapped[str | None] = mapped_column(String(32), default=None)  # DecisionStatus
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    evaluated_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alert.id"), default=None)


class OutcomeObservation(Base):
    """A scored outcome value (instrument registry code, e.g. ``peg``) on a clinical date."""

    __tablename__ = "outcome_observation"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    instrument_code: Mapped[str] = mapped_column(String(64))
    observed_on: Mapped[date] = mapped_column(Date)
    value: Mapped[str] = mapped_column(String(32))  # Decimal as text: exact on every engine
    source: Mapped[str] = mapped_column(String(200), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CarePlanChange(Base):
    """Version history: who changed what and why (every change carries a reason)."""

    __tablename__ = "care_plan_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("care_plan.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    author_name: Mapped[str] = mapped_column(String(200))
    author_role: Mapped[str] = mapped_column(String(32))
    what: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(Text)
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CarePlanComment(Base):
    """The patient's agreement or comment (or a clinician's reply) on a plan version."""

    __tablename__ = "care_plan_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("care_plan.id"), index=True)
    plan_version: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    author_name: Mapped[str] = mapped_column(String(200))
    is_patient: Mapped[bool] = mapped_column(Boolean, default=False)
    is_agreement: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CaseConference(Base):
    __tablename__ = "case_conference"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    care_team_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    attendee_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(16), default="open")  # open/closed
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)

    items: Mapped[list[CaseConferenceItem]] = relationship(
        order_by="CaseConferenceItem.position", cascade="all, delete-orphan"
    )


class CaseConferenceItem(Base):
    """One patient on the agenda: why they are listed, what was said and decided."""

    __tablename__ = "case_conference_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("case_conference.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    discussion: Mapped[str] = mapped_column(Text, default="")
    # [{"title": ..., "owner_role": ..., "due_on": "YYYY-MM-DD", "task_id": n}]
    actions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    note_id: Mapped[int | None] = mapped_column(ForeignKey("clinical_note.id"), default=None)
    discussed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class Visit(Base):
    __tablename__ = "visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    minutes: Mapped[int] = mapped_column(Integer, default=30)
    mode: Mapped[str] = mapped_column(String(16))  # in-person / video / phone
    location: Mapped[str] = mapped_column(String(200), default="")
    video_link: Mapped[str] = mapped_column(String(500), default="")
    purpose: Mapped[str] = mapped_column(String(200), default="")
    clinician_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    state: Mapped[str] = mapped_column(String(16), default="booked")  # booked/cancelled/done
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TreatmentPreference(Base):
    """The patient's stated preference among shared-decision options."""

    __tablename__ = "treatment_preference"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    option_code: Mapped[str] = mapped_column(String(64))
    comment: Mapped[str] = mapped_column(Text, default="")
    stated_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    stated_at: Mapped[datetime] = mapped_column(UtcDateTime)
