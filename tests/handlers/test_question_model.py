"""The interaction model for tonight's question: what people may say, and that it means what they meant."""

import json
from collections import Counter

import pytest

from content.questions import question_bank
from skill.tools.console.nlu import MODEL_PATH, understanding

MODEL = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
INTENTS = {intent["name"]: intent for intent in MODEL["intents"]}
OUR_INTENTS = (
    "TonightsQuestionIntent",
    "AnotherQuestionIntent",
    "SkipQuestionIntent",
    "ThirtySixQuestionsIntent",
    "DeckQuestionIntent",
)


@pytest.mark.parametrize("name", OUR_INTENTS)
def test_each_question_intent_has_many_natural_phrasings(name: str) -> None:
    samples = INTENTS[name]["samples"]
    assert len(samples) >= 15
    assert all(sample == sample.lower() and not any(ch.isdigit() for ch in sample) for sample in samples)


def test_no_phrasing_is_claimed_by_two_intents() -> None:
    counts = Counter(sample for intent in MODEL["intents"] for sample in intent.get("samples", []))
    assert [sample for sample, count in counts.items() if count > 1] == []


def test_next_and_repeat_are_declared_so_alexa_sends_them() -> None:
    assert {"AMAZON.NextIntent", "AMAZON.RepeatIntent"} <= INTENTS.keys()


def test_the_deck_slot_type_lists_exactly_the_banks_decks_and_their_synonyms() -> None:
    [deck_type] = [slot_type for slot_type in MODEL["types"] if slot_type["name"] == "DeckName"]
    in_model = {
        value["id"]: [value["name"]["value"], *value["name"]["synonyms"]] for value in deck_type["values"]
    }

    assert in_model == {deck.id: list(deck.synonyms) for deck in question_bank().decks}
    assert INTENTS["DeckQuestionIntent"]["slots"] == [{"name": "deck", "type": "DeckName"}]


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("ask closer together for tonight's question", "TonightsQuestionIntent"),
        ("Alexa, ask Closer Together what's tonight's question", "TonightsQuestionIntent"),
        ("ask closer together to give us tonight's question", "TonightsQuestionIntent"),
        ("ask closer together for a question for tonight", "TonightsQuestionIntent"),
        ("ask closer together what should we talk about tonight", "TonightsQuestionIntent"),
        ("another one", "AnotherQuestionIntent"),
        ("next question", "AnotherQuestionIntent"),
        ("give us a different question", "AnotherQuestionIntent"),
        ("next", "AMAZON.NextIntent"),
        ("repeat that", "AMAZON.RepeatIntent"),
        ("skip", "SkipQuestionIntent"),
        ("skip this one", "SkipQuestionIntent"),
        ("let's do the thirty six questions", "ThirtySixQuestionsIntent"),
        ("ask closer together to continue the thirty six questions", "ThirtySixQuestionsIntent"),
        ("ask us something about the future", "DeckQuestionIntent"),
    ],
)
def test_what_people_say_reaches_the_intended_intent(said: str, intent: str) -> None:
    assert understanding().resolve(said).intent == intent


@pytest.mark.parametrize(
    ("said", "deck"),
    [
        ("a question about our dreams", "future"),
        ("a question about growing up", "childhood"),
        ("ask us about being thankful", "gratitude"),
        ("something silly", "playful"),
        ("a question about the two of us", "relationship"),
        ("a question about the thirty six questions", "thirty_six"),
    ],
)
def test_deck_names_resolve_to_the_deck(said: str, deck: str) -> None:
    meaning = understanding().resolve(said)
    assert meaning.intent == "DeckQuestionIntent" and meaning.slots["deck"].resolved_id == deck
