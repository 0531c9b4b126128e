"""portal: diary, journal, reminders, lessons, monitoring-rule override

Revision ID: 0003_portal
Revises: 0002_workflow
Create Date: 2026-11-26 08:44:23.294494
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_portal"
down_revision = "0002_workflow"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "journal_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("is_shared", sa.Boolean(), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_journal_entry_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_entry")),
        sa.UniqueConstraint(
            "patient_id",
            "idempotency_key",
            name=op.f("uq_journal_entry_patient_id_idempotency_key"),
        ),
    )
    with op.batch_alter_table("journal_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_journal_entry_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "reminder_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_reminder_delivery_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_delivery")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_reminder_delivery_idempotency_key")),
    )
    with op.batch_alter_table("reminder_delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminder_delivery_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "reminder_done",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("local_time", sa.Time(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_reminder_done_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_done")),
        sa.UniqueConstraint(
            "patient_id",
            "item_code",
            "local_date",
            "local_time",
            name=op.f("uq_reminder_done_patient_id_item_code_local_date_local_time"),
        ),
    )
    with op.batch_alter_table("reminder_done", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminder_done_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "reminder_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("local_times", sa.JSON(), nullable=False),
        sa.Column("iso_weekdays", sa.JSON(), nullable=False),
        sa.Column("is_email", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_reminder_plan_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_plan")),
        sa.UniqueConstraint(
            "patient_id", "item_code", name=op.f("uq_reminder_plan_patient_id_item_code")
        ),
    )
    with op.batch_alter_table("reminder_plan", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminder_plan_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "diary_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("pain_nrs", sa.SmallInteger(), nullable=False),
        sa.Column("sleep_quality", sa.SmallInteger(), nullable=True),
        sa.Column("mood", sa.SmallInteger(), nullable=True),
        sa.Column("activity_minutes", sa.Integer(), nullable=True),
        sa.Column("is_flare", sa.Boolean(), nullable=False),
        sa.Column("flare_trigger", sa.String(length=200), nullable=False),
        sa.Column("body_region", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_diary_entry_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_diary_entry_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diary_entry")),
        sa.UniqueConstraint(
            "patient_id", "idempotency_key", name=op.f("uq_diary_entry_patient_id_idempotency_key")
        ),
    )
    with op.batch_alter_table("diary_entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_diary_entry_patient_id_recorded_on", ["patient_id", "recorded_on"], unique=False
        )

    op.create_table(
        "lesson_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("lesson_code", sa.String(length=64), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"],
            ["user_account.id"],
            name=op.f("fk_lesson_progress_assigned_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_lesson_progress_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lesson_progress")),
        sa.UniqueConstraint(
            "patient_id", "lesson_code", name=op.f("uq_lesson_progress_patient_id_lesson_code")
        ),
    )
    with op.batch_alter_table("lesson_progress", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lesson_progress_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "monitoring_config",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_toml", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("overridden", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["user_account.id"],
            name=op.f("fk_monitoring_config_changed_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_config")),
    )


def downgrade() -> None:
    op.drop_table("monitoring_config")
    with op.batch_alter_table("lesson_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lesson_progress_patient_id"))

    op.drop_table("lesson_progress")
    with op.batch_alter_table("diary_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_diary_entry_patient_id_recorded_on")

    op.drop_table("diary_entry")
    with op.batch_alter_table("reminder_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_plan_patient_id"))

    op.drop_table("reminder_plan")
    with op.batch_alter_table("reminder_done", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_done_patient_id"))

    op.drop_table("reminder_done")
    with op.batch_alter_table("reminder_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_delivery_patient_id"))

    op.drop_table("reminder_delivery")
    with op.batch_alter_table("journal_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_entry_patient_id"))

    op.drop_table("journal_entry")
