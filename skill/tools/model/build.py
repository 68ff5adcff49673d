"""Turn the one source (source.py) into each locale's interaction model, as Alexa's skill package wants it."""

import itertools
import json
import re
from pathlib import Path
from typing import Any

from content.questions import question_bank
from skill.tools.model.source import EXTRA, INVOCATION_NAME, LOCALES, SHARED, SLOTS, SPELLING

MODELS_DIR = Path(__file__).resolve().parents[2] / "package" / "interactionModels" / "custom"
_GROUP = re.compile(r"\(([^()]*)\)")


def expand(pattern: str) -> list[str]:
    """Every sample a pattern stands for: "(a|b|)" is a choice, an empty choice leaves the words out."""
    pieces = _GROUP.split(pattern)
    # Odd pieces are the choices of a group, even pieces the words between groups.
    options = [piece.split("|") if index % 2 else [piece] for index, piece in enumerate(pieces)]
    return [re.sub(r"\s+", " ", "".join(choice)).strip() for choice in itertools.product(*options)]


def _respell(sample: str, spelling: dict[str, str]) -> str:
    return " ".join(spelling.get(word, word) for word in sample.split(" "))


def samples(locale: str, intent: str) -> list[str]:
    """The samples of one intent in one locale: shared ones (respelled), then the locale's own, once each."""
    spelling = SPELLING.get(locale, {})
    patterns = [*SHARED[intent], *EXTRA.get(locale, {}).get(intent, ())]
    found: dict[str, None] = {}
    for pattern in patterns:
        for sample in expand(pattern):
            found.setdefault(_respell(sample, spelling), None)
    return list(found)


def deck_type() -> dict[str, Any]:
    """The DeckName slot type: each deck of the question bank, by id, with the words people use for it."""
    values = []
    for deck in question_bank().decks:
        first, *others = deck.synonyms
        values.append({"id": deck.id, "name": {"value": first, "synonyms": others}})
    return {"name": "DeckName", "values": values}


def build(locale: str) -> dict[str, Any]:
    """One locale's interaction model."""
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}: we publish {', '.join(LOCALES)}")
    intents = []
    for name in SHARED:
        intent: dict[str, Any] = {"name": name}
        if name in SLOTS:
            intent["slots"] = [{"name": slot, "type": slot_type} for slot, slot_type in SLOTS[name]]
        intent["samples"] = samples(locale, name)
        intents.append(intent)
    language = {"invocationName": INVOCATION_NAME, "intents": intents, "types": [deck_type()]}
    return {"interactionModel": {"languageModel": language}}


def render(locale: str) -> str:
    """One locale's model file, byte for byte."""
    return json.dumps(build(locale), indent=2, ensure_ascii=False) + "\n"


def model_file(locale: str, directory: Path = MODELS_DIR) -> Path:
    """Where a locale's model file lives in the skill package."""
    return directory / f"{locale}.json"


def stale(directory: Path = MODELS_DIR) -> list[Path]:
    """The model files that differ from what the source makes (missing ones included)."""
    return [
        model_file(locale, directory)
        for locale in LOCALES
        if not model_file(locale, directory).is_file()
        or model_file(locale, directory).read_text(encoding="utf-8") != render(locale)
    ]


def write_all(directory: Path = MODELS_DIR) -> list[Path]:
    """Write every locale's model file; the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for locale in LOCALES:
        path = model_file(locale, directory)
        path.write_text(render(locale), encoding="utf-8")
        written.append(path)
    return written
