"""One reading of Alexa's request envelope: its JSON held to the SDK's own model, then deserialised once.

The SDK's deserialiser reads each field by its JSON spelling ("applicationId"), then copies every key it
does not know onto the object as it stands: a snake_case twin ("application_id") replaces the value read,
a key naming a method or a dunder replaces that, and a dict lands where a model was expected. So before the
SDK reads it, the envelope is checked against the model the SDK will build: each field of its declared
type, each field spelled once (a twin that disagrees is refused; a lone snake_case spelling is read as the
field), keys the model does not know left out, and session attributes that JSON cannot carry (NaN,
Infinity) dropped rather than echoed. The skill id, the user id and everything the handlers read then come
from one object.
"""

import importlib
import json
import math
import re
from enum import Enum
from functools import cache
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

# An ISO 8601 timestamp is 20-odd characters; dateutil's parser is slow on long text, so longer is refused.
MAX_TIMESTAMP_CHARS = 40
_PRIMITIVES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "bool": (bool,),
    "int": (int,),
    "long": (int,),
    "float": (int, float),
}
_DICT = re.compile(r"dict\(([^,]*), (.*)\)")
_serializer = DefaultSerializer()


class MalformedEnvelopeError(Exception):
    """The request is not shaped as Alexa's model says; `reason` says how (never with its values)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_envelope(event: object) -> RequestEnvelope:
    """The envelope as the handlers will see it; MalformedEnvelopeError if it is not one."""
    checked = _model(event, RequestEnvelope, "envelope")
    try:
        envelope = _serializer.deserialize(payload=json.dumps(checked), obj_type=RequestEnvelope)
    except SerializationException as error:
        raise MalformedEnvelopeError("the SDK cannot read it") from error
    if envelope.request is None or envelope.context is None or envelope.context.system is None:
        raise MalformedEnvelopeError("no request or context")
    return envelope


def json_safe(value: object) -> bool:
    """Whether strict JSON can carry the value (no NaN or Infinity, nothing nested past recursion)."""
    try:
        json.dumps(value, allow_nan=False)
    except (ValueError, TypeError, RecursionError):
        return False
    return True


@cache
def _model_class(name: str) -> type:
    module, _, attribute = name.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


def _concrete(payload: dict[str, Any], model: type, where: str) -> type:
    """The subclass a polymorphic model's discriminator (its "type") names."""
    if not hasattr(model, "get_real_child_model"):
        return model
    try:
        child = model.get_real_child_model(payload)
    except (TypeError, KeyError) as error:
        raise MalformedEnvelopeError(f"{where} has no usable type") from error
    if not child:
        raise MalformedEnvelopeError(f"{where} has a type the model does not know")
    return _model_class(child)


def _model(payload: object, model: type, where: str) -> dict[str, Any]:
    """A model's JSON with every field spelled once, as its JSON name, and of its declared type."""
    if not isinstance(payload, dict):
        raise MalformedEnvelopeError(f"{where} is not an object")
    model = _concrete(payload, model, where)
    spelling: dict[str, str] = {name: model.attribute_map[name] for name in model.deserialized_types}
    field_of = {json_name: name for name, json_name in spelling.items()}
    checked: dict[str, Any] = {}
    for key, value in payload.items():
        name = field_of.get(key)
        if name is None and key in spelling:  # the Python spelling of a field whose JSON name differs
            name, twin = key, spelling[key]
            if twin in payload:
                if payload[twin] != value:
                    raise MalformedEnvelopeError(f"{where} spells {twin} two ways, with two values")
                continue
            key = twin
        if name is None:
            continue  # unknown to the model, so to every reader of the envelope
        checked[key] = _value(value, model.deserialized_types[name], f"{where}.{key}")
    return checked


def _value(value: object, declared: str, where: str) -> Any:
    """A field's JSON, checked against its declared type (the SDK's own type names)."""
    if value is None or declared == "object":
        return value
    if declared.startswith("list["):
        return _list(value, declared[5:-1], where)
    if declared.startswith("dict("):
        return _dict(value, declared, where)
    if declared in _PRIMITIVES:
        kinds = _PRIMITIVES[declared]
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise MalformedEnvelopeError(f"{where} is not a {declared}")
        if isinstance(value, float) and not math.isfinite(value):
            raise MalformedEnvelopeError(f"{where} is not a finite number")
        return value
    if declared in ("datetime", "date"):
        if not isinstance(value, str) or len(value) > MAX_TIMESTAMP_CHARS:
            raise MalformedEnvelopeError(f"{where} is not a timestamp")
        return value
    model = _model_class(declared)
    if issubclass(model, Enum):
        if value not in {member.value for member in model}:
            raise MalformedEnvelopeError(f"{where} is not one of its values")
        return value
    return _model(value, model, where)


def _list(value: object, declared: str, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise MalformedEnvelopeError(f"{where} is not a list")
    if "," in declared:  # a list of mixed types, read position by position; none of ours, so left as is
        return value
    return [_value(item, declared.strip(), where) for item in value]


def _dict(value: object, declared: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MalformedEnvelopeError(f"{where} is not an object")
    match = _DICT.match(declared)
    inner = match.group(2) if match else "object"
    if inner == "object":
        # Free-form values (session attributes above all) are echoed back: only what JSON can carry.
        return {key: item for key, item in value.items() if json_safe(item)}
    return {key: _value(item, inner, f"{where}.{key}") for key, item in value.items()}
