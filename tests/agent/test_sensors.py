"""Sensors: poke loop, timeout, soft_fail, reschedule mode and PokeReturnValue."""

from __future__ import annotations

from datetime import datetime

from conftest import make_task, python_task

RUN = "manual__2025-01-01T00:00:00+00:00"
BASH_SENSOR = "airflow.providers.standard.sensors.bash.BashSensor"
PY_SENSOR = "airflow.providers.standard.sensors.python.PythonSensor"
FILE_SENSOR = "airflow.providers.standard.sensors.filesystem.FileSensor"


def sensor(cls, task_id, **init):
    args = {"mode": "poke", "poke_interval": 0.2, "timeout": 1.0, "soft_fail": False}
    args.update(init)
    return make_task(task_id, cls, args, is_sensor=True)


def test_poke_timeout_fails_without_retry(server, run_agent):
    """A poke-mode sensor that never succeeds fails with AirflowSensorTimeout, even with retries."""
    out = run_agent(server.add_ti(sensor(BASH_SENSOR, "s", bash_command="exit 1"), max_tries=3))
    assert out.state == "failed"
    assert out.report["error"].startswith("AirflowSensorTimeout: Sensor has timed out")


def test_soft_fail_skips(server, run_agent):
    """soft_fail=True turns the sensor timeout into skipped."""
    out = run_agent(server.add_ti(sensor(BASH_SENSOR, "s", bash_command="exit 1", soft_fail=True)))
    assert out.state == "skipped"


def test_reschedule_mode_reports_reschedule_date(server, run_agent, tmp_path):
    """A reschedule-mode sensor that is not done reports up_for_reschedule with a future date."""
    task = sensor(
        FILE_SENSOR,
        "f",
        filepath=str(tmp_path / "absent"),
        mode="reschedule",
        poke_interval=30.0,
        timeout=600.0,
    )
    server.connections["fs_default"] = {"conn_type": "fs", "extra": '{"path": "/"}'}
    out = run_agent(server.add_ti(task))
    assert out.state == "up_for_reschedule", out.text()
    when = datetime.fromisoformat(out.report["reschedule_date"])
    assert (when - datetime.fromisoformat(out.report["end_date"])).total_seconds() > 20


def test_file_sensor_succeeds_when_file_exists(server, run_agent, tmp_path):
    """FileSensor succeeds once the file is there."""
    (tmp_path / "here").write_text("x")
    server.connections["fs_default"] = {"conn_type": "fs", "extra": '{"path": "/"}'}
    out = run_agent(server.add_ti(sensor(FILE_SENSOR, "f", filepath=str(tmp_path / "here"))))
    assert out.state == "success", out.text()


def test_file_sensor_without_its_connection_fails(server, run_agent, tmp_path):
    """Airflow 3 defines no fs_default: FileSensor's hook fails on the first poke, and
    soft_fail does not turn that into a skip (only a timeout)."""
    task = sensor(FILE_SENSOR, "f", filepath=str(tmp_path), soft_fail=True)
    out = run_agent(server.add_ti(task))
    assert out.state == "failed", out.text()
    assert "The conn_id `fs_default` isn't defined" in out.text()


def test_python_sensor_poke_return_value_pushes_xcom(server, run_agent, dag_file):
    """A PythonSensor returning PokeReturnValue(True, v) succeeds and pushes v."""
    path = dag_file(
        "import os\n"
        "def check(n):\n"
        "    hits = int(os.environ.get('HITS', '0'))\n"
        "    return PokeReturnValue(True, {'n': n})\n"
        "with DAG('d', schedule=None, start_date=START):\n"
        "    PythonSensor(task_id='ps', python_callable=check)\n"
    )
    task = python_task(
        "ps", cls=PY_SENSOR, op_kwargs={"n": 7}, mode="poke", poke_interval=0.1, timeout=5.0
    )
    out = run_agent(server.add_ti(task), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "ps", "return_value", -1)] == {"n": 7}


def test_external_task_sensor_queries_states(server, run_agent):
    """ExternalTaskSensor asks the execution API for the other run's task states."""
    server.external_states["up"] = "success"
    task = sensor(
        "airflow.providers.standard.sensors.external_task.ExternalTaskSensor",
        "ext",
        external_dag_id="other",
        external_task_id="up",
    )
    out = run_agent(server.add_ti(task))
    assert out.state == "success", out.text()
    assert ("GET", "/execution/task-instances/states") in server.calls


def test_deferrable_fails_with_clear_message(server, run_agent):
    """deferrable=True fails when the task would defer: Leoflow has no triggerer (a moment
    already passed needs none: test_deferrable_time_delta.py)."""
    task = sensor(
        "airflow.providers.standard.sensors.time_delta.TimeDeltaSensor",
        "td",
        delta={"__type": "timedelta", "__var": 100 * 365 * 86400.0},
        deferrable=True,
    )
    out = run_agent(server.add_ti(task))
    assert out.state == "failed"
    assert "no triggerer" in out.report["error"]
