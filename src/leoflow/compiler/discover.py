"""Which files of a folder are DAG files, by Airflow 3's rules.

Mirrors `airflow.utils.file.find_dag_file_paths` and
`airflow._shared.module_loading.file_discovery`: a walk that follows symlinks, `.airflowignore`
files whose patterns apply to their folder and below (glob syntax by default, as Airflow 3's
`[core] dag_ignore_file_syntax = glob`; `regexp` on request), only `.py` files, and the safe-mode
heuristic (the bytes must contain "airflow" and "dag" or "asset", case-insensitively).
Zip archives, which Airflow also reads, are not supported yet and are skipped.
"""

from __future__ import annotations

import os

from leoflow.compiler.safemode import might_contain_dag
from leoflow.errors import CompileError

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing slows `leoflow compile`
if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path
    from typing import Any, Literal

    IgnoreSyntax = Literal["glob", "regexp"]

__all__ = ["find_dag_files", "might_contain_dag", "read_dag_files", "walk"]

IGNORE_FILE = ".airflowignore"
# pathlib and re (with enum, functools, urllib.parse, ...) are imported only for a folder that
# has an ignore file: a `leoflow compile DIR` spends its start before the first file on them


class _GlobRule:
    __slots__ = ("dir_only", "pattern", "relative_to")

    def __init__(self, pattern: str, definition_file: Path) -> None:
        self.relative_to = definition_file.parent if "/" in pattern.rstrip("/") else None
        if pattern.startswith("/"):
            self.relative_to = definition_file.parent
        raw = pattern.lstrip("!").rstrip()
        self.dir_only = raw != raw.rstrip("/")
        self.pattern: Any = _wildmatch(pattern)


def _wildmatch(pattern: str) -> Any:
    try:  # pathspec >= 1.0 names Git's documented syntax "gitignore"
        from pathspec.patterns.gitignore.basic import GitIgnoreBasicPattern

        return GitIgnoreBasicPattern(pattern)
    except ImportError:  # pathspec 0.12
        from pathspec.patterns import GitWildMatchPattern  # type: ignore[attr-defined]  # 0.12 API

        return GitWildMatchPattern(pattern)


def _glob_match(path: Path, rules: list[Any]) -> bool:
    from pathlib import Path

    matched = False
    is_dir = path.is_dir()
    for rule in rules:
        if rule.dir_only and not is_dir:
            continue
        rel = path.relative_to(rule.relative_to) if rule.relative_to else Path(path.name)
        rel_path = f"{rel.as_posix()}/" if is_dir else rel.as_posix()
        pat = rule.pattern
        if pat.include is not None and pat.match_file(rel_path) is not None:
            matched = pat.include
    return matched


def _regexp_match(path: Path, rules: list[Any], base: Path) -> bool:
    rel = str(path.relative_to(base))
    return any(rule.search(rel) is not None for rule in rules)


def _compile_rules(ignore_file: Path, base: Path, syntax: IgnoreSyntax) -> list[Any]:
    import re

    rules: list[Any] = []
    for raw in ignore_file.read_text(encoding="utf-8", errors="replace").split("\n"):
        pattern = re.sub(r"\s*#.*", "", raw)
        if not pattern:
            continue
        if syntax == "regexp":
            try:
                rules.append(re.compile(pattern))
            except re.error:
                continue  # Airflow logs and skips an invalid pattern
        elif pattern.strip() != "/":  # "/" matches nothing in gitignore
            rules.append(_GlobRule(pattern, ignore_file))
    return rules


def _clean(folder: str) -> str:
    """`str(Path(folder))` without pathlib: no empty or "." parts (".." is kept)."""
    parts = [p for p in folder.split("/") if p not in ("", ".")]
    path = "/".join(parts)
    if folder.startswith("/"):
        return "/" + path
    return path or "."


def _walk(folder: str, syntax: IgnoreSyntax) -> Iterator[str]:
    """`walk`, with paths as strings."""
    base = _clean(folder)
    rules_by_dir: dict[str, list[Any]] = {}

    def ignored(path: str, rules: list[Any]) -> bool:
        from pathlib import Path

        if syntax == "regexp":
            return _regexp_match(Path(path), rules, Path(base))
        return _glob_match(Path(path), rules)

    for root, dirs, files in os.walk(base, followlinks=True):
        here = root
        rules = rules_by_dir.get(os.path.realpath(here), [])
        ignore_file = os.path.join(here, IGNORE_FILE)
        if os.path.isfile(ignore_file):
            from pathlib import Path

            rules = rules + _compile_rules(Path(ignore_file), Path(base), syntax)
        dirs[:] = sorted(d for d in dirs if not (rules and ignored(os.path.join(here, d), rules)))
        for d in dirs:
            resolved = os.path.realpath(os.path.join(here, d))
            if resolved in rules_by_dir:
                raise CompileError(
                    f"{os.path.join(here, d)}: symlink loop while walking the DAG folder {base}\n"
                    "  hint: remove the link or list it in .airflowignore"
                )
            rules_by_dir[resolved] = list(rules)
        for name in sorted(files):
            path = os.path.join(here, name)
            if name != IGNORE_FILE and not (rules and ignored(path, rules)):
                yield path


def walk(folder: Path, *, syntax: IgnoreSyntax = "glob") -> Iterator[Path]:
    """Every file under `folder` that no `.airflowignore` excludes, in a stable (sorted) order."""
    from pathlib import Path

    for path in _walk(os.fspath(folder), syntax):
        yield Path(path)


def read_dag_files(folder: str, *, syntax: IgnoreSyntax = "glob") -> list[tuple[str, bytes]]:
    """The `.py` files under `folder` that Airflow would parse (ignore files + safe mode), with
    their bytes, sorted by their path relative to `folder`."""
    out = []
    for path in _walk(folder, syntax):
        if os.path.splitext(path)[1] != ".py" or not os.path.isfile(path):
            continue
        try:
            with open(path, "rb") as fh:
                source = fh.read()
        except OSError:
            continue
        if might_contain_dag(source):
            out.append((os.path.relpath(path, folder), path, source))
    out.sort()
    return [(path, source) for _rel, path, source in out]


def find_dag_files(folder: Path, *, syntax: IgnoreSyntax = "glob") -> list[Path]:
    """The `.py` files under `folder` that Airflow would parse (ignore files + safe mode)."""
    from pathlib import Path

    return [Path(path) for path, _source in read_dag_files(os.fspath(folder), syntax=syntax)]
