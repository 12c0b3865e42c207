"""Run one DAG file against the shim and return its DAG documents (or Airflow-like errors)."""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import sys
import traceback
import warnings
from typing import Any

from leoflow_shim import _base, clock, codecache, finder
from leoflow_shim.setup_teardown import SetupTeardownContext

_SHIM_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class _CachedSourceLoader(importlib.machinery.SourceFileLoader):
    """A DAG file's loader whose compiled code is kept in the code cache (made once: a compile
    server's children inherit the class instead of each building it)."""

    def source_to_code(self, data: Any, path: Any, *, _optimize: int = -1) -> Any:
        # the same bytes at the same path compile to the same code, as a .pyc holds it
        key = b"code\0%s\0%s\0%d\0%d\0" % (
            importlib.util.MAGIC_NUMBER,
            os.fsencode(path),
            sys.flags.optimize,
            _optimize,
        )
        compile_it = super().source_to_code
        return codecache.lookup(key + data, lambda: compile_it(data, path, _optimize=_optimize))


def _code_loader(name: str, path: str) -> Any:
    """The loader of a DAG file: the default one, or one whose compiled code is kept in the
    code cache (the compile server's children write no __pycache__ next to DAG files)."""
    if codecache.DIR is None or not path.endswith(".py"):
        return None
    return _CachedSourceLoader(name, path)


def might_contain_dag(path: str) -> bool:
    """Airflow's safe-mode heuristic: the file mentions both "dag" and "airflow"."""
    with open(path, "rb") as fh:
        content = fh.read().lower()
    return b"dag" in content and b"airflow" in content


def _module_name(path: str) -> str:
    stem = os.path.splitext(os.path.basename(path))[0]
    digest = hashlib.sha1(path.encode()).hexdigest()
    return f"unusual_prefix_{digest}_{stem}"


def _example_dags_dir(path: str) -> str | None:
    d = os.path.dirname(path)
    while d and d != os.path.dirname(d):
        if (
            os.path.basename(d) == "example_dags"
            and os.path.basename(os.path.dirname(d)) == "airflow"
        ):
            return d
        d = os.path.dirname(d)
    return None


def _user_error(exc: BaseException, path: str, rel: str) -> dict[str, Any]:
    if os.environ.get("LEOFLOW_SHIM_DEBUG"):
        traceback.print_exception(exc)
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if not f.filename.startswith(_SHIM_ROOT)
        and "importlib" not in f.filename
        and f.filename != __file__
    ]
    line = 0
    for f in frames:
        if f.filename == path:
            line = f.lineno or 0
    if isinstance(exc, SyntaxError) and exc.filename == path:
        line = exc.lineno or 0
    if not line and frames:
        line = frames[-1].lineno or 0
    text = "".join(traceback.format_list(frames[-2:])) if frames else ""
    text = text.replace(os.path.dirname(path) + os.sep, "")
    body = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    if isinstance(exc, finder.UnsupportedAirflowImport):
        body = (
            f"{rel}:{line}: {exc.msg}\n  hint: only airflow.sdk, the standard provider and "
            "other providers' operators/sensors/transfers are modelled"
        )
        return {"file": rel, "line": line, "message": body}
    msg = f"Traceback (most recent call last):\n{text}{body}" if text else body
    return {"file": rel, "line": line, "message": msg}


def _reset() -> None:
    _base.State.reset()
    SetupTeardownContext.reset()


