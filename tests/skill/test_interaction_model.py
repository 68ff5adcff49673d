"""Every locale's interaction model as Alexa's model build would judge it, and as people would talk to it."""

import json
import re
from collections import Counter

import pytest

from skill.alexa_api import DEFAULT_TIME_ZONE_BY_LOCALE
from skill.tools.console.nlu import MODELS_DIR, model_path, normalise, understanding
from skill.tools.model.build import render, stale
from skill.tools.model.source import INVOCATION_NAME, LOCALES

MODELS = {
    locale: json.loads(model_path(locale).read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
    for locale in LOCALES
}
SKILL_MANIFEST = json.loads((MODELS_DIR.parents[1] / "skill.json").read_text(encoding="utf-8"))
# Alexa accepts letters, spaces, possessive apostrophes, periods in abbreviations and hyphens; no digits.
VALID_SAMPLE = re.compile(r"^(?:[a-z' .\-]|\{[A-Za-z]+\})+$")
MAX_SAMPLE_CHARS = 200
# The intents and slots the handlers are written against: the voice model may change what is said, never
# which intents there are or what slots they carry.
SCHEMA = {
    "AMAZON.HelpIntent": {},
    "AMAZON.StopIntent": {},
    "AMAZON.CancelIntent": {},
    "AMAZON.NavigateHomeIntent": {},
    "AMAZON.FallbackIntent": {},
    "StartCheckInIntent": {"duration": "AMAZON.DURATION"},
    "CheckInTimeLeftIntent": {},
    "PauseCheckInIntent": {},
    "ResumeCheckInIntent": {},
    "EndCheckInIntent": {},
    "CheckInCountIntent": {},
    "AMAZON.YesIntent": {},
    "AMAZON.NoIntent": {},
    "AMAZON.PauseIntent": {},
    "AMAZON.ResumeIntent": {},
    "DeleteAllDataIntent": {},
    "TonightsQuestionIntent": {},
    "AnotherQuestionIntent": {},
    "SkipQuestionIntent": {},
    "ThirtySixQuestionsIntent": {},
    "DeckQuestionIntent": {"deck": "DeckName"},
    "AMAZON.RepeatIntent": {},
    "AMAZON.NextIntent": {},
    "SaveAppreciationIntent": {"text": "AMAZON.SearchQuery"},
    "LogAppreciationIntent": {},
    "AppreciationAuthorIntent": {"firstName": "AMAZON.FirstName"},
    "AnonymousAppreciationIntent": {},
    "NameIntent": {"firstName": "AMAZON.FirstName", "partnerName": "AMAZON.FirstName"},
    "ReadAppreciationsIntent": {},
    "ReadWeekAppreciationsIntent": {},
    "ReadAuthorAppreciationsIntent": {"firstName": "AMAZON.FirstName"},
    "MoreAppreciationsIntent": {},
    "CountAppreciationsIntent": {},
    "DeleteLastAppreciationIntent": {},
    "DeleteAllAppreciationsIntent": {},
    "AMAZON.MoreIntent": {},
    "StartMonthlyCheckInIntent": {"duration": "AMAZON.DURATION"},
    "MonthlyPlanIntent": {"text": "AMAZON.SearchQuery"},
    "StartLoveQuizIntent": {"firstName": "AMAZON.FirstName"},
    "LoveLanguageIntent": {"firstName": "AMAZON.FirstName"},
    "LoveIdeaIntent": {"firstName": "AMAZON.FirstName"},
    "FirstChoiceIntent": {},
    "SecondChoiceIntent": {},
    "BothChoicesIntent": {},
    "NeitherChoiceIntent": {},
    "SetReminderIntent": {"ritual": "ReminderRitual", "days": "ReminderDays", "time": "AMAZON.TIME"},
    "ReminderTimeIntent": {"days": "ReminderDays", "time": "AMAZON.TIME"},
    "ListRemindersIntent": {},
    "ChangeReminderIntent": {"ritual": "ReminderRitual", "days": "ReminderDays", "time": "AMAZON.TIME"},
    "CancelReminderIntent": {"ritual": "ReminderRitual", "days": "ReminderDays"},
}
# What people reach for most: these get many more phrasings than Alexa's minimum.
MAIN_INTENTS = (
    "StartCheckInIntent",
    "CheckInTimeLeftIntent",
    "PauseCheckInIntent",
    "ResumeCheckInIntent",
    "EndCheckInIntent",
    "TonightsQuestionIntent",
    "AnotherQuestionIntent",
    "SkipQuestionIntent",
    "DeckQuestionIntent",
    "SaveAppreciationIntent",
    "LogAppreciationIntent",
    "AppreciationAuthorIntent",
    "NameIntent",
    "ReadAppreciationsIntent",
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
)
# A value for each slot, to say every sample as a person would.
SAID = {
    "firstName": "sam",
    "partnerName": "alex",
    "deck": "the future",
    "duration": "ten minutes",
    "text": "how you made coffee",
    "ritual": "check in",
    "days": "sunday",
    "time": "half past eight",
}


def intents_of(locale: str) -> list[dict]:
    return MODELS[locale]["intents"]


def custom_intents_of(locale: str) -> list[dict]:
    return [intent for intent in intents_of(locale) if not intent["name"].startswith("AMAZON.")]


def by_locale_and_intent(intents: str = "all") -> list[tuple[str, dict]]:
    return [
        (locale, intent)
        for locale in LOCALES
        for intent in (custom_intents_of(locale) if intents == "custom" else intents_of(locale))
    ]


def ids(cases: list[tuple[str, dict]]) -> list[str]:
    return [f"{locale}-{intent['name']}" for locale, intent in cases]


def test_the_committed_models_are_what_the_source_generates() -> None:
    assert stale() == [], "a model file was edited by hand or the source changed: run `closer model`"
    assert sorted(path.stem for path in MODELS_DIR.glob("*.json")) == sorted(LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_generator_writes_what_is_committed(locale: str) -> None:
    assert model_path(locale).read_text(encoding="utf-8") == render(locale)


@pytest.mark.parametrize("locale", LOCALES)
def test_invocation_name_is_two_lowercase_words(locale: str) -> None:
    assert MODELS[locale]["invocationName"] == INVOCATION_NAME == "closer together"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_declares_exactly_the_intents_and_slots_the_handlers_know(locale: str) -> None:
    names = Counter(intent["name"] for intent in intents_of(locale))
    assert [name for name, count in names.items() if count > 1] == []
    declared = {
        intent["name"]: {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        for intent in intents_of(locale)
    }
    assert declared == SCHEMA


CUSTOM_CASES = by_locale_and_intent("custom")


@pytest.mark.parametrize(("locale", "intent"), CUSTOM_CASES, ids=ids(CUSTOM_CASES))
def test_custom_intent_has_many_phrasings(locale: str, intent: dict) -> None:
    assert len(intent["samples"]) >= 15, f"{intent['name']} has only {len(intent['samples'])} phrasings"


@pytest.mark.parametrize("locale", LOCALES)
def test_the_main_intents_have_plenty_of_phrasings(locale: str) -> None:
    counts = {intent["name"]: len(intent["samples"]) for intent in intents_of(locale)}
    assert {name: counts[name] for name in MAIN_INTENTS if counts[name] < 40} == {}


ALL_CASES = by_locale_and_intent()


@pytest.mark.parametrize(("locale", "intent"), ALL_CASES, ids=ids(ALL_CASES))
def test_every_sample_is_one_alexa_accepts(locale: str, intent: dict) -> None:
    samples = intent.get("samples", [])
    assert len({sample.lower() for sample in samples}) == len(samples), "a phrasing is listed twice"
    declared = {slot["name"] for slot in intent.get("slots", [])}
    for sample in samples:
        assert VALID_SAMPLE.match(sample), sample
        assert sample == sample.strip() and "  " not in sample, sample
        assert len(sample) <= MAX_SAMPLE_CHARS, sample
        used = re.findall(r"\{(\w+)\}", sample)
        assert set(used) <= declared, sample
        assert len(used) == len(set(used)), f"{sample}: a slot used twice"
        assert not re.search(r"\}\s*\{", sample), f"{sample}: two slots with no words between them"
    if intent["name"] == "AMAZON.FallbackIntent":
        assert samples == []


@pytest.mark.parametrize(("locale", "intent"), CUSTOM_CASES, ids=ids(CUSTOM_CASES))
def test_every_declared_slot_is_used_by_some_sample(locale: str, intent: dict) -> None:
    used = {slot for sample in intent["samples"] for slot in re.findall(r"\{(\w+)\}", sample)}
    assert {slot["name"] for slot in intent.get("slots", [])} <= used


@pytest.mark.parametrize("locale", LOCALES)
def test_no_phrasing_belongs_to_two_intents(locale: str) -> None:
    # Compared as Alexa hears them: "check-in" and "check in" are the same words.
    owners: dict[str, str] = {}
    clashes = []
    for intent in intents_of(locale):
        for sample in intent.get("samples", []):
            key = normalise(sample)
            if key in owners and owners[key] != intent["name"]:
                clashes.append((sample, owners[key], intent["name"]))
            owners[key] = intent["name"]
    assert clashes == []


@pytest.mark.parametrize("locale", LOCALES)
def test_search_query_slots_always_have_a_carrier_phrase(locale: str) -> None:
    for intent in custom_intents_of(locale):
        search_slots = {
            slot["name"] for slot in intent.get("slots", []) if slot["type"] == "AMAZON.SearchQuery"
        }
        for sample in intent["samples"]:
            for slot in search_slots & set(re.findall(r"\{(\w+)\}", sample)):
                assert sample.replace("{" + slot + "}", "").strip(), f"{sample}: a SearchQuery slot alone"
                assert sample.count("{") == 1, f"{sample}: a SearchQuery slot beside another slot"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_custom_slot_type_used_is_defined_with_distinct_values(locale: str) -> None:
    defined = {slot_type["name"]: slot_type["values"] for slot_type in MODELS[locale].get("types", [])}
    used = {
        slot["type"]
        for intent in custom_intents_of(locale)
        for slot in intent.get("slots", [])
        if not slot["type"].startswith("AMAZON.")
    }
    assert used <= set(defined)
    for name in used:
        values = defined[name]
        assert values
        assert len({value["id"] for value in values}) == len(values)
        words = [
            normalise(word)
            for value in values
            for word in [value["name"]["value"], *value["name"]["synonyms"]]
        ]
        assert [word for word, count in Counter(words).items() if count > 1] == [], name


@pytest.mark.parametrize("locale", LOCALES)
def test_the_console_hears_every_sample_as_its_own_intent(locale: str) -> None:
    """No sample is shadowed by another intent's: said as written, each reaches the intent it belongs to."""
    nlu = understanding(locale)
    misheard = []
    for intent in intents_of(locale):
        for sample in intent.get("samples", []):
            said = re.sub(r"\{(\w+)\}", lambda slot: SAID[slot.group(1)], sample)
            heard = nlu.resolve(said).intent
            if heard != intent["name"]:
                misheard.append((sample, intent["name"], heard))
    assert misheard == []


@pytest.mark.parametrize("locale", LOCALES)
def test_each_locale_is_published_with_example_phrases_that_match_its_model(locale: str) -> None:
    manifest = SKILL_MANIFEST["manifest"]
    listing = manifest["publishingInformation"]["locales"][locale]
    assert listing["name"] == "Closer Together"
    assert listing["summary"] and listing["description"] and listing["keywords"]
    assert manifest["privacyAndCompliance"]["locales"][locale]["privacyPolicyUrl"]
    samples = {sample.lower() for intent in custom_intents_of(locale) for sample in intent["samples"]}
    assert len(listing["examplePhrases"]) == 3
    for phrase in listing["examplePhrases"]:
        assert phrase.startswith("Alexa, "), phrase
        spoken = phrase.lower().rstrip(".").removeprefix("alexa, ")
        rest = re.sub(r"^(ask|tell|open) closer together( (to|for|that))?\s*", "", spoken)
        assert any(re.fullmatch(re.sub(r"\\{\w+\\}", ".+", re.escape(sample)), rest) for sample in samples), (
            phrase
        )
        resolution = understanding(locale).resolve(phrase)
        assert resolution.one_shot and resolution.intent != "AMAZON.FallbackIntent", phrase


def test_the_manifest_lists_exactly_our_locales() -> None:
    manifest = SKILL_MANIFEST["manifest"]
    assert set(manifest["publishingInformation"]["locales"]) == set(LOCALES)
    assert set(manifest["privacyAndCompliance"]["locales"]) == set(LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_each_locale_has_a_default_time_zone(locale: str) -> None:
    assert locale in DEFAULT_TIME_ZONE_BY_LOCALE
