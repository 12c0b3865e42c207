"""Loading dag.json into the frozen graph."""

from __future__ import annotations

import json

import pytest

from leoflow.scheduler import SchedulerError
from leoflow.scheduler.dagmodel import DagCache, load_dag

from .golden_sim import dag_documents
from .helpers import dag, task


def test_topological_order_relatives_and_weights() -> None:
    """Tasks come in topological order; flat relatives and Airflow's downstream / upstream /
    absolute priority weights are precomputed."""
    d = dag(
        task("a", priority_weight=1),
        task("b", "a", priority_weight=2, weight_rule="upstream"),
        task("c", "b", priority_weight=3, weight_rule="absolute"),
        task("e", "a", priority_weight=5),
    )
    assert d.topo_order.index("a") < d.topo_order.index("b") < d.topo_order.index("c")
    assert d.flat_downstream("a") == {"b", "c", "e"}
    assert d.flat_upstream("c") == {"a", "b"}
    assert d.tasks["a"].weight == 1 + 2 + 3 + 5
    assert d.tasks["b"].weight == 2 + 1
    assert d.tasks["c"].weight == 3
    assert d.tasks["a"].downstream == {"b", "e"}


def test_fields_are_decoded() -> None:
    """Timedeltas, sensors, retries and DAG fields come out typed."""
    d = dag(
        task(
            "s",
            retries=3,
            retry_delay={"__type": "timedelta", "__var": 10.0},
            max_retry_delay={"__type": "timedelta", "__var": 100.0},
            is_sensor=True,
            sensor={
                "mode": "reschedule",
                "poke_interval": 5.0,
                "timeout": 50.0,
                "soft_fail": True,
                "exponential_backoff": True,
            },
        ),
        fail_fast=True,
        dagrun_timeout={"__type": "timedelta", "__var": 3600.0},
        start_date="2025-01-01T00:00:00+00:00",
    )
    s = d.tasks["s"]
    assert s.retries == 3
    assert s.retry_delay.total_seconds() == 10
    assert s.max_retry_delay.total_seconds() == 100
    assert s.sensor is not None
    assert s.sensor.mode == "reschedule"
    assert s.sensor.soft_fail
    assert d.fail_fast
    assert d.dagrun_timeout.total_seconds() == 3600
    assert d.start_date.year == 2025


def test_cycles_and_unknown_upstreams_are_errors() -> None:
    """A cycle or a dangling upstream id is a SchedulerError naming the tasks."""
    with pytest.raises(SchedulerError, match="cycle"):
        dag(task("a", "b"), task("b", "a"))
    with pytest.raises(SchedulerError, match="unknown task"):
        dag(task("a", "nope"))


def test_relevant_setups_and_run_state_leaves() -> None:
    """Relevant setups follow get_upstreams_only_setups; teardowns are not run-state leaves
    unless on_failure_fail_dagrun."""
    d = dag(
        task("s", is_setup=True),
        task("w", "s"),
        task("td", "s", "w", is_teardown=True),
    )
    assert d.relevant_setups("w") == {"s"}
    assert d.leaves_for_run_state() == {"w"}
    d2 = dag(
        task("s", is_setup=True),
        task("w", "s"),
        task("td", "s", "w", is_teardown=True, on_failure_fail_dagrun=True),
    )
    assert d2.leaves_for_run_state() == {"td"}


def test_every_golden_example_dag_loads_and_cache_parses_once() -> None:
    """All 92 example DAG documents load; the cache returns the same model per version."""
    docs = dag_documents()
    assert len(docs) == 92
    for doc in docs.values():
        assert set(load_dag(doc).topo_order) == set(doc["task_ids"])
    cache = DagCache()
    raw = json.dumps(docs["example_complex"]).encode()
    assert cache.get("v1", raw) is cache.get("v1", b"not parsed again")
