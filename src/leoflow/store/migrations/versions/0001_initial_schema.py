"""Initial schema: Airflow-named tables for dags, versions, runs, task instances and the rest.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 04:13:37.783319
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

DEFAULT_POOL = "default_pool"  # constants are copied, not imported: a migration never changes
DEFAULT_POOL_SLOTS = 128

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "asset",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=1500), nullable=False),
        sa.Column("uri", sa.String(length=1500), nullable=False),
        sa.Column(
            "group", sa.String(length=1500), server_default=sa.text("'asset'"), nullable=False
        ),
        sa.Column(
            "extra",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset")),
        sa.UniqueConstraint("name", "uri", name=op.f("uq_asset_name_uri")),
    )
    op.create_table(
        "connection",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conn_id", sa.String(length=250), nullable=False),
        sa.Column("conn_type", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("host", sa.String(length=500), nullable=True),
        sa.Column("schema", sa.String(length=500), nullable=True),
        sa.Column("login", sa.Text(), nullable=True),
        sa.Column("password", sa.Text(), nullable=True),
        sa.Column("port", sa.Integer(), nullable=True),
        sa.Column("extra", sa.Text(), nullable=True),
        sa.Column("is_encrypted", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "is_extra_encrypted", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connection")),
        sa.UniqueConstraint("conn_id", name=op.f("uq_connection_conn_id")),
    )
    op.create_table(
        "dag",
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("dag_display_name", sa.String(length=2000), nullable=True),
        sa.Column("is_paused", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("is_stale", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("last_parsed_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_expired", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fileloc", sa.String(length=2000), nullable=True),
        sa.Column("relative_fileloc", sa.String(length=2000), nullable=True),
        sa.Column("bundle_name", sa.String(length=250), nullable=True),
        sa.Column("bundle_version", sa.String(length=200), nullable=True),
        sa.Column("owners", sa.String(length=2000), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "tags",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("timetable_summary", sa.Text(), nullable=True),
        sa.Column("timetable_description", sa.String(length=1000), nullable=True),
        sa.Column("asset_expression", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("max_active_tasks", sa.Integer(), server_default=sa.text("16"), nullable=False),
        sa.Column("max_active_runs", sa.Integer(), server_default=sa.text("16"), nullable=True),
        sa.Column(
            "max_consecutive_failed_dag_runs",
            sa.Integer(),
            server_default=sa.text("0"),
            nullable=False,
        ),
        sa.Column(
            "has_task_concurrency_limits",
            sa.Boolean(),
            server_default=sa.text("false"),
            nullable=False,
        ),
        sa.Column(
            "has_import_errors", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.Column("fail_fast", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("next_dagrun", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_dagrun_data_interval_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_dagrun_data_interval_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_dagrun_create_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("latest_version_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("dag_id", name=op.f("pk_dag")),
    )
    op.create_index(
        "ix_dag_bundle_name_fileloc", "dag", ["bundle_name", "relative_fileloc"], unique=False
    )
    op.create_index(
        "ix_dag_next_dagrun_create_after",
        "dag",
        ["next_dagrun_create_after"],
        unique=False,
        postgresql_where=sa.text("NOT is_paused AND NOT is_stale"),
    )
    op.create_table(
        "import_error",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "timestamp", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("filename", sa.String(length=1024), nullable=False),
        sa.Column(
            "bundle_name",
            sa.String(length=250),
            server_default=sa.text("'dags-folder'"),
            nullable=False,
        ),
        sa.Column("stack_trace", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_error")),
        sa.UniqueConstraint(
            "bundle_name", "filename", name=op.f("uq_import_error_bundle_name_filename")
        ),
    )
    op.create_table(
        "log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "dttm", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("event", sa.String(length=60), nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=True),
        sa.Column("task_id", sa.String(length=250), nullable=True),
        sa.Column("run_id", sa.String(length=250), nullable=True),
        sa.Column("map_index", sa.Integer(), nullable=True),
        sa.Column("try_number", sa.Integer(), nullable=True),
        sa.Column("logical_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("owner", sa.String(length=500), nullable=True),
        sa.Column("owner_display_name", sa.String(length=500), nullable=True),
        sa.Column("extra", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log")),
    )
    op.create_index("ix_log_dag_id_dttm", "log", ["dag_id", "dttm"], unique=False)
    op.create_index("ix_log_dttm", "log", ["dttm"], unique=False)
    op.create_index("ix_log_event", "log", ["event"], unique=False)
    op.create_table(
        "slot_pool",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pool", sa.String(length=256), nullable=False),
        sa.Column("slots", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "include_deferred", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slot_pool")),
        sa.UniqueConstraint("pool", name=op.f("uq_slot_pool_pool")),
    )
    op.create_table(
        "variable",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=250), nullable=False),
        sa.Column("val", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("is_encrypted", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_variable")),
        sa.UniqueConstraint("key", name=op.f("uq_variable_key")),
    )
    op.create_table(
        "asset_dag_run_queue",
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("target_dag_id", sa.String(length=250), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["asset.id"],
            name=op.f("fk_asset_dag_run_queue_asset_id_asset"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_dag_id"],
            ["dag.dag_id"],
            name=op.f("fk_asset_dag_run_queue_target_dag_id_dag"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("asset_id", "target_dag_id", name=op.f("pk_asset_dag_run_queue")),
    )
    op.create_index(
        "ix_asset_dag_run_queue_target_dag_id",
        "asset_dag_run_queue",
        ["target_dag_id"],
        unique=False,
    )
    op.create_table(
        "asset_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column(
            "extra",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("source_task_id", sa.String(length=250), nullable=True),
        sa.Column("source_dag_id", sa.String(length=250), nullable=True),
        sa.Column("source_run_id", sa.String(length=250), nullable=True),
        sa.Column("source_map_index", sa.Integer(), server_default=sa.text("-1"), nullable=True),
        sa.Column(
            "timestamp", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["asset.id"],
            name=op.f("fk_asset_event_asset_id_asset"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_event")),
    )
    op.create_index(
        "ix_asset_event_asset_id_timestamp", "asset_event", ["asset_id", "timestamp"], unique=False
    )
    op.create_table(
        "backfill",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("from_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("to_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "dag_run_conf",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("is_paused", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "reprocess_behavior",
            sa.String(length=250),
            server_default=sa.text("'none'"),
            nullable=False,
        ),
        sa.Column("max_active_runs", sa.Integer(), server_default=sa.text("10"), nullable=False),
        sa.Column("run_backwards", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("triggering_user_name", sa.String(length=512), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["dag_id"], ["dag.dag_id"], name=op.f("fk_backfill_dag_id_dag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backfill")),
    )
    op.create_index("ix_backfill_dag_id", "backfill", ["dag_id"], unique=False)
    op.create_table(
        "dag_favorite",
        sa.Column("user_id", sa.String(length=250), nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.ForeignKeyConstraint(
            ["dag_id"], ["dag.dag_id"], name=op.f("fk_dag_favorite_dag_id_dag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "dag_id", name=op.f("pk_dag_favorite")),
    )
    op.create_table(
        "dag_schedule_asset_reference",
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["asset.id"],
            name=op.f("fk_dag_schedule_asset_reference_asset_id_asset"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dag_id"],
            ["dag.dag_id"],
            name=op.f("fk_dag_schedule_asset_reference_dag_id_dag"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("asset_id", "dag_id", name=op.f("pk_dag_schedule_asset_reference")),
    )
    op.create_index(
        "ix_dag_schedule_asset_reference_dag_id",
        "dag_schedule_asset_reference",
        ["dag_id"],
        unique=False,
    )
    op.create_table(
        "dag_version",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("content", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("source_sha256", sa.String(length=64), nullable=True),
        sa.Column("bundle_name", sa.String(length=250), nullable=True),
        sa.Column("bundle_version", sa.String(length=200), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["dag_id"], ["dag.dag_id"], name=op.f("fk_dag_version_dag_id_dag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dag_version")),
        sa.UniqueConstraint(
            "dag_id", "version_number", name=op.f("uq_dag_version_dag_id_version_number")
        ),
    )
    op.create_index("ix_dag_version_dag_id_hash", "dag_version", ["dag_id", "hash"], unique=False)
    op.create_table(
        "dag_warning",
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("warning_type", sa.String(length=50), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column(
            "timestamp", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["dag_id"], ["dag.dag_id"], name=op.f("fk_dag_warning_dag_id_dag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("dag_id", "warning_type", name=op.f("pk_dag_warning")),
    )
    op.create_table(
        "dag_run",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("run_id", sa.String(length=250), nullable=False),
        sa.Column("logical_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("run_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data_interval_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("data_interval_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("start_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=50), nullable=False),
        sa.Column("run_type", sa.String(length=50), nullable=False),
        sa.Column("triggered_by", sa.String(length=50), nullable=True),
        sa.Column("triggering_user_name", sa.String(length=512), nullable=True),
        sa.Column("conf", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("dag_version_id", sa.Uuid(), nullable=True),
        sa.Column("clear_number", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_scheduling_decision", sa.DateTime(timezone=True), nullable=True),
        sa.Column("bundle_version", sa.String(length=200), nullable=True),
        sa.Column("backfill_id", sa.Integer(), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["backfill_id"],
            ["backfill.id"],
            name=op.f("fk_dag_run_backfill_id_backfill"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["dag_id"], ["dag.dag_id"], name=op.f("fk_dag_run_dag_id_dag"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["dag_version_id"],
            ["dag_version.id"],
            name=op.f("fk_dag_run_dag_version_id_dag_version"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dag_run")),
        sa.UniqueConstraint("dag_id", "logical_date", name=op.f("uq_dag_run_dag_id_logical_date")),
        sa.UniqueConstraint("dag_id", "run_id", name=op.f("uq_dag_run_dag_id_run_id")),
    )
    op.create_index("ix_dag_run_dag_id_run_after", "dag_run", ["dag_id", "run_after"], unique=False)
    op.create_index("ix_dag_run_dag_id_state", "dag_run", ["dag_id", "state"], unique=False)
    op.create_index("ix_dag_run_state_run_after", "dag_run", ["state", "run_after"], unique=False)
    op.create_table(
        "backfill_dag_run",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("backfill_id", sa.Integer(), nullable=False),
        sa.Column("dag_run_id", sa.Integer(), nullable=True),
        sa.Column("exception_reason", sa.String(length=250), nullable=True),
        sa.Column("logical_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sort_ordinal", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["backfill_id"],
            ["backfill.id"],
            name=op.f("fk_backfill_dag_run_backfill_id_backfill"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dag_run_id"],
            ["dag_run.id"],
            name=op.f("fk_backfill_dag_run_dag_run_id_dag_run"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backfill_dag_run")),
        sa.UniqueConstraint(
            "backfill_id", "dag_run_id", name=op.f("uq_backfill_dag_run_backfill_id_dag_run_id")
        ),
    )
    op.create_table(
        "dagrun_asset_event",
        sa.Column("dag_run_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dag_run_id"],
            ["dag_run.id"],
            name=op.f("fk_dagrun_asset_event_dag_run_id_dag_run"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["asset_event.id"],
            name=op.f("fk_dagrun_asset_event_event_id_asset_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dag_run_id", "event_id", name=op.f("pk_dagrun_asset_event")),
    )
    op.create_index(
        "ix_dagrun_asset_event_event_id", "dagrun_asset_event", ["event_id"], unique=False
    )
    op.create_table(
        "task_instance",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("run_id", sa.String(length=250), nullable=False),
        sa.Column("task_id", sa.String(length=250), nullable=False),
        sa.Column("map_index", sa.Integer(), server_default=sa.text("-1"), nullable=False),
        sa.Column("task_display_name", sa.String(length=2000), nullable=True),
        sa.Column("try_number", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("max_tries", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=True),
        sa.Column("start_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration", sa.Float(), nullable=True),
        sa.Column("queued_dttm", sa.DateTime(timezone=True), nullable=True),
        sa.Column("scheduled_dttm", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hostname", sa.String(length=1000), nullable=True),
        sa.Column("unixname", sa.String(length=1000), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column(
            "pool", sa.String(length=256), server_default=sa.text("'default_pool'"), nullable=False
        ),
        sa.Column("pool_slots", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("queue", sa.String(length=256), nullable=True),
        sa.Column("priority_weight", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("operator", sa.String(length=1000), nullable=True),
        sa.Column("custom_operator_name", sa.String(length=1000), nullable=True),
        sa.Column("executor", sa.String(length=1000), nullable=True),
        sa.Column("external_executor_id", sa.String(length=250), nullable=True),
        sa.Column("executor_token_hash", sa.String(length=64), nullable=True),
        sa.Column("next_method", sa.String(length=1000), nullable=True),
        sa.Column("next_kwargs", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("trigger_timeout", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rendered_fields", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("rendered_map_index", sa.String(length=250), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("dag_version_id", sa.Uuid(), nullable=True),
        sa.Column("last_heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["dag_id", "run_id"],
            ["dag_run.dag_id", "dag_run.run_id"],
            name=op.f("fk_task_instance_dag_id_dag_run"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dag_version_id"],
            ["dag_version.id"],
            name=op.f("fk_task_instance_dag_version_id_dag_version"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_instance")),
        sa.UniqueConstraint(
            "dag_id",
            "run_id",
            "task_id",
            "map_index",
            name=op.f("uq_task_instance_dag_id_run_id_task_id_map_index"),
        ),
    )
    op.create_index(
        "ix_task_instance_dag_id_task_id_state",
        "task_instance",
        ["dag_id", "task_id", "state"],
        unique=False,
    )
    op.create_index("ix_task_instance_pool_state", "task_instance", ["pool", "state"], unique=False)
    op.create_index(
        "ix_task_instance_scheduled",
        "task_instance",
        [sa.text("priority_weight DESC"), sa.text("scheduled_dttm NULLS FIRST"), "map_index"],
        unique=False,
        postgresql_where=sa.text("state = 'scheduled'"),
    )
    op.create_index("ix_task_instance_state", "task_instance", ["state"], unique=False)
    op.create_table(
        "task_instance_history",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("task_instance_id", sa.Uuid(), nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("run_id", sa.String(length=250), nullable=False),
        sa.Column("task_id", sa.String(length=250), nullable=False),
        sa.Column("map_index", sa.Integer(), server_default=sa.text("-1"), nullable=False),
        sa.Column("task_display_name", sa.String(length=2000), nullable=True),
        sa.Column("try_number", sa.Integer(), nullable=False),
        sa.Column("max_tries", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=True),
        sa.Column("start_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration", sa.Float(), nullable=True),
        sa.Column("queued_dttm", sa.DateTime(timezone=True), nullable=True),
        sa.Column("scheduled_dttm", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hostname", sa.String(length=1000), nullable=True),
        sa.Column("unixname", sa.String(length=1000), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("pool", sa.String(length=256), nullable=False),
        sa.Column("pool_slots", sa.Integer(), nullable=False),
        sa.Column("queue", sa.String(length=256), nullable=True),
        sa.Column("priority_weight", sa.Integer(), nullable=False),
        sa.Column("operator", sa.String(length=1000), nullable=True),
        sa.Column("custom_operator_name", sa.String(length=1000), nullable=True),
        sa.Column("executor", sa.String(length=1000), nullable=True),
        sa.Column("external_executor_id", sa.String(length=250), nullable=True),
        sa.Column("next_method", sa.String(length=1000), nullable=True),
        sa.Column("next_kwargs", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("rendered_fields", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("rendered_map_index", sa.String(length=250), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("dag_version_id", sa.Uuid(), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["dag_id", "run_id"],
            ["dag_run.dag_id", "dag_run.run_id"],
            name=op.f("fk_task_instance_history_dag_id_dag_run"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dag_version_id"],
            ["dag_version.id"],
            name=op.f("fk_task_instance_history_dag_version_id_dag_version"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_instance_history")),
        sa.UniqueConstraint(
            "dag_id",
            "run_id",
            "task_id",
            "map_index",
            "try_number",
            name=op.f("uq_task_instance_history_dag_id_run_id_task_id_map_index_try_number"),
        ),
    )
    op.create_index(
        "ix_task_instance_history_task_instance_id",
        "task_instance_history",
        ["task_instance_id"],
        unique=False,
    )
    op.create_table(
        "xcom",
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("run_id", sa.String(length=250), nullable=False),
        sa.Column("task_id", sa.String(length=250), nullable=False),
        sa.Column("map_index", sa.Integer(), server_default=sa.text("-1"), nullable=False),
        sa.Column("key", sa.String(length=512), nullable=False),
        sa.Column("value", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "timestamp", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["dag_id", "run_id"],
            ["dag_run.dag_id", "dag_run.run_id"],
            name=op.f("fk_xcom_dag_id_dag_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "dag_id", "run_id", "task_id", "map_index", "key", name=op.f("pk_xcom")
        ),
    )
    op.create_index("ix_xcom_key", "xcom", ["key"], unique=False)
    op.create_table(
        "log_index",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ti_id", sa.Uuid(), nullable=False),
        sa.Column("try_number", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["ti_id"],
            ["task_instance.id"],
            name=op.f("fk_log_index_ti_id_task_instance"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_index")),
        sa.UniqueConstraint("ti_id", "try_number", name=op.f("uq_log_index_ti_id_try_number")),
    )
    op.create_table(
        "task_reschedule",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ti_id", sa.Uuid(), nullable=False),
        sa.Column("try_number", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration", sa.Float(), nullable=False),
        sa.Column("reschedule_date", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ti_id"],
            ["task_instance.id"],
            name=op.f("fk_task_reschedule_ti_id_task_instance"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_reschedule")),
    )
    op.create_index("ix_task_reschedule_ti_id", "task_reschedule", ["ti_id"], unique=False)

    # dag <-> dag_version reference each other: this key is added once both tables exist.
    op.create_foreign_key(
        op.f("fk_dag_latest_version_id_dag_version"),
        "dag",
        "dag_version",
        ["latest_version_id"],
        ["id"],
        ondelete="SET NULL",
    )
    slot_pool = sa.table(
        "slot_pool",
        sa.column("pool", sa.String),
        sa.column("slots", sa.Integer),
        sa.column("description", sa.Text),
        sa.column("include_deferred", sa.Boolean),
    )
    op.bulk_insert(
        slot_pool,
        [
            {
                "pool": DEFAULT_POOL,
                "slots": DEFAULT_POOL_SLOTS,
                "description": "Default pool",
                "include_deferred": False,
            }
        ],
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_dag_latest_version_id_dag_version"), "dag", type_="foreignkey")
    op.drop_index("ix_task_reschedule_ti_id", table_name="task_reschedule")
    op.drop_table("task_reschedule")
    op.drop_table("log_index")
    op.drop_index("ix_xcom_key", table_name="xcom")
    op.drop_table("xcom")
    op.drop_index("ix_task_instance_history_task_instance_id", table_name="task_instance_history")
    op.drop_table("task_instance_history")
    op.drop_index("ix_task_instance_state", table_name="task_instance")
    op.drop_index(
        "ix_task_instance_scheduled",
        table_name="task_instance",
        postgresql_where=sa.text("state = 'scheduled'"),
    )
    op.drop_index("ix_task_instance_pool_state", table_name="task_instance")
    op.drop_index("ix_task_instance_dag_id_task_id_state", table_name="task_instance")
    op.drop_table("task_instance")
    op.drop_index("ix_dagrun_asset_event_event_id", table_name="dagrun_asset_event")
    op.drop_table("dagrun_asset_event")
    op.drop_table("backfill_dag_run")
    op.drop_index("ix_dag_run_state_run_after", table_name="dag_run")
    op.drop_index("ix_dag_run_dag_id_state", table_name="dag_run")
    op.drop_index("ix_dag_run_dag_id_run_after", table_name="dag_run")
    op.drop_table("dag_run")
    op.drop_table("dag_warning")
    op.drop_index("ix_dag_version_dag_id_hash", table_name="dag_version")
    op.drop_table("dag_version")
    op.drop_index(
        "ix_dag_schedule_asset_reference_dag_id", table_name="dag_schedule_asset_reference"
    )
    op.drop_table("dag_schedule_asset_reference")
    op.drop_table("dag_favorite")
    op.drop_index("ix_backfill_dag_id", table_name="backfill")
    op.drop_table("backfill")
    op.drop_index("ix_asset_event_asset_id_timestamp", table_name="asset_event")
    op.drop_table("asset_event")
    op.drop_index("ix_asset_dag_run_queue_target_dag_id", table_name="asset_dag_run_queue")
    op.drop_table("asset_dag_run_queue")
    op.drop_table("variable")
    op.drop_table("slot_pool")
    op.drop_index("ix_log_event", table_name="log")
    op.drop_index("ix_log_dttm", table_name="log")
    op.drop_index("ix_log_dag_id_dttm", table_name="log")
    op.drop_table("log")
    op.drop_table("import_error")
    op.drop_index(
        "ix_dag_next_dagrun_create_after",
        table_name="dag",
        postgresql_where=sa.text("NOT is_paused AND NOT is_stale"),
    )
    op.drop_index("ix_dag_bundle_name_fileloc", table_name="dag")
    op.drop_table("dag")
    op.drop_table("connection")
    op.drop_table("asset")
