# ruff: noqa: E501  (the recorded Airflow details are kept verbatim, long lines included)
"""Bad requests to `/api/v2` get Airflow 3.2.1's status codes and error details from Leoflow.

CASES holds each request with the status (and plain-string `detail`) that a real Airflow 3.2.1
api-server answered, measured with `tests/api/bad_requests.py` against the reference server of
`/work/shared/tools/api-ui-checks/airflow_ref.sh` (all_admins mode, the two check DAGs, a run
`probe_run` of `check_bash_chain`, a variable and a connection). The test sends every case to
Leoflow's API server over the seeded store, with its own names in the placeholders.

Where Leoflow deliberately answers otherwise the line says what Airflow answered:
- `# Airflow: 500`: Airflow fails on the request (an unhandled exception, or a validator that
  raises where pydantic expects a ValueError); Leoflow refuses it with a 422 instead.
- `# Airflow (SQLite): ...`: what the reference's SQLite stores and Postgres refuses: a NUL
  character (422 in a checked body field, 400 in a query filter; an id holding one is simply not
  found: 404, as in Airflow) or a string longer than its column (422 where the body's model
  knows the column's length, 400 otherwise).
- `# Airflow: 403`: Airflow hides its configuration by default; Leoflow shows its few settings.
"""

from __future__ import annotations

from leoflow.api.app import NUL_DETAIL
from leoflow.api.public.misc import CONFIG_HIDDEN
from tests.api.bad_requests import Case, Raw, fill, send
from tests.api.conftest import Server
from tests.api.seed import RUN_OK

LONG = "x" * 3000  # an id far beyond any column's length

