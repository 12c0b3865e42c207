"""The metadata store's tables (SQLAlchemy 2, typed); names mirror Airflow's where it makes sense.

Decisions that other stages rely on:
- `task_instance.id` is stable for the row's whole life (every try, every clear); a try is
  `(id, try_number)` and its bearer token is `executor_token_hash` (sha256 hex), replaced at each
  launch, so a stale try's token no longer matches.
- `dag_version` rows are immutable; `content` is the dag.json document, `hash` its sha256.
- `dag_run` and everything hanging off a run (task instances, history, xcom, ...) cascade on
  delete through the `(dag_id, run_id)` foreign key.
- All timestamps are `timestamptz`.
"""

from __future__ import annotations

import getpass
import os
import time
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSON as JSON_TEXT
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ID_LEN = 250  # Airflow's ID_LEN for dag_id / task_id / run_id / conn_id / key
DEFAULT_POOL = "default_pool"


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry for this uid (a container)
        return str(os.getuid())


_USER = _user()
DEFAULT_POOL_SLOTS = 128

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSON = dict[str, Any]


_last_uuid7_ms = 0


def uuid7() -> uuid.UUID:
    """A time-ordered UUID (RFC 9562 version 7): ids of new rows stay index-friendly, and, as
    the uuid6 package Airflow uses, strictly increasing in a process (the millisecond field
    moves on by one when two ids fall in the same millisecond), so ordering by id is creation
    order."""
    global _last_uuid7_ms
    ms = max(time.time_ns() // 1_000_000, _last_uuid7_ms + 1)
    _last_uuid7_ms = ms
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return uuid.UUID(int=value)


class Base(DeclarativeBase):
    """Declarative base; `metadata` is what the migrations must reproduce exactly."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: DateTime(timezone=True),
        uuid.UUID: Uuid(),
        dict[str, Any]: JSONB(),
    }


_NOW = func.now()


class DagModel(Base):
    """One row per DAG id: its scheduling facts and pointers to its latest version."""

    __tablename__ = "dag"

    dag_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    dag_display_name: Mapped[str | None] = mapped_column(String(2000))
    is_paused: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    is_stale: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    last_parsed_time: Mapped[datetime | None]
    last_expired: Mapped[datetime | None]
    fileloc: Mapped[str | None] = mapped_column(String(2000))
    relative_fileloc: Mapped[str | None] = mapped_column(String(2000))
    bundle_name: Mapped[str | None] = mapped_column(String(ID_LEN))
    bundle_version: Mapped[str | None] = mapped_column(String(200))
    owners: Mapped[str | None] = mapped_column(String(2000))
    description: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[Any] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    timetable_summary: Mapped[str | None] = mapped_column(Text)
    timetable_description: Mapped[str | None] = mapped_column(String(1000))
    asset_expression: Mapped[Any | None] = mapped_column(JSONB)
    max_active_tasks: Mapped[int] = mapped_column(Integer, server_default=text("16"))
    max_active_runs: Mapped[int | None] = mapped_column(Integer, server_default=text("16"))
    max_consecutive_failed_dag_runs: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    has_task_concurrency_limits: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    has_import_errors: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    fail_fast: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    next_dagrun: Mapped[datetime | None]
    next_dagrun_data_interval_start: Mapped[datetime | None]
    next_dagrun_data_interval_end: Mapped[datetime | None]
    next_dagrun_create_after: Mapped[datetime | None]
    latest_version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("dag_version.id", ondelete="SET NULL", use_alter=True)
    )

    __table_args__ = (
        Index(
            "ix_dag_next_dagrun_create_after",
            "next_dagrun_create_after",
            postgresql_where=text("NOT is_paused AND NOT is_stale"),
        ),
        Index("ix_dag_bundle_name_fileloc", "bundle_name", "relative_fileloc"),
    )


class DagVersion(Base):
    """An immutable compiled DAG (dag.json) and its source; numbered 1, 2, 3 per DAG."""

    __tablename__ = "dag_version"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    dag_id: Mapped[str] = mapped_column(
        String(ID_LEN), ForeignKey("dag.dag_id", ondelete="CASCADE")
    )
    version_number: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))  # sha256 hex of the dag.json bytes
    content: Mapped[JSON] = mapped_column(JSONB)
    source: Mapped[str | None] = mapped_column(Text)
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    bundle_name: Mapped[str | None] = mapped_column(String(ID_LEN))
    bundle_version: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(server_default=_NOW)

    __table_args__ = (
        UniqueConstraint("dag_id", "version_number"),
        Index("ix_dag_version_dag_id_hash", "dag_id", "hash"),
    )


class DagRun(Base):
    """One run of a DAG."""

    __tablename__ = "dag_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dag_id: Mapped[str] = mapped_column(
        String(ID_LEN), ForeignKey("dag.dag_id", ondelete="CASCADE")
    )
    run_id: Mapped[str] = mapped_column(String(ID_LEN))
    logical_date: Mapped[datetime | None]
    run_after: Mapped[datetime]
    data_interval_start: Mapped[datetime | None]
    data_interval_end: Mapped[datetime | None]
    queued_at: Mapped[datetime | None]
    start_date: Mapped[datetime | None]
    end_date: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(50))
    run_type: Mapped[str] = mapped_column(String(50))
    triggered_by: Mapped[str | None] = mapped_column(String(50))
    triggering_user_name: Mapped[str | None] = mapped_column(String(512))
    conf: Mapped[JSON | None] = mapped_column(JSONB)
    note: Mapped[str | None] = mapped_column(Text)
    dag_version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("dag_version.id", ondelete="SET NULL")
    )
    clear_number: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    last_scheduling_decision: Mapped[datetime | None]
    bundle_version: Mapped[str | None] = mapped_column(String(200))
    backfill_id: Mapped[int | None] = mapped_column(ForeignKey("backfill.id", ondelete="SET NULL"))
    partition_key: Mapped[str | None] = mapped_column(String(ID_LEN))  # CronPartitionTimetable
    updated_at: Mapped[datetime] = mapped_column(server_default=_NOW, onupdate=_NOW)

    __table_args__ = (
        UniqueConstraint("dag_id", "run_id"),
        UniqueConstraint("dag_id", "logical_date"),
        Index("ix_dag_run_dag_id_state", "dag_id", "state"),
        Index("ix_dag_run_state_run_after", "state", "run_after"),
        Index("ix_dag_run_dag_id_run_after_id", "dag_id", "run_after", "id"),
    )


_RUN_FK = ("dag_run.dag_id", "dag_run.run_id")


class TaskInstance(Base):
    """One task (or one mapped index of a task) in one run; its current try."""

    __tablename__ = "task_instance"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    dag_id: Mapped[str] = mapped_column(String(ID_LEN))
    run_id: Mapped[str] = mapped_column(String(ID_LEN))
    task_id: Mapped[str] = mapped_column(String(ID_LEN))
    map_index: Mapped[int] = mapped_column(Integer, server_default=text("-1"))
    task_display_name: Mapped[str | None] = mapped_column(String(2000))
    try_number: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    max_tries: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    state: Mapped[str | None] = mapped_column(String(20))
    start_date: Mapped[datetime | None]
    end_date: Mapped[datetime | None]
    duration: Mapped[float | None] = mapped_column(Float)
    queued_dttm: Mapped[datetime | None]
    scheduled_dttm: Mapped[datetime | None]
    # As Airflow's TaskInstance.__init__: "" until a worker takes a try; the scheduler's user.
    hostname: Mapped[str | None] = mapped_column(String(1000), default="")
    unixname: Mapped[str | None] = mapped_column(String(1000), default=lambda: _USER)
    pid: Mapped[int | None] = mapped_column(Integer)
    pool: Mapped[str] = mapped_column(String(256), server_default=text(f"'{DEFAULT_POOL}'"))
    pool_slots: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    queue: Mapped[str | None] = mapped_column(String(256))
    priority_weight: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    operator: Mapped[str | None] = mapped_column(String(1000))
    custom_operator_name: Mapped[str | None] = mapped_column(String(1000))
    executor: Mapped[str | None] = mapped_column(String(1000))
    external_executor_id: Mapped[str | None] = mapped_column(String(ID_LEN))
    executor_token_hash: Mapped[str | None] = mapped_column(String(64))
    next_method: Mapped[str | None] = mapped_column(String(1000))
    next_kwargs: Mapped[JSON | None] = mapped_column(JSONB)
    trigger_timeout: Mapped[datetime | None]
    rendered_fields: Mapped[JSON | None] = mapped_column(JSON_TEXT)  # keeps the field order
    rendered_map_index: Mapped[str | None] = mapped_column(String(ID_LEN))
    note: Mapped[str | None] = mapped_column(Text)
    dag_version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("dag_version.id", ondelete="SET NULL")
    )
    last_heartbeat_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(server_default=_NOW, onupdate=_NOW)

    __table_args__ = (
        ForeignKeyConstraint(["dag_id", "run_id"], list(_RUN_FK), ondelete="CASCADE"),
        UniqueConstraint("dag_id", "run_id", "task_id", "map_index"),
        Index("ix_task_instance_state", "state"),
        Index("ix_task_instance_pool_state", "pool", "state"),
        Index("ix_task_instance_dag_id_task_id_state", "dag_id", "task_id", "state"),
    )


# The claim query's order (highest priority, longest waiting, map index), over scheduled rows
# only: a claim reads exactly `limit` index entries instead of sorting every scheduled row.
Index(
    "ix_task_instance_scheduled",
    TaskInstance.priority_weight.desc(),
    TaskInstance.scheduled_dttm.asc().nulls_first(),
    TaskInstance.map_index,
    postgresql_where=text("state = 'scheduled'"),
)


class TaskInstanceHistory(Base):
    """One finished try of a task instance (a copy of the row when the try ended)."""

    __tablename__ = "task_instance_history"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    task_instance_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    dag_id: Mapped[str] = mapped_column(String(ID_LEN))
    run_id: Mapped[str] = mapped_column(String(ID_LEN))
    task_id: Mapped[str] = mapped_column(String(ID_LEN))
    map_index: Mapped[int] = mapped_column(Integer, server_default=text("-1"))
    task_display_name: Mapped[str | None] = mapped_column(String(2000))
    try_number: Mapped[int] = mapped_column(Integer)
    max_tries: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    state: Mapped[str | None] = mapped_column(String(20))
    start_date: Mapped[datetime | None]
    end_date: Mapped[datetime | None]
    duration: Mapped[float | None] = mapped_column(Float)
    queued_dttm: Mapped[datetime | None]
    scheduled_dttm: Mapped[datetime | None]
    hostname: Mapped[str | None] = mapped_column(String(1000))
    unixname: Mapped[str | None] = mapped_column(String(1000))
    pid: Mapped[int | None] = mapped_column(Integer)
    pool: Mapped[str] = mapped_column(String(256))
    pool_slots: Mapped[int] = mapped_column(Integer)
    queue: Mapped[str | None] = mapped_column(String(256))
    priority_weight: Mapped[int] = mapped_column(Integer)
    operator: Mapped[str | None] = mapped_column(String(1000))
    custom_operator_name: Mapped[str | None] = mapped_column(String(1000))
    executor: Mapped[str | None] = mapped_column(String(1000))
    external_executor_id: Mapped[str | None] = mapped_column(String(ID_LEN))
    next_method: Mapped[str | None] = mapped_column(String(1000))
    next_kwargs: Mapped[JSON | None] = mapped_column(JSONB)
    rendered_fields: Mapped[JSON | None] = mapped_column(JSON_TEXT)  # keeps the field order
    rendered_map_index: Mapped[str | None] = mapped_column(String(ID_LEN))
    note: Mapped[str | None] = mapped_column(Text)
    dag_version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("dag_version.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(server_default=_NOW)

    __table_args__ = (
        ForeignKeyConstraint(["dag_id", "run_id"], list(_RUN_FK), ondelete="CASCADE"),
        UniqueConstraint("dag_id", "run_id", "task_id", "map_index", "try_number"),
        Index("ix_task_instance_history_task_instance_id", "task_instance_id"),
    )


class TaskReschedule(Base):
    """A reschedule request of a sensor in reschedule mode."""

    __tablename__ = "task_reschedule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ti_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("task_instance.id", ondelete="CASCADE"))
    try_number: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[datetime]
    end_date: Mapped[datetime]
    duration: Mapped[float] = mapped_column(Float)
    reschedule_date: Mapped[datetime]

    __table_args__ = (Index("ix_task_reschedule_ti_id", "ti_id"),)


class XCom(Base):
    """One XCom value (JSON) of one task instance."""

    __tablename__ = "xcom"

    dag_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    run_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    task_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    map_index: Mapped[int] = mapped_column(Integer, primary_key=True, server_default=text("-1"))
    key: Mapped[str] = mapped_column(String(512), primary_key=True)
    # json, not jsonb: jsonb reorders object keys; a task's returned dict keeps its order.
    value: Mapped[Any | None] = mapped_column(JSON_TEXT)
    timestamp: Mapped[datetime] = mapped_column(server_default=_NOW)

    __table_args__ = (
        ForeignKeyConstraint(["dag_id", "run_id"], list(_RUN_FK), ondelete="CASCADE"),
        Index("ix_xcom_key", "key"),
    )


class Variable(Base):
    """Airflow's `variable`."""

    __tablename__ = "variable"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(ID_LEN), unique=True)
    val: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    is_encrypted: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class Connection(Base):
    """Airflow's `connection` (secrets are encrypted by `leoflow.connections`, not here)."""

    __tablename__ = "connection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conn_id: Mapped[str] = mapped_column(String(ID_LEN), unique=True)
    conn_type: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(500))
    schema: Mapped[str | None] = mapped_column(String(500))
    login: Mapped[str | None] = mapped_column(Text)
    password: Mapped[str | None] = mapped_column(Text)
    port: Mapped[int | None] = mapped_column(Integer)
    extra: Mapped[str | None] = mapped_column(Text)
    is_encrypted: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    is_extra_encrypted: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class ParseImportError(Base):
    """A DAG file that failed to compile (Airflow's `import_error`)."""

    __tablename__ = "import_error"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    timestamp: Mapped[datetime] = mapped_column(server_default=_NOW)
    filename: Mapped[str] = mapped_column(String(1024))
    bundle_name: Mapped[str] = mapped_column(String(ID_LEN), server_default=text("'dags-folder'"))
    stack_trace: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("bundle_name", "filename"),)