def _run(
    path: str, root: str | None, now: Any = None
) -> tuple[dict[str, Any], dict[str, Any], Any, str]:
    import importlib.util

    path = os.path.abspath(path)
    root = os.path.abspath(root) if root else os.path.dirname(path)
    rel = os.path.relpath(path, root)
    _reset()
    if not finder.airflow_modules_pristine():
        finder.purge_airflow_modules()
    finder.FINDER.dag_file_ran = True
    finder.install()
    finder.FINDER.example_dags_path = _example_dags_dir(path)
    name = _module_name(path)
    _base.State.module_name = name
    folder = os.path.dirname(path)
    added = folder not in sys.path
    if added:
        sys.path.insert(0, folder)
    dags: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    try:
        spec = importlib.util.spec_from_file_location(name, path, loader=_code_loader(name, path))
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        with clock.frozen(now), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            spec.loader.exec_module(module)
        _base.State.warnings.extend(
            {
                "file": rel,
                "line": w.lineno if w.filename == path else 0,
                "message": f"{w.category.__name__}: {w.message}",
            }
            for w in caught
        )
    except (Exception, SystemExit) as exc:
        errors.append(_user_error(exc, path, rel))
        return dags, {"errors": errors}, None, rel
    finally:
        if added and folder in sys.path:
            sys.path.remove(folder)
    from leoflow_shim.dag import DAG

    found: list[Any] = [o for o in list(vars(module).values()) if isinstance(o, DAG)]
    for d in _base.State.autoregistered:
        if all(d is not o for o in found):
            found.append(d)
    for d in found:
        if d.dag_id in dags and dags[d.dag_id] is not d:
            errors.append(
                {
                    "file": rel,
                    "line": 0,
                    "message": f"Ignoring DAG {d.dag_id} from {rel} - also found in {rel}",
                }
            )
            continue
        d.fileloc = path
        d.relative_fileloc = rel
        try:  # DagBag: dag.validate() before bagging, dag.check_cycle() while bagging
            d.validate()
            d.check_cycle()
            d.resolve_template_files()
        except Exception as exc:
            errors.append({"file": rel, "line": 0, "message": f"{type(exc).__name__}: {exc}"})
            continue
        dags[d.dag_id] = d
    return dags, {"errors": errors}, module, rel


def load_dags(path: str, *, root: str | None = None, now: Any = None) -> dict[str, Any]:
    """The DAG objects a file defines (the agent uses them to fetch python callables)."""
    dags, _, _, _ = _run(path, root, now)
    return dags


def load_file(path: str, *, root: str | None = None, now: Any = None) -> dict[str, Any]:
    """Compile one DAG file.

    Returns {"dags": [DAG docs sorted by dag_id], "errors": [...], "warnings": [...],
    "stability_warnings": [{"line", "col", "code", "message"}, ...]}: `warnings` are the Python
    warnings the file raised, `stability_warnings` Airflow's DAG version inflation check
    (runtime-varying values such as `datetime.now()` in DAG/task arguments).

    `now` (optional, a datetime) freezes `datetime.datetime.now()`/`date.today()` as seen by the
    DAG file; the compiler driver freezes its child's clock itself and leaves it None.
    """
    from leoflow_shim import stability
    from leoflow_shim.serialize import dag_doc

    unstable = stability.check_file(path)
    abs_path = os.path.abspath(path)
    rel = os.path.relpath(abs_path, os.path.abspath(root) if root else os.path.dirname(abs_path))
    failing = stability.error_text(path) if unstable else None
    if failing is not None:  # dag_version_inflation_check_level = error: Airflow does not parse
        error = {"file": rel, "line": unstable[0]["line"], "message": failing}
        return {"dags": [], "errors": [error], "warnings": [], "stability_warnings": unstable}
    if not might_contain_dag(path):
        return {"dags": [], "errors": [], "warnings": [], "stability_warnings": unstable}
    dags, info, _, rel = _run(path, root, now)
    errors = info["errors"]
    docs = []
    if not errors:
        for dag_id in sorted(dags):
            try:
                docs.append(dag_doc(dags[dag_id], rel))
            except Exception as exc:
                errors.append(
                    {
                        "file": rel,
                        "line": 0,
                        "message": "airflow.exceptions.SerializationError: "
                        f"Failed to serialize DAG {dag_id!r}: {exc}",
                    }
                )
    if errors:
        docs = []
    return {
        "dags": docs,
        "errors": errors,
        "warnings": list(_base.State.warnings),
        "stability_warnings": unstable,
    }
