"""Replays of Airflow's own example DAGs against the real Airflow 3.2.1 run goldens."""

from __future__ import annotations

import pytest

from .golden_sim import run_goldens, simulate

DAG_IDS = run_goldens()


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_example_dag_ends_like_airflow(dag_id: str) -> None:
    """With each task's own outcome taken from Airflow's run, the scheduler's decisions give
    every task instance the same final state (skipped / upstream_failed included), create
    no TI Airflow did not have, run no task Airflow did not run, and end the run the same."""
    sim, golden = simulate(dag_id)
    expected = {(t["task_id"], t["map_index"]): t["state"] for t in golden["task_instances"]}
    assert sim.ran_unexpectedly == []
    assert sim.states == expected
    assert sim.run_state == golden["run_state"]


def test_all_completed_example_runs_are_replayed() -> None:
    """Every example DAG that Airflow ran to the end (80 of 92) is part of the replay."""
    assert len(DAG_IDS) == 80
