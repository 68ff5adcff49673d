"""Our DynamoDB attribute values are boto3's, both ways: what was stored before the skill stopped
importing boto3 reads back the same, and what it stores now, boto3 (and the tests' own clients) read."""

from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from hypothesis import given
from hypothesis import strategies as st

from skill.store.attribute_values import deserialize, serialize

numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-(10**9), max_value=10**9),
)
scalars = st.one_of(
    st.none(), st.booleans(), st.text(max_size=40), numbers, st.binary(min_size=1, max_size=20)
)
values = st.recursive(
    st.one_of(
        scalars,
        st.frozensets(st.text(max_size=10), min_size=1, max_size=5),
        st.frozensets(st.integers(), min_size=1, max_size=5),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


def normalised(attribute: Any) -> Any:
    """Sets' members in a fixed order (a set's attribute value lists them in any order)."""
    if isinstance(attribute, dict):
        return {
            kind: sorted(raw) if kind in ("SS", "NS", "BS") else normalised(raw)
            for kind, raw in attribute.items()
        }
    if isinstance(attribute, list):
        return [normalised(item) for item in attribute]
    return attribute


@given(values)
def test_a_value_is_written_as_boto3_writes_it_and_read_back_as_boto3_reads_it(value: Any) -> None:
    ours = serialize(value)
    assert normalised(ours) == normalised(TypeSerializer().serialize(value))
    assert deserialize(ours) == TypeDeserializer().deserialize(ours)


@pytest.mark.parametrize("value", [1.5, object()], ids=["float", "object"])
def test_what_dynamodb_cannot_hold_is_refused_not_stored_as_something_else(value: Any) -> None:
    with pytest.raises(TypeError):
        serialize(value)
    with pytest.raises(TypeError):
        TypeSerializer().serialize(value)


def test_an_empty_set_is_refused_here_rather_than_by_dynamodb() -> None:
    with pytest.raises(TypeError):
        serialize(set())


def test_numbers_come_back_exact() -> None:
    assert deserialize(serialize(Decimal("0.1"))) == Decimal("0.1")
    assert deserialize(serialize(10**25)) == 10**25