# Measured against Apache Airflow 3.2.1 via airflow_ref.sh (see the module docstring).
# fmt: off
CASES = [
    # -- dags
    Case("GET", "/dags?limit=-1", None, 422, None),
    Case("GET", "/dags?limit=abc", None, 422, None),
    Case("GET", "/dags?offset=-5", None, 422, None),
    Case("GET", "/dags?offset=x", None, 422, None),
    Case("GET", "/dags?order_by=nonsense", None, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("GET", "/dags?order_by=-nonsense", None, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("GET", "/dags?order_by=dag_id&order_by=a&order_by=b&order_by=c&order_by=d&order_by=e&order_by=f&order_by=g&order_by=h&order_by=i&order_by=j", None, 400, "Ordering with more than 10 parameters is not allowed. Provided: ['dag_id', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']"),
    Case("GET", "/dags?paused=maybe", None, 422, None),
    Case("GET", "/dags?exclude_stale=x", None, 422, None),
    Case("GET", "/dags?has_import_errors=x", None, 422, None),
    Case("GET", "/dags?is_favorite=x", None, 422, None),
    Case("GET", "/dags?tags_match_mode=bogus", None, 422, None),
    Case("GET", "/dags?last_dag_run_state=bogus", None, 422, None),
    Case("GET", "/dags?dag_id_pattern=%00", None, 400, NUL_DETAIL),  # Airflow (SQLite): 200
    Case("GET", "/dags?last_dag_run_state=success&order_by=last_run_state", None, 200, None),
    Case("GET", "/dags/nodag", None, 404, "The Dag with ID: `nodag` was not found"),
    Case("GET", "/dags/%00", None, 404, None),
    Case("GET", "/dags/" + LONG, None, 404, None),
    Case("GET", "/dags/nodag/details", None, 404, "The Dag with ID: `nodag` was not found"),
    Case("PATCH", "/dags/{dag}", {"is_paused": "maybe"}, 422, None),
    Case("PATCH", "/dags/{dag}", {"is_paused": 5}, 422, None),
    Case("PATCH", "/dags/{dag}", {"is_paused": None}, 422, None),
    Case("PATCH", "/dags/{dag}", {}, 422, None),
    Case("PATCH", "/dags/{dag}", [], 422, None),
    Case("PATCH", "/dags/{dag}", Raw("notjson"), 422, None),
    Case("PATCH", "/dags/{dag}", Raw(""), 422, None),
    Case("PATCH", "/dags/{dag}", Raw("null"), 422, None),
    Case("PATCH", "/dags/{dag}", {"is_paused": False, "bogus": 1}, 422, None),
    Case("PATCH", "/dags/{dag}?update_mask=foo", {"is_paused": False}, 400, "Only `is_paused` field can be updated through the REST API"),
    Case("PATCH", "/dags/nodag", {"is_paused": True}, 404, "Dag with id: nodag was not found"),
    Case("PATCH", "/dags?dag_id_pattern=nodag", {"is_paused": "x"}, 422, None),
    Case("PATCH", "/dags?dag_id_pattern=nodag", {}, 422, None),
    Case("PATCH", "/dags?dag_id_pattern=nodag&update_mask=foo", {"is_paused": True}, 400, "Only `is_paused` field can be updated through the REST API"),
    Case("DELETE", "/dags/nodag", None, 404, "Dag with id: nodag was not found"),
    Case("POST", "/dags/nodag/favorite", None, 404, "DAG with id 'nodag' not found"),
    Case("POST", "/dags/nodag/unfavorite", None, 404, "DAG with id 'nodag' not found"),
    Case("GET", "/dags/{dag}/tasks/nope", None, 404, "Task with id nope was not found"),
    Case("GET", "/dags/nodag/tasks", None, 404, "The Dag with ID: `nodag` was not found"),
    Case("GET", "/dags/{dag}/tasks?order_by=nonsense", None, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("GET", "/dagSources/nodag", None, 404, "The source code of the DAG nodag, version_number None was not found"),
    Case("GET", "/dagSources/{dag}?version_number=x", None, 422, None),
    Case("GET", "/dagSources/{dag}?version_number=999", None, 404, "The source code of the DAG {dag}, version_number 999 was not found"),
    Case("GET", "/dags/{dag}/dagVersions/abc", None, 422, None),
    Case("GET", "/dags/{dag}/dagVersions/999", None, 404, "The DagVersion with dag_id: `{dag}` and version_number: `999` was not found"),
    Case("GET", "/dags/{dag}/dagVersions/-1", None, 404, "The DagVersion with dag_id: `{dag}` and version_number: `-1` was not found"),
    Case("GET", "/dags/nodag/dagVersions", None, 404, "The Dag with ID: `nodag` was not found"),
    Case("GET", "/dags/{dag}/dagVersions?order_by=nonsense", None, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("GET", "/dags/{dag}/dagVersions?limit=-1", None, 422, None),
    Case("GET", "/dagTags?limit=-1", None, 422, None),
    Case("GET", "/dagTags?order_by=nonsense", None, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("GET", "/dagWarnings?warning_type=bogus", None, 422, None),
    Case("GET", "/dagWarnings?order_by=nonsense", None, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("GET", "/dagStats?dag_ids=nodag", None, 200, None),
    Case("GET", "/dagStats?dag_ids=", None, 200, None),
    Case("PUT", "/parseDagFile/garbage", None, 404, "File not found"),
    # -- dag runs
    Case("GET", "/dags/{dag}/dagRuns?state=nonsense", None, 422, "Invalid value for state. Valid values are queued, running, success, failed"),
    Case("GET", "/dags/{dag}/dagRuns?run_type=bogus", None, 422, "Invalid value for run type. Valid values are backfill, scheduled, manual, asset_triggered, asset_materialization"),
    Case("GET", "/dags/{dag}/dagRuns?logical_date_gte=bad", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns?start_date_lt=bad", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns?limit=-1", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns?offset=-1", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns?order_by=nonsense", None, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("GET", "/dags/{dag}/dagRuns?duration_gte=x", None, 422, None),
    Case("GET", "/dags/~/dagRuns?limit=100000", None, 200, None),
    Case("GET", "/dags/nodag/dagRuns", None, 404, "The Dag with ID: `nodag` was not found"),
    Case("GET", "/dags/{dag}/dagRuns/nope", None, 404, "The DagRun with dag_id: `{dag}` and run_id: `nope` was not found"),
    Case("GET", "/dags/{dag}/dagRuns/%00", None, 404, None),
    Case("GET", "/dags/{dag}/dagRuns/" + LONG, None, 404, None),
    Case("POST", "/dags/{dag}/dagRuns", {"logical_date": "garbage"}, 422, None),
    Case("POST", "/dags/{dag}/dagRuns", {}, 422, None),
    Case("POST", "/dags/{dag}/dagRuns", {"logical_date": None, "conf": "str"}, 422, None),
    Case("POST", "/dags/{dag}/dagRuns", {"logical_date": None, "conf": [1]}, 422, None),
    Case("POST", "/dags/{dag}/dagRuns", [1, 2], 422, None),
    Case("POST", "/dags/{dag}/dagRuns", Raw("notjson"), 422, None),
    Case("POST", "/dags/{dag}/dagRuns", Raw(""), 422, None),
    Case("POST", "/dags/{dag}/dagRuns", {"logical_date": None, "dag_run_id": "a/b"}, 400, "The run_id provided 'a/b' does not match regex pattern '^[A-Za-z0-9_.~:+-]+$' or '^(?:manual|scheduled|asset_triggered)__(?:\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\+00:00)$'"),
    Case("POST", "/dags/{dag}/dagRuns", {"logical_date": None, "dag_run_id": 5}, 422, None),
    Case("POST", "/dags/{dag}/dagRuns", {"logical_date": None, "dag_run_id": "{run}"}, 409, None),
    Case("POST", "/dags/{dag}/dagRuns", {"logical_date": None, "note": 5}, 422, None),
    Case("POST", "/dags/{dag}/dagRuns", {"logical_date": None, "bogus": 1}, 422, None),
    Case("POST", "/dags/{dag}/dagRuns", {"logical_date": None, "data_interval_start": "2024-01-01T00:00:00Z"}, 422, None),
    Case("POST", "/dags/{dag}/dagRuns", {"logical_date": None, "run_after": "bad"}, 422, None),
    Case("POST", "/dags/nodag/dagRuns", {"logical_date": None}, 404, "DAG with dag_id: 'nodag' not found"),
    Case("POST", "/dags/~/dagRuns", {"logical_date": None}, 404, "DAG with dag_id: '~' not found"),
    Case("POST", "/dags/~/dagRuns/list", {"dag_ids": 5}, 422, None),
    Case("POST", "/dags/~/dagRuns/list", {"dag_ids": [5]}, 422, None),
    Case("POST", "/dags/~/dagRuns/list", {"states": ["bogus"]}, 422, None),
    Case("POST", "/dags/~/dagRuns/list", {"states": "success"}, 422, None),
    Case("POST", "/dags/~/dagRuns/list", {"page_limit": -1}, 422, None),
    Case("POST", "/dags/~/dagRuns/list", {"page_limit": "x"}, 422, None),
    Case("POST", "/dags/~/dagRuns/list", {"page_offset": -1}, 422, None),
    Case("POST", "/dags/~/dagRuns/list", {"order_by": "nonsense"}, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("POST", "/dags/~/dagRuns/list", {"order_by": 5}, 422, None),
    Case("POST", "/dags/~/dagRuns/list", {"logical_date_gte": "bad"}, 422, None),
    Case("POST", "/dags/~/dagRuns/list", {"bogus": 1}, 422, None),
    Case("POST", "/dags/~/dagRuns/list", Raw("notjson"), 422, None),
    Case("POST", "/dags/~/dagRuns/list", Raw(""), 422, None),
    Case("POST", "/dags/{dag}/dagRuns/list", {}, 422, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}", {"state": "bogus"}, 422, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}", {"state": "running"}, 422, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}", {"state": 5}, 422, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}", {"note": 5}, 422, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}", {"bogus": 1}, 422, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}?update_mask=foo", {"note": "n"}, 200, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}", Raw("notjson"), 422, None),
    Case("PATCH", "/dags/{dag}/dagRuns/nope", {"state": "success"}, 404, "The DagRun with dag_id: `{dag}` and run_id: `nope` was not found"),
    Case("DELETE", "/dags/{dag}/dagRuns/nope", None, 404, "The DagRun with dag_id: `{dag}` and run_id: `nope` was not found"),
    Case("POST", "/dags/{dag}/dagRuns/nope/clear", {"dry_run": True}, 404, "The DagRun with dag_id: `{dag}` and run_id: `nope` was not found"),
    Case("POST", "/dags/{dag}/dagRuns/{run}/clear", {"dry_run": "x"}, 422, None),
    Case("POST", "/dags/{dag}/dagRuns/{run}/clear", {"only_failed": "x"}, 422, None),
    Case("POST", "/dags/{dag}/dagRuns/{run}/clear", {"bogus": 1}, 422, None),
    Case("POST", "/dags/{dag}/dagRuns/{run}/clear", Raw("notjson"), 422, None),
    Case("GET", "/dags/{dag}/dagRuns/nope/upstreamAssetEvents", None, 404, "The DagRun with dag_id: `{dag}` and run_id: `nope` was not found"),
    Case("GET", "/dags/{dag}/dagRuns/{run}/wait?interval=x", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/wait?interval=-1", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/wait", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/nope/wait?interval=1", None, 404, "The DagRun with dag_id: `{dag}` and run_id: `nope` was not found"),
    # -- task instances
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances?state=bogus", None, 422, "Invalid value for state. Valid values are removed, scheduled, queued, running, success, restarting, failed, up_for_retry, up_for_reschedule, upstream_failed, skipped, deferred"),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances?limit=-1", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances?order_by=nonsense", None, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances?map_index=x", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances?start_date_gte=bad", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances?duration_gte=x", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances?try_number=x", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/nope/taskInstances", None, 404, "DagRun with dag_id: `{dag}` and run_id: `nope` was not found"),
    Case("GET", "/dags/nodag/dagRuns/nope/taskInstances", None, 404, "DagRun with dag_id: `nodag` and run_id: `nope` was not found"),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/nope", None, 404, "The Task Instance with dag_id: `{dag}`, run_id: `{run}` and task_id: `nope` was not found"),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/%00", None, 404, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/abc", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/-5", None, 404, "The Mapped Task Instance with dag_id: `{dag}`, run_id: `{run}`, task_id: `{task}`, and map_index: `-5` was not found"),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/99", None, 404, "The Mapped Task Instance with dag_id: `{dag}`, run_id: `{run}`, task_id: `{task}`, and map_index: `99` was not found"),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/tries/abc", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/tries/99", None, 404, "The Task Instance with dag_id: `{dag}`, run_id: `{run}`, task_id: `{task}`, try_number: `99` and map_index: `-1` was not found"),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/nope/tries", None, 404, "The Task Instance with dag_id: `{dag}`, run_id: `{run}`, task_id: `nope` and map_index: `-1` was not found"),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/listMapped?state=bogus", None, 422, "Invalid value for state. Valid values are removed, scheduled, queued, running, success, restarting, failed, up_for_retry, up_for_reschedule, upstream_failed, skipped, deferred"),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/nope/listMapped", None, 404, "Task id nope not found"),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/nope/dependencies", None, 404, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/nope/links", None, 404, "Task with ID = nope not found"),
    Case("POST", "/dags/~/dagRuns/~/taskInstances/list", {"state": "x"}, 422, None),
    Case("POST", "/dags/~/dagRuns/~/taskInstances/list", {"state": ["x"]}, 422, None),
    Case("POST", "/dags/~/dagRuns/~/taskInstances/list", {"page_limit": -1}, 422, None),
    Case("POST", "/dags/~/dagRuns/~/taskInstances/list", {"page_limit": "x"}, 422, None),
    Case("POST", "/dags/~/dagRuns/~/taskInstances/list", {"dag_ids": 5}, 422, None),
    Case("POST", "/dags/~/dagRuns/~/taskInstances/list", {"task_ids": "a"}, 422, None),
    Case("POST", "/dags/~/dagRuns/~/taskInstances/list", {"order_by": "nonsense"}, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("POST", "/dags/~/dagRuns/~/taskInstances/list", {"start_date_gte": "bad"}, 422, None),
    Case("POST", "/dags/~/dagRuns/~/taskInstances/list", {"duration_gte": "x"}, 422, None),
    Case("POST", "/dags/~/dagRuns/~/taskInstances/list", {"bogus": 1}, 422, None),
    Case("POST", "/dags/~/dagRuns/~/taskInstances/list", Raw("notjson"), 422, None),
    Case("POST", "/dags/~/dagRuns/~/taskInstances/list", [1], 422, None),
    Case("POST", "/dags/{dag}/dagRuns/~/taskInstances/list", {}, 422, None),
    Case("POST", "/dags/{dag}/clearTaskInstances", {"dry_run": "x"}, 422, None),
    Case("POST", "/dags/{dag}/clearTaskInstances", {"start_date": "bad"}, 422, None),
    Case("POST", "/dags/{dag}/clearTaskInstances", {"end_date": 1.5e300}, 422, None),
    Case("POST", "/dags/{dag}/clearTaskInstances", {"task_ids": "notalist"}, 422, None),
    Case("POST", "/dags/{dag}/clearTaskInstances", {"task_ids": [5]}, 422, None),
    Case("POST", "/dags/{dag}/clearTaskInstances", {"task_ids": [["a"]]}, 422, None),
    Case("POST", "/dags/{dag}/clearTaskInstances", {"task_ids": [["a", "x"]]}, 422, None),
    Case("POST", "/dags/{dag}/clearTaskInstances", {"dag_run_id": "nope"}, 404, "Dag Run id nope not found in dag {dag}"),
    Case("POST", "/dags/{dag}/clearTaskInstances", {"dag_run_id": 5}, 422, None),
    Case("POST", "/dags/{dag}/clearTaskInstances", {"only_failed": "x"}, 422, None),
    Case("POST", "/dags/{dag}/clearTaskInstances", {"include_upstream": "x"}, 422, None),
    Case("POST", "/dags/{dag}/clearTaskInstances", {"bogus": 1}, 422, None),
    Case("POST", "/dags/{dag}/clearTaskInstances", Raw("notjson"), 422, None),
    Case("POST", "/dags/{dag}/clearTaskInstances", [], 422, None),  # Airflow: 500
    Case("POST", "/dags/{dag}/clearTaskInstances", {"start_date": "2025-01-02T00:00:00Z", "end_date": "2025-01-01T00:00:00Z"}, 422, None),  # Airflow: 500
    Case("POST", "/dags/nodag/clearTaskInstances", {}, 404, "The Dag with ID: `nodag` was not found"),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}", {"new_state": "bogus"}, 422, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}", {"new_state": "running"}, 422, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}", {"new_state": 5}, 422, None),  # Airflow: 500
    Case("PATCH", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}", {"note": 5}, 422, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}", {"include_upstream": "x"}, 422, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}", {"bogus": 1}, 422, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}", Raw("notjson"), 422, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}?update_mask=bogus", {"note": "n"}, 200, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}/taskInstances/nope", {"new_state": "success"}, 404, "Task 'nope' not found in DAG '{dag}'"),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/dry_run", {"new_state": "bogus"}, 422, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/5", {"new_state": "success"}, 404, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}/taskInstances", {"actions": "x"}, 422, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}/taskInstances", {}, 422, None),
    Case("DELETE", "/dags/{dag}/dagRuns/{run}/taskInstances/nope", None, 404, "The Task Instance with dag_id: `{dag}`, run_id: `{run}`, task_id: `nope` and map_index: `-1` was not found"),
    # -- logs
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/logs/abc", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/logs/0", None, 404, "TaskInstance not found"),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/logs/-1", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/logs/99", None, 404, "TaskInstance not found"),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/logs/1?map_index=x", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/logs/1?full_content=x", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/logs/1?map_index=7", None, 404, "TaskInstance not found"),
    Case("GET", "/dags/{dag}/dagRuns/nope/taskInstances/{task}/logs/1", None, 404, "TaskInstance not found"),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/nope/logs/1", None, 404, "TaskInstance not found"),
    # -- xcom
    Case("GET", "/dags/~/dagRuns/~/taskInstances/~/xcomEntries?limit=-1", None, 422, None),
    Case("GET", "/dags/~/dagRuns/~/taskInstances/~/xcomEntries?map_index=z", None, 422, None),
    Case("GET", "/dags/~/dagRuns/~/taskInstances/~/xcomEntries?offset=z", None, 422, None),
    Case("GET", "/xcomEntries", None, 404, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/xcomEntries/nokey", None, 404, "XCom entry with key: `nokey` not found"),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/xcomEntries/nokey?map_index=z", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/xcomEntries/nokey?deserialize=x", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/xcomEntries/nokey?stringify=x", None, 422, None),
    Case("POST", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/xcomEntries", {}, 422, None),
    Case("POST", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/xcomEntries", {"key": 5, "value": 1}, 422, None),
    Case("POST", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/xcomEntries", {"key": "k"}, 422, None),
    Case("POST", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/xcomEntries", {"key": "k", "value": 1, "map_index": "x"}, 422, None),
    Case("POST", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/xcomEntries", {"key": "k", "value": 1, "bogus": 1}, 422, None),
    Case("POST", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/xcomEntries", Raw("notjson"), 422, None),
    Case("POST", "/dags/{dag}/dagRuns/{run}/taskInstances/nope/xcomEntries", {"key": "k", "value": 1}, 404, "Task with ID: `nope` not found in dag: `{dag}`"),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/xcomEntries/nokey", {"value": 1}, 404, "The XCom with key: `nokey` with mentioned task instance doesn't exist."),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/xcomEntries/nokey", {"value": 1, "map_index": "x"}, 422, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/xcomEntries/nokey", {}, 422, None),
    Case("DELETE", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/xcomEntries/nokey", None, 404, "The XCom with key: `nokey` with mentioned task instance doesn't exist."),
    Case("DELETE", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/xcomEntries/nokey?map_index=z", None, 422, None),
    # -- variables
    Case("POST", "/variables", {"key": ""}, 422, None),
    Case("POST", "/variables", {"key": "", "value": "v"}, 201, None),
    Case("POST", "/variables", {"value": 1}, 422, None),
    Case("POST", "/variables", {"key": "k"}, 422, None),
    Case("POST", "/variables", {"key": 5, "value": "v"}, 422, None),
    Case("POST", "/variables", {"key": "k", "value": "v", "description": 5}, 422, None),
    Case("POST", "/variables", {"key": "k", "value": "v", "bogus": 1}, 422, None),
    Case("POST", "/variables", Raw("notjson"), 422, None),
    Case("POST", "/variables", Raw(""), 422, None),
    Case("POST", "/variables", {"key": "{var}", "value": "x"}, 409, "The Variable with key: `{var}` already exists"),
    Case("POST", "/variables", {"key": "a\u0000b", "value": "x"}, 422, None),  # Airflow (SQLite): 201
    Case("POST", "/variables", {"key": LONG, "value": "x"}, 422, None),
    Case("GET", "/variables/%00", None, 404, None),
    Case("GET", "/variables/nokey", None, 404, "The Variable with key: `nokey` was not found"),
    Case("GET", "/variables/" + LONG, None, 404, None),
    Case("GET", "/variables?limit=-1", None, 422, None),
    Case("GET", "/variables?order_by=nonsense", None, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("GET", "/variables?variable_key_pattern=%00", None, 400, NUL_DETAIL),  # Airflow (SQLite): 200
    Case("PATCH", "/variables/nokey", {"key": "nokey", "value": "v"}, 404, "The Variable with key: `nokey` was not found"),
    Case("PATCH", "/variables/{var}", {"key": "other", "value": "v"}, 400, "Invalid body, key from request body doesn't match uri parameter"),
    Case("PATCH", "/variables/{var}", {"value": "v"}, 422, None),
    Case("PATCH", "/variables/{var}?update_mask=bogus", {"key": "{var}", "value": "v"}, 200, None),
    Case("PATCH", "/variables/%00", {"key": "\u0000", "value": "v"}, 404, None),
    Case("DELETE", "/variables/nokey", None, 404, "The Variable with key: `nokey` was not found"),
    Case("DELETE", "/variables/%00", None, 404, None),
    Case("PATCH", "/variables", {"actions": "x"}, 422, None),
    Case("PATCH", "/variables", {"actions": [{"action": "bogus", "entities": []}]}, 422, None),  # Airflow: 500
    Case("PATCH", "/variables", {"actions": [{"action": "create", "entities": [{"key": "k"}]}]}, 422, None),
    Case("PATCH", "/variables", {}, 422, None),
    # -- connections
    Case("POST", "/connections", {"connection_id": "c1"}, 422, None),
    Case("POST", "/connections", {"connection_id": "c1", "conn_type": "http", "port": "x"}, 422, None),
    Case("POST", "/connections", {"connection_id": "c1", "conn_type": "http", "port": 1.5}, 422, None),
    Case("POST", "/connections", {"connection_id": "bad id!", "conn_type": "http"}, 422, None),
    Case("POST", "/connections", {"connection_id": "", "conn_type": "http"}, 422, None),
    Case("POST", "/connections", {"connection_id": 5, "conn_type": "http"}, 422, None),
    Case("POST", "/connections", {"connection_id": "c1", "conn_type": "http", "extra": {"a": 1}}, 422, None),  # Airflow: 500
    Case("POST", "/connections", {"connection_id": "c1", "conn_type": "http", "bogus": 1}, 422, None),
    Case("POST", "/connections", {"connection_id": "{conn}", "conn_type": "http"}, 409, None),
    Case("POST", "/connections", {"connection_id": LONG, "conn_type": "http"}, 422, None),
    Case("POST", "/connections", Raw("notjson"), 422, None),
    Case("GET", "/connections/nope", None, 404, "The Connection with connection_id: `nope` was not found"),
    Case("GET", "/connections/%00", None, 404, None),
    Case("GET", "/connections?order_by=nonsense", None, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("GET", "/connections?limit=-1", None, 422, None),
    Case("PATCH", "/connections/nope", {"connection_id": "nope", "conn_type": "http"}, 404, "The Connection with connection_id: `nope` was not found"),
    Case("PATCH", "/connections/{conn}", {"connection_id": "other", "conn_type": "http"}, 400, "The connection_id in the request body does not match the URL parameter"),
    Case("PATCH", "/connections/{conn}", {"connection_id": "{conn}", "conn_type": "http", "port": "x"}, 422, None),
    Case("PATCH", "/connections/{conn}", {"port": 1}, 422, None),
    Case("PATCH", "/connections/{conn}?update_mask=bogus", {"connection_id": "{conn}", "conn_type": "http"}, 200, None),
    Case("DELETE", "/connections/nope", None, 404, "The Connection with connection_id: `nope` was not found"),
    Case("PATCH", "/connections", {"actions": "x"}, 422, None),
    Case("POST", "/connections/test", {"connection_id": "c1", "conn_type": "http"}, 403, "Testing connections is disabled in Airflow configuration. Contact your deployment admin to enable it."),
    # -- pools
    Case("POST", "/pools", {"name": "p1", "slots": -5}, 422, None),
    Case("POST", "/pools", {"name": "p1", "slots": "many"}, 422, None),
    Case("POST", "/pools", {"name": "p1", "slots": 1.5}, 422, None),
    Case("POST", "/pools", {"name": "p1"}, 422, None),
    Case("POST", "/pools", {"slots": 1}, 422, None),
    Case("POST", "/pools", {"name": 5, "slots": 1}, 422, None),
    Case("POST", "/pools", {"name": "p1", "slots": 1, "include_deferred": "x"}, 422, None),
    Case("POST", "/pools", {"name": "p1", "slots": 1, "bogus": 1}, 422, None),
    Case("POST", "/pools", {"name": "default_pool", "slots": 1}, 409, None),
    Case("POST", "/pools", {"name": "p1", "slots": 2**70}, 422, None),  # Airflow: 500
    Case("POST", "/pools", Raw("notjson"), 422, None),
    Case("GET", "/pools/nope", None, 404, "The Pool with name: `nope` was not found"),
    Case("GET", "/pools/%00", None, 404, None),
    Case("GET", "/pools?order_by=nonsense", None, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("GET", "/pools?limit=-1", None, 422, None),
    Case("PATCH", "/pools/default_pool", {"slots": None}, 400, "Only slots and included_deferred can be modified on Default Pool"),
    Case("PATCH", "/pools/default_pool", {"slots": "x"}, 422, None),
    Case("PATCH", "/pools/default_pool", {"slots": -5}, 422, None),
    Case("PATCH", "/pools/default_pool", {"name": "renamed"}, 400, "Invalid body, pool name from request body doesn't match uri parameter"),
    Case("PATCH", "/pools/default_pool", {"bogus": 1}, 422, None),
    Case("PATCH", "/pools/default_pool?update_mask=bogus", {"slots": 1}, 400, "Only slots and included_deferred can be modified on Default Pool"),
    Case("PATCH", "/pools/nope", {"slots": 1}, 404, "The Pool with name: `nope` was not found"),
    Case("DELETE", "/pools/default_pool", None, 400, "Default Pool can't be deleted"),
    Case("DELETE", "/pools/nope", None, 404, "The Pool with name: `nope` was not found"),
    Case("PATCH", "/pools", {"actions": 5}, 422, None),
    # -- backfills
    Case("POST", "/backfills", {"dag_id": "{dag}", "from_date": "2024-01-02T00:00:00Z", "to_date": "2024-01-01T00:00:00Z"}, 422, "{dag} has no schedule"),
    Case("POST", "/backfills", {"dag_id": "{dag}"}, 422, None),
    Case("POST", "/backfills", {"dag_id": "nodag", "from_date": "2024-01-01T00:00:00Z", "to_date": "2024-01-02T00:00:00Z"}, 404, "Could not find dag nodag"),
    Case("POST", "/backfills", {"dag_id": "{dag}", "from_date": "bad", "to_date": "2024-01-02T00:00:00Z"}, 422, None),
    Case("POST", "/backfills", {"dag_id": "{dag}", "from_date": "2024-01-01T00:00:00Z", "to_date": "2024-01-02T00:00:00Z", "reprocess_behavior": "bogus",}, 422, None),
    Case("POST", "/backfills", {"dag_id": "{dag}", "from_date": "2024-01-01T00:00:00Z", "to_date": "2024-01-02T00:00:00Z", "max_active_runs": "x",}, 422, None),
    Case("POST", "/backfills", {"dag_id": "{dag}", "from_date": "2024-01-01T00:00:00Z", "to_date": "2024-01-02T00:00:00Z", "max_active_runs": 0,}, 422, "{dag} has no schedule"),
    Case("POST", "/backfills", Raw("notjson"), 422, None),
    Case("GET", "/backfills", None, 422, None),
    Case("GET", "/backfills?dag_id={dag}&limit=-1", None, 422, None),
    Case("GET", "/backfills?dag_id={dag}&order_by=nonsense", None, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("GET", "/backfills/abc", None, 422, None),
    Case("GET", "/backfills/-1", None, 422, None),
    Case("GET", "/backfills/999", None, 404, "Backfill not found"),
    Case("PUT", "/backfills/999/pause", None, 404, "Could not find backfill with id 999"),
    Case("PUT", "/backfills/abc/cancel", None, 422, None),
    Case("POST", "/backfills/dry_run", {}, 422, None),
    # -- assets
    Case("GET", "/assets?limit=-1", None, 422, None),
    Case("GET", "/assets?order_by=nonsense", None, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("GET", "/assets?only_active=x", None, 422, None),
    Case("GET", "/assets/abc", None, 422, None),
    Case("GET", "/assets/999", None, 404, "The Asset with ID: `999` was not found"),
    Case("GET", "/assets/events?asset_id=x", None, 422, None),
    Case("GET", "/assets/events?timestamp_gte=bad", None, 422, None),
    Case("GET", "/assets/events?order_by=nonsense", None, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("GET", "/assets/events?source_map_index=x", None, 422, None),
    Case("POST", "/assets/events", {}, 422, None),
    Case("POST", "/assets/events", {"asset_id": "x"}, 422, None),
    Case("POST", "/assets/events", {"asset_id": 999}, 404, "Asset with ID: `999` was not found"),
    Case("POST", "/assets/events", {"asset_id": 1, "extra": "x"}, 422, None),
    Case("GET", "/assets/aliases/abc", None, 422, None),
    Case("GET", "/assets/aliases/999", None, 404, "The Asset Alias with ID: `999` was not found"),
    Case("GET", "/assets/aliases?order_by=nonsense", None, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("GET", "/assets/999/queuedEvents", None, 200, None),
    Case("GET", "/assets/abc/queuedEvents", None, 422, None),
    Case("GET", "/assets/999/queuedEvents?before=bad", None, 400, "Invalid datetime: 'bad'. Please check the date parameter have this value."),
    Case("DELETE", "/assets/999/queuedEvents", None, 404, "Queue event with asset_id: `999` was not found"),
    Case("POST", "/assets/999/materialize", None, 404, "No DAG materializes asset with ID: 999"),
    Case("GET", "/dags/nodag/assets/queuedEvents", None, 200, None),
    Case("GET", "/dags/{dag}/assets/abc/queuedEvents", None, 422, None),
    # -- event logs, import errors
    Case("GET", "/eventLogs?limit=x", None, 422, None),
    Case("GET", "/eventLogs?before=bad", None, 422, None),
    Case("GET", "/eventLogs?order_by=nonsense", None, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("GET", "/eventLogs?map_index=x", None, 422, None),
    Case("GET", "/eventLogs?try_number=x", None, 422, None),
    Case("GET", "/eventLogs/abc", None, 422, None),
    Case("GET", "/eventLogs/999999", None, 404, "The Event Log with id: `999999` not found"),
    Case("GET", "/importErrors/abc", None, 422, None),
    Case("GET", "/importErrors/999999", None, 404, "The ImportError with import_error_id: `999999` was not found"),
    Case("GET", "/importErrors?order_by=nonsense", None, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("GET", "/importErrors?limit=-1", None, 422, None),
    # -- config, version, monitor, plugins, providers, jobs, unknown routes
    Case("GET", "/config/section/nope/option/nope", None, 403, CONFIG_HIDDEN),  # [api] expose_config is off
    Case("GET", "/config?section=nope", None, 403, CONFIG_HIDDEN),
    Case("POST", "/version", None, 405, "Method Not Allowed"),
    Case("GET", "/monitor/health?x=1", None, 200, None),
    Case("GET", "/plugins?limit=-1", None, 422, None),
    Case("GET", "/providers?limit=-1", None, 422, None),
    Case("GET", "/jobs?limit=-1", None, 422, None),
    Case("GET", "/jobs?order_by=nonsense", None, 400, "Ordering with 'nonsense' is disallowed or the attribute does not exist on the model"),
    Case("GET", "/nope", None, 404, None),
    Case("DELETE", "/dags", None, 405, "Method Not Allowed"),
    # -- more bodies and parameters
    Case("PATCH", "/dags/{dag}/dagRuns/{run}", {"note": "n" * 1001}, 422, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}", {"note": "n" * 1001}, 422, None),
    Case("PATCH", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/dry_run", Raw(""), 422, None),
    Case("POST", "/dags/{dag}/dagRuns", {"logical_date": "2024-01-01T00:00:00"}, 422, None),
    Case("POST", "/dags/{dag}/dagRuns", {"logical_date": None, "dag_run_id": "r" * 300}, 422, None),  # Airflow (SQLite): 200, longer than the run_id column
    Case("POST", "/dags/{dag}/clearTaskInstances", {"only_failed": True, "only_running": True}, 422, None),  # Airflow: 500
    Case("POST", "/dags/{dag}/clearTaskInstances", {"dag_run_id": "{run}", "start_date": "2024-01-01T00:00:00Z"}, 422, None),  # Airflow: 500
    Case("POST", "/dags/{dag}/clearTaskInstances", {"start_date": "2024-01-01T00:00:00"}, 422, None),
    Case("GET", "/dagSources/{dag}?version_number=-1", None, 404, "The source code of the DAG {dag}, version_number -1 was not found"),
    Case("GET", "/dags?limit=1000000", None, 200, None),
    Case("GET", "/eventLogs?after=bad", None, 422, None),
    Case("GET", "/importErrors?filename_pattern=%00", None, 400, NUL_DETAIL),  # Airflow (SQLite): 200
    Case("GET", "/dags/~/dagRuns/~/taskInstances/~/xcomEntries?map_index=-5", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/xcomEntries?limit=-1", None, 422, None),
    Case("DELETE", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/xcomEntries/nokey?map_index=-5", None, 422, None),
    Case("POST", "/connections", {"connection_id": "c2", "conn_type": "http", "extra": "notjson"}, 422, None),
    Case("POST", "/connections", {"connection_id": "c2", "conn_type": "http", "extra": "[1]"}, 422, None),
    Case("PATCH", "/connections", {"actions": [{"action": "create", "entities": [{"connection_id": "bad id!", "conn_type": "x"}]}]}, 422, None),
    Case("PATCH", "/pools", {"actions": [{"action": "create", "entities": [{"name": "p2", "slots": -9}]}]}, 422, None),
    Case("PATCH", "/pools", {"actions": [{"action": "delete", "entities": ["nope"]}]}, 200, None),
    Case("PATCH", "/pools", {"actions": [{"action": "create", "entities": [{"name": "p3", "slots": 1}], "action_on_existence": "bogus",}]}, 422, None),
    Case("POST", "/pools", {"name": "n" * 300, "slots": 1}, 422, None),
    Case("PUT", "/backfills/abc/pause", None, 422, None),
    Case("PUT", "/backfills/-1/unpause", None, 422, None),
    Case("POST", "/backfills/dry_run", {"dag_id": "{dag}", "from_date": "bad", "to_date": "bad"}, 422, None),
    Case("POST", "/assets/events", {"asset_id": 1, "bogus": 1}, 422, None),
    Case("GET", "/assets?limit=x", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/dependencies?map_index=x", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/taskInstances/{task}/tries?map_index=x", None, 422, None),
    Case("GET", "/dags/{dag}/dagRuns/{run}/upstreamAssetEvents?limit=-1", None, 200, None),
    Case("POST", "/connections", {"connection_id": "c3", "conn_type": "http", "host": "h" * 600}, 400, None),  # Airflow (SQLite): 201, longer than the host column
]
# fmt: on

NAMES = {
    "dag": "example_task_group",
    "run": RUN_OK,
    "task": "start",
    "var": "seed_var",
    "conn": "seed_conn",
}


async def test_bad_requests_answer_as_airflow(server: Server) -> None:
    """Every bad request gets Airflow 3.2.1's status (never a 500, never a 2xx that accepts
    garbage); 422 answers carry pydantic's error list, and plain-string details are Airflow's
    words."""
    wrong = []
    for case in CASES:
        status, body = await send(server.http, server.url, case, NAMES)
        detail = body.get("detail") if isinstance(body, dict) else body
        problem = None
        if status != case.status:
            problem = f"status {status}, Airflow {case.status}"
        elif status >= 400 and not isinstance(body, dict):
            problem = f"no JSON detail: {body!r:.100}"
        elif status == 422 and case.detail is None and not _pydantic_errors(detail):
            problem = f"not pydantic's error list: {detail!r:.200}"
        elif case.detail is not None and detail != fill(case.detail, NAMES):
            problem = f"detail {detail!r:.200}, Airflow {case.detail!r:.200}"
        if problem is not None:
            wrong.append(
                f"{case.method} {fill(case.path, NAMES)[:80]} {case.body!r:.80}: {problem}"
            )
    assert wrong == [], "\n".join(wrong)


def _pydantic_errors(detail: object) -> bool:
    return (
        isinstance(detail, list)
        and bool(detail)
        and all(isinstance(e, dict) and {"type", "loc", "msg"} <= e.keys() for e in detail)
    )
