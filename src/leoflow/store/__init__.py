"""The metadata store: Postgres tables named as Airflow's, and every query on them.

- `db`: the embedded Postgres or `LEOFLOW_DATABASE_URL`; `open_store(settings)` at process start,
  `make_engine(url)` / `make_sessionmaker(engine)` for sessions.
- `models`: the tables (SQLAlchemy 2, typed); `migrations/` reproduces them exactly (alembic).
- `queries`: registration, runs, task instances, XCom, variables, connections, pools, import
  errors, logs, event log, assets.
- `transitions`: the guarded state changes (`transition_ti`, `claim_scheduled`, ...).
- `states`: Airflow's state names.

Nothing is imported here, so `import leoflow.store.models` stays cheap.
"""
