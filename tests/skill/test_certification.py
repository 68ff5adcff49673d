"""The skill package as Alexa certification reads it, in every locale: a rejection caught here, not at Amazon.

The manifest and the interaction models go through Amazon's own SMAPI model classes (ask-smapi-model), so
a misplaced or misspelt field fails here. Then what reviewers try: the example phrases against each
locale's model and through the deployed handler, the invocation name's rules, the built-in intents, a
reprompt whenever the microphone stays open, Alexa's 8,000-character limit, and a one-shot form for every
feature. The interaction models are generated (and may be regenerated while this runs), so they are read
when each test runs, and a failure lists everything a reviewer would reject rather than stopping at one.
"""

import json
import logging
import re
from functools import cache
from typing import Any

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from PIL import Image

from handlers.registry import FEATURES
from infra.pages import PAGES, rendered_pages
from skill.tools.cli import main
from skill.tools.console.envelopes import Device
from skill.tools.console.fake_alexa import FakeAlexaApi
from skill.tools.console.nlu import Resolution, model_path, normalise, understanding
from skill.tools.icons import ICON_SIZES, IMAGES_DIR, stale
from skill.tools.model.source import LOCALES
from skill.vocabulary import Intent, RequestType, Scope
from tests.support import (
    MAX_SPEECH_CHARS,
    ROOT,
    Accounts,
    Household,
    Reply,
    Stack,
    logged,
    read_to_the_end,
)

PACKAGE = ROOT / "skill" / "package"
MANIFEST_PATH = PACKAGE / "skill.json"
SMAPI_MANIFEST = "ask_smapi_model.v1.skill.manifest.skill_manifest_envelope.SkillManifestEnvelope"
SMAPI_MODEL = "ask_smapi_model.v1.skill.interaction_model.interaction_model_data.InteractionModelData"
SERIALIZER = DefaultSerializer()
SKILL_NAME = "Closer Together"
# Amazon's limits on a locale's listing in the skills store.
MAX_NAME_CHARS, MAX_SUMMARY_CHARS, MAX_DESCRIPTION_CHARS = 50, 160, 4000
MAX_KEYWORDS = 30
EXAMPLE_PHRASES = 3
# The built-in intents certification tries in every skill, in and out of a session.
CERTIFICATION_BUILT_INS = (
    Intent.HELP,
    Intent.STOP,
    Intent.CANCEL,
    Intent.FALLBACK,
    Intent.NAVIGATE_HOME,
)
# Invocation names: lower-case letters, spaces, possessive apostrophes and periods of abbreviations only,
# none of Alexa's launch words, connecting words or wake words, and no generic words for a skill.
INVOCATION_CHARACTERS = re.compile(r"^[a-z][a-z' .]*[a-z.]$")
LAUNCH_WORDS = frozenset(
    ("ask", "tell", "open", "launch", "start", "begin", "load", "run", "play", "use", "resume", "enable")
)
CONNECTING_WORDS = frozenset(
    ("to", "from", "in", "using", "with", "about", "for", "that", "by", "if", "and", "whether")
)
WAKE_WORDS = frozenset(("alexa", "amazon", "echo", "computer", "ziggy"))
GENERIC_WORDS = frozenset(("skill", "app"))
# A two-word name may not be made of an article, a pronoun or a preposition and one other word.
SMALL_WORDS = frozenset(("the", "a", "an", "of", "my", "our", "your", *CONNECTING_WORDS))
# How an example phrase reaches the skill: "Alexa, <launch words> <invocation> [<connecting word>] <sample>".
LAUNCH_PHRASE = r"^alexa, (?:ask|tell|open|launch|start|begin|talk to|use|load|run|play) "
PHRASE_CONNECTORS = re.compile(r"^(?:to|for|about|if|whether|that|and) ")
# A value for each slot, to say a sample as a person would.
SAID = {
    "firstName": "sam",
    "partnerName": "alex",
    "deck": "the future",
    "duration": "ten minutes",
    "text": "how you made coffee",
}
# The longest note the jar keeps, made of the characters SSML must escape the longest way.
LONGEST_NOTE = "'\"" * 250
# Outcomes of a turn that did not do what was asked (a failed turn logs no outcome at all).
FAILED = frozenset((None, "store_unavailable"))


