"""Which files of a folder are DAG files: .airflowignore (glob and regexp) and safe mode, as in
Airflow 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from leoflow.compiler.discover import find_dag_files, might_contain_dag

DAG = "from airflow.sdk import DAG\n"


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _found(root: Path, **kw: str) -> list[str]:
    return [p.relative_to(root).as_posix() for p in find_dag_files(root, **kw)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (b"from airflow.sdk import DAG", True),
        (b"# AIRFLOW asset", True),
        (b"import airflow", False),
        (b"dag = 1", False),
        (b"", False),
    ],
)
def test_safe_mode_heuristic(source: bytes, expected: bool) -> None:
    """A file is a DAG file only if it mentions "airflow" and "dag" or "asset" (any case)."""
    assert might_contain_dag(source) is expected


def test_only_py_files_that_pass_safe_mode(tmp_path: Path) -> None:
    """Non-.py files and .py files without the keywords are skipped; order is stable."""
    _tree(
        tmp_path,
        {"b.py": DAG, "a.py": DAG, "notes.txt": DAG, "helper.py": "x = 1\n", "s/c.py": DAG},
    )
    assert _found(tmp_path) == ["a.py", "b.py", "s/c.py"]


def test_airflowignore_glob_is_the_default(tmp_path: Path) -> None:
    """Glob patterns: names at any depth, anchored paths, dir-only patterns, negation, nested
    ignore files applying to their folder, comments."""
    _tree(
        tmp_path,
        {
            ".airflowignore": (
                "# comment\n*_skip.py\nvendor/\n/top_only.py\nlib/*.py\n!lib/keep.py\n"
            ),
            "a.py": DAG,
            "x_skip.py": DAG,
            "deep/y_skip.py": DAG,
            "vendor/v.py": DAG,
            "top_only.py": DAG,
            "deep/top_only.py": DAG,
            "lib/drop.py": DAG,
            "lib/keep.py": DAG,
            "sub/.airflowignore": "local.py\n",
            "sub/local.py": DAG,
            "sub/other.py": DAG,
            "local.py": DAG,
        },
    )
    assert _found(tmp_path) == [
        "a.py",
        "deep/top_only.py",
        "lib/keep.py",
        "local.py",
        "sub/other.py",
    ]


def test_airflowignore_regexp_syntax(tmp_path: Path) -> None:
    """With regexp syntax each line is searched in the path relative to the folder."""
    _tree(
        tmp_path,
        {".airflowignore": "^skip_\nold/\n", "a.py": DAG, "skip_me.py": DAG, "old/b.py": DAG},
    )
    assert _found(tmp_path, syntax="regexp") == ["a.py"]
    assert _found(tmp_path) == ["a.py", "skip_me.py"]  # as glob, only "old/" matches
