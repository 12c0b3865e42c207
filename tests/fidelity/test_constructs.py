"""Leoflow's compiler against real Apache Airflow 3.2.1 on a corpus of DAG constructs.

`dags/` holds small DAG files, one theme each, covering what the compiler must handle beyond
Airflow's own example DAGs; `golden/dags/<file>.json` is what Airflow 3.2.1 makes of each (see
README.md for the regenerate command). `providers/dags/` uses operators of other providers,
which Leoflow captures generically (class path + constructor kwargs): `providers/golden/` holds
Airflow's view and `providers/golden/kwargs/` the kwargs each operator really received.
"""

from __future__ import annotations

import copy
import functools
import importlib.util
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[3] / "shared"
COMPARE_PY = SHARED / "tools" / "compare_structure.py"
GOLDEN = HERE / "golden"
PROV = HERE / "providers"
PROV_GOLDEN = PROV / "golden"
PROV_KWARGS = PROV / "golden" / "kwargs"
COMPILE_TIMEOUT_S = 180.0
# Operators that Leoflow models natively; everything else is captured generically.
NATIVE_PREFIXES = ("airflow.providers.standard.", "airflow.sdk.", "__dag_file__.")

if not COMPARE_PY.is_file():
    pytest.skip(f"shared comparator not found at {COMPARE_PY}", allow_module_level=True)


def _load_compare() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compare_structure", COMPARE_PY)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


compare = _load_compare()


def _leoflow() -> str:
    found = shutil.which("leoflow")
    return found or str(Path(sys.prefix) / "bin" / "leoflow")


@functools.cache
def compile_file(src: Path) -> tuple[dict[str, Any] | None, str]:
    """`leoflow compile SRC --json` once per file and session: (document or None, problem)."""
    cmd = f"{shlex.quote(_leoflow())} compile {{file}} --json"
    doc, problem, _wall = compare.run_one(cmd, src, COMPILE_TIMEOUT_S)
    return doc, problem


def _goldens(root: Path, exclude: Path | None = None) -> list[str]:
    """Relative source paths (e.g. ``dags/x.py``) of the golden documents under root."""
    out = []
    for p in sorted(root.rglob("*.py.json")):
        if exclude is not None and exclude in p.parents:
            continue
        out.append(p.relative_to(root).as_posix()[: -len(".json")])
    return out


CONSTRUCTS = _goldens(GOLDEN)
PROVIDER_FILES = _goldens(PROV_GOLDEN, exclude=PROV_KWARGS)


def _reconcile_owner_order(golden: dict[str, Any], doc: dict[str, Any] | None) -> None:
    """Airflow's ``DAG.owner`` is ``", ".join(set_of_task_owners)``: its order follows string
    hashing, so the same owners in another order count as equal (ours takes Airflow's order)."""
    if doc is None:
        return
    gold = {d["dag_id"]: d for d in golden.get("dags", [])}
    for dag in doc.get("dags") or []:
        g_owner = (gold.get(dag.get("dag_id")) or {}).get("owner")
        o_owner = dag.get("owner")
        if isinstance(g_owner, str) and isinstance(o_owner, str):
            g_set, o_set = g_owner.split(", "), o_owner.split(", ")
            if sorted(g_set) == sorted(o_set):
                dag["owner"] = g_owner


@pytest.mark.parametrize("rel", CONSTRUCTS)
def test_construct_matches_airflow(rel: str) -> None:
    """The compiler makes of the file exactly what Airflow 3.2.1 makes of it; where Airflow
    reports an import error the compiler reports one too and yields no DAG."""
    golden = json.loads((GOLDEN / f"{rel}.json").read_text(encoding="utf-8"))
    if golden.get("skipped_by_safe_mode"):
        pytest.skip("Airflow's safe-mode heuristic never parses this file")
    doc, problem = compile_file(HERE / rel)
    doc = copy.deepcopy(doc)
    _reconcile_owner_order(golden, doc)
    verdict, details = compare.judge(golden, doc, problem)
    if verdict == "declined":
        pytest.fail("declined (not wrong, but not supported yet):\n  " + "\n  ".join(details))
    assert verdict == "identical", f"{verdict}:\n  " + "\n  ".join(details[:60])


def _provider_tasks(golden: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (d["dag_id"], t)
        for d in golden.get("dags", [])
        for t in d["tasks"]
        if not t["operator_class"].startswith(NATIVE_PREFIXES)
    ]


