"""Airflow 3.2.1's secrets masker (`airflow.sdk._shared.secrets_masker`), stdlib only.

The agent registers what a try fetches, as Airflow's worker does: a connection's password and
its extra (the whole text, and the values under sensitive keys), a variable's value when its key
holds a sensitive word. `TaskLog` redacts every line it writes with `redact_text`, and the
rendered template fields are redacted with `redact` before they are reported.

Settings, read from the environment as Airflow reads them:
`AIRFLOW__CORE__SENSITIVE_VAR_CONN_NAMES` (extra words, comma separated),
`AIRFLOW__CORE__HIDE_SENSITIVE_VAR_CONN_FIELDS` (default True),
`AIRFLOW__LOGGING__MIN_LENGTH_MASKED_SECRET` (default 5),
`AIRFLOW__LOGGING__SECRET_MASK_ADAPTER` (an import path, e.g. `urllib.parse.quote`; default none,
so, as in Airflow, derived forms such as the URL-quoted password are not masked unless it is set).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from enum import Enum
from typing import Any

# Airflow 3.2.1's DEFAULT_SENSITIVE_FIELDS, verbatim.
DEFAULT_SENSITIVE_FIELDS = frozenset(
    {
        "access_key",
        "access_token",
        "api_key",
        "apikey",
        "authorization",
        "connection_string",
        "passphrase",
        "passwd",
        "password",
        "private_key",
        "proxy",
        "proxy_password",
        "proxies",
        "secret",
        "token",
        "keyfile_dict",
        "service_account",
    }
)
SECRETS_TO_SKIP_MASKING = frozenset({"airflow"})
MIN_LENGTH_TO_MASK = 5
MAX_RECURSION_DEPTH = 5
REPLACEMENT = "***"


def _truthy(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "t", "yes", "y", "on")


class SecretsMasker:
    """Airflow's `SecretsMasker` without the logging.Filter part: patterns and `redact`."""

    def __init__(
        self,
        *,
        sensitive_fields: frozenset[str] = DEFAULT_SENSITIVE_FIELDS,
        min_length: int = MIN_LENGTH_TO_MASK,
        adapter: Callable[[str], Any] | None = None,
        hide_sensitive_var_conn_fields: bool = True,
    ) -> None:
        self.sensitive_fields = sensitive_fields
        self.min_length = min_length
        self.adapter = adapter
        self.hide_sensitive_var_conn_fields = hide_sensitive_var_conn_fields
        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        self.replacer: re.Pattern[str] | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SecretsMasker:
        """A masker configured by the `AIRFLOW__...` settings in `env` (module docstring)."""
        fields = DEFAULT_SENSITIVE_FIELDS
        extra = env.get("AIRFLOW__CORE__SENSITIVE_VAR_CONN_NAMES") or ""
        if extra.strip():
            fields = fields | {f.strip() for f in extra.split(",") if f.strip()}
        hide = env.get("AIRFLOW__CORE__HIDE_SENSITIVE_VAR_CONN_FIELDS")
        try:
            min_length = int(env.get("AIRFLOW__LOGGING__MIN_LENGTH_MASKED_SECRET") or "5")
        except ValueError:
            min_length = MIN_LENGTH_TO_MASK
        adapter = None
        path = (env.get("AIRFLOW__LOGGING__SECRET_MASK_ADAPTER") or "").strip()
        if path:
            module, _, attr = path.rpartition(".")
            try:
                adapter = getattr(importlib.import_module(module), attr)
            except (ImportError, AttributeError, ValueError):
                adapter = None  # as a missing setting: mask the secrets themselves only
        return cls(
            sensitive_fields=fields,
            min_length=min_length,
            adapter=adapter,
            hide_sensitive_var_conn_fields=True if hide is None else _truthy(hide),
        )

    # -- what is sensitive ----------------------------------------------------------------------
    def should_hide_value_for_key(self, name: Any) -> bool:
        """True when `name` (a variable key, a key of a connection's extra) holds a sensitive
        word."""
        if isinstance(name, str) and self.hide_sensitive_var_conn_fields:
            lowered = name.strip().lower()
            return any(s in lowered for s in self.sensitive_fields)
        return False

    def _adaptations(self, secret: str) -> Iterator[str]:
        yield secret
        if self.adapter is not None:
            try:
                adapted = self.adapter(secret)
            except Exception:  # a broken adapter must not break the try
                return
            if isinstance(adapted, str):
                yield adapted
            else:
                yield from (a for a in adapted if isinstance(a, str))

    def add_mask(self, secret: Any, name: str | None = None) -> None:
        """Airflow's `add_mask`: strings (when `name` is None or sensitive), dicts by key, and
        iterables item by item; short secrets and "airflow" are not masked."""
        if isinstance(secret, dict):
            for key, value in secret.items():
                self.add_mask(value, key)
        elif isinstance(secret, str):
            if not secret or secret.lower() in SECRETS_TO_SKIP_MASKING:
                return
            if len(secret) < self.min_length:
                return
            if name and not self.should_hide_value_for_key(name):
                return
            new = {
                s
                for s in self._adaptations(secret)
                if s and len(s) >= self.min_length and s.lower() not in SECRETS_TO_SKIP_MASKING
            }
            with self._lock:
                if new <= self._secrets:
                    return
                self._secrets |= new
                # longest first, so that a secret that holds a shorter one is masked whole
                ordered = sorted(self._secrets, key=lambda s: (-len(s), s))
                self.replacer = re.compile("|".join(re.escape(s) for s in ordered))
        elif isinstance(secret, (list, tuple, set, frozenset)):
            for value in secret:
                self.add_mask(value, name)

    def reset(self) -> None:
        with self._lock:
            self._secrets = set()
            self.replacer = None

    # -- redacting ------------------------------------------------------------------------------
    def redact_text(self, text: str) -> str:
        """`text` with every registered secret replaced by `***`."""
        replacer = self.replacer
        if replacer is None or not text:
            return text
        return replacer.sub(REPLACEMENT, text)

    def _redact_all(self, item: Any, depth: int) -> Any:
        if depth > MAX_RECURSION_DEPTH or isinstance(item, str):
            return REPLACEMENT
        if isinstance(item, dict):
            return {k: self._redact_all(v, depth + 1) for k, v in item.items()}
        if isinstance(item, (tuple, set)):
            return tuple(self._redact_all(v, depth + 1) for v in item)
        if isinstance(item, list):
            return [self._redact_all(v, depth + 1) for v in item]
        return item

    def _redact(self, item: Any, name: str | None, depth: int) -> Any:
        if depth > MAX_RECURSION_DEPTH:
            return item
        try:
            if name and self.should_hide_value_for_key(name):
                return self._redact_all(item, depth)
            if isinstance(item, dict):
                return {k: self._redact(v, k, depth + 1) for k, v in item.items()}
            if isinstance(item, Enum):
                return self._redact(item.value, name, depth)
            if isinstance(item, str):
                return self.redact_text(item)
            if isinstance(item, (tuple, set)):
                return tuple(self._redact(v, None, depth + 1) for v in item)
            if isinstance(item, list):
                return [self._redact(v, None, depth + 1) for v in item]
            return item
        except Exception:  # Airflow: rather than expose sensitive info, play it safe
            return "<redaction-failed>"

    def redact(self, item: Any, name: str | None = None) -> Any:
        """Airflow's `redact`: strings have their secrets masked; every string under a sensitive
        key (or a sensitive `name`) becomes `***`."""
        return self._redact(item, name, 0)


