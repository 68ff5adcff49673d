"""How well do we understand couples? An independent corpus, resolved by the console's matcher.

`corpus.tsv` was written from how people talk to an Echo, not from the interaction model's samples, so
its accuracy says how the model generalises. Each line is

    feature <TAB> locale <TAB> state <TAB> utterance <TAB> expected [<TAB> slots]

where `expected` is an intent name, several separated by `|` when more than one is a right answer, or
LAUNCH; `slots` is `name=value;name=value`, a value being alternatives separated by `|`. Lines starting
with `#` are comments. The report (overall, per feature, per locale, per state, and every failure) is
printed and written to `.closer/corpus-report.txt`.
"""

import inspect
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from skill.tools.console import nlu
from skill.tools.console.envelopes import Slot

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).with_name("corpus.tsv")
REPORT = ROOT / ".closer" / "corpus-report.txt"
MODELS = ROOT / "skill" / "package" / "interactionModels" / "custom"
DEFAULT_LOCALE = "en-US"

MIN_UTTERANCES = 400
MIN_PER_OTHER_LOCALE = 25
MIN_ACCURACY = 0.95
MIN_FEATURE_ACCURACY = 0.90

FEATURES = ("question", "thirty_six", "decks", "checkin", "jar", "names", "yes_no", "builtin", "privacy")
LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
STATES = (
    "oneshot",
    "session",
    "who_from",
    "deck_menu",
    "what_appreciate",
    "reading",
    "confirm",
    "checkin_running",
)
LAUNCH = "LAUNCH"
INTENTS = frozenset(
    {
        *(
            f"AMAZON.{name}Intent"
            for name in (
                *("Help", "Stop", "Cancel", "Yes", "No", "Repeat"),
                *("Next", "More", "Pause", "Resume", "Fallback"),
            )
        ),
        *("TonightsQuestionIntent", "AnotherQuestionIntent", "SkipQuestionIntent"),
        *("ThirtySixQuestionsIntent", "DeckQuestionIntent"),
        *("StartCheckInIntent", "CheckInTimeLeftIntent", "PauseCheckInIntent", "ResumeCheckInIntent"),
        *("EndCheckInIntent", "CheckInCountIntent"),
        *("SaveAppreciationIntent", "LogAppreciationIntent", "AppreciationAuthorIntent"),
        *("AnonymousAppreciationIntent", "NameIntent", "ReadAppreciationsIntent"),
        *("ReadWeekAppreciationsIntent", "ReadAuthorAppreciationsIntent", "MoreAppreciationsIntent"),
        *("CountAppreciationsIntent", "DeleteLastAppreciationIntent", "DeleteAllAppreciationsIntent"),
        "DeleteAllDataIntent",
    }
)
# Only names, decks and durations are checked; free text (`text`) never is.
SLOT_NAMES = frozenset({"firstName", "partnerName", "deck", "duration"})

INVOCATION = "closer together"
LAUNCH_VERBS = (*nlu.ONE_SHOT_VERBS, "talk to")
_VERBS = "|".join(re.escape(verb) for verb in LAUNCH_VERBS)
_CONNECTORS = "for|to|about|if|whether|that|and|with|by|from"
ONE_SHOT_PREFIX = re.compile(rf"^(?:alexa )?(?:{_VERBS}) {INVOCATION}(?: (?:{_CONNECTORS}))?(?: |$)")
ONE_SHOT_SUFFIX = re.compile(rf" (?:using|on|from|with|in) {INVOCATION}$")
# Words so short and so common ("skip", "next question") that any model and any corpus share them.
SHARED_WORDS_AT_MOST = 2


@dataclass(frozen=True)
class Line:
    """One utterance of the corpus and what it should mean."""

    number: int
    feature: str
    locale: str
    state: str
    utterance: str
    expected: tuple[str, ...]
    slots: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def where(self) -> str:
        return f"line {self.number} [{self.feature} {self.locale} {self.state}]"


@dataclass(frozen=True)
class Outcome:
    """What the matcher made of one line."""

    line: Line
    actual: str
    slots: dict[str, Slot]
    slot_problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return self.actual in self.line.expected and not self.slot_problems


