"""access

Revision ID: 0003_access
Revises: 0002_workflow
Create Date: 2026-11-26 08:38:49.091458
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_access"
down_revision = "0002_workflow"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "break_glass_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_break_glass_grant_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_break_glass_grant_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_break_glass_grant")),
    )
    with op.batch_alter_table("break_glass_grant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_break_glass_grant_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_break_glass_grant_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("break_glass_grant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_break_glass_grant_user_id"))
        batch_op.drop_index(batch_op.f("ix_break_glass_grant_patient_id"))

    op.drop_table("break_glass_grant")
