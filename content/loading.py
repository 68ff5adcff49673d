"""Content as the runtime reads it: plain JSON into frozen dataclasses, with no validation library.

The data files are validated by the pydantic models in content/schema.py when the zip is built (`closer
package`) and by the tests, which also hold the two forms to the same fields and values. At run time a
file is only parsed: a turn's cold start pays for `json`, not for pydantic.
"""

import dataclasses
import json
import types
from collections.abc import Callable
from enum import Enum
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")
# Turns a field's JSON value into its declared type; None where the JSON value already is one (str, int).
Converter = Callable[[Any], Any] | None


def _optional(inner: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda raw: None if raw is None else inner(raw)


def _each(inner: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda raw: tuple(map(inner, raw))


def _converter(hint: Any) -> Converter:
    """How to read a value of this type: a dataclass, a tuple or an optional of one, or an enum."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        [kind] = [arg for arg in get_args(hint) if arg is not type(None)]
        inner = _converter(kind)
        return None if inner is None else _optional(inner)
    if origin is tuple:
        inner = _converter(get_args(hint)[0])
        return tuple if inner is None else _each(inner)
    if dataclasses.is_dataclass(hint):
        return partial(build, hint)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    return None


@cache
def _converters(cls: type) -> dict[str, Converter]:
    """Each field's converter, worked out once per class (a bank of 400 questions reads them 400 times)."""
    return {name: _converter(hint) for name, hint in get_type_hints(cls).items()}


def build(cls: type[T], raw: dict[str, Any]) -> T:
    """A dataclass from its JSON object. A key the class does not declare is a TypeError, as is a
    required one missing: the runtime form cannot drift from the file unnoticed."""
    converters = _converters(cls)
    return cls(
        **{
            name: value if (convert := converters.get(name)) is None else convert(value)
            for name, value in raw.items()
        }
    )


def load(cls: type[T], path: Path) -> T:
    """A data file as its runtime dataclass."""
    return build(cls, json.loads(path.read_bytes()))