class LogIndex(Base):
    """Where the log file of one task try is and how big it was when last seen."""

    __tablename__ = "log_index"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ti_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("task_instance.id", ondelete="CASCADE"))
    try_number: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    updated_at: Mapped[datetime] = mapped_column(server_default=_NOW, onupdate=_NOW)

    __table_args__ = (UniqueConstraint("ti_id", "try_number"),)


class EventLog(Base):
    """The audit log (Airflow's `log` table)."""

    __tablename__ = "log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dttm: Mapped[datetime] = mapped_column(server_default=_NOW)
    event: Mapped[str] = mapped_column(String(60))
    dag_id: Mapped[str | None] = mapped_column(String(ID_LEN))
    task_id: Mapped[str | None] = mapped_column(String(ID_LEN))
    run_id: Mapped[str | None] = mapped_column(String(ID_LEN))
    map_index: Mapped[int | None] = mapped_column(Integer)
    try_number: Mapped[int | None] = mapped_column(Integer)
    logical_date: Mapped[datetime | None]
    owner: Mapped[str | None] = mapped_column(String(500))
    owner_display_name: Mapped[str | None] = mapped_column(String(500))
    extra: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_log_dttm", "dttm"),
        Index("ix_log_event", "event"),
        Index("ix_log_dag_id_dttm", "dag_id", "dttm"),
    )


