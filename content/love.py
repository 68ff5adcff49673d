"""What makes each of you feel loved, as the runtime holds it: the five ways of feeling loved, a bank of
small ideas for each, the quiz's either-or questions and its lines, read once per container.
content/schema.py validates the file (lengths, balance, no duplicates, placeholders) at build and test time.

The five categories are a well-known idea; the questions and ideas are this skill's own.
"""

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from content.loading import load
from content.models import ListeningLine, SpokenLine

DATA_FILE = Path(__file__).parent / "love.json"
CATEGORY_IDS = ("words", "acts", "gifts", "time", "touch")
MAX_QUESTION_WORDS = 14  # an either-or question said in under fifteen words
MIN_IDEAS = 20
MAX_IDEA_WORDS = 18
IDEA_PLACEHOLDERS = {"name"}


@dataclass(frozen=True)
class Category:
    """One way of feeling loved: how it is said in a result, and small ideas for a partner who feels loved
    this way (`{name}` is that partner)."""

    id: str
    spoken: str
    ideas: tuple[str, ...]


@dataclass(frozen=True)
class QuizQuestion:
    """An either-or question: its first option speaks to one category, its second to another. Ids are
    stored with each answer, so they stay stable."""

    id: str
    text: str
    first: str
    second: str


@dataclass(frozen=True)
class LoveLines:
    """The quiz's lines (placeholders: see content/schema.py)."""

    intro: str
    ask_name: ListeningLine
    name_unheard: ListeningLine
    turn: str
    how_to_answer: str
    question: str
    question_reprompt: str
    not_heard: str
    help: str
    result: str
    result_alone: str
    result_tied: str
    result_none: str
    idea: str
    thanks: str
    next_taker: ListeningLine
    next_later: SpokenLine
    save_failed: ListeningLine
    retry_help: ListeningLine
    not_kept: SpokenLine
    stopped: SpokenLine
    stopped_clean: SpokenLine
    no_quiz: SpokenLine
    not_taken: SpokenLine
    none_taken: SpokenLine
    idea_for: str
    which_partner: ListeningLine
    no_idea: SpokenLine


@dataclass(frozen=True)
class LoveContent:
    """Everything the quiz says."""

    categories: tuple[Category, ...]
    questions: tuple[QuizQuestion, ...]
    lines: LoveLines

    @cached_property
    def _by_id(self) -> dict[str, Category]:
        return {category.id: category for category in self.categories}

    def category(self, category_id: str) -> Category | None:
        """The category with this id, or None if a later release retired it."""
        return self._by_id.get(category_id)


@lru_cache(maxsize=1)
def love_content() -> LoveContent:
    """The quiz's content, read from disk on first use and kept for the container's life."""
    return load(LoveContent, DATA_FILE)
