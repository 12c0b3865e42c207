"""Rendering template fields with Jinja2 as Airflow's Templater does.

Jinja2 is imported lazily: a value without Jinja syntax renders to what Jinja would give
(newlines normalized, one trailing newline dropped; literal-evaluated when rendering native
objects), so tries whose template fields hold plain text never pay Jinja's import.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from . import serde

JINJA_MARKERS = ("{{", "{%", "{#")
_NEWLINE = re.compile(r"(\r\n|\r|\n)")


def _ds(value: Any) -> Any:
    return None if value is None else value.strftime("%Y-%m-%d")


def _ds_nodash(value: Any) -> Any:
    return None if value is None else value.strftime("%Y%m%d")


def _ts(value: Any) -> Any:
    return None if value is None else value.isoformat()


def _ts_nodash(value: Any) -> Any:
    return None if value is None else value.strftime("%Y%m%dT%H%M%S")


def _ts_nodash_with_tz(value: Any) -> Any:
    return None if value is None else value.isoformat().replace("-", "").replace(":", "")


FILTERS = {
    "ds": _ds,
    "ds_nodash": _ds_nodash,
    "ts": _ts,
    "ts_nodash": _ts_nodash,
    "ts_nodash_with_tz": _ts_nodash_with_tz,
}

_CLASSES: dict[str, type] = {}


def _env_class(native: bool) -> type:
    """Airflow's NativeEnvironment / SandboxedEnvironment (built on first use)."""
    key = "native" if native else "sandboxed"
    if key not in _CLASSES:
        import jinja2.nativetypes
        import jinja2.sandbox

        class _Mixin:
            def __init__(self, **kwargs: Any) -> None:
                super().__init__(**kwargs)
                self.filters.update(FILTERS)  # type: ignore[attr-defined]

            def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
                """Allow `_private` attributes, block `__dunder__` ones (as Airflow)."""
                return not jinja2.sandbox.is_internal_attribute(obj, attr)

        class NativeEnvironment(_Mixin, jinja2.nativetypes.NativeEnvironment):
            """Airflow's NativeEnvironment (render_template_as_native_obj=True)."""

        class SandboxedEnvironment(_Mixin, jinja2.sandbox.SandboxedEnvironment):
            """Airflow's SandboxedEnvironment (the default)."""

        _CLASSES["native"] = NativeEnvironment
        _CLASSES["sandboxed"] = SandboxedEnvironment
    return _CLASSES[key]


def make_env(
    *,
    native: bool,
    searchpath: list[str],
    undefined: Any = None,
    env_kwargs: Mapping[str, Any] | None = None,
    macros: Mapping[str, Any] | None = None,
    filters: Mapping[str, Any] | None = None,
) -> Any:
    """`DAG.get_template_env()`: DAG folder + template_searchpath, StrictUndefined, `do`."""
    import jinja2

    options: dict[str, Any] = {
        "undefined": undefined or jinja2.StrictUndefined,
        "extensions": ["jinja2.ext.do"],
        "cache_size": 0,
    }
    if searchpath:
        options["loader"] = jinja2.FileSystemLoader(searchpath)
    if env_kwargs:
        options.update(env_kwargs)
    env = _env_class(native)(**options)
    if macros:
        env.globals.update(macros)
    if filters:
        env.filters.update(filters)
    return env


def has_jinja(text: str) -> bool:
    """True when the text holds Jinja syntax (with the default delimiters)."""
    return any(marker in text for marker in JINJA_MARKERS)


def render_plain(text: str, *, native: bool) -> Any:
    """What Jinja renders for text without any Jinja syntax (default lexer settings)."""
    lines = _NEWLINE.split(text)[::2]
    if lines[-1] == "":
        del lines[-1]
    out = "\n".join(lines)
    if not native:
        return out
    if out == "":
        return None
    try:
        return ast.literal_eval(ast.parse(out, mode="eval"))
    except (ValueError, SyntaxError, MemoryError, TypeError):
        return out


class Renderer:
    """Renders values of template fields; `resolve` turns XCom/param references into values.

    `env` is the Jinja environment or a callable building it; it is only built when a value
    needs Jinja (it holds Jinja syntax, or names a `template_ext` file).
    """

    def __init__(
        self,
        env: Any,
        context: dict[str, Any],
        *,
        template_ext: Iterable[str] = (),
        native: bool = False,
        resolve: Any = None,
        plain_fast_path: bool = True,
    ) -> None:
        self._env = env
        self.context = context
        self.template_ext = tuple(template_ext)
        self.native = native
        self.resolve = resolve
        self.plain_fast_path = plain_fast_path

    @property
    def env(self) -> Any:
        if callable(self._env) and not hasattr(self._env, "from_string"):
            factory: Callable[[], Any] = self._env
            self._env = factory()
        return self._env

    def render_template_string(self, template: Any) -> Any:
        ctx = dict(self.context)
        if template.globals:
            ctx.update((k, v) for k, v in template.globals.items() if k not in ctx)
        env = template.environment
        try:
            nodes = template.root_render_func(
                env.context_class(env, ctx, template.name, template.blocks)
            )
            if self.native:
                import jinja2.nativetypes

                return jinja2.nativetypes.native_concat(nodes)
            return "".join(nodes)
        except Exception:
            env.handle_exception()  # rewrites the traceback to point into the template

    def render(self, value: Any, seen: set[int] | None = None) -> Any:
        seen = set() if seen is None else seen
        if id(value) in seen:
            return value
        if isinstance(value, str):
            if self.template_ext and value.endswith(self.template_ext):
                template = self.env.get_template(value)
            elif self.plain_fast_path and not has_jinja(value):
                return render_plain(value, native=self.native)
            else:
                template = self.env.from_string(value)
            return self.render_template_string(template)
        if self.resolve is not None:
            handled, resolved = self.resolve(value)
            if handled:
                return resolved
        if isinstance(value, (serde.XComRef, serde.DagParamRef)):
            return value
        if (  # not a path (pathlib's `resolve` is another thing); no ABC check: a forked try
            getattr(type(value), "__fspath__", None) is None  # fills no ABC cache this way
            and callable(getattr(value, "resolve", None))
            and not isinstance(value, type)
        ):
            return value.resolve(self.context)
        if value.__class__ is tuple:
            return tuple(self.render(v, seen) for v in value)
        if isinstance(value, tuple):  # named tuples
            return value.__class__(*(self.render(v, seen) for v in value))
        if isinstance(value, list):
            return [self.render(v, seen) for v in value]
        if isinstance(value, dict):
            return {k: self.render(v, seen) for k, v in value.items()}
        if isinstance(value, set):
            return {self.render(v, seen) for v in value}
        self.render_nested(value, seen)
        return value

    def render_nested(self, value: Any, seen: set[int]) -> None:
        """Objects with their own `template_fields` are rendered in place (as Airflow)."""
        if id(value) in seen:
            return
        seen.add(id(value))
        fields = getattr(value, "template_fields", None)
        if not fields or isinstance(value, type):
            return
        for name in fields:
            current = getattr(value, name, None)
            rendered = self.render(current, seen)
            if rendered:
                setattr(value, name, rendered)
