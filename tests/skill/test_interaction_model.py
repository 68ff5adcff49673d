"""The interaction model as Alexa's model build would judge it, and as people would talk to it."""

import json
import re
from collections import Counter

import pytest

from skill.tools.console.nlu import MODEL_PATH

LANGUAGE = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
CUSTOM = [intent for intent in LANGUAGE["intents"] if not intent["name"].startswith("AMAZON.")]
# Alexa accepts letters, spaces, possessive apostrophes, periods in abbreviations and hyphens; no digits.
VALID_SAMPLE = re.compile(r"^(?:[a-zA-Z' .\-]|\{[A-Za-z]+\})+$")
SKILL_MANIFEST = json.loads((MODEL_PATH.parents[2] / "skill.json").read_text(encoding="utf-8"))


def test_invocation_name_is_two_lowercase_words() -> None:
    assert LANGUAGE["invocationName"] == "closer together"


def test_no_intent_is_declared_twice() -> None:
    names = Counter(intent["name"] for intent in LANGUAGE["intents"])
    assert [name for name, count in names.items() if count > 1] == []


@pytest.mark.parametrize("intent", CUSTOM, ids=[intent["name"] for intent in CUSTOM])
def test_custom_intent_has_many_valid_phrasings_and_declares_its_slots(intent: dict) -> None:
    samples = intent["samples"]
    assert len(samples) >= 15, f"{intent['name']} has only {len(samples)} phrasings"
    assert len({sample.lower() for sample in samples}) == len(samples), "a phrasing is listed twice"
    declared = {slot["name"] for slot in intent.get("slots", [])}
    for sample in samples:
        assert VALID_SAMPLE.match(sample), sample
        assert set(re.findall(r"\{(\w+)\}", sample)) <= declared, sample


def test_no_phrasing_belongs_to_two_intents() -> None:
    owners: dict[str, str] = {}
    clashes = []
    for intent in LANGUAGE["intents"]:
        for sample in intent.get("samples", []):
            key = sample.lower()
            if key in owners and owners[key] != intent["name"]:
                clashes.append((sample, owners[key], intent["name"]))
            owners[key] = intent["name"]
    assert clashes == []


def test_search_query_slots_always_have_a_carrier_phrase() -> None:
    for intent in CUSTOM:
        search_slots = {
            slot["name"] for slot in intent.get("slots", []) if slot["type"] == "AMAZON.SearchQuery"
        }
        for sample in intent["samples"]:
            for slot in search_slots & set(re.findall(r"\{(\w+)\}", sample)):
                assert sample.replace("{" + slot + "}", "").strip(), f"{sample}: a SearchQuery slot alone"


def test_every_custom_slot_type_used_is_defined_with_values() -> None:
    defined = {slot_type["name"]: slot_type["values"] for slot_type in LANGUAGE.get("types", [])}
    used = {
        slot["type"]
        for intent in CUSTOM
        for slot in intent.get("slots", [])
        if not slot["type"].startswith("AMAZON.")
    }
    assert used <= set(defined)
    assert all(defined[name] for name in used)


def test_example_phrases_in_the_manifest_match_the_model() -> None:
    samples = {sample.lower() for intent in CUSTOM for sample in intent["samples"]}
    for phrase in SKILL_MANIFEST["manifest"]["publishingInformation"]["locales"]["en-US"]["examplePhrases"]:
        spoken = phrase.lower().rstrip(".").removeprefix("alexa, ")
        rest = re.sub(r"^(ask|tell|open) closer together( (to|for|that))?\s*", "", spoken)
        assert any(re.fullmatch(re.sub(r"\\{\w+\\}", ".+", re.escape(sample)), rest) for sample in samples), (
            phrase
        )
