"""Templating and mapping details of Airflow's task runner (corpus `rt_tm_*` DAGs): the
pendulum/yaml macros, `map_index_template` rendered after a successful execute, and a mapped
@task whose expand_kwargs dict has a key its function does not take."""

from __future__ import annotations

from conftest import bash_task

RUN = "manual__2025-01-01T00:00:00+00:00"

DAG_SRC = """
@task(map_index_template="{{ not_defined_anywhere }}")
def bad_label(x):
    return x

@task(map_index_template="{{ my_label }}")
def own_label(x):
    from airflow.sdk import get_current_context
    get_current_context()["my_label"] = f"item-{x}"
    return x

@task
def add(a, b):
    return a + b

with DAG("d", schedule=None, start_date=START):
    bad_label.expand(x=[1])
    own_label.expand(x=[1])
    add.expand_kwargs([{"a": 1, "b": 2}])
"""


def test_pendulum_and_yaml_macros(server, run_agent):
    """`macros.datetime_diff_for_humans` (pendulum) and `macros.yaml.dump` render as in Airflow
    (corpus rt_tm_context_filters: "3 days before")."""
    template = (
        "{% set later = logical_date + macros.timedelta(days=3) %}"
        "{{ macros.datetime_diff_for_humans(logical_date, later) }}"
        "|{{ macros.yaml.dump({'a': 1}) | trim }}"
    )
    out = run_agent(server.add_ti(bash_task("t", f'echo "{template}"')))
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "t", "return_value", -1)] == "3 days before|a: 1"


def test_map_index_template_error_fails_a_successful_try(server, run_agent, compiled_ti, dag_file):
    """A map_index_template that cannot render fails the try after execute, before its XCom is
    pushed; one naming a key the task put into its context renders (corpus
    rt_tm_map_index_template_errors)."""
    path = dag_file(DAG_SRC)
    out = run_agent(compiled_ti(path, "bad_label", map_index=0, expanded={"x": 1}), dag_file=path)
    assert out.state == "failed"
    assert "not_defined_anywhere" in out.report["error"]
    assert ("d", RUN, "bad_label", "return_value", 0) not in server.xcoms
    out = run_agent(compiled_ti(path, "own_label", map_index=0, expanded={"x": 5}), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "own_label", "return_value", 0)] == 5


def test_expand_kwargs_key_the_function_does_not_take(server, run_agent, compiled_ti, dag_file):
    """Airflow binds a mapped @task's arguments when it unmaps it: an extra key fails that map
    index; the exact arguments run (corpus rt_tm_map_expand_kwargs_xcom)."""
    path = dag_file(DAG_SRC)
    extra = {"a": 1, "b": 1, "c": 9}
    out = run_agent(compiled_ti(path, "add", map_index=0, expanded=extra), dag_file=path)
    assert out.state == "failed"
    assert "unexpected keyword argument 'c'" in out.report["error"]
    out = run_agent(compiled_ti(path, "add", map_index=1, expanded={"a": 4, "b": 3}), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "add", "return_value", 1)] == 7


def test_map_index_template_sees_the_rendered_fields(server, run_agent):
    """`task` in map_index_template is the task with its rendered template fields, here the
    mapped `env` of a natively run BashOperator (corpus rt_tm_map_bash_templated); a wrong
    value would render the undefined name and fail the try."""
    task = bash_task("t", "echo $CITY")
    task["map_index_template"] = "{{ task.env['CITY'] if task.env['CITY'] == 'oslo' else nope }}"
    out = run_agent(server.add_ti(task, map_index=0, expanded={"env": {"CITY": "oslo"}}))
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "t", "return_value", 0)] == "oslo"
    out = run_agent(server.add_ti(task, map_index=1, expanded={"env": {"CITY": "lima"}}))
    assert out.state == "failed"
    assert "nope" in out.report["error"]


def test_template_undefined_of_the_dag_applies_to_a_native_bash_task(
    server, run_agent, compiled_ti, dag_file
):
    """dag.json does not carry `template_undefined`: a BashOperator of a DAG that sets
    jinja2.Undefined still renders a missing name as empty text (corpus rt_tm_undefined_kinds)."""
    path = dag_file(
        "import jinja2\n"
        "with DAG('d', schedule=None, start_date=START, template_undefined=jinja2.Undefined):\n"
        "    BashOperator(task_id='t', bash_command=\"echo 'a{{ nope }}b[{{ prev_ds }}]'\")\n"
    )
    out = run_agent(compiled_ti(path, "t"), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "t", "return_value", -1)] == "ab[]"


def test_prev_success_keys_are_proxies_not_none(server, run_agent):
    """Airflow gives prev_*_success as lazy proxies: in a first run they print as None and equal
    None, but `is none` is false (corpus rt_tm_removed_context_keys)."""
    template = (
        "{{ prev_data_interval_end_success is none }} {{ prev_start_date_success == None }} "
        "{{ prev_end_date_success }}"
    )
    out = run_agent(server.add_ti(bash_task("t", f'echo "{template}"')))
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "t", "return_value", -1)] == "False True None"


def test_bash_env_value_that_is_not_text_fails(server, run_agent):
    """BashOperator hands env to Popen as it is: an int value (e.g. rendered natively) fails the
    task, as in Airflow (corpus rt_tm_native_values)."""
    out = run_agent(server.add_ti(bash_task("t", "echo $N", env={"N": 2})))
    assert out.state == "failed"
    assert "int" in out.report["error"]
    out = run_agent(server.add_ti(bash_task("t", "echo $N", env={"N": "2"})))
    assert out.state == "success", out.text()


MAPPED_SRC = """
@task
def texts():
    return ["{{ ds_nodash }}"]

@task
def show(text, suffix):
    return f"{text}|{suffix}"

with DAG("d", schedule=None, start_date=START):
    show.partial(suffix="{{ ds }}").override(task_id="show_literal").expand(text=["{{ ds }}"])
    show.partial(suffix="{{ ds }}").override(task_id="show_xcom").expand(text=texts())
"""


def test_mapped_values_from_an_xcom_are_not_rendered(server, run_agent, compiled_ti, dag_file):
    """Airflow renders the literal values of expand() and partial(), not values resolved from an
    upstream XCom (seen_oids), also inside a @task's op_kwargs (corpus
    rt_tm_map_template_sources)."""
    path = dag_file(MAPPED_SRC)
    ti = compiled_ti(path, "show_literal", map_index=0, expanded={"text": "{{ ds }}"})
    out = run_agent(ti, dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "show_literal", "return_value", 0)] == "2025-01-01|2025-01-01"
    ti = compiled_ti(path, "show_xcom", map_index=0, expanded={"text": "{{ ds_nodash }}"})
    out = run_agent(ti, dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "show_xcom", "return_value", 0)] == "{{ ds_nodash }}|2025-01-01"
