"""The jar in the console (`closer chat`), and how our interaction model hears the jar's phrasings."""

import json
from collections import Counter
from pathlib import Path

import pytest

from skill.tools.console.nlu import MODEL_PATH, understanding
from tests.support import run_chat


def test_the_console_saves_and_reads_back_across_runs(tmp_path: Path) -> None:
    first = run_chat(
        tmp_path,
        "open closer together",
        "I appreciate how you made coffee this morning",
        "it's from Sam",
        "read our appreciations",
        "stop",
    )
    assert (
        "alexa> I've saved your note appreciating how you made coffee this morning. Who is it from?" in first
    )
    assert "alexa> Done. I've signed it from Sam." in first
    assert "Today, Sam appreciated how you made coffee this morning." in first
    second = run_chat(
        tmp_path,
        "tell closer together thank you for the flowers",
        "skip",
        "ask closer together how many appreciations do we have",
    )
    assert "alexa> I've saved your note appreciating the flowers. Is it from Sam?" in second
    assert "alexa> Okay, it stays in your jar unsigned." in second
    assert "alexa> Your jar holds 2 appreciations." in second


HEARD = {
    "tell closer together I appreciate how you made coffee this morning": (
        "SaveAppreciationIntent",
        {"text": "how you made coffee this morning"},
    ),
    "tell closer together thank you for listening": ("SaveAppreciationIntent", {"text": "listening"}),
    "tell closer together that I'm grateful for your patience": (
        "SaveAppreciationIntent",
        {"text": "your patience"},
    ),
    "i love how you sing in the car": ("SaveAppreciationIntent", {"text": "you sing in the car"}),
    "thanks for the walk": ("SaveAppreciationIntent", {"text": "the walk"}),
    "put in the jar that you fixed the sink": ("SaveAppreciationIntent", {"text": "you fixed the sink"}),
    "log an appreciation": ("LogAppreciationIntent", {}),
    "i want to say thank you": ("LogAppreciationIntent", {}),
    "it's from alex": ("AppreciationAuthorIntent", {"firstName": "alex"}),
    "from sam": ("AppreciationAuthorIntent", {"firstName": "sam"}),
    "no name": ("AnonymousAppreciationIntent", {}),
    "leave it anonymous": ("AnonymousAppreciationIntent", {}),
    "my name is jo": ("NameIntent", {"firstName": "jo"}),
    "call me sam": ("NameIntent", {"firstName": "sam"}),
    "ask closer together to read our appreciations": ("ReadAppreciationsIntent", {}),
    "what's in our jar": ("ReadAppreciationsIntent", {}),
    "read us our appreciations": ("ReadAppreciationsIntent", {}),
    "what do we appreciate about each other": ("ReadAppreciationsIntent", {}),
    "read this week's appreciations": ("ReadWeekAppreciationsIntent", {}),
    "what did we appreciate this week": ("ReadWeekAppreciationsIntent", {}),
    "read sam's appreciations": ("ReadAuthorAppreciationsIntent", {"firstName": "sam's"}),
    "what did alex appreciate": ("ReadAuthorAppreciationsIntent", {"firstName": "alex"}),
    "more": ("AMAZON.MoreIntent", {}),
    "read more": ("MoreAppreciationsIntent", {}),
    "how many appreciations do we have": ("CountAppreciationsIntent", {}),
    "delete the last appreciation": ("DeleteLastAppreciationIntent", {}),
    "delete all our appreciations": ("DeleteAllAppreciationsIntent", {}),
    "empty the jar": ("DeleteAllAppreciationsIntent", {}),
}


@pytest.mark.parametrize("typed", sorted(HEARD))
def test_the_model_hears_the_jars_phrasings(typed: str) -> None:
    resolution = understanding().resolve(typed)
    intent, slots = HEARD[typed]
    assert resolution.intent == intent
    assert {name: slot.value for name, slot in resolution.slots.items()} == slots


def test_the_jars_intents_are_well_formed_for_alexa() -> None:
    model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
    intents = {intent["name"]: intent for intent in model["intents"]}
    samples = Counter(sample.lower() for intent in model["intents"] for sample in intent.get("samples", []))
    assert [sample for sample, count in samples.items() if count > 1] == [], "a sample belongs to one intent"
    save = intents["SaveAppreciationIntent"]
    assert len(save["samples"]) >= 20
    # AMAZON.SearchQuery needs a carrier phrase: never the slot alone.
    assert all(sample != "{text}" and sample.endswith("{text}") for sample in save["samples"])
    for name in ("AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.MoreIntent", "AMAZON.NextIntent"):
        assert name in intents
