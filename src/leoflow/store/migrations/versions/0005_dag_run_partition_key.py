"""`dag_run.partition_key`: the partition a run of a partitioned timetable
(CronPartitionTimetable) covers, as Airflow 3.2 stores it (DAGRunResponse.partition_key).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dag_run", sa.Column("partition_key", sa.String(250), nullable=True))


def downgrade() -> None:
    op.drop_column("dag_run", "partition_key")