SETTINGS = (  # what `SecretsMasker.from_env` reads
    "AIRFLOW__CORE__SENSITIVE_VAR_CONN_NAMES",
    "AIRFLOW__CORE__HIDE_SENSITIVE_VAR_CONN_FIELDS",
    "AIRFLOW__LOGGING__MIN_LENGTH_MASKED_SECRET",
    "AIRFLOW__LOGGING__SECRET_MASK_ADAPTER",
)
MASKER = SecretsMasker.from_env(os.environ)
"""The masker of the try this process runs."""
_MASKER_SETTINGS = tuple(os.environ.get(name) for name in SETTINGS)


def configure(env: Mapping[str, str]) -> SecretsMasker:
    """Start a try with a fresh masker (Airflow's `reset_secrets_masker`) set up from `env`.

    A masker that holds no secret and was set up from the same settings is a fresh one already
    (a forked try finds the one the fork server built): it is kept, which spares a forked try
    building another one on pages it would have to copy."""
    global MASKER, _MASKER_SETTINGS
    settings = tuple(env.get(name) for name in SETTINGS)
    fresh = MASKER.replacer is None and not MASKER._secrets
    if fresh and settings == _MASKER_SETTINGS and not settings[-1]:  # an adapter: import it anew
        return MASKER
    MASKER = SecretsMasker.from_env(env)
    _MASKER_SETTINGS = settings
    return MASKER


def mask_secret(secret: Any, name: str | None = None) -> None:
    """Airflow's `mask_secret`: from now on `secret` is `***` in this try's logs."""
    if secret:
        MASKER.add_mask(secret, name)


def mask_variable(key: str, value: Any) -> None:
    """A fetched variable: masked when its key holds a sensitive word (Airflow's supervisor)."""
    mask_secret(value, key)


def mask_connection(data: Mapping[str, Any]) -> None:
    """A fetched connection: its password, its extra as text, and the values under sensitive
    keys of its extra (Airflow's `_mask_connection_secrets` and `extra_dejson`)."""
    mask_secret(data.get("password"))
    extra = data.get("extra")
    if not extra:
        return
    text = json.dumps(extra) if isinstance(extra, dict) else extra
    mask_secret(text)
    if isinstance(extra, dict):
        mask_secret(extra)
    elif isinstance(extra, str):
        try:
            parsed = json.loads(extra)
        except ValueError:
            return
        if isinstance(parsed, dict):
            mask_secret(parsed)


def redact(item: Any, name: str | None = None) -> Any:
    return MASKER.redact(item, name)


def redact_text(text: str) -> str:
    return MASKER.redact_text(text)
