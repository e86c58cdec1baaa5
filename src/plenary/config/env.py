"""Read settings from the environment (the shape of Starlette's ``Config``).

Every setting goes through :func:`env`: a key, a cast and a default. A key
with no default that is missing raises, so production fails fast instead of
running with a silent fallback.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar, overload

T = TypeVar("T")

_MISSING: Any = object()


class ImproperlyConfiguredError(RuntimeError):
    """A required environment variable is missing or cannot be parsed."""


def to_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def to_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def to_counts(value: str) -> dict[str, int]:
    """``"call=30,workshop=730"``: a whole number by name."""
    counts = {}
    for item in to_list(value):
        name, equals, number = item.partition("=")
        if not equals or not name.strip() or not number.strip().isdigit():
            raise ValueError(f"not name=number: {item!r}")
        counts[name.strip()] = int(number)
    return counts


@overload
def env(key: str, *, default: str = ...) -> str: ...
@overload
def env(key: str, cast: Callable[[str], T], default: T = ...) -> T: ...


def env(key: str, cast: Callable[[str], Any] = str, default: Any = _MISSING) -> Any:
    """Return ``cast(os.environ[key])``, or ``default`` when the key is unset."""
    raw = os.environ.get(key)
    if raw is None:
        if default is _MISSING:
            raise ImproperlyConfiguredError(f"Set the environment variable {key}.")
        return default
    try:
        return cast(raw)
    except ValueError as exc:
        raise ImproperlyConfiguredError(f"{key}: {exc}") from exc
