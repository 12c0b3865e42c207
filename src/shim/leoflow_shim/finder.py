"""The meta-path finder that makes `import airflow...` resolve to the shim."""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import re
import sys
import types
from typing import Any

from leoflow_shim.modules import HINTS, TABLE

_PROVIDER_RE = re.compile(
    r"^airflow\.providers\.(?P<pkg>[a-z0-9_.]+?)\.(?P<kind>operators|sensors|transfers|hooks|"
    r"triggers|notifications|secrets|utils|decorators)(?:\.(?P<rest>[\w.]+))?$"
)


class UnsupportedAirflowImport(ModuleNotFoundError):
    """An `airflow.*` module Leoflow does not model (the file is declined)."""


def _resolve(spec: str, modname: str, attr: str) -> Any:
    from leoflow_shim import compat, timeutil

    if spec.startswith("="):
        return spec[1:]
    if spec == "!opaque":
        return compat.opaque(attr, modname)
    if spec == "!mapper":
        return compat.mapper(attr)
    if spec.startswith(">"):  # an alias: the object the target module exports
        target_mod, _, target_name = spec[1:].rpartition(".")
        return getattr(importlib.import_module(target_mod), target_name)
    if spec == "@timezone":
        mod = types.ModuleType("airflow.sdk.timezone")
        for n in timeutil.TIMEZONE_EXPORTS:
            setattr(mod, n, getattr(timeutil, n))
        return mod
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(f"leoflow_shim.{module}"), name)


class _TableLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        name = module.__name__
        entries = TABLE.get(name, {})
        if "@" in entries:
            tz = _resolve(entries["@"], name, "timezone")
            module.__dict__.update({k: v for k, v in tz.__dict__.items() if not k.startswith("__")})
            return
        for attr, spec in entries.items():
            setattr(module, attr, _resolve(spec, name, attr))
        if _PROVIDER_RE.match(name):
            module.__getattr__ = _provider_getattr(name)  # type: ignore[method-assign]


def _provider_getattr(modname: str) -> Any:
    cache: dict[str, Any] = {}

    def __getattr__(name: str) -> Any:
        if name.startswith("__") or not name[:1].isupper():
            raise AttributeError(f"module {modname!r} has no attribute {name!r}")
        if name not in cache:
            cache[name] = _make_provider_class(modname, name)
        return cache[name]

    return __getattr__


def _make_provider_class(modname: str, name: str) -> type:
    from leoflow_shim import compat
    from leoflow_shim.generic import make_operator_class

    kind = _PROVIDER_RE.match(modname)
    k = kind.group("kind") if kind else "operators"
    if (
        k in ("operators", "sensors", "transfers")
        and (name.endswith(("Operator", "Sensor")) or True)
        and not name.endswith(("Hook", "Trigger", "Link", "Notifier", "Exception", "Error"))
    ):
        return make_operator_class(
            modname, name, sensor=(k == "sensors" or name.endswith("Sensor"))
        )
    base = {"triggers": compat.BaseTrigger, "notifications": compat.BaseNotifier}.get(
        k, compat.BaseHook
    )
    if name.endswith("Trigger"):
        base = compat.BaseTrigger
    cls = type(name, (base,), {})
    cls.__module__ = modname
    return cls


class AirflowShimFinder(importlib.abc.MetaPathFinder):
    """Serves every `airflow` module from the shim; refuses what it does not model."""

    example_dags_path: str | None = None
    dag_file_ran = False  # set for good once a DAG file is run in this process

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != "airflow" and not fullname.startswith("airflow."):
            return None
        if fullname == "airflow.example_dags" or fullname.startswith("airflow.example_dags."):
            return self._example_spec(fullname)
        if fullname in TABLE or _PROVIDER_RE.match(fullname) or self._is_provider_pkg(fullname):
            is_pkg = (
                fullname == "airflow"
                or any(k.startswith(fullname + ".") for k in TABLE)
                or (fullname.startswith("airflow.providers.") and not _PROVIDER_RE.match(fullname))
                or bool(_PROVIDER_RE.match(fullname))
            )
            spec = importlib.machinery.ModuleSpec(fullname, _TableLoader(), is_package=is_pkg)
            if is_pkg:
                spec.submodule_search_locations = []
            return spec
        hint = next((h for p, h in HINTS.items() if fullname.startswith(p)), None)
        msg = f"`{fullname}` is not supported by Leoflow yet"
        if hint:
            msg += f" ({hint})"
        raise UnsupportedAirflowImport(msg, name=fullname)

    @staticmethod
    def _is_provider_pkg(fullname: str) -> bool:
        parts = fullname.split(".")
        return (
            len(parts) >= 3
            and parts[1] == "providers"
            and parts[2] != "standard"
            and not any(p in ("operators", "sensors", "transfers") for p in parts)
        ) or fullname == "airflow.providers"

    def _example_spec(self, fullname: str) -> Any:
        import os

        base = self.example_dags_path
        if not base:
            raise UnsupportedAirflowImport(
                f"`{fullname}` is not supported by Leoflow yet", name=fullname
            )
        rel = fullname.split(".")[2:]
        target = os.path.join(base, *rel)
        if os.path.isdir(target):
            init = os.path.join(target, "__init__.py")
            return importlib.util.spec_from_file_location(
                fullname, init, submodule_search_locations=[target]
            )
        if os.path.isfile(target + ".py"):
            return importlib.util.spec_from_file_location(fullname, target + ".py")
        return None


import importlib.util  # noqa: E402 - used lazily above

FINDER = AirflowShimFinder()


def install() -> None:
    if FINDER not in sys.meta_path:
        sys.meta_path.insert(0, FINDER)


def purge_airflow_modules() -> None:
    for name in list(sys.modules):
        if name == "airflow" or name.startswith("airflow."):
            del sys.modules[name]


def airflow_modules_pristine() -> bool:
    """Are the imported `airflow` modules as a fresh import would make them: made by this
    finder's table (once the table's `airflow` is imported, every `airflow.*` import comes to
    this finder first), and no DAG file run since? A compile server imports them before it
    forks one process per DAG file: those need not purge and import them again (nor walk
    sys.modules, whose every touched object is a page copied on write in a forked process)."""
    if FINDER.dag_file_ran:
        return False
    top = sys.modules.get("airflow")
    spec = getattr(top, "__spec__", None)
    return top is None or isinstance(getattr(spec, "loader", None), _TableLoader)
