"""Plain Python values to DynamoDB attribute values and back, for the types our records hold.

boto3's TypeSerializer does the same, but importing it imports all of boto3 (and s3transfer and
multiprocessing with it): a cold start's ~14 ms for two small functions. Numbers come back as Decimal,
as boto3 gives them; a float is refused, as boto3 refuses it (DynamoDB numbers are exact decimals).
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any


def serialize(value: Any) -> dict[str, Any]:
    """One value as a DynamoDB attribute value: str, bool, int, Decimal, None, bytes, mappings with str
    keys, lists and tuples, and sets of str or of numbers."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, int | Decimal):
        return {"N": str(value)}
    if isinstance(value, bytes):
        return {"B": value}
    if isinstance(value, Mapping):
        return {"M": {str(name): serialize(item) for name, item in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [serialize(item) for item in value]}
    if isinstance(value, set | frozenset) and value:
        if all(isinstance(item, str) for item in value):
            return {"SS": list(value)}
        if all(isinstance(item, int | Decimal) and not isinstance(item, bool) for item in value):
            return {"NS": [str(item) for item in value]}
    raise TypeError(f"no DynamoDB attribute value for {type(value).__name__}")


def deserialize(attribute: Mapping[str, Any]) -> Any:
    """One DynamoDB attribute value as a plain Python value (numbers as Decimal)."""
    [(kind, raw)] = attribute.items()
    match kind:
        case "S" | "B":
            return raw
        case "N":
            return Decimal(raw)
        case "BOOL":
            return raw
        case "NULL":
            return None
        case "M":
            return {name: deserialize(item) for name, item in raw.items()}
        case "L":
            return [deserialize(item) for item in raw]
        case "SS" | "BS":
            return set(raw)
        case "NS":
            return {Decimal(number) for number in raw}
    raise TypeError(f"unknown DynamoDB attribute type {kind}")
