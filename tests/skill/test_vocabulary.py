"""One vocabulary: every intent and slot the code names is in every locale's model and the other way
round, and no production module spells a vocabulary name as a literal."""

import ast
import json
from pathlib import Path

import pytest

from skill.vocabulary import Intent, RequestKey, SessionKey, Slot
from tests.support import ROOT

MODELS = sorted((ROOT / "skill" / "package" / "interactionModels" / "custom").glob("*.json"))
# Lambda's code: everything but the tools people run (the console and the web service speak Alexa's
# wire format and the model's names on purpose) and the vocabulary itself.
RUNTIME_SOURCES = [
    path
    for package in ("skill", "handlers", "content")
    for path in (ROOT / package).rglob("*.py")
    if "tools" not in path.relative_to(ROOT).parts and path.name != "vocabulary.py"
]


def _language_model(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]


@pytest.mark.parametrize("model", MODELS, ids=[path.stem for path in MODELS])
def test_the_code_and_the_model_name_the_same_intents_and_slots(model: Path) -> None:
    intents = _language_model(model)["intents"]
    assert {intent["name"] for intent in intents} == {intent.value for intent in Intent}
    slots = {slot["name"] for intent in intents for slot in intent.get("slots", [])}
    assert slots == {slot.value for slot in Slot}


def test_there_is_a_model_for_every_locale_we_publish() -> None:
    assert MODELS, "no interaction model found"


def _literals(path: Path) -> list[ast.Constant]:
    return [
        node
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_no_runtime_module_spells_an_intent_or_attribute_name_as_a_literal() -> None:
    names = {member.value for vocabulary in (Intent, SessionKey, RequestKey) for member in vocabulary}
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}"
        for path in RUNTIME_SOURCES
        for node in _literals(path)
        if node.value in names
    ]
    assert not found, found


def test_slots_are_read_by_their_vocabulary_name() -> None:
    """Slot names are ordinary words ("text", "deck"), so the check is on what reads a slot."""
    readers = {"slot_value", "get_slot", "get_slot_value"}
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in RUNTIME_SOURCES
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) in readers
        and any(isinstance(argument, ast.Constant) for argument in node.args)
    ]
    assert not found, found
