"""`.map()` / `.zip()` / `.concat()` XComArgs and the tuples of mapped values reach a try as
Airflow 3.2.1 gives them (hunt DAGs tf_xcomarg_classic_mix, tf_zip_tuple_items,
tf_xcomarg_ops, tf_map_dict_upstream)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import NOW, compile_dag_file

RUN = f"manual__{NOW}"
TUPLE = "builtins.tuple"

DAG_SRC = """
with DAG("d", schedule=None, start_date=START):
    @task
    def a():
        return [1, 2, 3]

    @task
    def b():
        return ["x", "y"]

    @task
    def dd():
        return {"k2": 2, "k1": 1}

    @task
    def collect(vals):
        return [[type(v).__name__, v] for v in vals]

    @task
    def kind(v):
        return [type(v).__name__, list(v)]

    @task
    def kw(key, val):
        return f"{key}={val}"

    x, y, d = a(), b(), dd()
    collect.override(task_id="zip_whole")(x.zip(y, fillvalue="F"))
    collect.override(task_id="concat_whole")(x.concat(d))
    collect.override(task_id="map_whole")(x.map(lambda v: v * 10))
    PythonOperator.partial(task_id="pm", python_callable=lambda v: v * 2).expand(
        op_args=x.map(lambda v: [v])
    )
    PythonOperator(task_id="p_zip", python_callable=lambda z: repr(list(z)), op_args=[x.zip(y)])
    kind.override(task_id="item").expand(v=x.zip(y))
    kind.override(task_id="from_dict").expand(v=d.map(lambda kv: kv))
    kw.expand_kwargs(x.map(lambda v: {"key": f"k{v}", "val": v}))
    PythonOperator.partial(task_id="dup", python_callable=str, op_kwargs={}).expand_kwargs(
        x.map(lambda v: {"op_kwargs": {"object": v}})
    )
"""


def _tuple(*items: Any) -> dict[str, Any]:
    return {"__classname__": TUPLE, "__version__": 1, "__data__": list(items)}


def _setup(server: Any, dag_file: Any) -> tuple[Path, dict[str, Any]]:
    path = dag_file(DAG_SRC)
    for task_id, value in (("a", [1, 2, 3]), ("b", ["x", "y"]), ("dd", {"k2": 2, "k1": 1})):
        server.xcoms[("d", RUN, task_id, "return_value", -1)] = value
    doc = compile_dag_file(path)["d"]
    return path, {t["task_id"]: t for t in doc["tasks"]}


def _map_call(tasks: dict[str, Any], task_id: str, name: str, value: Any) -> dict[str, Any]:
    """The run context's `.map()` item (ADR 0002), with the callables' sources of dag.json."""
    ref = tasks[task_id]["expand_input"]["value"]
    ref = ref[name] if name else ref
    return {"__type": "mapcall", "value": value, "callables": ref["callables"]}


def test_zip_concat_and_map_as_plain_arguments(server, run_agent, compiled_ti, dag_file):
    """An unmapped task given `a.zip(b, fillvalue=...)` gets tuples (the fillvalue past the
    shorter input), `a.concat(dict)` the dict's keys, `a.map(f)` f applied (from the DAG
    file); a classic operator's op_args resolve a zip too."""
    path, _ = _setup(server, dag_file)
    out = run_agent(compiled_ti(path, "zip_whole"), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "zip_whole", "return_value", -1)] == [
        ["tuple", _tuple(1, "x")],
        ["tuple", _tuple(2, "y")],
        ["tuple", _tuple(3, "F")],
    ]
    out = run_agent(compiled_ti(path, "concat_whole"), dag_file=path)
    assert out.state == "success", out.text()
    assert [v for _, v in server.xcoms[("d", RUN, "concat_whole", "return_value", -1)]] == [
        1,
        2,
        3,
        "k2",
        "k1",
    ]
    out = run_agent(compiled_ti(path, "map_whole"), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "map_whole", "return_value", -1)] == [
        ["int", 10],
        ["int", 20],
        ["int", 30],
    ]
    out = run_agent(compiled_ti(path, "p_zip"), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "p_zip", "return_value", -1)] == "[(1, 'x'), (2, 'y')]"


def test_classic_operator_mapped_over_a_map(server, run_agent, compiled_ti, dag_file):
    """`PythonOperator.partial(...).expand(op_args=x.map(f))`: dag.json's init_args hold the
    `.map()` XComArg; the try applies f to its item and calls the operator with it."""
    path, tasks = _setup(server, dag_file)
    expanded = {"op_args": _map_call(tasks, "pm", "op_args", 2)}
    out = run_agent(compiled_ti(path, "pm", map_index=1, expanded=expanded), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "pm", "return_value", 1)] == 4


def test_mapped_tuples_stay_tuples(server, run_agent, compiled_ti, dag_file):
    """A zipped item (or a dict's item) comes in Airflow's serde form and reaches the task as
    a tuple, also inside a `.map()` item."""
    path, tasks = _setup(server, dag_file)
    ti = compiled_ti(path, "item", map_index=0, expanded={"v": _tuple(1, "x")})
    out = run_agent(ti, dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "item", "return_value", 0)] == ["tuple", [1, "x"]]
    expanded = {"v": _map_call(tasks, "from_dict", "v", _tuple("k2", 2))}
    out = run_agent(compiled_ti(path, "from_dict", map_index=0, expanded=expanded), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "from_dict", "return_value", 0)] == ["tuple", ["k2", 2]]


def test_map_over_a_dict_fails_the_try_with_key_error(server, run_agent, compiled_ti, dag_file):
    """`.map()` over a dict: Airflow's _MapResult reads `dict[0]`; the item the engine marks
    as missing fails the try with KeyError 0."""
    path, tasks = _setup(server, dag_file)
    expanded = {"v": _map_call(tasks, "from_dict", "v", {"__type": "key_error", "key": 0})}
    out = run_agent(compiled_ti(path, "from_dict", map_index=0, expanded=expanded), dag_file=path)
    assert out.state == "failed"
    assert out.report["error"] == "KeyError: 0"


def test_expand_kwargs_over_a_map(server, run_agent, compiled_ti, dag_file):
    """`expand_kwargs(x.map(f))`: the run context's `expanded` is the `.map()` item; the try
    applies f and takes the dict it gives as the task's kwargs."""
    path, tasks = _setup(server, dag_file)
    expanded = _map_call(tasks, "kw", "", 3)
    out = run_agent(compiled_ti(path, "kw", map_index=2, expanded=expanded), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "kw", "return_value", 2)] == "k3=3"


def test_strict_expand_kwargs_may_not_repeat_a_partial_argument(
    server, run_agent, compiled_ti, dag_file
):
    """A strict `expand_kwargs()` dict naming a partial argument fails the try with Airflow's
    TypeError (here through a `.map()`, tf_expand_kwargs_upstream `classic`)."""
    path, tasks = _setup(server, dag_file)
    expanded = _map_call(tasks, "dup", "", 1)
    out = run_agent(compiled_ti(path, "dup", map_index=0, expanded=expanded), dag_file=path)
    assert out.state == "failed"
    assert out.report["error"] == "TypeError: unmappable or already specified argument: op_kwargs"
