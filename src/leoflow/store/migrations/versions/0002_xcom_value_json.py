"""XCom values as `json`, not `jsonb`: keep the key order a task returned (Airflow does).

`jsonb` sorts object keys (shorter first), so mapping over a returned dict or pulling one back
gave its items in another order than the task returned them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column(
        "xcom",
        "value",
        type_=postgresql.JSON(astext_type=sa.Text()),
        existing_type=postgresql.JSONB(astext_type=sa.Text()),
        postgresql_using="value::json",
    )


def downgrade() -> None:
    op.alter_column(
        "xcom",
        "value",
        type_=postgresql.JSONB(astext_type=sa.Text()),
        existing_type=postgresql.JSON(astext_type=sa.Text()),
        postgresql_using="value::jsonb",
    )
