"""Airflow 3.2.1's DAG version inflation check (`airflow/utils/dag_version_inflation_checker.py`).

A static (AST) check run on every parsed file: runtime-varying values (`datetime.now()`,
`pendulum.today()`, `uuid4()`, `random()`, ...) passed to DAG or task constructors make a new DAG
version on every parse. The logic follows Airflow's checker (Apache License 2.0) rule for rule,
so the warnings are the ones Airflow lists: `{"line", "col", "code", "message"}`.

`[dag_processor] dag_version_inflation_check_level` (env
`AIRFLOW__DAG_PROCESSOR__DAG_VERSION_INFLATION_CHECK_LEVEL`): `warning` (default), `error` (the file
becomes an import error) or `off`.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from typing import Any

RUNTIME_VARYING_CALLS = {
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("date", "today"),
    ("time", "time"),
    ("time", "localtime"),
    ("random", "random"),
    ("random", "randint"),
    ("random", "choice"),
    ("random", "uniform"),
    ("uuid", "uuid4"),
    ("uuid", "uuid1"),
    ("pendulum", "now"),
    ("pendulum", "today"),
    ("pendulum", "yesterday"),
    ("pendulum", "tomorrow"),
}
# Every warning (and runtime-varying variable) starts from a call whose attribute or imported
# name is one of these: a file that never spells one as a word cannot have any, and is not
# parsed. Non-ASCII text (NFKC-normalized identifiers) and coding cookies (other spellings of
# the same names) always get the full analysis.
_NAMES = sorted({name for _module, name in RUNTIME_VARYING_CALLS})
_NAME_WORDS = re.compile(rf"\b(?:{'|'.join(_NAMES)})\b")
_NAME_WORDS_B = re.compile(_NAME_WORDS.pattern.encode())
_COOKIE = re.compile(rb"coding[:=]")
TASK_CONSTRUCTOR = "Task constructor"
DAG_CONSTRUCTOR = "Dag constructor"
TASK_DECORATOR = "Task decorator"
LEVEL_ENV = "AIRFLOW__DAG_PROCESSOR__DAG_VERSION_INFLATION_CHECK_LEVEL"


def check_level() -> str:
    """`warning`, `error` or `off` (anything else counts as `warning`, as in Airflow)."""
    level = os.environ.get(LEVEL_ENV, "warning").strip()
    return level if level in ("off", "warning", "error") else "warning"


class _Values:
    """RuntimeVaryingValueAnalyzer: does an expression hold a runtime-varying value?"""

    def __init__(self, checker: _Checker) -> None:
        self.c = checker

    def source(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Call):
            if self.is_varying_call(node):
                return ast.unparse(node)
            if isinstance(node.func, ast.Attribute):
                return self.source(node.func.value)
        if isinstance(node, ast.Name) and node.id in self.c.varying_vars:
            return self.c.varying_vars[node.id][1]
        if isinstance(node, ast.JoinedStr):
            for value in node.values:
                if isinstance(value, ast.FormattedValue) and (found := self.source(value.value)):
                    return found
            return None
        if isinstance(node, ast.BinOp):
            return self.source(node.left) or self.source(node.right)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            for elt in node.elts:
                if found := self.source(elt):
                    return found
            return None
        if isinstance(node, ast.ListComp):
            return self.source(node.elt)
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=False):
                if key and (found := self.source(key)):
                    return found
                if value and (found := self.source(value)):
                    return found
        return None

    def is_varying_call(self, node: ast.Call) -> bool:
        func = node.func
        if isinstance(func, ast.Attribute) and self._attribute_call(func):
            return True
        if isinstance(func, ast.Name) and func.id in self.c.from_imports:
            module, original = self.c.from_imports[func.id]
            if any((part, original) in RUNTIME_VARYING_CALLS for part in module.split(".")):
                return True
        return any(self.source(arg) for arg in node.args) or any(
            self.source(kw.value) for kw in node.keywords
        )

    def _attribute_call(self, attr: ast.Attribute) -> bool:
        if isinstance(attr.value, ast.Name):
            alias = attr.value.id
            module = self.c.imports.get(alias, alias)
            if alias in self.c.from_imports:
                module = self.c.from_imports[alias][1]
            return (module, attr.attr) in RUNTIME_VARYING_CALLS
        if isinstance(attr.value, ast.Attribute) and isinstance(attr.value.value, ast.Name):
            return (attr.value.attr, attr.attr) in RUNTIME_VARYING_CALLS
        return False


def _airflow_module(module: str) -> bool:
    return module == "airflow" or module.startswith("airflow.")


def _task_like_name(name: str) -> bool:
    low = name.lower()
    return low.endswith(("operator", "task", "sensor"))


class _Checker(ast.NodeVisitor):
    """AirflowRuntimeVaryingValueChecker."""

    def __init__(self) -> None:
        self.imports: dict[str, str] = {}
        self.from_imports: dict[str, tuple[str, str]] = {}
        self.varying_vars: dict[str, tuple[int, str]] = {}
        self.varying_functions: dict[str, dict[str, Any]] = {}
        self.warnings: dict[int, dict[str, Any]] = {}
        self.dag_instances: set[str] = set()
        self.in_dag = False
        self.function: str | None = None
        self.values = _Values(self)

    # --- DagTaskDetector
    def is_dag_constructor(self, node: ast.Call) -> bool:
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in self.from_imports
        ):
            module, _ = self.from_imports[func.value.id]
            if _airflow_module(module) and func.attr in ("DAG", "dag"):
                return True
        if isinstance(func, ast.Name) and func.id in self.from_imports:
            module, original = self.from_imports[func.id]
            if _airflow_module(module) and original in ("DAG", "dag"):
                return True
        return False

    def is_task_by_name(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return _task_like_name(node.id)
        if isinstance(node, ast.Attribute):
            return _task_like_name(node.attr) or self.is_task_by_name(node.value)
        return False

    def is_task_constructor(self, node: ast.Call) -> bool:
        if self.in_dag and self.is_task_by_name(node.func):
            return True
        for arg in node.args:
            if isinstance(arg, ast.Name) and arg.id in self.dag_instances:
                return True
        return any(
            kw.value is not None
            and isinstance(kw.value, ast.Name)
            and kw.value.id in self.dag_instances
            for kw in node.keywords
        )

    def is_task_decorator(self, node: ast.expr) -> bool:
        if isinstance(node, (ast.Name, ast.Attribute)):
            return self.is_task_by_name(node)
        if isinstance(node, ast.Call):
            return self.is_task_decorator(node.func)
        return False

    # --- the visitor
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.imports[alias.asname or alias.name] = alias.name

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module:
            for alias in node.names:
                self.from_imports[alias.asname or alias.name] = (node.module, alias.name)

    def visit_Assign(self, node: ast.Assign) -> None:
        value = node.value
        if isinstance(value, ast.Call) and self.is_dag_constructor(value):
            self._register(node.targets)
            self._check(value, DAG_CONSTRUCTOR)
        elif isinstance(value, ast.Call) and self.is_task_constructor(value):
            self._check(value, TASK_CONSTRUCTOR)
        elif found := self.values.source(node.value):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.varying_vars[target.id] = (node.lineno, found)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and (w := self.varying_functions.get(node.func.id)):
            self.warnings[w["line"]] = w
        if self.is_dag_constructor(node):
            self._check(node, DAG_CONSTRUCTOR)
        elif self.is_task_constructor(node):
            self._check(node, TASK_CONSTRUCTOR)

    def visit_For(self, node: ast.For) -> None:
        found = self.values.source(node.iter)
        if found and isinstance(node.target, ast.Name):
            self.varying_vars[node.target.id] = (node.lineno, found)
        for body in node.body:
            self.visit(body)
        if found and isinstance(node.target, ast.Name):
            self.varying_vars.pop(node.target.id)

    def visit_With(self, node: ast.With) -> None:
        with_dag = False
        for item in node.items:
            self.visit(item)
            if isinstance(item.context_expr, ast.Call) and self.is_dag_constructor(
                item.context_expr
            ):
                with_dag = True
                if item.optional_vars and isinstance(item.optional_vars, ast.Name):
                    self._register([item.optional_vars])
        if with_dag:
            self.in_dag = True
        for body in node.body:
            self.visit(body)
        self.in_dag = False

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        for decorator in node.decorator_list:
            if self.is_task_decorator(decorator):
                if isinstance(decorator, ast.Call):
                    self._check(decorator, TASK_DECORATOR)
                return
            self.visit(decorator)
        self.function = node.name
        for body in node.body:
            self.visit(body)
        self.function = None

    def _register(self, targets: list[Any]) -> None:
        for target in targets:
            if isinstance(target, ast.Name):
                self.dag_instances.add(target.id)

    def _check(self, call: ast.Call, context: str) -> None:
        if not self.values.source(call):
            return
        if self.in_dag and context == TASK_CONSTRUCTOR:
            message = "Don't use runtime-varying values as arguments of task within with Dag block"
        else:
            message = f"Don't use runtime-varying value as argument in {context}"
        warning = {
            "line": call.lineno,
            "col": call.col_offset,
            "code": ast.unparse(call),
            "message": message,
        }
        if self.function:
            self.varying_functions[self.function] = warning
        else:
            self.warnings[warning["line"]] = warning


def may_vary(source: bytes | str) -> bool:
    """False when `source` certainly has no runtime-varying call (so `analyze` finds nothing);
    a cheap text test that spares most files the parse."""
    if not source.isascii():
        return True
    if isinstance(source, str):
        return _NAME_WORDS.search(source) is not None or "coding" in source
    return _NAME_WORDS_B.search(source) is not None or _COOKIE.search(source) is not None


def analyze(source: bytes | str) -> tuple[list[dict[str, Any]], dict[str, tuple[int, str]]]:
    """(warnings in Airflow's order, runtime-varying variables) for one file's source."""
    if not may_vary(source):
        return [], {}
    from leoflow_shim import codecache

    if codecache.DIR is None:
        return _analyze(source)
    data = source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass")
    key = b"stability\0%s\0%s\0%d\0" % (
        _code_stamp(),
        sys.version.encode(),
        isinstance(source, str),
    )
    warnings, varying = codecache.lookup(key + data, lambda: _analyze(source))
    return warnings, varying


_STAMP: list[bytes] = []


def _code_stamp() -> bytes:
    """What this module's analysis is: the sha256 of its own source (a new Leoflow, a new key)."""
    if not _STAMP:
        import hashlib

        with open(__file__, "rb") as fh:
            _STAMP.append(hashlib.sha256(fh.read()).hexdigest().encode())
    return _STAMP[0]


def _analyze(source: bytes | str) -> tuple[list[dict[str, Any]], dict[str, tuple[int, str]]]:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, TypeError):
        return [], {}
    checker = _Checker()
    checker.visit(tree)
    return list(checker.warnings.values()), checker.varying_vars


