"""streaks: summary, frozen days, day-start hour, nudges, completion zone

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("day_starts_at", sa.String(length=5), server_default="04:00", nullable=False)
        )
        batch_op.add_column(
            sa.Column("nudges", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with op.batch_alter_table("completions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))
    op.create_table(
        "streaks",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.Column("best", sa.Integer(), nullable=False),
        sa.Column("total_days", sa.Integer(), nullable=False),
        sa.Column("freezes", sa.Integer(), nullable=False),
        sa.Column("toward_freeze", sa.Integer(), nullable=False),
        sa.Column("last_date", sa.Date(), nullable=True),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_zone", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_streaks_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name="pk_streaks"),
    )
    op.create_table(
        "frozen_days",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_frozen_days_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "local_date", name="pk_frozen_days"),
    )


def downgrade() -> None:
    op.drop_table("frozen_days")
    op.drop_table("streaks")
    with op.batch_alter_table("completions", schema=None) as batch_op:
        batch_op.drop_column("timezone")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("nudges")
        batch_op.drop_column("day_starts_at")
