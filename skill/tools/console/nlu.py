"""A small stand-in for Alexa's language understanding, built from our own interaction model.

Typed text is matched against every sample utterance of a locale's model (slots become captures), Amazon's
built-in intents are matched by their usual phrases and by the samples our model adds to them, and
"ask/tell Closer Together …" is a one-shot. It forgives what Alexa's front end forgives and no more: case,
punctuation (a missing apostrophe too), a leading "Alexa" or "hey Alexa", the fillers "um", "uh" and "erm",
and a trailing "please".
"""

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from skill.tools.console.envelopes import Slot

MODELS_DIR = Path(__file__).resolve().parents[2] / "package" / "interactionModels" / "custom"
DEFAULT_LOCALE = "en-US"
MODEL_PATH = MODELS_DIR / f"{DEFAULT_LOCALE}.json"

# What people say for Amazon's built-in intents (Alexa knows these without samples in our model).
BUILT_IN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.HelpIntent": ("help", "help me", "what can i say", "what can you do", "how does this work"),
    "AMAZON.StopIntent": ("stop", "quit", "exit", "goodbye", "bye", "shut up", "that's all", "i'm done"),
    "AMAZON.CancelIntent": ("cancel", "never mind", "nevermind", "forget it"),
    "AMAZON.NavigateHomeIntent": ("go home", "go to home", "home"),
    "AMAZON.YesIntent": ("yes", "yeah", "yep", "sure", "ok", "okay", "yes please", "please do", "do it"),
    "AMAZON.NoIntent": ("no", "nope", "no thanks", "no thank you", "don't"),
    "AMAZON.RepeatIntent": ("repeat", "repeat that", "say that again", "again", "what was that"),
    "AMAZON.NextIntent": ("next", "next one", "skip ahead"),
    "AMAZON.PreviousIntent": ("previous", "go back", "back"),
    "AMAZON.MoreIntent": ("more", "tell me more", "keep going"),
    "AMAZON.PauseIntent": ("pause",),
    "AMAZON.ResumeIntent": ("resume", "continue", "unpause"),
    "AMAZON.StartOverIntent": ("start over", "restart", "begin again"),
}
ONE_SHOT_VERBS = ("ask", "tell", "use", "have", "open", "launch", "start", "begin", "load", "run", "play")
CONNECTORS = re.compile(r"^(?:for|to|about|if|whether|that|and|with|by|from) ")
# What Alexa's front end lets go of before it matches: the wake word, hesitations, a closing "please".
WAKE_WORD = re.compile(r"^(?:hey )?alexa\b ?")
FILLERS = re.compile(r"\b(?:um+|uhm|uh+(?! huh| oh)|erm+|er)\b ?")
TRAILING_PLEASE = re.compile(r"(?:^| )please$")
# AMAZON.FirstName fills names: a word or two, never a pronoun or an article.
NOT_NAMES = frozenset(
    (
        *("i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your", "yours"),
        *("he", "him", "his", "she", "her", "hers", "they", "them", "their", "it", "its"),
        *("this", "that", "these", "those", "the", "a", "an"),
    )
)
MAX_UNKNOWN_SLOT_WORDS = 3
NAME_WORD = re.compile(r"^[a-z][a-z'.\-]*$")
_UNITS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen"),
    *("nineteen", "twenty"),
)
NUMBER_WORDS = {word: value for value, word in enumerate(_UNITS)} | {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}


@dataclass(frozen=True)
class Resolution:
    """What the typed text meant: a launch, or an intent with slots, and whether it was a one-shot."""

    kind: str
    intent: str | None = None
    slots: dict[str, Slot] = field(default_factory=dict)
    one_shot: bool = False


def number_words(number: int) -> str:
    """A number under a hundred as Alexa's recognizer writes it: 36 → 'thirty six'."""
    if number <= 20:
        return _UNITS[number]
    tens, units = divmod(number, 10)
    tens_word = next(word for word, value in NUMBER_WORDS.items() if value == tens * 10)
    return tens_word if units == 0 else f"{tens_word} {_UNITS[units]}"


