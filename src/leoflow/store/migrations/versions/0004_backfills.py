"""Backfills: an index on `dag_run.backfill_id` (backfill runs only).

The `backfill` and `backfill_dag_run` tables came with the initial schema; backfills now run
(engine/backfills.py). Starting a backfill's runs in order and completing a backfill look up the
runs of one backfill (`... WHERE backfill_id = :id AND state IN ('queued', 'running')`), every
run-creator tick for each open backfill: without an index that is a scan of `dag_run`.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 07:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_dag_run_backfill_id",
        "dag_run",
        ["backfill_id"],
        unique=False,
        postgresql_where=sa.text("backfill_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_dag_run_backfill_id",
        table_name="dag_run",
        postgresql_where=sa.text("backfill_id IS NOT NULL"),
    )
