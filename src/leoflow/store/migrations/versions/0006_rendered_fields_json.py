"""Rendered template fields as `json`, not `jsonb`: keep the order the operator lists its
template fields in (Airflow's `rendered_task_instance_fields.rendered_fields` is `json`).

`jsonb` sorts object keys (shorter first), so the UI listed a BashOperator's rendered
`cwd`, `env`, `bash_command` instead of Airflow's `bash_command`, `env`, `cwd`.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 11:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("task_instance", "task_instance_history")


def upgrade() -> None:
    for table in TABLES:
        op.alter_column(
            table,
            "rendered_fields",
            type_=postgresql.JSON(astext_type=sa.Text()),
            existing_type=postgresql.JSONB(astext_type=sa.Text()),
            postgresql_using="rendered_fields::json",
        )


def downgrade() -> None:
    for table in TABLES:
        op.alter_column(
            table,
            "rendered_fields",
            type_=postgresql.JSONB(astext_type=sa.Text()),
            existing_type=postgresql.JSON(astext_type=sa.Text()),
            postgresql_using="rendered_fields::jsonb",
        )