def normalise(text: str) -> str:
    """Lower case, words only (apostrophes inside words kept), single spaces; hyphens and digits are
    heard as Alexa writes them ('check-in' as 'check in', '36' as 'thirty six')."""
    text = text.lower().replace("\u2019", "'").replace("-", " ")
    text = re.sub(r"\b\d{1,2}\b", lambda digits: number_words(int(digits.group())), text)
    text = re.sub(r"[^\w' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip(" '")


def spoken(text: str) -> str:
    """What Alexa would match on: normalised, without a leading "Alexa", fillers, or a trailing "please"."""
    text = WAKE_WORD.sub("", normalise(text))
    text = FILLERS.sub("", text).strip()
    return TRAILING_PLEASE.sub("", text).strip()


def model_path(locale: str = DEFAULT_LOCALE) -> Path:
    """The generated interaction model of a locale."""
    return MODELS_DIR / f"{locale}.json"


def parse_number(words: str) -> int | None:
    """'fifteen', 'twenty five', '45' and the like as a whole number."""
    words = words.replace("-", " ").strip()
    if words.isdigit():
        return int(words)
    total = 0
    for word in words.split():
        if word not in NUMBER_WORDS:
            return None
        total += NUMBER_WORDS[word]
    return total if words else None


def parse_duration(words: str) -> str | None:
    """An AMAZON.DURATION value (ISO 8601) from what Alexa would hear, e.g. 'fifteen minutes' → PT15M."""
    words = words.replace("-", " ")
    if re.fullmatch(r"(?:a |an )?half (?:an |a )?hour", words):
        return "PT30M"
    if re.fullmatch(r"(?:an|a|one) hour", words):
        return "PT1H"
    match = re.fullmatch(r"(?P<amount>[\w ]+?) (?P<unit>minutes?|mins?|hours?|seconds?)", words)
    if not match:
        return None
    amount = parse_number(match["amount"])
    if amount is None:
        return None
    unit = {"m": "M", "h": "H", "s": "S"}[match["unit"][0]]
    return f"PT{amount}{unit}"


# AMAZON.TIME: a part of the day said without a time, as Alexa fills the slot.
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "tonight": "EV", "night": "NI"}
NAMED_TIMES = {"noon": "12:00", "midday": "12:00", "midnight": "00:00"}
_MORNING = re.compile(r" (?:a ?m|in the morning)$")
_LATER = re.compile(r" (?:p ?m|in the (?:afternoon|evening)|at night|tonight)$")
_PAST = re.compile(r"^(?P<minutes>half|quarter|[\w ]+?)(?: minutes?)? (?P<way>past|after|to) (?P<hour>\w+)$")
_SPOKEN_MINUTES = {"half": 30, "quarter": 15}


def _hour(word: str) -> int | None:
    hour = parse_number(word)
    return hour if hour is not None and 1 <= hour <= 12 else None


def _clock(words: str) -> tuple[int, int] | None:
    """A time of day said without a.m. or p.m.: "eight", "eight o'clock", "eight thirty", "eight oh
    five", "half past eight", "twenty to nine"."""
    past = _PAST.match(words)
    if past:
        hour = _hour(past["hour"])
        minutes = _SPOKEN_MINUTES.get(past["minutes"], parse_number(past["minutes"]) or 0)
        if hour is None or not 0 < minutes < 60:
            return None
        return ((hour - 1) % 12 or 12, 60 - minutes) if past["way"] == "to" else (hour, minutes)
    first, _, rest = words.removesuffix(" o'clock").partition(" ")
    hour = _hour(first)
    minutes = parse_number(rest.removeprefix("oh ")) if rest else 0
    if hour is None or minutes is None or not 0 <= minutes < 60:
        return None
    return hour, minutes


def parse_time(words: str) -> str | None:
    """An AMAZON.TIME value from what Alexa would hear: "HH:MM", as she writes an hour said without a.m.
    or p.m. (the morning's, "08:30"), or a part of the day ("EV"); None if it is not a time."""
    words = words.strip()
    if words in PARTS_OF_DAY:
        return PARTS_OF_DAY[words]
    if words in NAMED_TIMES:
        return NAMED_TIMES[words]
    morning, later = _MORNING.search(words), _LATER.search(words)
    clock = _clock(_MORNING.sub("", _LATER.sub("", words)))
    if clock is None:
        return None
    hour, minutes = clock
    if morning and hour == 12:
        hour = 0
    elif later and hour < 12:
        hour += 12
    return f"{hour:02d}:{minutes:02d}"


def _exact_key(words: str) -> str:
    """Words as a lookup key for samples without slots: typed text may leave out an apostrophe."""
    return " ".join(words.replace("'", "").split())


@dataclass
class _Sample:
    intent: str
    pattern: re.Pattern[str]
    slot_types: dict[str, str]
    literal_chars: int

    @property
    def slot_only(self) -> bool:
        """A sample that is nothing but a slot ("{deck}"): it takes only what the slot recognises."""
        return self.literal_chars == 0


