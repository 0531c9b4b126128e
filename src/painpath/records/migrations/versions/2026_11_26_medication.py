"""medication

Revision ID: 0003_medication
Revises: 0002_workflow
Create Date: 2026-11-26 09:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_medication"
down_revision = "0002_workflow"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "medication_fill",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("drug", sa.String(length=48), nullable=False),
        sa.Column("filled_on", sa.Date(), nullable=False),
        sa.Column("days_supply", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_medication_fill_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_medication_fill_recorded_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medication_fill")),
    )
    with op.batch_alter_table("medication_fill", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_medication_fill_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "medication_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("drug", sa.String(length=48), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("dose_mg", sa.Numeric(precision=12, scale=3), nullable=True),
        sa.Column("times_per_day", sa.Integer(), nullable=True),
        sa.Column("dose_mcg_per_hr", sa.Numeric(precision=12, scale=3), nullable=True),
        sa.Column("target_daily_dose_mg", sa.Numeric(precision=12, scale=3), nullable=True),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.Column("exercise_sessions", sa.JSON(), nullable=False),
        sa.Column("schedule_warnings", sa.JSON(), nullable=False),
        sa.Column("schedule_source", sa.Text(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("stopped_on", sa.Date(), nullable=True),
        sa.Column("prescriber_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_medication_order_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["prescriber_id"],
            ["user_account.id"],
            name=op.f("fk_medication_order_prescriber_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medication_order")),
    )
    with op.batch_alter_table("medication_order", schema=None) as batch_op:
        batch_op.create_index(
            "ix_medication_order_patient_id_status", ["patient_id", "status"], unique=False
        )

    op.create_table(
        "medication_renal_input",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("weight_kg", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("serum_creatinine_mg_dl", sa.Numeric(precision=6, scale=3), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_medication_renal_input_patient_id_patient"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_medication_renal_input_recorded_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medication_renal_input")),
    )
    with op.batch_alter_table("medication_renal_input", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_medication_renal_input_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "medication_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(length=32), nullable=False),
        sa.Column("crcl_ml_min", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("mme_per_day", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("regimen", sa.JSON(), nullable=False),
        sa.Column("formulary_version", sa.String(length=32), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_medication_review_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["user_account.id"],
            name=op.f("fk_medication_review_reviewed_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medication_review")),
    )
    with op.batch_alter_table("medication_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_medication_review_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "medication_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("drugs", sa.JSON(), nullable=False),
        sa.Column("is_verified", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("response_reason", sa.Text(), nullable=False),
        sa.Column("responded_by_id", sa.Integer(), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_medication_finding_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["responded_by_id"],
            ["user_account.id"],
            name=op.f("fk_medication_finding_responded_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["medication_review.id"],
            name=op.f("fk_medication_finding_review_id_medication_review"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medication_finding")),
    )
    with op.batch_alter_table("medication_finding", schema=None) as batch_op:
        batch_op.create_index(
            "ix_medication_finding_patient_id_status", ["patient_id", "status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_medication_finding_review_id"), ["review_id"], unique=False
        )

    op.create_table(
        "medication_order_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("change", sa.String(length=16), nullable=False),
        sa.Column("dose_mg", sa.Numeric(precision=12, scale=3), nullable=True),
        sa.Column("times_per_day", sa.Integer(), nullable=True),
        sa.Column("dose_mcg_per_hr", sa.Numeric(precision=12, scale=3), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["user_account.id"],
            name=op.f("fk_medication_order_change_changed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["medication_order.id"],
            name=op.f("fk_medication_order_change_order_id_medication_order"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_medication_order_change_patient_id_patient"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medication_order_change")),
    )
    with op.batch_alter_table("medication_order_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_medication_order_change_order_id"), ["order_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_medication_order_change_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "medication_side_effect",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("drug", sa.String(length=48), nullable=False),
        sa.Column("effect", sa.String(length=200), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reported_by_role", sa.String(length=32), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["medication_order.id"],
            name=op.f("fk_medication_side_effect_order_id_medication_order"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_medication_side_effect_patient_id_patient"),
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"],
            ["user_account.id"],
            name=op.f("fk_medication_side_effect_reported_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medication_side_effect")),
    )
    with op.batch_alter_table("medication_side_effect", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_medication_side_effect_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "medication_titration_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("scheduled_on", sa.Date(), nullable=False),
        sa.Column("daily_dose_mg", sa.Numeric(precision=12, scale=3), nullable=False),
        sa.Column("times_per_day", sa.Integer(), nullable=False),
        sa.Column("administrations", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["medication_order.id"],
            name=op.f("fk_medication_titration_step_order_id_medication_order"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medication_titration_step")),
    )
    with op.batch_alter_table("medication_titration_step", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_medication_titration_step_order_id"), ["order_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("medication_titration_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_medication_titration_step_order_id"))

    op.drop_table("medication_titration_step")
    with op.batch_alter_table("medication_side_effect", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_medication_side_effect_patient_id"))

    op.drop_table("medication_side_effect")
    with op.batch_alter_table("medication_order_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_medication_order_change_patient_id"))
        batch_op.drop_index(batch_op.f("ix_medication_order_change_order_id"))

    op.drop_table("medication_order_change")
    with op.batch_alter_table("medication_finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_medication_finding_review_id"))
        batch_op.drop_index("ix_medication_finding_patient_id_status")

    op.drop_table("medication_finding")
    with op.batch_alter_table("medication_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_medication_review_patient_id"))

    op.drop_table("medication_review")
    with op.batch_alter_table("medication_renal_input", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_medication_renal_input_patient_id"))

    op.drop_table("medication_renal_input")
    with op.batch_alter_table("medication_order", schema=None) as batch_op:
        batch_op.drop_index("ix_medication_order_patient_id_status")

    op.drop_table("medication_order")
    with op.batch_alter_table("medication_fill", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_medication_fill_patient_id"))

    op.drop_table("medication_fill")
