"""episode: episodes of care, pathways, collection points (bundle links) and intake history

Revision ID: 0004_episode
Revises: 0003_assessment
Create Date: 2026-11-26 10:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_episode"
down_revision = "0003_assessment"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "episode",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("referral_source", sa.String(length=120), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("review_every_weeks", sa.Integer(), nullable=False),
        sa.Column("follow_up_after_weeks", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_episode_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_episode_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_episode")),
    )
    with op.batch_alter_table("episode", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_episode_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "episode_pathway",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["episode_id"], ["episode.id"], name=op.f("fk_episode_pathway_episode_id_episode")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_episode_pathway")),
    )
    with op.batch_alter_table("episode_pathway", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_episode_pathway_episode_id"), ["episode_id"], unique=False
        )

    op.create_table(
        "episode_collection_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("pathway_id", sa.Integer(), nullable=True),
        sa.Column("point", sa.String(length=32), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("bundle_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["bundle_id"],
            ["assessment_bundle.id"],
            name=op.f("fk_episode_collection_point_bundle_id_assessment_bundle"),
        ),
        sa.ForeignKeyConstraint(
            ["episode_id"],
            ["episode.id"],
            name=op.f("fk_episode_collection_point_episode_id_episode"),
        ),
        sa.ForeignKeyConstraint(
            ["pathway_id"],
            ["episode_pathway.id"],
            name=op.f("fk_episode_collection_point_pathway_id_episode_pathway"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_episode_collection_point")),
        sa.UniqueConstraint("bundle_id", name=op.f("uq_episode_collection_point_bundle_id")),
    )
    with op.batch_alter_table("episode_collection_point", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_episode_collection_point_episode_id"), ["episode_id"], unique=False
        )

    op.create_table(
        "episode_intake",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["episode_id"], ["episode.id"], name=op.f("fk_episode_intake_episode_id_episode")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_episode_intake_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_episode_intake_updated_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_episode_intake")),
        sa.UniqueConstraint("episode_id", name=op.f("uq_episode_intake_episode_id")),
    )
    with op.batch_alter_table("episode_intake", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_episode_intake_patient_id"), ["patient_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("episode_intake", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_episode_intake_patient_id"))
    op.drop_table("episode_intake")
    with op.batch_alter_table("episode_collection_point", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_episode_collection_point_episode_id"))
    op.drop_table("episode_collection_point")
    with op.batch_alter_table("episode_pathway", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_episode_pathway_episode_id"))
    op.drop_table("episode_pathway")
    with op.batch_alter_table("episode", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_episode_patient_id"))
    op.drop_table("episode")