class Understanding:
    """Resolves typed utterances against one interaction model."""

    def __init__(self, model: dict[str, Any]) -> None:
        language = model["interactionModel"]["languageModel"]
        self.invocation = normalise(language["invocationName"])
        self.types = {
            slot_type["name"]: slot_type.get("values", []) for slot_type in language.get("types", [])
        }
        self.declared = {intent["name"] for intent in language["intents"]}
        self.samples: list[_Sample] = []
        # Samples without slots, by their words (apostrophes aside): said exactly, one of them accounts
        # for everything said, which no sample with a slot can beat, so the thousands of others need no try.
        self.exact: dict[str, list[_Sample]] = {}
        for intent in language["intents"]:
            slot_types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
            phrases = list(intent.get("samples", [])) + list(BUILT_IN_PHRASES.get(intent["name"], ()))
            for phrase in phrases:
                sample = self._compile(intent["name"], phrase, slot_types)
                if "{" in phrase:
                    self.samples.append(sample)
                else:
                    words = FILLERS.sub("", normalise(TRAILING_PLEASE.sub("", phrase.strip())))
                    self.exact.setdefault(_exact_key(words), []).append(sample)

    @staticmethod
    def _compile(intent: str, phrase: str, slot_types: dict[str, str]) -> _Sample:
        parts = re.split(r"(\{\w+\})", TRAILING_PLEASE.sub("", phrase.strip()))
        regex, literal = "", 0
        for part in parts:
            if part.startswith("{") and part.endswith("}"):
                regex += f"(?P<{part[1:-1]}>.+?)"
            else:
                text = FILLERS.sub("", normalise(part)).strip()
                literal += len(text)
                # Typed text may leave out an apostrophe ("whats"); Alexa would still hear "what's".
                spaced = re.escape(text).replace("\\ ", " ").replace("'", "'?")
                regex += f" {spaced} " if text else " "
        regex = re.sub(r" +", " ", regex).strip()
        return _Sample(intent, re.compile(f"^{regex}$"), slot_types, literal)

    def resolve(self, typed: str) -> Resolution:
        """Launch, one-shot or in-session intent; anything unmatched is AMAZON.FallbackIntent."""
        text = spoken(typed)
        for verb in ONE_SHOT_VERBS:
            prefix = f"{verb} {self.invocation}"
            if text == prefix or text.startswith(prefix + " "):
                return self._one_shot(text[len(prefix) :].strip())
        intent, slots = self._intent(text) or ("AMAZON.FallbackIntent", {})
        return Resolution(kind="intent", intent=intent, slots=slots)

    def _one_shot(self, rest: str) -> Resolution:
        if not rest:
            return Resolution(kind="launch")
        resolved = self._intent(CONNECTORS.sub("", rest)) or self._intent(rest)
        intent, slots = resolved or ("AMAZON.FallbackIntent", {})
        return Resolution(kind="intent", intent=intent, slots=slots, one_shot=True)

    def _intent(self, text: str) -> tuple[str, dict[str, Slot]] | None:
        # The sample that accounts for most of what was said wins: its own words, and the words of a
        # slot value the model lists (a deck's name counts like a sample's words); a tie goes to own words.
        said_exactly = [
            sample for sample in self.exact.get(_exact_key(text), []) if sample.pattern.match(text)
        ]
        if said_exactly:
            return max(said_exactly, key=lambda sample: sample.literal_chars).intent, {}
        best: tuple[tuple[int, int], str, dict[str, Slot]] | None = None
        for sample in self.samples:
            match = sample.pattern.match(text)
            if not match:
                continue
            slots = {
                name: self._slot(sample.slot_types.get(name, ""), value, sample.slot_only)
                for name, value in match.groupdict().items()
            }
            if any(slot is None for slot in slots.values()):
                continue
            listed = sum(len(slot.value or "") for slot in slots.values() if slot and slot.resolved_id)
            score = (sample.literal_chars + listed, sample.literal_chars)
            if best is None or score > best[0]:
                best = (score, sample.intent, {k: v for k, v in slots.items() if v})
        return (best[1], best[2]) if best else None

    def _slot(self, slot_type: str, heard: str, alone: bool = False) -> Slot | None:
        heard = heard.strip()
        if slot_type == "AMAZON.FirstName":
            words = heard.split()
            named = all(NAME_WORD.match(word) and word not in NOT_NAMES for word in words)
            return Slot(value=heard) if named and len(words) <= (1 if alone else 2) else None
        if slot_type == "AMAZON.DURATION":
            duration = parse_duration(heard)
            return Slot(value=duration) if duration else None
        if slot_type == "AMAZON.TIME":
            said = parse_time(heard)
            return Slot(value=said) if said else None
        if slot_type == "AMAZON.NUMBER":
            number = parse_number(heard)
            return Slot(value=str(number)) if number is not None else None
        if slot_type in self.types:
            # A value the type doesn't know is still sent (Alexa's custom slots are not a closed list), if
            # it is a phrase rather than a sentence, and not all that was said.
            slot = self._custom_slot(slot_type, heard)
            known = slot.resolved_id is not None
            return slot if known or (not alone and len(heard.split()) <= MAX_UNKNOWN_SLOT_WORDS) else None
        return Slot(value=heard)

    def _custom_slot(self, slot_type: str, heard: str) -> Slot:
        for value in self.types[slot_type]:
            name = value["name"]
            words = [name["value"], *name.get("synonyms", [])]
            if heard.replace("'", "") in {normalise(word).replace("'", "") for word in words}:
                return Slot(heard, value.get("id") or name["value"], name["value"], slot_type)
        return Slot(heard, slot_type=slot_type)


def understanding(locale: str = DEFAULT_LOCALE) -> Understanding:
    """The console's understanding of one locale's generated model (en-US unless told), built once."""
    return _understanding(locale)


@lru_cache(maxsize=8)
def _understanding(locale: str) -> Understanding:
    path = model_path(locale)
    if not path.is_file():
        known = sorted(model.stem for model in MODELS_DIR.glob("*.json"))
        raise ValueError(f"no interaction model for locale {locale!r}; there are: {', '.join(known)}")
    return Understanding(json.loads(path.read_text(encoding="utf-8")))
