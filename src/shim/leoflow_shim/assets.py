"""Assets, aliases, refs, conditions, watchers and the @asset decorator."""

from __future__ import annotations

import inspect
import os
import urllib.parse
from collections.abc import Iterator
from typing import Any

M = "airflow.sdk.definitions.asset"


def _sanitize_uri(inp: Any) -> str:
    uri = str(inp)
    parsed = urllib.parse.urlsplit(uri)
    if not parsed.scheme and not parsed.netloc:
        return uri
    scheme = parsed.scheme.lower()
    if not scheme or scheme.startswith("x-"):
        return uri
    if scheme == "airflow":
        raise ValueError("Asset scheme 'airflow' is reserved")
    netloc = parsed.netloc.rpartition("@")[2] if parsed.password else parsed.netloc
    query = (
        urllib.parse.urlencode(sorted(urllib.parse.parse_qsl(parsed.query))) if parsed.query else ""
    )
    parsed = parsed._replace(
        scheme=scheme, netloc=netloc, path=parsed.path.rstrip("/") or "/", query=query, fragment=""
    )
    return urllib.parse.urlunsplit(parsed)


def _check_identifier(kind: str, attr: str, value: Any, *, empty_ok: bool = True) -> None:
    if not isinstance(value, str):
        raise ValueError(f"{kind} {attr} must be a string")
    if len(value) > 1500:
        raise ValueError(f"{kind} {attr} cannot exceed 1500 characters")
    if value.isspace():
        raise ValueError(f"{kind} {attr} cannot be just whitespace")
    if not empty_ok and not value:
        raise ValueError(f"{kind} {attr} cannot be empty")


class BaseAsset:
    def __or__(self, other: Any) -> Any:
        if not isinstance(other, BaseAsset):
            return NotImplemented
        return AssetAny(self, other)

    def __and__(self, other: Any) -> Any:
        if not isinstance(other, BaseAsset):
            return NotImplemented
        return AssetAll(self, other)

    def iter_references(self) -> Iterator[Any]:
        return iter(())


class AssetWatcher:
    def __init__(self, name: str, trigger: Any) -> None:
        self.name = name
        self.trigger = trigger

    def __repr__(self) -> str:
        return f"AssetWatcher(name={self.name!r}, trigger={self.trigger!r})"


class Asset(os.PathLike, BaseAsset):  # type: ignore[type-arg]
    asset_type = "asset"

    def __init__(
        self,
        name: str | None = None,
        uri: Any = None,
        *,
        group: str | None = None,
        extra: dict[str, Any] | None = None,
        watchers: list[Any] | None = None,
    ) -> None:
        if name is None and uri is None:
            raise TypeError("Asset() requires either 'name' or 'uri'")
        if name is None:
            name = str(uri)
        elif uri is None:
            uri = name
        kind = type(self).__name__
        _check_identifier(kind, "name", name, empty_ok=False)
        if name in ("self", "context"):
            raise ValueError(f"prohibited name for asset: {name}")
        self.name = name
        self.uri = _sanitize_uri(uri)
        _check_identifier(kind, "uri", self.uri, empty_ok=False)
        self.group = self.asset_type if group is None else group
        self.extra = {} if extra is None else extra
        self.watchers = [] if watchers is None else watchers

    def __fspath__(self) -> str:
        return self.uri

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Asset):
            return NotImplemented
        return (self.name, self.uri, self.group, self.extra) == (
            other.name,
            other.uri,
            other.group,
            other.extra,
        )

    def __hash__(self) -> int:
        return hash((self.name, self.uri, self.group))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(name={self.name!r}, uri={self.uri!r}, group={self.group!r}, "
            f"extra={self.extra!r}, watchers={self.watchers!r})"
        )

    @staticmethod
    def ref(*, name: str = "", uri: str = "") -> AssetRef:
        if name and uri:
            raise TypeError("Asset reference must be made to either name or URI, not both")
        if name:
            return AssetNameRef(name)
        if uri:
            return AssetUriRef(uri)
        raise TypeError("Asset reference expects keyword argument 'name' or 'uri'")

    @property
    def normalized_uri(self) -> str:
        return self.uri