class SlotPool(Base):
    """A pool of task slots (`default_pool` with 128 slots is seeded by the first migration)."""

    __tablename__ = "slot_pool"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pool: Mapped[str] = mapped_column(String(256), unique=True)
    slots: Mapped[int] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    include_deferred: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class Asset(Base):
    """An asset (name + uri), as in Airflow 3."""

    __tablename__ = "asset"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(1500))
    uri: Mapped[str] = mapped_column(String(1500))
    group: Mapped[str] = mapped_column(String(1500), server_default=text("'asset'"))
    extra: Mapped[JSON] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    created_at: Mapped[datetime] = mapped_column(server_default=_NOW)
    updated_at: Mapped[datetime] = mapped_column(server_default=_NOW, onupdate=_NOW)

    __table_args__ = (UniqueConstraint("name", "uri"),)


class DagScheduleAssetReference(Base):
    """DAG `dag_id` is scheduled on asset `asset_id` (from its dag.json schedule)."""

    __tablename__ = "dag_schedule_asset_reference"

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True
    )
    dag_id: Mapped[str] = mapped_column(
        String(ID_LEN), ForeignKey("dag.dag_id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(server_default=_NOW)

    __table_args__ = (Index("ix_dag_schedule_asset_reference_dag_id", "dag_id"),)


class AssetEvent(Base):
    """An asset was updated (by a task's outlet or through the API)."""

    __tablename__ = "asset_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"))
    extra: Mapped[JSON] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    source_task_id: Mapped[str | None] = mapped_column(String(ID_LEN))
    source_dag_id: Mapped[str | None] = mapped_column(String(ID_LEN))
    source_run_id: Mapped[str | None] = mapped_column(String(ID_LEN))
    source_map_index: Mapped[int | None] = mapped_column(Integer, server_default=text("-1"))
    timestamp: Mapped[datetime] = mapped_column(server_default=_NOW)

    __table_args__ = (Index("ix_asset_event_asset_id_timestamp", "asset_id", "timestamp"),)


