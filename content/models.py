"""Pydantic models for the spoken text, and their once-per-container loaders."""

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


class ListeningLine(SpokenLine):
    """A line after which the microphone stays open, so it must say what to do if nobody answers."""

    reprompt: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)


class PrivacyPhrases(BaseModel):
    """Deleting everything a household has stored. `{count}` is how many records were removed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    confirm: ListeningLine
    done: SpokenLine
    nothing_stored: SpokenLine
    kept: SpokenLine
    failed: ListeningLine
    help: ListeningLine


class QuestionPhrases(BaseModel):
    """Tonight's question. `{question}` is the question itself; every line leaves the microphone open."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tonight: ListeningLine
    tonight_again: ListeningLine
    another: ListeningLine
    skipped: ListeningLine
    from_deck: ListeningLine
    repeat: ListeningLine
    which_deck: ListeningLine
    help: ListeningLine
    thirty_six: ListeningLine
    thirty_six_begin: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    thirty_six_resume: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    thirty_six_again: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    thirty_six_skipped: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    thirty_six_set: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    thirty_six_done: ListeningLine
    thirty_six_unavailable: ListeningLine


class AppreciationPhrases(BaseModel):
    """The appreciation jar and partners' names. `{text}` is an appreciation as said (escaped), `{name}` a
    partner's name, `{when}` a day ("Today", "On Monday"), `{count}` the words `one` or `many` filled in."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    prompt: ListeningLine
    unheard: ListeningLine
    too_long: ListeningLine
    who: ListeningLine
    who_of_names: ListeningLine
    saved_from: SpokenLine
    saved: SpokenLine
    saved_no_name_heard: SpokenLine
    signed: SpokenLine
    left_unsigned: SpokenLine
    sign_failed: ListeningLine
    save_failed: ListeningLine
    let_go: SpokenLine
    anything_else: ListeningLine
    empty_jar: ListeningLine
    empty_week: ListeningLine
    empty_author: ListeningLine
    intro_all: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    intro_week: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    intro_author: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    item_from: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    item: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    more: ListeningLine
    still_looking: ListeningLine
    read_end: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    read_failed: ListeningLine
    one: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    many: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    count: SpokenLine
    delete_last_confirm: ListeningLine
    deleted_last: SpokenLine
    already_gone: SpokenLine
    already_empty: SpokenLine
    kept: SpokenLine
    delete_all_confirm: ListeningLine
    deleted_all: SpokenLine
    delete_all_more: ListeningLine
    kept_all: SpokenLine
    delete_failed: ListeningLine
    delete_partly_failed: ListeningLine
    yes_or_no: ListeningLine
    help_text: ListeningLine
    help_author: ListeningLine
    help_reading: ListeningLine
    help_confirm: ListeningLine
    name_saved_voice: SpokenLine
    name_saved: SpokenLine
    name_unheard: ListeningLine
    name_failed: ListeningLine


class Phrases(BaseModel):
    """The skill's own lines. Placeholders in braces are filled with already-escaped text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    welcome: SpokenLine
    welcome_back: SpokenLine
    help: SpokenLine
    goodbye: SpokenLine
    fallback: SpokenLine
    error: SpokenLine
    appreciation: AppreciationPhrases
    privacy: PrivacyPhrases
    question: QuestionPhrases


@lru_cache(maxsize=1)
def phrases() -> Phrases:
    """The validated spoken lines, loaded on first use and kept for the container's life."""
    return Phrases.model_validate_json((DATA_DIR / "phrases.json").read_bytes())
