"""rehab: programmes, session logs, physio notes, pacing plans, GMI tests

Revision ID: 0003_rehab
Revises: 0002_workflow
Create Date: 2026-11-26 08:41:30.196926
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_rehab"
down_revision = "0002_workflow"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rehab_gmi_test",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("limb", sa.String(length=8), nullable=False),
        sa.Column("affected_side", sa.String(length=8), nullable=False),
        sa.Column("trials", sa.JSON(), nullable=False),
        sa.Column("logged_by_id", sa.Integer(), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["logged_by_id"],
            ["user_account.id"],
            name=op.f("fk_rehab_gmi_test_logged_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_rehab_gmi_test_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_gmi_test")),
    )
    with op.batch_alter_table("rehab_gmi_test", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rehab_gmi_test_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "rehab_pacing_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("activity", sa.String(length=120), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("baseline", sa.JSON(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("usual_pain_nrs", sa.Integer(), nullable=False),
        sa.Column("current_step", sa.Integer(), nullable=False),
        sa.Column("step_entered_on", sa.Date(), nullable=False),
        sa.Column("is_stepped_back", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_rehab_pacing_plan_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_rehab_pacing_plan_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_pacing_plan")),
    )
    with op.batch_alter_table("rehab_pacing_plan", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rehab_pacing_plan_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "rehab_physio_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("seen_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("measures", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_rehab_physio_note_author_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_rehab_physio_note_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_physio_note")),
    )
    with op.batch_alter_table("rehab_physio_note", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rehab_physio_note_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "rehab_programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=32), nullable=False),
        sa.Column("sessions_per_week", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("profile", sa.JSON(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("phase_started_on", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_rehab_programme_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_rehab_programme_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_programme")),
        sa.UniqueConstraint("patient_id", name=op.f("uq_rehab_programme_patient_id")),
    )
    op.create_table(
        "rehab_pacing_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("light", sa.String(length=8), nullable=False),
        sa.Column("from_step", sa.Integer(), nullable=False),
        sa.Column("to_step", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["rehab_pacing_plan.id"],
            name=op.f("fk_rehab_pacing_change_plan_id_rehab_pacing_plan"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_pacing_change")),
    )
    with op.batch_alter_table("rehab_pacing_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rehab_pacing_change_plan_id"), ["plan_id"], unique=False
        )

    op.create_table(
        "rehab_programme_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=64), nullable=False),
        sa.Column("sets", sa.Integer(), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("hold_s", sa.Integer(), nullable=False),
        sa.Column("duration_min", sa.Integer(), nullable=False),
        sa.Column("rpe_target", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["rehab_programme.id"],
            name=op.f("fk_rehab_programme_item_programme_id_rehab_programme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_programme_item")),
    )
    with op.batch_alter_table("rehab_programme_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rehab_programme_item_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "rehab_programme_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["user_account.id"],
            name=op.f("fk_rehab_programme_version_changed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["rehab_programme.id"],
            name=op.f("fk_rehab_programme_version_programme_id_rehab_programme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_programme_version")),
        sa.UniqueConstraint(
            "programme_id", "version", name=op.f("uq_rehab_programme_version_programme_id_version")
        ),
    )
    with op.batch_alter_table("rehab_programme_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rehab_programme_version_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "rehab_session_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("programme_version", sa.Integer(), nullable=True),
        sa.Column("performed_on", sa.Date(), nullable=False),
        sa.Column("exercise_ids", sa.JSON(), nullable=False),
        sa.Column("is_completed", sa.Boolean(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("pain_before_nrs", sa.Integer(), nullable=False),
        sa.Column("pain_after_nrs", sa.Integer(), nullable=False),
        sa.Column("rpe", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("logged_by_id", sa.Integer(), nullable=True),
        sa.Column("logged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["logged_by_id"],
            ["user_account.id"],
            name=op.f("fk_rehab_session_log_logged_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_rehab_session_log_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["rehab_programme.id"],
            name=op.f("fk_rehab_session_log_programme_id_rehab_programme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_session_log")),
        sa.UniqueConstraint(
            "patient_id",
            "idempotency_key",
            name=op.f("uq_rehab_session_log_patient_id_idempotency_key"),
        ),
    )
    with op.batch_alter_table("rehab_session_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rehab_session_log_patient_id"), ["patient_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("rehab_session_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehab_session_log_patient_id"))

    op.drop_table("rehab_session_log")
    with op.batch_alter_table("rehab_programme_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehab_programme_version_programme_id"))

    op.drop_table("rehab_programme_version")
    with op.batch_alter_table("rehab_programme_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehab_programme_item_programme_id"))

    op.drop_table("rehab_programme_item")
    with op.batch_alter_table("rehab_pacing_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehab_pacing_change_plan_id"))

    op.drop_table("rehab_pacing_change")
    op.drop_table("rehab_programme")
    with op.batch_alter_table("rehab_physio_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehab_physio_note_patient_id"))

    op.drop_table("rehab_physio_note")
    with op.batch_alter_table("rehab_pacing_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehab_pacing_plan_patient_id"))

    op.drop_table("rehab_pacing_plan")
    with op.batch_alter_table("rehab_gmi_test", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehab_gmi_test_patient_id"))

    op.drop_table("rehab_gmi_test")
