"""rest days: a red flag or a stop-sign holds for the whole ritual day

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rest_days",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_rest_days_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "local_date", "reason", name="pk_rest_days"),
    )
    # A stop-sign reported before this version was already a day without massage: it becomes
    # a rest day, so the rest of that day stays quiet and the streak does not count it missed.
    op.execute(
        "INSERT INTO rest_days (user_id, local_date, reason, created_at) "
        "SELECT user_id, stop_sign_on, 'stop_sign', updated_at FROM safety_profiles "
        "WHERE stop_sign_on IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_table("rest_days")