def _compiled_provider_doc(rel: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    golden = json.loads((PROV_GOLDEN / f"{rel}.json").read_text(encoding="utf-8"))
    doc, problem = compile_file(PROV / rel)
    assert doc is not None, problem
    errors = doc.get("errors") or []
    assert not errors, "declined: " + json.dumps(errors)[:600]
    ours = {d.get("dag_id"): d for d in doc.get("dags") or []}
    assert sorted(ours) == sorted(golden["dag_ids"])
    return golden, ours


@pytest.mark.parametrize("rel", PROVIDER_FILES)
def test_provider_operator_captured(rel: str) -> None:
    """Every operator of another provider is recorded under its real class path with exactly the
    constructor kwargs the DAG file gave it, and with the same task dependencies."""
    golden, ours = _compiled_provider_doc(rel)
    recorded = json.loads((PROV_KWARGS / f"{rel}.json").read_text(encoding="utf-8"))["dags"]
    problems: list[str] = []
    for dag_id, gtask in _provider_tasks(golden):
        tid = gtask["task_id"]
        otask = {t.get("task_id"): t for t in ours[dag_id].get("tasks") or []}.get(tid)
        if otask is None:
            problems.append(f"{dag_id}.{tid}: missing")
            continue
        if otask.get("operator_class") != gtask["operator_class"]:
            problems.append(
                f"{dag_id}.{tid}.operator_class: airflow={gtask['operator_class']} "
                f"ours={otask.get('operator_class')}"
            )
        for field in ("upstream_task_ids", "downstream_task_ids", "is_mapped"):
            if not compare.same(gtask[field], otask.get(field)):
                problems.append(
                    f"{dag_id}.{tid}.{field}: airflow={gtask[field]} ours={otask.get(field)}"
                )
        want = recorded[dag_id][tid]["kwargs"]
        got = otask.get("init_args") or {}
        if sorted(want) != sorted(got):
            problems.append(
                f"{dag_id}.{tid}.init_args keys: airflow={sorted(want)} ours={sorted(got)}"
            )
        for key in sorted(set(want) & set(got)):
            if want[key] == {"__type": "mapped"}:
                ok = isinstance(got[key], dict) and got[key].get("__type") == "mapped"
            else:
                ok = compare.same(want[key], got[key])
            if not ok:
                problems.append(
                    f"{dag_id}.{tid}.init_args.{key}: airflow={compare.show(want[key])} "
                    f"ours={compare.show(got[key])}"
                )
    assert not problems, "\n  ".join(["wrong:", *problems])


# The throw-away provider venv: the versions the checked-in goldens were recorded with (README).
PROVIDER_SPEC = (
    "apache-airflow==3.2.1",
    "fastapi==0.156.0",
    "apache-airflow-providers-common-sql==2.4.0",
    "apache-airflow-providers-http==6.3.0",
    "apache-airflow-providers-amazon==9.39.0",
)
PROVIDER_VENV = Path.home() / ".cache" / "leoflow-test" / "provider-venv"


@pytest.fixture(scope="session")
def provider_python() -> Path:
    """Python of a venv with Airflow 3.2.1 and the providers: LEOFLOW_PROVIDER_VENV when set,
    else one built here with uv from PyPI (reused while its recorded spec is the same)."""
    if os.environ.get("LEOFLOW_PROVIDER_VENV"):
        return Path(os.environ["LEOFLOW_PROVIDER_VENV"]) / "bin" / "python"
    python, mark = PROVIDER_VENV / "bin" / "python", PROVIDER_VENV / ".spec"
    spec = " ".join(PROVIDER_SPEC)
    if python.is_file() and mark.is_file() and mark.read_text() == spec:
        return python
    from uv import find_uv_bin

    uv = str(find_uv_bin())
    shutil.rmtree(PROVIDER_VENV, ignore_errors=True)
    for cmd in (
        [uv, "venv", "-q", "--python", sys.executable, str(PROVIDER_VENV)],
        [uv, "pip", "install", "-q", "--python", str(python), *PROVIDER_SPEC],
    ):
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False)
        assert proc.returncode == 0, f"{shlex.join(cmd)} failed:\n{proc.stderr[-2000:]}"
    mark.write_text(spec)
    return python


@pytest.mark.slow
@pytest.mark.parametrize("rel", PROVIDER_FILES)
def test_provider_kwargs_rebuild_real_operator(rel: str, provider_python: Path) -> None:
    """Live, in a venv with Airflow 3.2.1 and the providers (`provider_python`): the real
    operator built from the captured kwargs holds the same constructor values as the one built
    from the DAG file (golden init_args)."""
    python = provider_python
    golden, ours = _compiled_provider_doc(rel)
    items, expected = [], {}
    for dag_id, gtask in _provider_tasks(golden):
        if gtask["is_mapped"]:
            continue  # the partial kwargs are checked by test_provider_operator_captured
        odag = ours[dag_id]
        otask = {t.get("task_id"): t for t in odag.get("tasks") or []}.get(gtask["task_id"])
        if otask is None:
            continue
        searchpath = odag.get("template_searchpath")
        # BaseSensorOperator sits between a sensor and BaseOperator, so Airflow's init_args hold
        # its parameters too: pass the sensor settings the compiler recorded for the task.
        sensor = otask.get("sensor") if isinstance(otask.get("sensor"), dict) else {}
        items.append(
            {
                "operator_class": otask.get("operator_class"),
                "task_id": gtask["task_id"],
                "kwargs": {**sensor, **(otask.get("init_args") or {})},
                "default_args": odag.get("default_args") or {},
                "template_searchpath": [searchpath] if isinstance(searchpath, str) else searchpath,
            }
        )
        expected[gtask["task_id"]] = gtask["init_args"]
    proc = subprocess.run(
        [str(python), str(PROV / "capture_kwargs.py"), "--rebuild"],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rebuilt = json.loads(proc.stdout)
    problems = []
    for tid, want in expected.items():
        got = rebuilt.get(tid, {})
        for key in sorted(set(want) | set(got)):
            g, o = want.get(key, compare.ABSENT), got.get(key, compare.ABSENT)
            if not compare.same(g, o):
                problems.append(f"{tid}.{key}: airflow={compare.show(g)} rebuilt={compare.show(o)}")
    assert not problems, "\n  ".join(["wrong:", *problems])
