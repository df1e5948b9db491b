"""delivery leases (owner, lease_until, attempts), failure counts on reminders and prompts,
the dispatcher lease

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:00:00
"""

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What 0007's code treated as a crashed claim: untouched for 90 s.
_OLD_LEASE = timedelta(seconds=90)


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.drop_index("ix_deliveries_status_created_at")
        batch_op.create_index("ix_deliveries_status_lease_until", ["status", "lease_until"])
        batch_op.create_index("ix_deliveries_local_date", ["local_date"])
    # Rows an older version left claimed or in flight keep the lease they had then.
    deliveries = sa.table(
        "deliveries",
        sa.column("id", sa.Integer),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("lease_until", sa.DateTime(timezone=True)),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(deliveries.c.id, deliveries.c.created_at).where(
            sa.text("status IN ('claimed', 'sending')")
        )
    ).all()
    for row_id, created_at in rows:
        connection.execute(
            deliveries.update()
            .where(deliveries.c.id == row_id)
            .values(lease_until=created_at + _OLD_LEASE)
        )
    for table in ("reminders", "prompts"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("failures", sa.Integer(), server_default="0", nullable=False)
            )
    lease = op.create_table(
        "dispatcher_lease",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name="pk_dispatcher_lease"),
    )
    op.bulk_insert(lease, [{"name": "reminders", "owner": None, "lease_until": None}])


def downgrade() -> None:
    op.drop_table("dispatcher_lease")
    for table in ("prompts", "reminders"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("failures")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_local_date")
        batch_op.drop_index("ix_deliveries_status_lease_until")
        batch_op.create_index("ix_deliveries_status_created_at", ["status", "created_at"])
        batch_op.drop_column("attempts")
        batch_op.drop_column("lease_until")
        batch_op.drop_column("owner")
