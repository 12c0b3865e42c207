"""Templates render with Airflow's context: dates, params, variables, connections, macros."""

from __future__ import annotations

from conftest import bash_task, python_task

RUN = "manual__2025-01-01T00:00:00+00:00"


def rendered(server, run_agent, template, *, dag_file=None, **ti_kwargs):
    ti = server.add_ti(bash_task("t", f'echo "{template}"'), **ti_kwargs)
    out = run_agent(ti, dag_file=dag_file)
    return out, server.xcoms.get(("d", RUN, "t", "return_value", -1))


def test_dates_params_vars_conn_macros(server, run_agent):
    """ds/ts keys, params overlaid by conf, var, conn and macros render as in Airflow."""
    server.variables.update(greeting="hi", cfg='{"n": 3}')
    server.connections["db"] = {
        "conn_type": "postgres",
        "host": "dbhost",
        "port": 5432,
        "login": "u",
    }
    dag = {
        "params": {
            "who": {"default": "world", "description": None, "schema": {}},
            "n": {"default": 1},
        }
    }
    template = (
        "{{ ds }} {{ ds_nodash }} {{ ts_nodash }} {{ ts_nodash_with_tz }} {{ params.who }} "
        "{{ params.n }} {{ var.value.greeting }} {{ var.json.cfg.n }} {{ conn.db.host }}:"
        "{{ conn.db.port }} {{ macros.ds_add(ds, 7) }} "
        "{{ macros.ds_format(ds, '%Y-%m-%d', '%d/%m') }} "
        "{{ dag_run.conf.n }} {{ ti.try_number }} {{ task.task_id }} {{ run_id }} "
        "{{ logical_date | ds }} {{ macros.timedelta(days=1).days }} {{ data_interval_end.year }}"
    )
    out, value = rendered(server, run_agent, template, dag=dag, conf={"n": 5})
    assert out.state == "success", out.text()
    assert value == (
        "2025-01-01 20250101 20250101T000000 20250101T000000+0000 world 5 hi 3 dbhost:5432 "
        f"2025-01-08 01/01 5 1 t {RUN} 2025-01-01 1 2025"
    )


def test_missing_variable_fails_with_reason(server, run_agent):
    """A template reading a missing variable fails the try and names the variable."""
    out, _ = rendered(server, run_agent, "{{ var.value.nope }}")
    assert out.state == "failed"
    assert "Variable 'nope' not found" in out.report["error"]


def test_missing_connection_and_undefined_name_fail(server, run_agent):
    """A missing connection and an undefined template name both fail with the reason logged."""
    out, _ = rendered(server, run_agent, "{{ conn.nowhere.host }}")
    assert out.state == "failed"
    assert "Connection 'nowhere' not found" in out.report["error"]
    server2 = server.add_ti(bash_task("u", "echo {{ not_defined }}"))
    out2 = run_agent(server2)
    assert out2.state == "failed"
    assert "UndefinedError" in out2.report["error"]
    assert any("not_defined" in e for e in out2.events("airflow.task"))


def test_user_defined_macros_filters_and_native_rendering(server, run_agent, dag_file):
    """user_defined_macros/filters come from the DAG object; native rendering keeps Python types."""
    path = dag_file(
        "def shout(s):\n    return s.upper() + '!'\n"
        "def typed(n, items):\n    return [type(n).__name__, type(items).__name__, n + 1]\n"
        "with DAG('d', schedule=None, start_date=START, user_defined_macros={'answer': 41},"
        " user_defined_filters={'shout': shout},"
        " render_template_as_native_obj=True):\n"
        "    PythonOperator(task_id='typed', python_callable=typed)\n"
    )
    task = python_task("typed", op_kwargs={"n": "{{ answer }}", "items": "{{ [1, 2] }}"})
    out = run_agent(server.add_ti(task, dag={"render_template_as_native_obj": True}), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "typed", "return_value", -1)] == ["int", "list", 42]
    path2 = dag_file(
        "def shout(s):\n    return s.upper() + '!'\n"
        "with DAG('d', schedule=None, start_date=START, user_defined_macros={'who': 'bob'},"
        " user_defined_filters={'shout': shout}):\n"
        "    BashOperator(task_id='t', bash_command='true')\n",
        name="dag2.py",
    )
    out2 = run_agent(
        server.add_ti(
            bash_task("t", "echo '{{ who | shout }}'"), dag={"user_defined_macros": ["who"]}
        ),
        dag_file=path2,
    )
    assert out2.state == "success", out2.text()
    assert server.xcoms[("d", RUN, "t", "return_value", -1)] == "BOB!"
