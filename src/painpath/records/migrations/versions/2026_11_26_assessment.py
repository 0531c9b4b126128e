"""assessment: questionnaire bundles, item-level answers, body-map drawings, NeuPSIG exams

Revision ID: 0003_assessment
Revises: 0002_workflow
Create Date: 2026-11-26 08:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_assessment"
down_revision = "0002_workflow"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessment_bodymap",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("respondent", sa.String(length=16), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("markings", sa.JSON(), nullable=False),
        sa.Column("is_final", sa.Boolean(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_assessment_bodymap_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_assessment_bodymap_recorded_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_bodymap")),
    )
    with op.batch_alter_table("assessment_bodymap", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_bodymap_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "assessment_bundle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("bundle_code", sa.String(length=32), nullable=False),
        sa.Column("collection_point", sa.String(length=32), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"],
            ["user_account.id"],
            name=op.f("fk_assessment_bundle_assigned_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_assessment_bundle_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_bundle")),
    )
    with op.batch_alter_table("assessment_bundle", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_bundle_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "assessment_neuro_exam",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("examined_by_id", sa.Integer(), nullable=True),
        sa.Column("examined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("history", sa.Text(), nullable=False),
        sa.Column("has_relevant_lesion_history", sa.Boolean(), nullable=False),
        sa.Column("has_plausible_distribution", sa.Boolean(), nullable=False),
        sa.Column("distribution_note", sa.Text(), nullable=False),
        sa.Column("is_examined", sa.Boolean(), nullable=False),
        sa.Column("negative_signs", sa.JSON(), nullable=False),
        sa.Column("positive_signs", sa.JSON(), nullable=False),
        sa.Column("confirmatory_test", sa.String(length=32), nullable=False),
        sa.Column("test_note", sa.Text(), nullable=False),
        sa.Column("function_tests", sa.JSON(), nullable=False),
        sa.Column("grade", sa.String(length=16), nullable=False),
        sa.Column("grade_rule", sa.String(length=48), nullable=False),
        sa.Column("rule_version", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["examined_by_id"],
            ["user_account.id"],
            name=op.f("fk_assessment_neuro_exam_examined_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_assessment_neuro_exam_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_neuro_exam")),
    )
    with op.batch_alter_table("assessment_neuro_exam", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_neuro_exam_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("bundle_id", sa.Integer(), nullable=True),
        sa.Column("instrument_code", sa.String(length=32), nullable=False),
        sa.Column("instrument_version", sa.String(length=16), nullable=False),
        sa.Column("respondent", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_by_id", sa.Integer(), nullable=True),
        sa.Column("total", sa.String(length=40), nullable=True),
        sa.Column("band", sa.String(length=48), nullable=True),
        sa.Column("subscales", sa.JSON(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("is_prorated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bundle_id"],
            ["assessment_bundle.id"],
            name=op.f("fk_assessment_bundle_id_assessment_bundle"),
        ),
        sa.ForeignKeyConstraint(
            ["completed_by_id"],
            ["user_account.id"],
            name=op.f("fk_assessment_completed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["corrects_id"], ["assessment.id"], name=op.f("fk_assessment_corrects_id_assessment")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_assessment_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_assessment_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_bundle_id"), ["bundle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assessment_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "assessment_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["user_account.id"],
            name=op.f("fk_assessment_answer_answered_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_assessment_answer_assessment_id_assessment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_answer")),
        sa.UniqueConstraint(
            "assessment_id", "link_id", name=op.f("uq_assessment_answer_assessment_id_link_id")
        ),
    )
    with op.batch_alter_table("assessment_answer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_answer_assessment_id"), ["assessment_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("assessment_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_answer_assessment_id"))

    op.drop_table("assessment_answer")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_patient_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_bundle_id"))

    op.drop_table("assessment")
    with op.batch_alter_table("assessment_neuro_exam", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_neuro_exam_patient_id"))

    op.drop_table("assessment_neuro_exam")
    with op.batch_alter_table("assessment_bundle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_bundle_patient_id"))

    op.drop_table("assessment_bundle")
    with op.batch_alter_table("assessment_bodymap", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_bodymap_patient_id"))

    op.drop_table("assessment_bodymap")
