"""Param and ParamsDict, validating values against their JSON schema as Airflow does."""

from __future__ import annotations

import copy
import json
from collections.abc import ItemsView, Iterator, Mapping, MutableMapping, ValuesView
from typing import Any

from leoflow_shim._base import NOTSET, ParamValidationError, ShimError


class Param:
    CLASS_IDENTIFIER = "__class"

    def __init__(
        self,
        default: Any = NOTSET,
        description: str | None = None,
        source: str | None = None,
        **kwargs: Any,
    ) -> None:
        if default is not NOTSET:
            try:
                json.dumps(default)
            except Exception:
                raise ParamValidationError(
                    "All provided parameters must be json-serializable. "
                    f"The value '{default}' is not serializable."
                ) from None
        self.value = default
        self.description = description
        self.schema = kwargs.pop("schema") if "schema" in kwargs else kwargs
        self.source = source

    def __copy__(self) -> Param:
        return Param(self.value, self.description, schema=self.schema, source=self.source)

    def resolve(self, value: Any = NOTSET, suppress_exception: bool = False) -> Any:
        """Validate (JSON-serializable, then the schema) and return the Param's final value."""
        from leoflow_shim import schema

        if value is not NOTSET:
            try:
                json.dumps(value)
            except Exception:
                raise ParamValidationError(
                    "All provided parameters must be json-serializable. "
                    f"The value '{value}' is not serializable."
                ) from None
        final = self.value if value is NOTSET else value
        if final is NOTSET:
            if suppress_exception:
                return None
            raise ParamValidationError("No value passed and Param has no default value")
        try:
            problem = schema.first_error(final, self.schema)
        except schema.Unsupported as exc:
            raise ShimError(
                f"cannot validate Param value {final!r} against its schema {self.schema!r}: "
                f"{exc} is not supported by Leoflow; simplify the Param's schema"
            ) from None
        if problem is not None:
            if suppress_exception:
                return None
            raise ParamValidationError(problem)
        self.value = final
        return final

    @property
    def has_value(self) -> bool:
        return self.value is not NOTSET and self.value is not None

    def serialize(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "description": self.description,
            "schema": self.schema,
            "source": self.source,
        }


Param.__module__ = "airflow.sdk.definitions.param"


class ParamsDict(MutableMapping[str, Any]):
    def __init__(
        self, dict_obj: Mapping[str, Any] | None = None, suppress_exception: bool = False
    ) -> None:
        items = (
            ()
            if not dict_obj
            else (
                dict_obj._d.items()
                if type(dict_obj) is ParamsDict or isinstance(dict_obj, ParamsDict)
                else dict_obj.items()
            )
        )
        self._d: dict[str, Param] = {
            k: copy.copy(v) if isinstance(v, Param) else Param(v) for k, v in items
        }
        self.suppress_exception = suppress_exception

    def __bool__(self) -> bool:
        return bool(self._d)

    def __contains__(self, o: object) -> bool:
        return o in self._d

    def __len__(self) -> int:
        return len(self._d)

    def __delitem__(self, v: str) -> None:
        del self._d[v]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d)

    def __repr__(self) -> str:
        return repr(self.dump())

    def __copy__(self) -> ParamsDict:
        return ParamsDict(self)

    def __deepcopy__(self, memo: Any) -> ParamsDict:
        return ParamsDict(self)

    def __setitem__(self, key: str, value: Any) -> None:
        if isinstance(value, Param):
            param = value
        elif key in self._d:
            param = self._d[key]
            try:
                param.resolve(value=value, suppress_exception=self.suppress_exception)
            except ParamValidationError as ve:
                raise ParamValidationError(f"Invalid input for param {key}: {ve}") from None
        else:
            param = Param(value)
        self._d[key] = param

    def __getitem__(self, key: str) -> Any:
        return self._d[key].resolve(suppress_exception=self.suppress_exception)

    def get_param(self, key: str) -> Param:
        return self._d[key]

    def items(self) -> ItemsView[str, Any]:  # type: ignore[override]
        return ItemsView(self._d)

    def values(self) -> ValuesView[Any]:  # type: ignore[override]
        return ValuesView(self._d)

    def update(self, *args: Any, **kwargs: Any) -> None:
        if len(args) == 1 and not kwargs and isinstance(args[0], ParamsDict):
            for k, v in args[0]._d.items():
                self[k] = v
            return
        super().update(*args, **kwargs)

    def dump(self) -> dict[str, Any]:
        return {k: v.resolve(suppress_exception=True) for k, v in self._d.items()}

    def validate(self) -> dict[str, Any]:
        """Validate and return every Param's value (Airflow's `ParamsDict.validate`)."""
        resolved = {}
        for k, v in self._d.items():
            try:
                resolved[k] = v.resolve(suppress_exception=self.suppress_exception)
            except ParamValidationError as ve:
                raise ParamValidationError(f"Invalid input for param {k}: {ve}") from None
        return resolved


ParamsDict.__module__ = "airflow.sdk.definitions.param"


class DagParam:
    """`dag.param("name")`: resolved at run time."""

    def __init__(self, current_dag: Any, name: str, default: Any = NOTSET) -> None:
        if default is not NOTSET:
            current_dag.params[name] = default
        self._name = name
        self._default = default
        self.current_dag = current_dag

    def iter_references(self) -> Iterator[Any]:
        return iter(())


DagParam.__module__ = "airflow.sdk.definitions.param"
