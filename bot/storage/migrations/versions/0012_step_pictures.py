"""step pictures: each user's choice of animated or still steps (users.animations), and the
file_ids of sent pictures kept per bot (a file_id is valid only for the bot that got it)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("animations", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    # The kept file_ids are a cache: rebuilt keyed by bot too, each picture is uploaded once
    # more (rather than guessing which bot the old rows belonged to).
    _drop_sent_pictures()
    op.create_table(
        "sent_pictures",
        sa.Column("bot_id", sa.BigInteger(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("file_id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("bot_id", "fingerprint", name=op.f("pk_sent_pictures")),
    )
    op.create_index(op.f("ix_sent_pictures_created_at"), "sent_pictures", ["created_at"])


def downgrade() -> None:
    _drop_sent_pictures()
    op.create_table(
        "sent_pictures",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("file_id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_sent_pictures")),
    )
    op.create_index(op.f("ix_sent_pictures_created_at"), "sent_pictures", ["created_at"])
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("animations")


def _drop_sent_pictures() -> None:
    op.drop_index(op.f("ix_sent_pictures_created_at"), table_name="sent_pictures")
    op.drop_table("sent_pictures")
