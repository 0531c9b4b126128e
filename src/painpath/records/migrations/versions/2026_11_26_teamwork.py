"""teamwork

Revision ID: 0004_teamwork
Revises: 0003_careplan
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_teamwork"
down_revision = "0003_careplan"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "community_resource",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("plain_summary", sa.Text(), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.Column("cost_band", sa.String(length=16), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_resource")),
    )
    with op.batch_alter_table("community_resource", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_community_resource_region"), ["region"], unique=False)

    op.create_table(
        "financial_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("is_cost_effective_alternative", sa.Boolean(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_financial_note_author_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_financial_note_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_financial_note")),
    )
    with op.batch_alter_table("financial_note", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_financial_note_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "insurer_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("patient_comment", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_insurer_report_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_insurer_report_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["released_by_id"],
            ["user_account.id"],
            name=op.f("fk_insurer_report_released_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insurer_report")),
    )
    with op.batch_alter_table("insurer_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_insurer_report_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "note_cosign_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_role", sa.String(length=32), nullable=True),
        sa.Column("author_user_id", sa.Integer(), nullable=True),
        sa.Column("template_code", sa.String(length=48), nullable=True),
        sa.Column("cosigner_role", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_user_id"],
            ["user_account.id"],
            name=op.f("fk_note_cosign_rule_author_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_cosign_rule")),
    )
    op.create_table(
        "resource_recommendation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recommended_by_id", sa.Integer(), nullable=True),
        sa.Column("recommended_by_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_resource_recommendation_patient_id_patient"),
        ),
        sa.ForeignKeyConstraint(
            ["recommended_by_id"],
            ["user_account.id"],
            name=op.f("fk_resource_recommendation_recommended_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["community_resource.id"],
            name=op.f("fk_resource_recommendation_resource_id_community_resource"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_recommendation")),
    )
    with op.batch_alter_table("resource_recommendation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_resource_recommendation_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "return_to_work_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("work_status", sa.String(length=32), nullable=False),
        sa.Column("job_title", sa.String(length=200), nullable=False),
        sa.Column("employer", sa.String(length=200), nullable=False),
        sa.Column("demands", sa.JSON(), nullable=False),
        sa.Column("restrictions", sa.JSON(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_return_to_work_plan_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_return_to_work_plan_updated_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_to_work_plan")),
        sa.UniqueConstraint("patient_id", name=op.f("uq_return_to_work_plan_patient_id")),
    )
    op.create_table(
        "note_record_meta",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("template_code", sa.String(length=48), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("cosign_role", sa.String(length=32), nullable=True),
        sa.Column("cosign_reason", sa.String(length=300), nullable=False),
        sa.Column("cosign_task_id", sa.Integer(), nullable=True),
        sa.Column("cosigned_by_id", sa.Integer(), nullable=True),
        sa.Column("cosigned_by_name", sa.String(length=200), nullable=False),
        sa.Column("cosigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cosign_task_id"], ["task.id"], name=op.f("fk_note_record_meta_cosign_task_id_task")
        ),
        sa.ForeignKeyConstraint(
            ["cosigned_by_id"],
            ["user_account.id"],
            name=op.f("fk_note_record_meta_cosigned_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["clinical_note.id"],
            name=op.f("fk_note_record_meta_note_id_clinical_note"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_note_record_meta_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_record_meta")),
        sa.UniqueConstraint("note_id", name=op.f("uq_note_record_meta_note_id")),
    )
    with op.batch_alter_table("note_record_meta", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_note_record_meta_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "return_to_work_week",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("week_no", sa.Integer(), nullable=False),
        sa.Column("hours_per_day", sa.Integer(), nullable=False),
        sa.Column("days_per_week", sa.Integer(), nullable=False),
        sa.Column("duties", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["return_to_work_plan.id"],
            name=op.f("fk_return_to_work_week_plan_id_return_to_work_plan"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_to_work_week")),
    )
    with op.batch_alter_table("return_to_work_week", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_return_to_work_week_plan_id"), ["plan_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("return_to_work_week", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_to_work_week_plan_id"))

    op.drop_table("return_to_work_week")
    with op.batch_alter_table("note_record_meta", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_record_meta_patient_id"))

    op.drop_table("note_record_meta")
    op.drop_table("return_to_work_plan")
    with op.batch_alter_table("resource_recommendation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resource_recommendation_patient_id"))

    op.drop_table("resource_recommendation")
    op.drop_table("note_cosign_rule")
    with op.batch_alter_table("insurer_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_insurer_report_patient_id"))

    op.drop_table("insurer_report")
    with op.batch_alter_table("financial_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_financial_note_patient_id"))

    op.drop_table("financial_note")
    with op.batch_alter_table("community_resource", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_resource_region"))

    op.drop_table("community_resource")
