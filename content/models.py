"""Pydantic models for the spoken text, and their once-per-container loaders."""

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

DATA_DIR = Path(__file__).parent
MAX_SPOKEN_CHARS = 600  # about 30 seconds of speech: longer lines lose a listener

# The speech budget, in words of the plain text (SSML stripped): a couple takes in one idea a turn by ear.
# tests/content/test_speech_budget.py holds every line to it, with placeholders at their worst.
MAX_LINE_WORDS = 30  # a routine reply, and separately its reprompt (about twelve seconds)
MAX_STEP_WORDS = 30  # one step of a guide: the words between two pauses
MAX_GUIDE_WORDS = 75  # a whole guide (the check-in's, the 36 questions' start), every step together
# An appreciation of more words than this is acknowledged without being read back (the `*_long` lines).
ECHO_MAX_WORDS = 12
# How many of its first words identify a long appreciation that is about to be deleted.
OPENING_WORDS = 6


def echoed(text: str) -> bool:
    """Whether an appreciation is short enough to be read back when it is saved or deleted; a longer one
    gets the `*_long` line, which confirms without repeating it."""
    return len(text.split()) <= ECHO_MAX_WORDS


def opening(text: str) -> str:
    """The first words of an appreciation, enough to tell which it is, without the punctuation that ended
    them (as said: escape before speaking)."""
    return " ".join(text.split()[:OPENING_WORDS]).rstrip(" ,;:-.!?")


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
    """Tonight's question. `{question}` is the question itself. Once a question is asked the couple talk to
    each other, not to Alexa: its line closes the session and ends with how to ask for the next one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tonight: SpokenLine
    tonight_again: SpokenLine
    another: SpokenLine
    skipped: SpokenLine
    from_deck: SpokenLine
    repeat: SpokenLine
    which_deck: ListeningLine
    thirty_six: SpokenLine
    thirty_six_begin: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    thirty_six_resume: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    thirty_six_again: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    thirty_six_skipped: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    thirty_six_set: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    thirty_six_done: ListeningLine
    thirty_six_unavailable: ListeningLine
    next_hint: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    thirty_six_hint: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)


class AppreciationPhrases(BaseModel):
    """The appreciation jar and partners' names. `{text}` is an appreciation as said (escaped), `{name}` a
    partner's name, `{when}` a day ("Today", "On Monday"), `{count}` the words `one` or `many` filled in,
    `{start}` the first words of a long appreciation."""

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
    names_saved: SpokenLine
    name_saved: SpokenLine
    name_unheard: ListeningLine
    name_failed: ListeningLine
    # Optional, for handlers to take up. A long appreciation (more than ECHO_MAX_WORDS words: see
    # `echoed`) is acknowledged without being read back: these stand in for who, who_of_names, saved_from,
    # saved and delete_last_confirm. `{start}` is its first words (`opening`, escaped), to tell which it is.
    who_long: ListeningLine | None = None
    who_of_names_long: ListeningLine | None = None
    saved_from_long: SpokenLine | None = None
    saved_long: SpokenLine | None = None
    delete_last_confirm_long: ListeningLine | None = None
    # Words we could not use while asking who an appreciation is from: the earlier one is stored
    # unsigned, and the new words are not kept.
    who_unheard: ListeningLine | None = None


class Phrases(BaseModel):
    """The skill's own lines. Placeholders in braces are filled with already-escaped text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    welcome: SpokenLine
    welcome_back: SpokenLine
    help: SpokenLine
    goodbye: SpokenLine
    no_thanks: SpokenLine  # "no", "nah", "maybe later" to an offer: the session ends kindly
    what_then: ListeningLine  # "yes" with nothing asked: what there is to choose from
    fallback: SpokenLine
    error: SpokenLine
    appreciation: AppreciationPhrases
    privacy: PrivacyPhrases
    question: QuestionPhrases


@lru_cache(maxsize=1)
def phrases() -> Phrases:
    """The validated spoken lines, loaded on first use and kept for the container's life."""
    return Phrases.model_validate_json((DATA_DIR / "phrases.json").read_bytes())