def manifest() -> dict[str, Any]:
    return json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))


def model(locale: str) -> dict[str, Any]:
    """A locale's whole interaction model, as the generator wrote it (read afresh each time)."""
    return json.loads(model_path(locale).read_text(encoding="utf-8"))


def language_model(locale: str) -> dict[str, Any]:
    return model(locale)["interactionModel"]["languageModel"]


def listing(locale: str) -> dict[str, Any]:
    return manifest()["manifest"]["publishingInformation"]["locales"][locale]


# ---------------------------------------------------------------------------------------- Amazon's schema


def _differences(given: Any, read: Any, path: str) -> list[str]:
    """Where what we wrote and what Amazon's classes read back differ: a field they do not know, or a
    value they had to change (a string where a boolean belongs)."""
    if isinstance(given, dict) and isinstance(read, dict):
        unknown = [f"{path}/{key}: not a field of Amazon's schema here" for key in given if key not in read]
        return unknown + [
            problem
            for key in given
            if key in read
            for problem in _differences(given[key], read[key], f"{path}/{key}")
        ]
    if isinstance(given, list) and isinstance(read, list) and len(given) == len(read):
        return [
            problem
            for index, (item, read_item) in enumerate(zip(given, read, strict=True))
            for problem in _differences(item, read_item, f"{path}/{index}")
        ]
    if given == read and type(given) is type(read):
        return []
    return [f"{path}: {given!r} is not a valid value here"]


def smapi_problems(document: dict[str, Any], smapi_type: str) -> list[str]:
    """What Amazon's SMAPI model classes reject in a document: a value outside an enumeration, or anything
    lost or changed when the document is read into the classes and written back."""
    try:
        read = SERIALIZER.deserialize(json.dumps(document), smapi_type)
    except SerializationException as error:
        return [str(error)]
    return _differences(document, SERIALIZER.serialize(read), "")


def test_the_manifest_is_one_amazon_s_schema_accepts() -> None:
    assert smapi_problems(manifest(), SMAPI_MANIFEST) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_each_locale_s_model_is_one_amazon_s_schema_accepts(locale: str) -> None:
    assert smapi_problems(model(locale), SMAPI_MODEL) == []


def _misplaced_version(document: dict[str, Any]) -> None:
    document["manifestVersion"] = document["manifest"].pop("manifestVersion")


def _unknown_permission(document: dict[str, Any]) -> None:
    document["manifest"]["permissions"] = [{"name": "alexa::alerts:timers:skill:write"}]


def _misspelt_field(document: dict[str, Any]) -> None:
    us = document["manifest"]["publishingInformation"]["locales"]["en-US"]
    us["examplePhrase"] = us.pop("examplePhrases")


def _string_for_boolean(document: dict[str, Any]) -> None:
    document["manifest"]["privacyAndCompliance"]["usesPersonalInfo"] = "yes"


@pytest.mark.parametrize(
    "break_it", [_misplaced_version, _unknown_permission, _misspelt_field, _string_for_boolean]
)
def test_the_schema_check_catches_what_amazon_would_refuse(break_it: Any) -> None:
    document = manifest()
    break_it(document)
    assert smapi_problems(document, SMAPI_MANIFEST) != []


# ------------------------------------------------------------------------------------- the manifest's truth


def test_the_manifest_declares_the_personal_information_the_skill_keeps() -> None:
    # The jar keeps names, voice ids and the words of every appreciation: Amazon asks for "true" and a
    # privacy policy whenever a skill collects personal information.
    compliance = manifest()["manifest"]["privacyAndCompliance"]
    assert compliance["usesPersonalInfo"] is True
    assert compliance["allowsPurchases"] is False and compliance["containsAds"] is False
    assert compliance["isChildDirected"] is False