class AssetDagRunQueue(Base):
    """An asset event waiting to be consumed by a DAG scheduled on that asset."""

    __tablename__ = "asset_dag_run_queue"

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True
    )
    target_dag_id: Mapped[str] = mapped_column(
        String(ID_LEN), ForeignKey("dag.dag_id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(server_default=_NOW)

    __table_args__ = (Index("ix_asset_dag_run_queue_target_dag_id", "target_dag_id"),)


class DagRunAssetEvent(Base):
    """Which asset events triggered a DAG run (Airflow's `dagrun_asset_event`)."""

    __tablename__ = "dagrun_asset_event"

    dag_run_id: Mapped[int] = mapped_column(
        ForeignKey("dag_run.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[int] = mapped_column(
        ForeignKey("asset_event.id", ondelete="CASCADE"), primary_key=True
    )

    __table_args__ = (Index("ix_dagrun_asset_event_event_id", "event_id"),)


class Backfill(Base):
    """A backfill request over a date range."""

    __tablename__ = "backfill"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dag_id: Mapped[str] = mapped_column(
        String(ID_LEN), ForeignKey("dag.dag_id", ondelete="CASCADE")
    )
    from_date: Mapped[datetime]
    to_date: Mapped[datetime]
    dag_run_conf: Mapped[JSON] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    is_paused: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    reprocess_behavior: Mapped[str] = mapped_column(String(250), server_default=text("'none'"))
    max_active_runs: Mapped[int] = mapped_column(Integer, server_default=text("10"))
    run_backwards: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    triggering_user_name: Mapped[str | None] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(server_default=_NOW)
    completed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(server_default=_NOW, onupdate=_NOW)

    __table_args__ = (Index("ix_backfill_dag_id", "dag_id"),)


class BackfillDagRun(Base):
    """One logical date of a backfill and the run made for it (or why none was)."""

    __tablename__ = "backfill_dag_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    backfill_id: Mapped[int] = mapped_column(ForeignKey("backfill.id", ondelete="CASCADE"))
    dag_run_id: Mapped[int | None] = mapped_column(ForeignKey("dag_run.id", ondelete="SET NULL"))
    exception_reason: Mapped[str | None] = mapped_column(String(250))
    logical_date: Mapped[datetime]
    sort_ordinal: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("backfill_id", "dag_run_id"),)


# The runs of one backfill (starting them in order, completing the backfill): backfill runs
# only, so the index stays as small as the backfills are.
Index(
    "ix_dag_run_backfill_id",
    DagRun.backfill_id,
    postgresql_where=text("backfill_id IS NOT NULL"),
)


class DagFavorite(Base):
    """A user's favorite DAG (the UI's star)."""

    __tablename__ = "dag_favorite"

    user_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    dag_id: Mapped[str] = mapped_column(
        String(ID_LEN), ForeignKey("dag.dag_id", ondelete="CASCADE"), primary_key=True
    )


class DagWarning(Base):
    """A non-fatal problem with a DAG shown by the UI (Airflow's `dag_warning`)."""

    __tablename__ = "dag_warning"

    dag_id: Mapped[str] = mapped_column(
        String(ID_LEN), ForeignKey("dag.dag_id", ondelete="CASCADE"), primary_key=True
    )
    warning_type: Mapped[str] = mapped_column(String(50), primary_key=True)
    message: Mapped[str] = mapped_column(Text)
    timestamp: Mapped[datetime] = mapped_column(server_default=_NOW)