def check_source(source: bytes | str) -> list[dict[str, Any]]:
    """The warnings for one file's source, sorted by (line, col); [] when it does not parse."""
    return sorted(analyze(source)[0], key=lambda w: (w["line"], w["col"]))


def check_file(path: str) -> list[dict[str, Any]]:
    """`check_dag_file_stability(path)`'s warnings ([] when the check is off)."""
    if check_level() == "off":
        return []
    try:
        with open(path, "rb") as fh:
            return check_source(fh.read())
    except OSError:
        return []


def error_text(path: str) -> str | None:
    """At level `error`, the import error Airflow reports instead of parsing the file."""
    if check_level() != "error":
        return None
    try:
        with open(path, "rb") as fh:
            warnings, varying = analyze(fh.read())
    except OSError:
        return None
    return format_warnings(warnings, varying) if warnings else None


def format_warnings(
    warnings: list[dict[str, Any]], varying: dict[str, tuple[int, str]] | None = None
) -> str:
    """DagVersionInflationCheckResult.format_warnings (the import error at level `error`)."""
    lines = [
        "This Dag uses runtime-variable values in Dag construction.",
        "It causes the Dag version to increase as values change on every Dag parse.",
        "",
    ]
    for w in warnings:
        lines += [f"Line {w['line']}, Col {w['col']}", f"Code: {w['code']}"]
        lines += [f"Issue: {w['message']}", ""]
    if varying:
        lines.append("\ufe0fDon't use the variables as arguments in Dag/Task constructors:")
        for name, (line, source) in sorted(varying.items(), key=lambda x: x[1][0]):
            lines.append(f"  Line {line}: '{name}' related '{source}'")
        lines.append("")
    return "\n".join(lines)
