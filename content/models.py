"""Pydantic models for the spoken text, and their once-per-container loaders."""

import json
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

DATA_DIR = Path(__file__).parent
MAX_SPOKEN_CHARS = 600  # about 30 seconds of speech: longer lines lose a listener


class SpokenLine(BaseModel):
    """One thing Alexa says, with what she says if nobody answers (when the microphone stays open)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    speech: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    reprompt: str | None = Field(default=None, min_length=1, max_length=MAX_SPOKEN_CHARS)


class Phrases(BaseModel):
    """The skill's own lines. Placeholders in braces are filled with already-escaped text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    welcome: SpokenLine
    welcome_back: SpokenLine
    help: SpokenLine
    goodbye: SpokenLine
    fallback: SpokenLine
    error: SpokenLine


def _load_json(name: str) -> object:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def phrases() -> Phrases:
    """The validated spoken lines, loaded on first use and kept for the container's life."""
    return Phrases.model_validate(_load_json("phrases.json"))
