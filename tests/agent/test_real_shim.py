"""The agent on the real shim: DAG files compiled by `leoflow_shim`, tries run from their docs."""

from __future__ import annotations

from conftest import NOW

RUN = f"manual__{NOW}"

DAG_SRC = """
from airflow.sdk import TaskGroup, Variable, get_current_context

def plain(y, **context):
    return f"{y}|{context['ds_nodash']}"

def tdict(templates_dict):
    return templates_dict

with DAG("d", schedule=None, start_date=START, user_defined_macros={"answer": 42},
         user_defined_filters={"twice": lambda s: s * 2}, template_searchpath=[SQL_DIR]):
    @task
    def produce():
        return {"a": 1, "b": [1, 2]}

    @task
    def consume(value, ds=None):
        return {"b": value["b"], "ds": ds}

    @task(multiple_outputs=True)
    def split():
        return {"left": 1, "right": "two"}

    @task
    def with_context():
        ctx = get_current_context()
        return [ctx["ti"].task_id, ctx["params"]["who"], Variable.get("greeting"),
                Variable.get("missing", default="dflt")]

    templated = PythonOperator(
        task_id="templated", python_callable=plain,
        op_kwargs={"y": "{{ answer }}-{{ params.who | twice }}"}, params={"who": "ab"})
    sql = PythonOperator(
        task_id="sql", python_callable=tdict, templates_exts=[".sql"],
        templates_dict={"query": "query.sql", "plain": "no jinja here\\n"})

    @task.branch
    def pick(to):
        return to

    with TaskGroup("grp") as grp:
        first = EmptyOperator(task_id="first")
        first >> EmptyOperator(task_id="second")
    other = EmptyOperator(task_id="other")
    pick("grp") >> [grp, other]

    @task.bash
    def shell(n):
        return f"echo n={n} ds={{{{ ds }}}} answer={{{{ answer }}}}"

    script = BashOperator(task_id="script", bash_command="run.sh")

    def ready(threshold):
        return PokeReturnValue(is_done=threshold > 1, xcom_value={"t": threshold})

    sensor = PythonSensor(task_id="sensor", python_callable=ready, op_kwargs={"threshold": 2},
                          poke_interval=0.1, timeout=5)

    @task
    def mapped(x, y):
        return x * 10 + y

    consume(produce()) >> templated >> sql
    split() >> with_context() >> shell(3) >> script >> sensor
    mapped.partial(y=2).expand(x=[1, 2, 3])
"""


def _dag(dag_file, tmp_path):
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir(exist_ok=True)
    (sql_dir / "query.sql").write_text("SELECT '{{ ds }}', {{ answer }}\n")
    path = dag_file(f"SQL_DIR = {str(sql_dir)!r}\n" + DAG_SRC)
    (path.parent / "run.sh").write_text('echo "script {{ ds_nodash }} {{ answer }}"\n')
    return path


def test_task_xcom_in_and_out(server, run_agent, compiled_ti, dag_file, tmp_path):
    """@task pushes its return value; a downstream @task gets it through its XComArg."""
    path = _dag(dag_file, tmp_path)
    out = run_agent(compiled_ti(path, "produce"), dag_file=path)
    assert out.state == "success", out.text()
    out = run_agent(compiled_ti(path, "consume"), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "consume", "return_value", -1)] == {
        "b": [1, 2],
        "ds": "2025-01-01",
    }


def test_multiple_outputs_and_current_context(server, run_agent, compiled_ti, dag_file, tmp_path):
    """multiple_outputs pushes each key; get_current_context() and Variable.get work in a task."""
    path = _dag(dag_file, tmp_path)
    server.variables["greeting"] = "hi"
    assert run_agent(compiled_ti(path, "split"), dag_file=path).state == "success"
    assert server.xcoms[("d", RUN, "split", "left", -1)] == 1
    assert server.xcoms[("d", RUN, "split", "right", -1)] == "two"
    out = run_agent(compiled_ti(path, "with_context", conf={"who": "zed"}), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "with_context", "return_value", -1)] == [
        "with_context",
        "zed",
        "hi",
        "dflt",
    ]


def test_python_operator_templated_op_kwargs(server, run_agent, compiled_ti, dag_file, tmp_path):
    """op_kwargs render with user_defined_macros, user_defined_filters and task params."""
    path = _dag(dag_file, tmp_path)
    out = run_agent(compiled_ti(path, "templated"), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "templated", "return_value", -1)] == "42-abab|20250101"


def test_templates_exts_file_from_template_searchpath(
    server, run_agent, compiled_ti, dag_file, tmp_path
):
    """templates_dict values ending in a templates_exts extension render from the file."""
    path = _dag(dag_file, tmp_path)
    out = run_agent(compiled_ti(path, "sql"), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "sql", "return_value", -1)] == {
        "query": "SELECT '2025-01-01', 42",
        "plain": "no jinja here",
    }


def test_branch_into_task_group_follows_its_roots(
    server, run_agent, compiled_ti, dag_file, tmp_path
):
    """@task.branch returning a task group id follows the group's root tasks."""
    path = _dag(dag_file, tmp_path)
    out = run_agent(compiled_ti(path, "pick"), dag_file=path)
    assert out.state == "success", out.text()
    assert out.report["next_branch"] == ["grp.first"]
    assert server.xcoms[("d", RUN, "pick", "skipmixin_key", -1)] == {"followed": ["grp.first"]}


def test_task_bash_and_sh_template_file(server, run_agent, compiled_ti, dag_file, tmp_path):
    """@task.bash runs the command its callable returns; a `.sh` bash_command renders the file."""
    path = _dag(dag_file, tmp_path)
    out = run_agent(compiled_ti(path, "shell"), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "shell", "return_value", -1)] == "n=3 ds=2025-01-01 answer=42"
    out = run_agent(compiled_ti(path, "script"), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "script", "return_value", -1)] == "script 20250101 42"


def test_python_sensor_callable(server, run_agent, compiled_ti, dag_file, tmp_path):
    """A PythonSensor's callable comes from the DAG file; PokeReturnValue's value is pushed."""
    path = _dag(dag_file, tmp_path)
    out = run_agent(compiled_ti(path, "sensor"), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "sensor", "return_value", -1)] == {"t": 2}


def test_mapped_task_with_expanded_kwargs(server, run_agent, compiled_ti, dag_file, tmp_path):
    """A mapped @task gets its expanded kwarg plus the partial ones; pushes under its index."""
    path = _dag(dag_file, tmp_path)
    out = run_agent(compiled_ti(path, "mapped", map_index=2, expanded={"x": 3}), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "mapped", "return_value", 2)] == 32


def test_task_level_params_without_loading_the_dag_file(server, run_agent, compiled_ti, dag_file):
    """A task's own `params=` travel in dag.json, so a BashOperator renders them natively."""
    path = dag_file(
        "with DAG('d', schedule=None, start_date=START, params={'a': 1, 'b': 2}):\n"
        "    BashOperator(task_id='t', bash_command='echo {{ params.a }}{{ params.b }}"
        "{{ params.c }}', params={'b': 5, 'c': 3})\n"
    )
    out = run_agent(compiled_ti(path, "t"), dag_file=None)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "t", "return_value", -1)] == "153"
