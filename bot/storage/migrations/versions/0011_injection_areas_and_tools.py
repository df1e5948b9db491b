"""several injection areas per profile (injected_areas), the massage tools a user has (tools)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 13:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("safety_profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("injected_areas", sa.Text(), nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tools", sa.String(length=64), nullable=True))
    # The one area answered so far becomes the first of the list.
    op.execute(
        "UPDATE safety_profiles SET injected_areas = injected_area WHERE injected_area IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("tools")
    with op.batch_alter_table("safety_profiles", schema=None) as batch_op:
        batch_op.drop_column("injected_areas")
