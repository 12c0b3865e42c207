"""`airflow.sdk.literal`: a template field's value that is used as it is, never rendered."""

from __future__ import annotations

from typing import Any


class LiteralValue:
    """Airflow's LiteralValue: rendering a template field resolves it to the wrapped value."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def iter_references(self) -> Any:
        return iter(())

    def resolve(self, context: Any) -> Any:
        return self.value

    def __repr__(self) -> str:
        return f"LiteralValue({self.value!r})"


LiteralValue.__module__ = "airflow.sdk.definitions._internal.templater"


def literal(value: Any) -> LiteralValue:
    """Wrap a value so that it is rendered as it is, without Jinja templating of its contents."""
    return LiteralValue(value)
