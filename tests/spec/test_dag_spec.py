"""dag.json: canonical bytes, versions, finalize, and the JSON Schema, checked against every DAG
that real Airflow 3.2.1 made of its example DAGs (shared/golden)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from leoflow import spec
from leoflow.errors import CompileError

GOLDEN = Path(__file__).resolve().parents[2].parent / "shared" / "golden" / "airflow-3.2.1"


def _golden_dags() -> list[dict[str, object]]:
    out = []
    for path in sorted((GOLDEN / "example_dags").rglob("*.json")):
        out.extend(json.loads(path.read_text()).get("dags", []))
    return out


GOLDEN_DAGS = _golden_dags()


def _final(doc: dict[str, object]) -> spec.DagDoc:
    return spec.finalize(doc, fileloc="dags/x.py", source=b"print('x')\n")


def test_golden_corpus_is_there() -> None:
    """The shared golden corpus is present (92 DAGs), so the checks below are not vacuous."""
    assert len(GOLDEN_DAGS) >= 90


def test_schema_is_a_valid_json_schema() -> None:
    """dag.schema.json is itself a valid Draft 2020-12 schema."""
    jsonschema.Draft202012Validator.check_schema(spec.schema())


def test_every_golden_dag_finalizes_and_validates() -> None:
    """Airflow's own document of each example DAG, finalized, satisfies the schema."""
    bad = {d["dag_id"]: spec.validate(_final(d)) for d in GOLDEN_DAGS}
    assert {k: v for k, v in bad.items() if v} == {}


def test_round_trip_keeps_every_field() -> None:
    """load(dump(doc)) == doc for every golden DAG: no field is lost or changed."""
    for doc in GOLDEN_DAGS:
        final = _final(doc)
        assert spec.load(spec.dump(final)) == final


def test_finalize_adds_leoflow_keys() -> None:
    """finalize adds format, fileloc, source_sha256 and the leoflow block; keeps the rest."""
    doc = {"dag_id": "d", "tasks": [{"task_id": "t"}], "leoflow": {"note": 1}}
    final = spec.finalize(
        doc, fileloc="a/b.py", source=b"abc", environment="env1", stability_warnings=[{"line": 3}]
    )
    assert final["format"] == 1
    assert final["fileloc"] == "a/b.py"
    assert final["source_sha256"] == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert final["leoflow"] == {
        "environment": "env1",
        "stability_warnings": [{"line": 3}],
        "note": 1,
    }
    assert doc == {"dag_id": "d", "tasks": [{"task_id": "t"}], "leoflow": {"note": 1}}


def test_finalize_rejects_a_document_without_dag_id() -> None:
    """A shim document that is not a DAG is a CompileError naming the file, not bad dag.json."""
    with pytest.raises(CompileError, match=r"a/b\.py.*dag_id"):
        spec.finalize({"tasks": []}, fileloc="a/b.py", source=b"")


def test_dump_is_canonical() -> None:
    """dump sorts keys, has no spaces, keeps non-ASCII as UTF-8; key order does not matter."""
    a = {"b": 1, "a": {"z": "é", "y": [1, 2]}}
    b = {"a": {"y": [1, 2], "z": "é"}, "b": 1}
    assert spec.dump(a) == spec.dump(b) == '{"a":{"y":[1,2],"z":"é"},"b":1}'.encode()


def test_version_is_sha256_of_bytes() -> None:
    """The version is the sha256 of the bytes; the short form is its first 16 hex chars."""
    data = spec.dump({"dag_id": "x"})
    version = spec.version_of(data)
    assert len(version) == 64
    assert version == spec.version_of(bytes(data))
    assert spec.short_version(version) == version[:16]
    assert version != spec.version_of(spec.dump({"dag_id": "y"}))


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"format": 2}, "format"),
        ({"source_sha256": "nothex"}, "source_sha256"),
        ({"tasks": [{"task_id": "t", "trigger_rule": "sometimes"}]}, "tasks/0/trigger_rule"),
        ({"tasks": [{"task_id": "t", "leoflow": {"path": "magic"}}]}, "tasks/0/leoflow/path"),
        ({"leoflow": {"environment": "default"}}, "leoflow"),
        ({"retries": "x", "tasks": [{"task_id": "t", "retries": "3"}]}, "tasks/0/retries"),
    ],
)
def test_schema_rejects_broken_documents(change: dict[str, object], where: str) -> None:
    """The schema catches a wrong format, hash, trigger rule, agent path, or missing keys."""
    doc = {**_final({"dag_id": "d", "tasks": [{"task_id": "t"}]}), **change}
    problems = spec.validate(doc)
    assert any(p.startswith(where) for p in problems), problems
