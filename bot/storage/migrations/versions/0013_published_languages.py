"""published languages: the languages the bot's menu and descriptions were published in, per
bot, so that a language removed from content/ gets its menu deleted

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "published_languages",
        sa.Column("bot_id", sa.BigInteger(), nullable=False),
        sa.Column("language_code", sa.String(length=8), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("bot_id", "language_code", name=op.f("pk_published_languages")),
    )


def downgrade() -> None:
    op.drop_table("published_languages")
