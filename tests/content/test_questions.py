"""The question bank: its validation, its size and order, and the quality of the words themselves."""

import copy
import dataclasses
import itertools
import json
import re
from xml.etree import ElementTree

import pytest
from pydantic import ValidationError

from content.questions import (
    DATA_FILE,
    MAX_QUESTION_CHARS,
    THIRTY_SIX,
    Depth,
    question_bank,
)
from content.schema import QuestionBank
from skill.speech import escape

# Function words, and the few framing words nearly every question opens with ("what's something you...").
# They say nothing about what a question is about, so two questions sharing them are not alike.
# fmt: off
STOP_WORDS = frozenset({
    "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "anything", "are", "as", "at",
    "be", "because", "been", "before", "being", "both", "but", "by", "can", "could", "did", "do", "does",
    "doing", "done", "each", "ever", "every", "for", "from", "get", "go", "going", "got", "had", "has",
    "have", "how", "i", "if", "in", "into", "is", "it", "its", "just", "like", "me", "more", "most",
    "much", "my", "no", "not", "now", "of", "on", "one", "or", "other", "our", "out", "over", "own",
    "really", "so", "some", "something", "than", "that", "the", "their", "them", "then", "there", "these",
    "they", "thing", "things", "this", "those", "to", "too", "up", "us", "very", "was", "we", "were",
    "what", "whats", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would",
    "you", "youd", "youll", "youre", "youve", "your", "yours", "yourself",
})
# fmt: on
# Jaccard overlap of content words at which two questions count as asking the same thing. A question
# reworded around the same words scores 1.0; two that differ in one content word of four ("What makes you
# feel most loved by your partner?" and "What does your partner do that makes you feel respected?") score
# 0.6, which is too close for one bank; honest variations on a theme that differ in one word of three
# ("favorite meal as a kid" and "favorite song as a kid") score 0.5, so the line sits at 0.6. Overlap cannot
# see synonyms ("thinking about a lot lately" and "on your mind lately" score 0.25): those are caught by
# reading, as the brief's own duplicate was.
NEAR_DUPLICATE = 0.6
# Alexa speaks about two and a half words a second; fifteen seconds is the most a question may take.
MAX_SPOKEN_WORDS = 38


def content_words(text: str) -> frozenset[str]:
    """Lowercase words without punctuation or stop words, with a plural "s" folded into the singular."""
    words = re.sub(r"[^a-z0-9\s-]", "", text.lower().replace("-", " ")).split()
    return frozenset(
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        for word in words
        if word not in STOP_WORDS
    )


def jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    return len(left & right) / len(left | right) if left | right else 1.0


def raw_bank() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def test_the_bank_holds_a_year_of_nights_without_a_repeat():
    bank = question_bank()

    assert len(bank.questions) >= 365 + 36
    assert len(bank.rotation) >= 365
    assert THIRTY_SIX not in {question.deck for question in bank.rotation}


def test_every_deck_has_enough_questions_of_its_own():
    bank = question_bank()
    sizes = {deck.id: len(bank.in_deck(deck.id)) for deck in bank.decks}

    assert sizes.pop("thirty_six") == 36
    assert sizes.pop("starters") == 11  # the brief's twelve, less the one it gives twice
    assert sizes.pop("loved") >= 40  # how each of you likes to be loved (issue 16)
    assert sizes.keys() == {"future", "childhood", "gratitude", "playful", "relationship"}
    assert min(sizes.values()) >= 60


def test_every_rotating_deck_offers_light_questions_so_a_first_night_can_be_gentle():
    bank = question_bank()

    for deck in bank.decks:
        if deck.in_rotation:
            assert any(question.depth is Depth.LIGHT for question in bank.in_deck(deck.id)), deck.id


def test_the_thirty_six_come_in_three_sets_of_twelve_in_order_growing_more_personal():
    thirty_six = question_bank().thirty_six

    assert [question.position for question in thirty_six] == list(range(1, 37))
    assert [question.id for question in thirty_six] == [f"q36-{n:02d}" for n in range(1, 37)]
    assert [question.set for question in thirty_six] == [1] * 12 + [2] * 12 + [3] * 12
    assert {q.depth for q in thirty_six[:12]} == {Depth.LIGHT}
    assert {q.depth for q in thirty_six[12:24]} == {Depth.DEEPER}
    assert {q.depth for q in thirty_six[24:]} == {Depth.VULNERABLE}
    assert thirty_six[0].text.startswith("Given the choice of anyone in the world")
    assert thirty_six[35].text.startswith("Why are you grateful for the relationship")


