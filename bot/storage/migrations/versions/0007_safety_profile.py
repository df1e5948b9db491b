"""safety profile, adapted runs, default routine, before/after ratings

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # routine_length held "classic" or "quick", which are also the ids of those routines.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "routine_length",
            new_column_name="default_routine",
            existing_type=sa.String(length=16),
            type_=sa.String(length=40),
            existing_nullable=False,
        )
        batch_op.add_column(
            sa.Column("ratings", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("step_ids", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("step_note", sa.Text(), nullable=True))
    op.create_table(
        "safety_profiles",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("injectables", sa.String(length=8), nullable=True),
        sa.Column("injected_area", sa.String(length=40), nullable=True),
        sa.Column("injected_on", sa.Date(), nullable=True),
        sa.Column("sensitive_skin", sa.String(length=8), nullable=True),
        sa.Column("thyroid", sa.String(length=8), nullable=True),
        sa.Column("pregnancy", sa.String(length=8), nullable=True),
        sa.Column("stop_sign_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_safety_profiles_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name="pk_safety_profiles"),
    )


def downgrade() -> None:
    op.drop_table("safety_profiles")
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_column("step_note")
        batch_op.drop_column("step_ids")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("ratings")
        batch_op.alter_column(
            "default_routine",
            new_column_name="routine_length",
            existing_type=sa.String(length=40),
            type_=sa.String(length=16),
            existing_nullable=False,
        )