class Dataset(Asset):
    asset_type = "dataset"


class Model(Asset):
    asset_type = "model"


class AssetRef(BaseAsset):
    _field = "name"

    def __init__(self, value: str) -> None:
        setattr(self, self._field, value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._field}={getattr(self, self._field)!r})"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and repr(self) == repr(other)

    def __hash__(self) -> int:
        return hash(repr(self))


class AssetNameRef(AssetRef):
    _field = "name"


class AssetUriRef(AssetRef):
    _field = "uri"


class AssetAlias(BaseAsset):
    def __init__(self, name: str, *, group: str = "asset") -> None:
        _check_identifier("AssetAlias", "name", name, empty_ok=False)
        _check_identifier("AssetAlias", "group", group)
        self.name = name
        self.group = group

    def __repr__(self) -> str:
        return f"AssetAlias(name={self.name!r}, group={self.group!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AssetAlias) and (self.name, self.group) == (
            other.name,
            other.group,
        )

    def __hash__(self) -> int:
        return hash((self.name, self.group))


class AssetBooleanCondition(BaseAsset):
    def __init__(self, *objects: Any) -> None:
        if not all(isinstance(o, BaseAsset) for o in objects):
            raise TypeError("expect asset expressions in condition")
        self.objects = objects

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.objects == other.objects

    def __hash__(self) -> int:
        return hash(tuple(self.objects))


class AssetAny(AssetBooleanCondition):
    def __or__(self, other: Any) -> Any:
        if not isinstance(other, BaseAsset):
            return NotImplemented
        return AssetAny(*self.objects, other)

    def __repr__(self) -> str:
        return f"AssetAny({', '.join(map(str, self.objects))})"


class AssetAll(AssetBooleanCondition):
    def __and__(self, other: Any) -> Any:
        if not isinstance(other, BaseAsset):
            return NotImplemented
        return AssetAll(*self.objects, other)

    def __repr__(self) -> str:
        return f"AssetAll({', '.join(map(str, self.objects))})"


class Metadata:
    def __init__(self, asset: Any, extra: dict[str, Any], alias: Any = None) -> None:
        self.asset = asset
        self.extra = extra
        self.alias = alias


for _c in (
    BaseAsset,
    AssetWatcher,
    Asset,
    Dataset,
    Model,
    AssetRef,
    AssetNameRef,
    AssetUriRef,
    AssetAlias,
    AssetBooleanCondition,
    AssetAny,
    AssetAll,
):
    _c.__module__ = M
Metadata.__module__ = "airflow.sdk.definitions.asset.metadata"


def encode_trigger(trigger: Any) -> dict[str, Any]:
    cls = type(trigger)
    kwargs = getattr(trigger, "_init_kwargs", {})
    from leoflow_shim.serialize import plain

    return {"classpath": f"{cls.__module__}.{cls.__qualname__}", "kwargs": plain(kwargs)}


def encode_asset_like(a: Any) -> dict[str, Any]:
    if isinstance(a, Asset):
        d: dict[str, Any] = {
            "__type": "asset",
            "name": a.name,
            "uri": a.uri,
            "group": a.group,
            "extra": a.extra,
        }
        if a.watchers:
            d["watchers"] = [
                {"name": w.name, "trigger": encode_trigger(w.trigger)} for w in a.watchers
            ]
        return d
    if isinstance(a, AssetAlias):
        return {"__type": "asset_alias", "name": a.name, "group": a.group}
    if isinstance(a, AssetAll):
        return {"__type": "asset_all", "objects": [encode_asset_like(x) for x in a.objects]}
    if isinstance(a, AssetAny):
        return {"__type": "asset_any", "objects": [encode_asset_like(x) for x in a.objects]}
    if isinstance(a, AssetRef):
        return {"__type": "asset_ref", a._field: getattr(a, a._field)}
    raise ValueError(f"serialization not implemented for {type(a).__name__!r}")


# --------------------------------------------------------------------------- @asset


