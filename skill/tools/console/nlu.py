"""A small stand-in for Alexa's language understanding, built from our own interaction model.

Typed text is matched against every sample utterance of the model (slots become captures), Amazon's
built-in intents are matched by their usual phrases, and "ask/tell Closer Together …" is a one-shot.
"""

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from skill.tools.console.envelopes import Slot

MODEL_PATH = Path(__file__).resolve().parents[2] / "package" / "interactionModels" / "custom" / "en-US.json"

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


@dataclass
class _Sample:
    intent: str
    pattern: re.Pattern[str]
    slot_types: dict[str, str]
    literal_chars: int


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
        for intent in language["intents"]:
            slot_types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
            phrases = list(intent.get("samples", [])) + list(BUILT_IN_PHRASES.get(intent["name"], ()))
            for phrase in phrases:
                self.samples.append(self._compile(intent["name"], phrase, slot_types))

    @staticmethod
    def _compile(intent: str, phrase: str, slot_types: dict[str, str]) -> _Sample:
        parts = re.split(r"(\{\w+\})", phrase)
        regex, literal = "", 0
        for part in parts:
            if part.startswith("{") and part.endswith("}"):
                regex += f"(?P<{part[1:-1]}>.+?)"
            else:
                text = normalise(part)
                literal += len(text)
                spaced = re.escape(text).replace("\\ ", " ")
                regex += f" {spaced} " if text else " "
        regex = re.sub(r" +", " ", regex).strip()
        return _Sample(intent, re.compile(f"^{regex}$"), slot_types, literal)

    def resolve(self, typed: str) -> Resolution:
        """Launch, one-shot or in-session intent; anything unmatched is AMAZON.FallbackIntent."""
        text = re.sub(r"^alexa ", "", normalise(typed))
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
        best: tuple[int, str, dict[str, Slot]] | None = None
        for sample in self.samples:
            match = sample.pattern.match(text)
            if not match:
                continue
            slots = {
                name: self._slot(sample.slot_types.get(name, ""), value)
                for name, value in match.groupdict().items()
            }
            if any(slot is None for slot in slots.values()):
                continue
            if best is None or sample.literal_chars > best[0]:
                best = (sample.literal_chars, sample.intent, {k: v for k, v in slots.items() if v})
        return (best[1], best[2]) if best else None

    def _slot(self, slot_type: str, heard: str) -> Slot | None:
        heard = heard.strip()
        if slot_type == "AMAZON.DURATION":
            duration = parse_duration(heard)
            return Slot(value=duration) if duration else None
        if slot_type == "AMAZON.NUMBER":
            number = parse_number(heard)
            return Slot(value=str(number)) if number is not None else None
        if slot_type in self.types:
            return self._custom_slot(slot_type, heard)
        return Slot(value=heard)

    def _custom_slot(self, slot_type: str, heard: str) -> Slot:
        for value in self.types[slot_type]:
            name = value["name"]
            spoken = [name["value"], *name.get("synonyms", [])]
            if heard in {normalise(word) for word in spoken}:
                return Slot(heard, value.get("id") or name["value"], name["value"], slot_type)
        return Slot(heard, slot_type=slot_type)


@lru_cache(maxsize=1)
def understanding() -> Understanding:
    """The console's understanding of our en-US model."""
    return Understanding(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