def test_the_garbled_and_explicit_entries_of_the_source_list_are_repaired():
    texts = [question.text for question in question_bank().thirty_six]

    assert sum("ninety" in text for text in texts) == 1
    assert not any("talking to a wall" in text for text in texts)
    assert not any("sexual" in text.lower() for text in texts)


def test_the_duplicate_conversation_starter_appears_once():
    starters = [question.text for question in question_bank().in_deck("starters")]

    assert not any("been on your mind lately" in text for text in starters)
    assert "What's something you've been thinking about a lot lately?" in starters


def test_no_two_questions_ask_the_same_thing_in_other_words():
    questions = question_bank().questions
    words = {question.id: content_words(question.text) for question in questions}

    too_close = [
        (left.id, right.id, round(jaccard(words[left.id], words[right.id]), 2))
        for left, right in itertools.combinations(questions, 2)
        if jaccard(words[left.id], words[right.id]) >= NEAR_DUPLICATE
    ]

    assert too_close == []


def test_the_near_duplicate_check_catches_a_reworded_question_and_passes_a_new_one():
    loved = content_words("What makes you feel most loved by your partner?")
    respected = content_words("What does your partner do that makes you feel respected?")
    reordered = content_words("As a kid, what was your favorite meal?")
    meal = content_words("What was your favorite meal when you were a kid?")
    song = content_words("What was your favorite song when you were a kid?")

    assert jaccard(meal, reordered) == 1.0
    assert jaccard(loved, respected) >= NEAR_DUPLICATE
    assert jaccard(meal, song) < NEAR_DUPLICATE


def test_every_question_is_short_enough_to_say_in_about_fifteen_seconds():
    for question in question_bank().questions:
        spoken = question.text + " " + (question.follow_up or "")
        assert len(question.text) <= MAX_QUESTION_CHARS, question.id
        assert len(spoken.split()) <= MAX_SPOKEN_WORDS, question.id


def test_every_text_is_plain_speech_that_survives_ssml_escaping():
    for question in question_bank().questions:
        for text in filter(None, (question.text, question.follow_up)):
            parsed = ElementTree.fromstring(f"<speak>{escape(text)}</speak>")
            assert parsed.text == text, question.id
            assert text.isascii() and text.isprintable(), question.id
            assert text[-1] in ".?!", question.id


def test_every_deck_has_a_spoken_name_and_synonyms_unique_across_decks():
    synonyms = [synonym.lower() for deck in question_bank().decks for synonym in deck.synonyms]

    assert len(synonyms) == len(set(synonyms))
    assert all(deck.spoken_name for deck in question_bank().decks)


def test_the_loader_reads_the_file_once_per_container():
    assert question_bank() is question_bank()


def test_looking_up_questions_and_decks_by_id():
    bank = question_bank()

    assert bank.question("q36-14") == bank.thirty_six[13]
    assert bank.question("retired-001") is None
    assert bank.deck("future").spoken_name == "the future"
    assert bank.deck("astrology") is None


def mutate(change) -> dict:
    data = copy.deepcopy(raw_bank())
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda d: d["questions"].append(dict(d["questions"][40])), "repeated question id"),
        (lambda d: d["questions"][40].update(deck="astrology"), "unknown deck"),
        (lambda d: d["questions"][40].update(id="fut-999"), "must start with"),
        (lambda d: d["questions"][40].update(text="x" * (MAX_QUESTION_CHARS + 1)), "at most 250"),
        (lambda d: d["questions"][40].update(depth="bottomless"), "light"),
        (lambda d: d["questions"][40].update(position=37), "less than or equal to 36"),
        (lambda d: d["questions"][40].update(set=1, position=1), "only there"),
        (lambda d: d["questions"].pop(5), "positions 1 to 36"),
        (lambda d: d["questions"][5].update(position=13), "positions 1 to 36"),
        (lambda d: d["questions"][11].update(set=2), "belongs to set 1"),
        (lambda d: d["decks"][2]["synonyms"].append("fun"), "repeated deck synonym"),
        (lambda d: d["decks"].pop(0), "thirty_six deck is missing"),
    ],
)
def test_validation_rejects_a_broken_bank(change, complaint):
    with pytest.raises(ValidationError, match=complaint):
        QuestionBank.model_validate(mutate(change))


def test_the_unchanged_file_validates_to_what_the_runtime_reads():
    validated = QuestionBank.model_validate(raw_bank()).model_dump(mode="json")
    assert validated == json.loads(json.dumps(dataclasses.asdict(question_bank())))
