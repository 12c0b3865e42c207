"""What each provider operator of a DAG file really receives: its own constructor kwargs.

Run with the Python of a venv that has apache-airflow 3.2.1 and the providers installed::

    PYTHON capture_kwargs.py DAG_FILE --root ROOT --out OUT.json      # record (golden side)
    PYTHON capture_kwargs.py --rebuild < tasks.json                    # rebuild (live check)

Record mode parses the file as Airflow's dag-processor does (via the shared oracle
``airflow_golden.py``) and writes, for every task, ``operator_class`` and ``kwargs``: the keyword
arguments the DAG file passed to the operator class (recorded by wrapping the operator
metaclass's ``__call__``; default_args are NOT merged in: they stay on the DAG), minus
BaseOperator's and BaseSensorOperator's own parameters. Mapped tasks give their ``partial()``
kwargs plus ``{"__type": "mapped"}`` for the expanded names. Values use the oracle's normalization.

Rebuild mode reads ``[{"operator_class", "task_id", "kwargs", "default_args",
"template_searchpath"}]`` (normalized values as the compiler writes them), builds the REAL
operator inside a throw-away DAG, and prints
``{task_id: init_args}`` in the oracle's shape, so a test can check that the kwargs Leoflow
captured make the same operator as the DAG file itself.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import inspect
import json
import os
import sys
from pathlib import Path
from typing import Any

TOOLS = Path(__file__).resolve().parents[4] / "shared" / "tools"


def _golden_module() -> Any:
    sys.path.insert(0, str(TOOLS))
    return importlib.import_module("airflow_golden")


def _base_names() -> set[str]:
    from airflow.sdk.bases.operator import BaseOperator
    from airflow.sdk.bases.sensor import BaseSensorOperator

    names: set[str] = {"default_args", "params", "self", "kwargs"}
    for cls in (BaseOperator, BaseSensorOperator):
        names |= set(inspect.signature(cls.__init__).parameters)
    return names


def _watch_constructor_calls() -> None:
    """Remember the keyword arguments of the outermost constructor call of every operator."""
    from airflow.sdk.bases.operator import BaseOperatorMeta

    def __call__(cls: type, *args: Any, **kwargs: Any) -> Any:
        obj = type.__call__(cls, *args, **kwargs)
        object.__setattr__(obj, "_fidelity_call_kwargs", dict(kwargs))
        return obj

    BaseOperatorMeta.__call__ = __call__  # type: ignore[method-assign]


def record(path: Path, root: Path) -> dict[str, Any]:
    golden = _golden_module()
    _watch_constructor_calls()
    from airflow.dag_processing.dagbag import BundleDagBag
    from airflow.sdk.definitions.mappedoperator import MappedOperator

    ctx = golden._Ctx(root, [])
    base = _base_names()
    bag = BundleDagBag(
        dag_folder=str(path), bundle_path=root, bundle_name="golden", load_op_links=False
    )
    dags: dict[str, Any] = {}
    for dag_id in sorted(bag.dags):
        tasks: dict[str, Any] = {}
        for task in sorted(bag.dags[dag_id].tasks, key=lambda t: t.task_id):
            if isinstance(task, MappedOperator):
                op_cls = task.operator_class
                raw = {k: v for k, v in task.partial_kwargs.items() if k not in base}
                kwargs = {k: golden.norm(v, ctx) for k, v in raw.items()}
                expand = task._get_specified_expand_input().value
                if isinstance(expand, dict):
                    for k in expand:
                        kwargs[k] = {"__type": "mapped"}
            else:
                op_cls = type(task)
                raw = getattr(task, "_fidelity_call_kwargs", {})
                kwargs = {k: golden.norm(v, ctx) for k, v in raw.items() if k not in base}
            tasks[task.task_id] = {
                "operator_class": golden._class_path(op_cls),
                "kwargs": dict(sorted(kwargs.items())),
            }
        dags[dag_id] = tasks
    return {
        "file": os.path.relpath(path, root),
        "import_errors": sorted(bag.import_errors),
        "dags": dags,
    }


def _denorm(value: Any) -> Any:
    """Normalized JSON back to Python values the real constructor accepts (best effort)."""
    if isinstance(value, list):
        return [_denorm(v) for v in value]
    if not isinstance(value, dict):
        return value
    kind = value.get("__type")
    if kind == "timedelta":
        return dt.timedelta(seconds=value["__var"])
    if kind == "callable":
        name = str(value.get("name", "f"))

        def stand_in(*args: Any, **kwargs: Any) -> None:
            return None

        stand_in.__qualname__ = name
        stand_in.__name__ = name.rsplit(".", 1)[-1]
        return stand_in
    if kind is not None:
        return value  # objects, XComArgs...: passed through as data
    return {k: _denorm(v) for k, v in value.items()}


def rebuild(items: list[dict[str, Any]]) -> dict[str, Any]:
    golden = _golden_module()
    import pendulum
    from airflow.sdk import DAG

    ctx = golden._Ctx(Path.cwd(), [])
    out: dict[str, Any] = {}
    for item in items:
        module, _, name = item["operator_class"].rpartition(".")
        op_cls = getattr(importlib.import_module(module), name)
        kwargs = {k: _denorm(v) for k, v in item["kwargs"].items()}
        try:
            with DAG(
                f"rebuild_{item['task_id']}",
                schedule=None,
                start_date=pendulum.datetime(2024, 1, 1),
                default_args=_denorm(item.get("default_args") or {}),
                template_searchpath=item.get("template_searchpath"),
            ) as dag:
                task = op_cls(task_id=item["task_id"], **kwargs)
            dag.resolve_template_files()  # as the dag-processor does after parsing
            out[item["task_id"]] = golden._init_args(task, op_cls, False, ctx)
        except Exception as exc:
            out[item["task_id"]] = {"__error__": f"{type(exc).__name__}: {exc}"}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dag_file", type=Path, nargs="?")
    ap.add_argument("--root", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--rebuild", action="store_true")
    a = ap.parse_args()
    golden = _golden_module()
    golden._prepare_environment(False, False)
    real_stdout = sys.stdout
    with contextlib.redirect_stdout(sys.stderr), golden._frozen_clock(golden.DEFAULT_FROZEN_TIME):
        if a.rebuild:
            doc = rebuild(json.load(sys.stdin))
        else:
            if a.dag_file is None:
                ap.error("DAG_FILE is required unless --rebuild")
            path = a.dag_file.resolve()
            doc = record(path, (a.root or path.parent).resolve())
    text = json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(text, encoding="utf-8")
    else:
        real_stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