def test_the_manifest_asks_for_exactly_the_permissions_the_code_uses() -> None:
    permissions = [permission["name"] for permission in manifest()["manifest"]["permissions"]]
    assert sorted(permissions) == sorted(scope.value for scope in Scope)


def _event_name(request_type: RequestType) -> str:
    """AlexaSkillEvent.SkillPermissionAccepted → SKILL_PERMISSION_ACCEPTED, as the manifest names it."""
    words = re.findall(r"[A-Z][a-z]+", request_type.value.removeprefix("AlexaSkillEvent."))
    return "_".join(word.upper() for word in words)


def test_the_manifest_subscribes_to_exactly_the_skill_events_the_code_handles() -> None:
    handled = {_event_name(kind) for kind in RequestType if kind.value.startswith("AlexaSkillEvent.")}
    subscribed = {event["eventName"] for event in manifest()["manifest"]["events"]["subscriptions"]}
    assert subscribed == handled


def test_every_locale_is_published_in_its_own_country() -> None:
    information = manifest()["manifest"]
    assert sorted(information["publishingInformation"]["locales"]) == sorted(LOCALES)
    assert sorted(information["privacyAndCompliance"]["locales"]) == sorted(LOCALES)
    countries = information["publishingInformation"]["distributionCountries"]
    assert sorted(countries) == sorted(locale.split("-")[1] for locale in LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_each_locale_s_listing_is_complete_and_within_amazon_s_limits(locale: str) -> None:
    shown = listing(locale)
    assert shown["name"] == SKILL_NAME and len(shown["name"]) <= MAX_NAME_CHARS
    assert 0 < len(shown["summary"]) <= MAX_SUMMARY_CHARS
    assert 0 < len(shown["description"]) <= MAX_DESCRIPTION_CHARS
    assert 0 < len(shown["keywords"]) <= MAX_KEYWORDS and all(word.strip() for word in shown["keywords"])
    assert len(shown["examplePhrases"]) == EXAMPLE_PHRASES


@pytest.mark.parametrize("locale", LOCALES)
def test_each_locale_s_icons_are_the_repository_s_own_at_amazon_s_sizes(locale: str) -> None:
    shown = listing(locale)
    for field, size in (("smallIconUri", 108), ("largeIconUri", 512)):
        uri = shown[field]
        assert uri.startswith("file://assets/images/"), f"{field} is not an icon of the skill package: {uri}"
        path = PACKAGE / uri.removeprefix("file://")
        assert path.is_file(), f"{field} names {path}, which is not in the repository"
        with Image.open(path) as icon:
            assert (icon.format, icon.size) == ("PNG", (size, size)), path.name


def test_the_icons_are_what_the_drawing_script_draws() -> None:
    assert sorted(ICON_SIZES) == sorted(path.name for path in IMAGES_DIR.glob("*.png"))
    assert stale() == [], "an icon was edited by hand or the drawing changed: run `closer icons`"
    main(["icons", "--check"])  # what the README tells people to run: it passes too


@pytest.mark.parametrize("locale", LOCALES)
def test_each_locale_links_to_the_policy_pages_the_repository_publishes(locale: str) -> None:
    links = manifest()["manifest"]["privacyAndCompliance"]["locales"][locale]
    for key, markdown_name, field in PAGES:
        assert (ROOT / markdown_name).is_file()
        url = links[field]
        host = url.removeprefix("https://").split("/")[0]
        assert url.startswith("https://") and url.endswith(f"/{key}"), f"{field}: {url}"
        assert not re.search(r"(\.invalid|\.test|\.example|example\.(com|org|net)|localhost)$", host), url


def test_the_policy_pages_render_with_the_publisher_s_contact() -> None:
    pages = rendered_pages("privacy@closer.example")
    assert sorted(pages) == sorted(key for key, _, _ in PAGES)
    for page in pages.values():
        assert "mailto:privacy@closer.example" in page and "{{" not in page
    assert "<h2>How to delete it</h2>" in pages["privacy.html"]
    assert 'href="privacy.html"' in pages["terms.html"], "the terms link to the published policy"


# What AWS keeps by default when the template sets no point-in-time recovery period.
DEFAULT_RECOVERY_DAYS = 35
SECONDS_A_DAY = 86_400


def test_the_privacy_policy_states_the_periods_the_template_sets() -> None:
    # The policy promises how long deleted data lingers; the infrastructure decides it. Read both.
    template = (ROOT / "infra" / "template.yaml").read_text(encoding="utf-8")
    policy = " ".join((ROOT / "PRIVACY.md").read_text(encoding="utf-8").split())
    recovery = re.search(r"RecoveryPeriodInDays: (\d+)", template)
    backups = int(recovery.group(1)) if recovery else DEFAULT_RECOVERY_DAYS
    assert f"backups for up to {backups} days" in policy
    logs = re.search(r"LogRetentionDays:\s+Type: Number\s+Default: (\d+)", template)
    assert logs and f"Logs are kept {logs.group(1)} days" in policy
    queued = {
        int(seconds) // SECONDS_A_DAY for seconds in re.findall(r"MessageRetentionPeriod: (\d+)", template)
    }
    assert [days for days in queued if f"kept at most {days} days" not in policy] == []


# ----------------------------------------------------------------------------------------- invocation name


def invocation_name_problems(name: str) -> list[str]:
    """Amazon's invocation-name requirements that a name breaks."""
    words = name.split()
    problems = []
    if not INVOCATION_CHARACTERS.match(name) or "  " in name:
        problems.append("only lower-case letters, single spaces, apostrophes and periods")
    if len(words) < 2:
        problems.append("two or more words")
    if LAUNCH_WORDS & set(words) or CONNECTING_WORDS & set(words):
        problems.append("no launch or connecting words")
    if WAKE_WORDS & set(words) or GENERIC_WORDS & set(words):
        problems.append("no wake words, nor 'skill' or 'app'")
    if len(words) == 2 and SMALL_WORDS & set(words):
        problems.append("a two-word name without an article, pronoun or preposition")
    return problems


@pytest.mark.parametrize("locale", LOCALES)
def test_each_locale_s_invocation_name_follows_amazon_s_rules(locale: str) -> None:
    name = language_model(locale)["invocationName"]
    assert invocation_name_problems(name) == []
    assert name == SKILL_NAME.lower(), "the name in the store is the name people say"


@pytest.mark.parametrize(
    "name",
    ["closer", "ask closer together", "alexa together", "closer together skill", "the closer",
     "Closer Together", "closer together 2", "closer  together", "together for us"],
)  # fmt: skip
def test_the_invocation_name_rules_catch_what_amazon_refuses(name: str) -> None:
    assert invocation_name_problems(name) != []


# ----------------------------------------------------------------------------------------- example phrases


# What an example phrase may put where a sample has a slot of a built-in type: a duration, a first name.
BUILT_IN_SLOT_VALUES = {
    "AMAZON.DURATION": r"(?:[a-z]+ )+(?:minutes?|hours?)|(?:an? )?half (?:an )?hour|an hour",
    "AMAZON.FirstName": r"[a-z][a-z'.\-]*",
}


def _slot_values(slot_type: str, custom_types: dict[str, list[dict[str, Any]]]) -> str:
    """A pattern for what a slot of this type takes: a custom type's own values and synonyms, a built-in
    type's kind of words, or (for AMAZON.SearchQuery, always after its carrier phrase) any words."""
    if slot_type in custom_types:
        words = {
            normalise(word)
            for value in custom_types[slot_type]
            for word in [value["name"]["value"], *value["name"].get("synonyms", [])]
        }
        return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return BUILT_IN_SLOT_VALUES.get(slot_type, ".+")


def _sample_patterns(locale: str) -> list[re.Pattern[str]]:
    """Every sample utterance of the locale's model as Alexa hears it, each slot taking what its type
    takes."""
    language = language_model(locale)
    custom_types = {slot_type["name"]: slot_type["values"] for slot_type in language.get("types", [])}
    patterns = []
    for intent in language["intents"]:
        slot_types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        for sample in intent.get("samples", []):
            words = [
                f"(?:{_slot_values(slot_types[part[1:-1]], custom_types)})"
                if part.startswith("{")
                else re.escape(normalise(part))
                for part in re.split(r"(\{\w+\})", sample)
            ]
            patterns.append(re.compile(" ".join(word for word in words if word)))
    return patterns


def example_phrase_problems(locale: str) -> list[str]:
    """Each example phrase that is not "Alexa, <launch words> Closer Together [<connecting word>]" followed
    by one of the locale's sample utterances, exactly (certification's most common rejection)."""
    patterns = _sample_patterns(locale)
    invocation = language_model(locale)["invocationName"]
    shape = re.compile(LAUNCH_PHRASE + re.escape(invocation) + r"(?: (?P<rest>.+))?$")
    problems = []
    for phrase in listing(locale)["examplePhrases"]:
        spoken = shape.match(phrase.lower().rstrip(".!?"))
        if not spoken:
            problems.append(f"{phrase!r}: not 'Alexa, ask {SKILL_NAME} …'")
            continue
        said = spoken["rest"] or ""
        heard = [normalise(said), normalise(PHRASE_CONNECTORS.sub("", said))]
        if said and not any(pattern.fullmatch(words) for pattern in patterns for words in heard):
            problems.append(f"{phrase!r}: {said!r} is no sample utterance of the {locale} model")
    return problems


@pytest.mark.parametrize("locale", LOCALES)
def test_each_example_phrase_is_a_sample_utterance_of_its_locale_s_model(locale: str) -> None:
    assert example_phrase_problems(locale) == []


# ----------------------------------------------------------------------- the deployed skill, locale by locale


def household_in(locale: str, stack: Stack, alexa_api: FakeAlexaApi, accounts: Accounts) -> Household:
    device = Device(user_id=accounts.user_id(locale), locale=locale, api_endpoint=alexa_api.endpoint)
    return Household(stack.handler(), device=device)


def say(household: Household, resolution: Resolution) -> Reply:
    """What the console's understanding made of an utterance, sent as Alexa would send it."""
    if resolution.kind == "launch":
        return household.launch()
    if resolution.one_shot:
        return household.one_shot(resolution.intent or Intent.FALLBACK, **resolution.slots)
    return household.intent(resolution.intent or Intent.FALLBACK, **resolution.slots)


def turns(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """The turn log lines so far: each names the feature that answered and the outcome."""
    return [line for line in logged(caplog.records) if line.get("event") in ("turn", "turn_failed")]


CONVERSATIONAL = sorted(feature.name for feature in FEATURES if feature.conversational)


@pytest.mark.parametrize("locale", LOCALES)
def test_each_example_phrase_gets_its_feature_s_answer(
    locale: str,
    stack: Stack,
    alexa_api: FakeAlexaApi,
    accounts: Accounts,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    household = household_in(locale, stack, alexa_api, accounts)
    for phrase in listing(locale)["examplePhrases"]:
        say(household, understanding(locale).resolve(phrase))
    answered = [(line.get("feature"), line.get("outcome")) for line in turns(caplog)]
    assert len(answered) == EXAMPLE_PHRASES, answered
    assert [(by, outcome) for by, outcome in answered if by not in CONVERSATIONAL or outcome in FAILED] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_each_locale_has_the_built_in_intents_certification_tries(locale: str) -> None:
    declared = {intent["name"] for intent in language_model(locale)["intents"]}
    assert sorted(set(CERTIFICATION_BUILT_INS) - declared) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_the_built_ins_answer_as_certification_expects(
    locale: str, stack: Stack, alexa_api: FakeAlexaApi, accounts: Accounts
) -> None:
    household = household_in(locale, stack, alexa_api, accounts)
    for opening in (household.launch, lambda: household.intent(Intent.HELP)):
        reply = opening()
        assert reply.listening and reply.reprompt, "a welcome or help that asks must listen, with a reprompt"
    fallback = household.intent(Intent.FALLBACK)
    assert fallback.listening and fallback.reprompt and "tonight's question" in fallback.speech
    for leaving in (Intent.STOP, Intent.CANCEL, Intent.NAVIGATE_HOME):
        household.launch()
        reply = household.intent(leaving)
        assert reply.response["shouldEndSession"] is True and reply.speech, leaving
    household.launch()
    ended = household.send(household.conversation.session_ended())
    assert "outputSpeech" not in ended.response, "Alexa refuses speech in answer to SessionEndedRequest"


@cache
def one_shot_forms(locale: str) -> dict[str, Resolution]:
    """For each custom intent, the first of its samples that, said as "Alexa, ask Closer Together …"
    with everyday slot values, the locale's model hears as a one-shot of that intent."""
    nlu = understanding(locale)
    forms = {}
    for intent in language_model(locale)["intents"]:
        for sample in intent.get("samples", []):
            said = re.sub(r"\{(\w+)\}", lambda slot: SAID.get(slot.group(1), "something"), sample)
            resolution = nlu.resolve(f"alexa, ask {SKILL_NAME.lower()} {said}")
            if resolution.one_shot and resolution.intent == intent["name"]:
                forms[intent["name"]] = resolution
                break
    return forms


@pytest.mark.parametrize("locale", LOCALES)
def test_every_feature_has_a_one_shot_form_in_every_locale(
    locale: str,
    stack: Stack,
    alexa_api: FakeAlexaApi,
    accounts: Accounts,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    household = household_in(locale, stack, alexa_api, accounts)
    for resolution in one_shot_forms(locale).values():
        say(household, resolution)
    reached = {line.get("feature") for line in turns(caplog) if line.get("outcome") not in FAILED}
    assert [feature for feature in CONVERSATIONAL if feature not in reached] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_every_intent_answers_within_alexa_s_limits(
    locale: str, stack: Stack, alexa_api: FakeAlexaApi, accounts: Accounts
) -> None:
    """Every intent of the model, as a one-shot and straight after the welcome: whenever the microphone
    stays open there is a reprompt, and no answer is longer than Alexa accepts."""
    household = household_in(locale, stack, alexa_api, accounts)
    forms = one_shot_forms(locale)
    replies = []
    for intent in language_model(locale)["intents"]:
        form = forms.get(intent["name"], Resolution(kind="intent", intent=intent["name"], one_shot=True))
        replies.append(say(household, form))
        household.launch()
        replies.append(household.intent(form.intent or Intent.FALLBACK, **form.slots))
    assert [reply.speech for reply in replies if reply.listening and not reply.reprompt] == []
    assert max(len(reply.ssml) for reply in replies) <= MAX_SPEECH_CHARS


@pytest.mark.parametrize("locale", LOCALES)
def test_the_longest_notes_are_read_back_whole_within_alexa_s_limit(
    locale: str, stack: Stack, alexa_api: FakeAlexaApi, accounts: Accounts
) -> None:
    """Three of the longest notes the jar keeps, made of the characters SSML spells out longest: every
    answer stays within Alexa's limit, and reading on with "more" still reads every note."""
    household = household_in(locale, stack, alexa_api, accounts)
    notes = [f"{mark}{LONGEST_NOTE}"[: len(LONGEST_NOTE)] for mark in ("first", "second", "third")]
    for note in notes:
        household.wait(minutes=1)
        household.one_shot(Intent.SAVE_APPRECIATION, text=note)
    first = household.one_shot(Intent.READ_APPRECIATIONS)
    assert len(first.ssml) <= MAX_SPEECH_CHARS
    heard = read_to_the_end(household, first)
    assert [note[:10] for note in notes if note.strip() not in heard] == []
