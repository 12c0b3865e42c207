"""Validate responses against the OpenAPI specs shipped in the apache-airflow-core 3.2.1 wheel.

`Specs.validate(method, path, status, body)` finds the operation whose path template matches
`path` (literal segments win over `{params}`), takes the response schema of `status` for
`application/json`, and validates `body` with JSON Schema 2020-12, resolving `$ref`s inside the
spec document it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

# Operations whose Airflow 3.2.1 route has `response_model_exclude_none=True`: their answers
# leave out None fields the schema lists as required (nullable), as Airflow's own do.
EXCLUDE_NONE = frozenset({"get_dags_ui", "get_grid_runs", "get_dag_structure"})

_WITHOUT_REQUIRED = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, {"required": lambda *_: iter(())}
)

SPEC_FILES = {"public": "v2-rest-api-generated.yaml", "ui": "_private_ui.yaml"}


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True)
class Operation:
    spec: str
    method: str
    template: str
    op: dict[str, Any]

    @property
    def operation_id(self) -> str:
        return str(self.op["operationId"])


class Specs:
    def __init__(self, openapi_dir: Path) -> None:
        self.docs: dict[str, dict[str, Any]] = {}
        resources = []
        for name, filename in SPEC_FILES.items():
            doc = yaml.safe_load((openapi_dir / filename).read_text())
            self.docs[name] = doc
            resources.append((f"urn:{name}", Resource.from_contents(doc, DRAFT202012)))
        self.registry: Registry[Any] = Registry().with_resources(resources)
        self.operations: list[Operation] = []
        for name, doc in self.docs.items():
            for template, item in doc["paths"].items():
                for method, op in item.items():
                    if isinstance(op, dict) and "operationId" in op:
                        self.operations.append(Operation(name, method.upper(), template, op))

    def find(self, method: str, path: str) -> Operation:
        parts = path.strip("/").split("/")
        best: tuple[int, Operation] | None = None
        for op in self.operations:
            if op.method != method.upper():
                continue
            tparts = op.template.strip("/").split("/")
            if len(tparts) != len(parts):
                continue
            score = 0
            for t, p in zip(tparts, parts, strict=True):
                if t.startswith("{"):
                    continue
                if t != p:
                    break
                score += 1
            else:
                if best is None or score > best[0]:
                    best = (score, op)
        if best is None:
            raise LookupError(f"no operation for {method} {path}")
        return best[1]

    def by_id(self, operation_id: str) -> Operation:
        for op in self.operations:
            if op.operation_id == operation_id:
                return op
        raise LookupError(operation_id)

    def validate(self, method: str, path: str, status: int, body: Any) -> Operation:
        op = self.find(method, path)
        responses = op.op.get("responses", {})
        response = responses.get(str(status))
        assert response is not None, f"{op.operation_id}: status {status} is not in the spec"
        content = response.get("content") or {}
        if "application/json" not in content:
            return op
        pointer = "/".join(
            _escape(t)
            for t in (
                "paths",
                op.template,
                op.method.lower(),
                "responses",
                str(status),
                "content",
                "application/json",
                "schema",
            )
        )
        schema = {"$ref": f"urn:{op.spec}#/{pointer}"}
        # Airflow's route leaves out None fields that its schema calls required
        cls = (
            _WITHOUT_REQUIRED
            if op.operation_id in EXCLUDE_NONE
            else jsonschema.Draft202012Validator
        )
        validator = cls(
            schema,
            registry=self.registry,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        if errors:
            lines = [
                f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:300]}"
                for e in errors[:10]
            ]
            raise AssertionError(f"{op.operation_id} response invalid:\n  " + "\n  ".join(lines))
        return op

    def validate_component(self, spec: str, name: str, body: Any) -> None:
        schema = {"$ref": f"urn:{spec}#/components/schemas/{name}"}
        jsonschema.Draft202012Validator(schema, registry=self.registry).validate(body)