class _DAGFactory:
    def __init__(
        self,
        *,
        schedule: Any,
        is_paused_upon_creation: Any = None,
        dag_id: Any = None,
        dag_display_name: Any = None,
        description: Any = None,
        params: Any = None,
        on_success_callback: Any = None,
        on_failure_callback: Any = None,
        access_control: Any = None,
        owner_links: Any = None,
        tags: Any = None,
    ) -> None:
        self.schedule = schedule
        self.dag_kwargs = {
            "is_paused_upon_creation": is_paused_upon_creation,
            "description": description,
            "params": params,
            "on_success_callback": on_success_callback,
            "on_failure_callback": on_failure_callback,
            "access_control": access_control,
            "owner_links": owner_links or {},
            "tags": tags or set(),
        }
        self.dag_id = dag_id
        self.dag_display_name = dag_display_name

    def create_dag(self, *, default_dag_id: str) -> Any:
        from leoflow_shim.dag import DAG

        dag_id = self.dag_id or default_dag_id
        return DAG(
            dag_id=dag_id,
            schedule=self.schedule,
            catchup=False,
            dag_display_name=self.dag_display_name or dag_id,
            auto_register=True,
            **self.dag_kwargs,
        )


def _instantiate_task(definition: Any, function: Any, outlets: list[Any]) -> None:
    from leoflow_shim.decorators import _TaskDecorator
    from leoflow_shim.standard.python import _AssetMainOperator

    if isinstance(function, _TaskDecorator):
        if "outlets" in function.kwargs:
            raise TypeError("@task decorator with 'outlets' argument is not supported in @asset")
        function.kwargs["outlets"] = outlets
        function()
        return
    for name, param in inspect.signature(function).parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise TypeError(f"wildcard '{name}' is not supported in @asset")
    _AssetMainOperator(
        task_id=function.__name__,
        inlets=[
            Asset.ref(name=n)
            for n, p in inspect.signature(function).parameters.items()
            if n not in ("self", "context") and p.default is inspect.Parameter.empty
        ],
        outlets=outlets,
        python_callable=function,
        definition_name=definition.name,
    )


class AssetDefinition(Asset):
    def __init__(
        self,
        *,
        name: str,
        uri: str,
        group: str,
        extra: dict[str, Any],
        function: Any,
        source: Any,
        watchers: Any = None,
    ) -> None:
        super().__init__(name=name, uri=uri, group=group, extra=extra, watchers=watchers)
        self._function = function
        self._source = source
        with source.create_dag(default_dag_id=self.name):
            _instantiate_task(self, function, [self])


class MultiAssetDefinition(AssetAll):
    def __init__(self, *, name: str, function: Any, source: Any) -> None:
        super().__init__(*source.outlets)
        self.name = name
        self._function = function
        with source.create_dag(default_dag_id=function.__name__):
            _instantiate_task(self, function, list(self.objects))


class asset(_DAGFactory):
    def __init__(
        self,
        *,
        name: str | None = None,
        uri: Any = None,
        group: str = "asset",
        extra: dict[str, Any] | None = None,
        watchers: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.name = name
        self.uri = uri
        self.group = group
        self.extra = extra or {}
        self.watchers = watchers or []

    def __call__(self, f: Any) -> AssetDefinition:
        if f.__name__ != f.__qualname__:
            raise ValueError("nested function not supported")
        name = self.name or f.__name__
        return AssetDefinition(
            name=name,
            uri=name if self.uri is None else str(self.uri),
            group=self.group,
            extra=self.extra,
            function=f,
            source=self,
        )

    class multi(_DAGFactory):
        def __init__(self, *, outlets: Any, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.outlets = outlets

        def __call__(self, f: Any) -> MultiAssetDefinition:
            if f.__name__ != f.__qualname__:
                raise ValueError("nested function not supported")
            if not self.outlets:
                raise ValueError("no outlets provided")
            return MultiAssetDefinition(function=f, source=self, name=f.__name__)


for _c in (AssetDefinition, MultiAssetDefinition, asset):
    _c.__module__ = "airflow.sdk.definitions.asset.decorators"
