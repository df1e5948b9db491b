"""sent pictures: file_ids of pictures Telegram already holds, by fingerprint

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sent_pictures",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("file_id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_sent_pictures")),
    )
    op.create_index(op.f("ix_sent_pictures_created_at"), "sent_pictures", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_sent_pictures_created_at"), table_name="sent_pictures")
    op.drop_table("sent_pictures")