def _parse_slots(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    pairs = []
    for part in text.split(";"):
        name, equals, values = part.partition("=")
        if not equals or not name.strip() or not values.strip():
            raise ValueError(f"slot {part!r} is not name=value")
        alternatives = tuple(value.strip() for value in values.split("|"))
        if not all(alternatives):
            raise ValueError(f"slot {part!r} has an empty alternative")
        pairs.append((name.strip(), alternatives))
    return tuple(pairs)


def parse_corpus(text: str) -> tuple[list[Line], list[str]]:
    """The corpus's lines, and a description of every line that is not well formed."""
    lines: list[Line] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        columns = raw.split("\t")
        if len(columns) not in (5, 6) or any(not column.strip() for column in columns):
            problems.append(f"line {number}: {len(columns)} columns (or an empty one), expected 5 or 6")
            continue
        feature, locale, state, utterance, expected = (column.strip() for column in columns[:5])
        try:
            slots = _parse_slots(columns[5]) if len(columns) == 6 else ()
        except ValueError as error:
            problems.append(f"line {number}: {error}")
            continue
        lines.append(Line(number, feature, locale, state, utterance, tuple(expected.split("|")), slots))
    for line in lines:
        problems.extend(f"{line.where}: {problem}" for problem in _line_problems(line))
    return lines, problems


def _line_problems(line: Line) -> list[str]:
    problems = []
    if line.feature not in FEATURES:
        problems.append(f"unknown feature {line.feature!r}")
    if line.locale not in LOCALES:
        problems.append(f"unknown locale {line.locale!r}")
    if line.state not in STATES:
        problems.append(f"unknown state {line.state!r}")
    unknown = [name for name in line.expected if name not in INTENTS and name != LAUNCH]
    if unknown or len(set(line.expected)) != len(line.expected):
        problems.append(f"expected {'|'.join(line.expected)!r}: unknown or repeated {unknown}")
    for name, _ in line.slots:
        if name not in SLOT_NAMES:
            problems.append(f"slot {name!r} is not one we check ({sorted(SLOT_NAMES)})")
    names = [name for name, _ in line.slots]
    if len(set(names)) != len(names):
        problems.append("a slot is given twice")
    spoken = nlu.normalise(line.utterance)
    invoked = bool(ONE_SHOT_PREFIX.match(spoken) or ONE_SHOT_SUFFIX.search(spoken))
    if line.state == "oneshot" and not invoked:
        problems.append("a one-shot must name the skill ('ask Closer Together …')")
    if line.state not in ("oneshot", "checkin_running") and INVOCATION in spoken:
        problems.append(f"an in-session utterance ({line.state}) does not name the skill")
    if LAUNCH in line.expected and line.state != "oneshot":
        problems.append("only a one-shot can launch the skill")
    return problems


def duplicates(lines: list[Line]) -> list[str]:
    """Lines saying the same words (normalised) in the same locale and state as an earlier line."""
    seen: dict[tuple[str, str, str], Line] = {}
    found = []
    for line in lines:
        key = (line.locale, line.state, nlu.normalise(line.utterance))
        if key in seen:
            found.append(f"{line.where} repeats line {seen[key].number}: {line.utterance!r}")
        seen.setdefault(key, line)
    return found


@cache
def corpus() -> tuple[list[Line], list[str]]:
    return parse_corpus(CORPUS.read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------------- resolving


def locale_aware() -> bool:
    """Whether the console's matcher takes a locale yet (another change adds the parameter)."""
    return bool(inspect.signature(nlu.understanding).parameters)


def matcher(locale: str) -> Any:
    return nlu.understanding(locale) if locale_aware() else nlu.understanding()


def _slot_matches(name: str, expected: str, slot: Slot) -> bool:
    """Names and durations as heard; a deck as the value it resolved to (an unresolved deck is no deck)."""
    want = nlu.normalise(expected)
    if name == "deck":
        return want in {nlu.normalise(value) for value in (slot.resolved_name, slot.resolved_id) if value}
    return want == nlu.normalise(slot.value or "")


def resolve(line: Line) -> Outcome:
    resolution = matcher(line.locale).resolve(line.utterance)
    actual = LAUNCH if resolution.kind == "launch" else str(resolution.intent)
    slots = dict(resolution.slots)
    problems = []
    if actual in line.expected:
        for name, alternatives in line.slots:
            slot = slots.get(name)
            if slot is None or not slot.value:
                problems.append(f"{name} missing (expected {'|'.join(alternatives)})")
            elif not any(_slot_matches(name, alternative, slot) for alternative in alternatives):
                resolved = f", resolved to {slot.resolved_name!r}" if slot.resolved_name else ", unresolved"
                got = slot.value + (resolved if slot.slot_type else "")
                problems.append(f"{name}={got!r} (expected {'|'.join(alternatives)})")
    return Outcome(line, actual, slots, tuple(problems))


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    lines, _ = corpus()
    return [resolve(line) for line in lines]


def _share(outcomes: list[Outcome]) -> str:
    passed = sum(outcome.passed for outcome in outcomes)
    return f"{passed / len(outcomes):6.1%} ({passed}/{len(outcomes)})" if outcomes else "   n/a"


def accuracy(outcomes: list[Outcome]) -> float:
    return sum(outcome.passed for outcome in outcomes) / len(outcomes) if outcomes else 1.0


def by(outcomes: list[Outcome], attribute: str, order: tuple[str, ...]) -> dict[str, list[Outcome]]:
    return {key: [o for o in outcomes if getattr(o.line, attribute) == key] for key in order}


def report(outcomes: list[Outcome]) -> str:
    matched_with = (
        "understanding(locale): each locale's own model"
        if locale_aware()
        else "understanding() takes no locale yet: every locale was resolved with the en-US model"
    )
    text = [
        f"Closer Together conversation corpus: {len(outcomes)} utterances ({CORPUS.relative_to(ROOT)})",
        f"matcher: skill.tools.console.nlu {matched_with}",
        f"overall accuracy: {_share(outcomes)}"
        f"  (goal: {MIN_ACCURACY:.0%}, and {MIN_FEATURE_ACCURACY:.0%} for each feature)",
    ]
    for title, attribute, order in (
        ("feature", "feature", FEATURES),
        ("locale", "locale", LOCALES),
        ("state", "state", STATES),
    ):
        text.append(f"\nby {title}:")
        for key, group in by(outcomes, attribute, order).items():
            text.append(f"  {key:<16} {_share(group)}")
    text.append("\n" + overlap([outcome.line for outcome in outcomes]))
    failures = [outcome for outcome in outcomes if not outcome.passed]
    kinds = Counter(
        ("slot" if outcome.actual in outcome.line.expected else outcome.actual) for outcome in failures
    )
    text.append(f"\nfailures ({len(failures)}), by what was resolved instead:")
    text.extend(f"  {count:4}  {kind}" for kind, count in kinds.most_common())
    text.append("")
    for outcome in failures:
        line = outcome.line
        if outcome.actual in line.expected:
            detail = "; ".join(outcome.slot_problems)
        else:
            heard = ", ".join(f"{name}={slot.value!r}" for name, slot in outcome.slots.items())
            detail = f"got {outcome.actual}" + (f" {{{heard}}}" if heard else "")
        text.append(f"  {line.where} {line.utterance!r}: expected {'|'.join(line.expected)}, {detail}")
    return "\n".join(text) + "\n"


# ------------------------------------------------------------------------------------------- the tests


def test_corpus_is_well_formed() -> None:
    lines, problems = corpus()
    assert not problems, "\n".join(problems)
    assert len(lines) >= MIN_UTTERANCES, f"only {len(lines)} utterances"
    per_locale = Counter(line.locale for line in lines)
    thin = {locale: per_locale[locale] for locale in LOCALES[1:] if per_locale[locale] < MIN_PER_OTHER_LOCALE}
    assert not thin, f"locales with fewer than {MIN_PER_OTHER_LOCALE} utterances: {thin}"
    assert set(line.feature for line in lines) == set(FEATURES), "every feature has utterances"
    assert set(line.state for line in lines) == set(STATES), "every state has utterances"
    assert not duplicates(lines), "\n".join(duplicates(lines))


def test_corpus_is_understood(outcomes: list[Outcome], capsys: pytest.CaptureFixture[str]) -> None:
    text = report(outcomes)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text, encoding="utf-8")
    with capsys.disabled():
        sys.stderr.write("\n" + text)
    overall = accuracy(outcomes)
    weak = {
        feature: f"{accuracy(group):.1%}"
        for feature, group in by(outcomes, "feature", FEATURES).items()
        if accuracy(group) < MIN_FEATURE_ACCURACY
    }
    assert overall >= MIN_ACCURACY and not weak, (
        f"overall {overall:.1%} (goal {MIN_ACCURACY:.0%}); features under {MIN_FEATURE_ACCURACY:.0%}: {weak}"
        f" — see {REPORT}"
    )


# ------------------------------------------------------------------------- the corpus is not the model
# The console's matcher takes a phrasing only if some sample says it word for word, so a corpus that is
# understood shares lines with the model: what keeps the measure honest is that the model is never written
# from the corpus. The generator and its source must not read or name it; how many corpus lines a sample
# happens to equal is reported, not judged.

MODEL_TOOLS = ROOT / "skill" / "tools" / "model"
NAMES_THE_CORPUS = re.compile(
    r"corpus|tests[/.\\]conversation|[\"']conversation[\"']|\.closer\b|^\s*(?:from|import)\s+tests\b",
    re.IGNORECASE | re.MULTILINE,
)


def model_path(locale: str) -> Path:
    """The interaction model Alexa would use for the locale (en-US while a locale has none of its own)."""
    own = MODELS / f"{locale}.json"
    return own if own.exists() else MODELS / f"{DEFAULT_LOCALE}.json"


@cache
def model_samples(path: Path) -> frozenset[str]:
    """Every sample without a slot in the model, normalised: intents' samples and slots' own samples."""
    language = json.loads(path.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
    samples = set()
    for intent in language.get("intents", []):
        phrases = list(intent.get("samples", []))
        for slot in intent.get("slots", []):
            phrases.extend(slot.get("samples", []))
        samples.update(spoken(phrase) for phrase in phrases if "{" not in phrase)
    return frozenset(samples)


def spoken(text: str) -> str:
    """The words of the request itself: lower case, no punctuation, without "Alexa" or the invocation."""
    words = nlu.normalise(text)
    words = re.sub(r"^alexa ", "", words)
    words = ONE_SHOT_PREFIX.sub("", words)
    words = ONE_SHOT_SUFFIX.sub("", words)
    return words.strip()


def overlap(lines: list[Line]) -> str:
    """How many corpus lines say exactly what a sample of their locale's model says (for the report)."""
    same = [line for line in lines if spoken(line.utterance) in model_samples(model_path(line.locale))]
    short = sum(len(spoken(line.utterance).split()) <= SHARED_WORDS_AT_MOST for line in same)
    return (
        f"corpus lines identical to a model sample (informational): {len(same)}/{len(lines)}"
        f" ({short} of them {SHARED_WORDS_AT_MOST} words or fewer)"
    )


def test_the_model_is_not_written_from_the_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    """The model's source and generator never read or name the corpus (nor anything under tests/)."""
    files = sorted(
        path for path in MODEL_TOOLS.rglob("*") if path.is_file() and "__pycache__" not in path.parts
    )
    assert files, f"no generator found in {MODEL_TOOLS}"
    naming = [
        f"{path.relative_to(ROOT)}:{number}: {text.strip()}"
        for path in files
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if NAMES_THE_CORPUS.search(text)
    ]
    assert not naming, "the interaction model's source or generator names the corpus:\n" + "\n".join(naming)
    lines, _ = corpus()
    with capsys.disabled():
        sys.stderr.write(overlap(lines) + "\n")
