"""Turn the one source (source.py) into each locale's interaction model, as Alexa's skill package wants it.

Each intent's samples are, in this order:

1. what the source writes out (SHARED, CORE and the locale's EXTRA), every "(a|b|)" expanded;
2. its CORE phrasings framed: said once after each lead-in and once before each tail its frame allows
   ("can you" + "skip this one", "another one" + "thanks"); the locale's own lead-ins and tails too;
3. the embedded form of every question, as it is said after "ask Closer Together what / how / if …":
   "what's tonight's question" → "what tonight's question is", "how long have we got left" → "how long
   we've got left", "did we check in this week" → "we checked in this week", "what can you do" → "what it
   can do".

Only what the source writes out is binding: a framed or embedded phrasing that another intent also says
is left to that intent, and one that two intents would make alike is left out of both.
"""

import itertools
import json
import re
from pathlib import Path
from typing import Any

from content.questions import question_bank
from skill.tools.model.source import (
    CORE,
    EXTRA,
    EXTRA_CORE,
    FRAMES,
    INVOCATION_NAME,
    LEAD_INS,
    LOCAL_LEAD_INS,
    LOCAL_TAILS,
    LOCALES,
    SHARED,
    SLOT_TYPES,
    SLOTS,
    SPELLING,
    TAILS,
)

MODELS_DIR = Path(__file__).resolve().parents[2] / "package" / "interactionModels" / "custom"


# --------------------------------------------------------------------------------------- alternatives


def _parse(pattern: str, start: int = 0, inside: bool = False) -> tuple[list[list[Any]], int]:
    """A pattern as its alternatives, each a list of words and nested groups; the index it stopped at."""
    alternatives: list[list[Any]] = [[]]
    text = ""
    index = start
    while index < len(pattern):
        char = pattern[index]
        if char == "(":
            alternatives[-1].append(text)
            text = ""
            group, index = _parse(pattern, index + 1, inside=True)
            alternatives[-1].append(group)
            continue
        if char == ")" and inside:
            alternatives[-1].append(text)
            return alternatives, index + 1
        if char == "|" and inside:
            alternatives[-1].append(text)
            alternatives.append([])
            text = ""
        else:
            text += char
        index += 1
    if inside:
        raise ValueError(f"unclosed group in {pattern!r}")
    alternatives[-1].append(text)
    return alternatives, index


def _spell_out(alternatives: list[list[Any]]) -> list[str]:
    said: list[str] = []
    for sequence in alternatives:
        parts = [[piece] if isinstance(piece, str) else _spell_out(piece) for piece in sequence]
        said.extend("".join(choice) for choice in itertools.product(*parts))
    return said


def expand(pattern: str) -> list[str]:
    """Every sample a pattern stands for: "(a|b|)" is a choice, an empty choice leaves the words out, and
    groups may hold groups ("(i|we) need (a (break|minute)|to pause)")."""
    if pattern.count("(") != pattern.count(")"):
        raise ValueError(f"unbalanced parentheses in {pattern!r}")
    alternatives, _ = _parse(pattern)
    found: dict[str, None] = {}
    for sample in _spell_out(alternatives):
        found.setdefault(re.sub(r"\s+", " ", sample).strip(), None)
    return [sample for sample in found if sample]


def _respell(sample: str, spelling: dict[str, str]) -> str:
    return " ".join(spelling.get(word, word) for word in sample.split(" "))


# ------------------------------------------------------------------------------- lead-ins and tails


def _words(
    groups: dict[str, tuple[str, ...]], local: dict[str, tuple[str, ...]], names: tuple[str, ...]
) -> list[str]:
    found: dict[str, None] = {}
    for name in names:
        for words in (*groups[name], *local.get(name, ())):
            found.setdefault(words, None)
    return list(found)


def framed(sample: str, frame: str, locale: str) -> list[str]:
    """A core phrasing after each lead-in and before each tail of its frame (never both at once)."""
    leads, tails = FRAMES[frame]
    before = _words(LEAD_INS, LOCAL_LEAD_INS.get(locale, {}), leads)
    after = _words(TAILS, LOCAL_TAILS.get(locale, {}), tails)
    first, last = sample.split(" ")[0], sample.split(" ")[-1]
    said = [f"{lead} {sample}" for lead in before if lead.split(" ")[-1] != first]
    said += [f"{sample} {tail}" for tail in after if tail.split(" ")[0] != last]
    return said


# ------------------------------------------------------------------------------- embedded questions

WH_WORDS = frozenset({"what", "which", "when", "where", "how", "who", "why"})
_CONTRACTED = {f"{word}'s": word for word in ("what", "how", "where", "when", "who", "long")}
_BE = frozenset({"is", "are", "was", "were"})
_AUXILIARIES = _BE | {"have", "has", "can", "could", "should", "shall", "will", "would"}
_DO = frozenset({"do", "does", "did"})
_PRONOUNS = frozenset({"we", "i", "you", "it", "there"})
_DETERMINERS = frozenset({"the", "our", "my", "this", "that", "tonight's", "today's", "your"})
# Where a determiner's noun phrase ends in "how does the appreciation jar work" and the like.
_VERBS = frozenset(
    {"work", "end", "finish", "start", "do", "mean", "say", "appreciate", "like", "have", "go"}
)
# Words that stay at the end: "what's the question again" → "what the question is again".
_TRAILING = frozenset({"again", "now", "then", "tonight", "today", "yet"})
_PREPOSITIONS = frozenset({"for", "of", "in", "on", "about", "with", "from", "to"})
# Words between the subject and its verb: "what did you just say" → "what you just said".
_ADVERBS = frozenset({"just", "really", "already", "ever", "actually", "all", "both"})
# What is said of a noun phrase, not part of it: "when is our check-in over" → "when our check-in is over".
_PREDICATES = frozenset({"over", "done", "finished", "left", "through", "halfway", "remaining", "full"})
_PAST = {
    "do": "did",
    "have": "had",
    "say": "said",
    "put": "put",
    "write": "wrote",
    "get": "got",
    "make": "made",
    "hear": "heard",
    "think": "thought",
    "read": "read",
    "give": "gave",
    "skip": "skipped",
    "stop": "stopped",
}
_THIRD = {"do": "does", "have": "has", "go": "goes"}
_SHORT = {
    ("we", "are"): "we're",
    ("we", "have"): "we've",
    ("we", "will"): "we'll",
    ("we", "would"): "we'd",
    ("i", "have"): "i've",
    ("i", "will"): "i'll",
    ("you", "are"): "you're",
    ("you", "have"): "you've",
    ("it", "is"): "it's",
    ("it", "has"): "it's",
    ("there", "is"): "there's",
}


def _past(verb: str) -> str:
    if verb in _PAST:
        return _PAST[verb]
    return verb + "d" if verb.endswith("e") else verb + "ed"


def _third(verb: str) -> str:
    if verb in _THIRD:
        return _THIRD[verb]
    if verb.endswith(("s", "sh", "ch", "x")):
        return verb + "es"
    return verb + "s"


def _third_person(subject: str) -> bool:
    return subject not in ("we", "i", "you")


def _clauses(auxiliary: str, subject: str, rest: list[str]) -> list[list[str]]:
    """'do we have left' → 'we have left'; 'have we got' → "we've got" and 'we have got'; with 'you', the
    same said of the skill ('what can you do' → 'what it can do')."""
    subjects = [subject, "it"] if subject == "you" else [subject]
    said = []
    for who in subjects:
        if auxiliary in _DO:
            if not rest:
                continue
            at = next((i for i, word in enumerate(rest) if word not in _ADVERBS), len(rest))
            if at == len(rest):
                continue
            verb = rest[at]
            if auxiliary == "did":
                verb = _past(verb)
            elif auxiliary == "does" or _third_person(who):
                verb = _third(verb)
            said.append([who, *rest[:at], verb, *rest[at + 1 :]])
            continue
        verb = auxiliary
        if who == "it" and subject == "you":
            verb = {"are": "is", "have": "has", "were": "was"}.get(auxiliary, auxiliary)
        if who == "i" and verb == "are":
            verb = "am"
        said.append([who, verb, *rest])
        if (who, verb) in _SHORT:
            said.append([_SHORT[who, verb], *rest])
    return said


def embedded(sample: str) -> list[str]:
    """The forms a question takes inside another sentence, or none if it is not a question we can turn."""
    words = sample.split(" ")
    if words[0] in _CONTRACTED or (len(words) > 1 and words[1] in _CONTRACTED and words[0] == "how"):
        at = 0 if words[0] in _CONTRACTED else 1
        words = [*words[:at], _CONTRACTED[words[at]], "is", *words[at + 1 :]]
    if words[0] in WH_WORDS:
        at = next((i for i, word in enumerate(words[1:5], start=1) if word in _AUXILIARIES | _DO), None)
    elif words[0] in _AUXILIARIES | _DO:
        at = 0
    else:
        return []
    if at is None or at + 1 >= len(words):
        return []
    head, auxiliary, subject, rest = words[:at], words[at], words[at + 1], words[at + 2 :]
    if subject in _PRONOUNS or re.fullmatch(r"\{\w+\}", subject):
        clauses = _clauses(auxiliary, subject, rest)
    elif subject in _DETERMINERS and head and auxiliary in _BE:
        # "what is the question for tonight" → "what the question for tonight is"
        phrase = [subject, *rest]
        cut = len(phrase)
        while cut > 1 and phrase[cut - 1] in _TRAILING and phrase[cut - 2] not in _PREPOSITIONS:
            cut -= 1
        if cut > 2 and (phrase[cut - 1] in _PREDICATES or phrase[cut - 1].endswith("ing")):
            cut -= 1
        if phrase[cut - 1].endswith("'s"):
            return []
        clauses = [[*phrase[:cut], auxiliary, *phrase[cut:]]]
    elif subject in _DETERMINERS and head and auxiliary in _DO:
        # "when does the check-in end" → "when the check-in ends"
        verb_at = next((i for i, word in enumerate(rest) if word in _VERBS), None)
        if verb_at is None:
            return []
        clauses = [[subject, *rest[:verb_at], *_clauses(auxiliary, "it", rest[verb_at:])[0][1:]]]
    else:
        return []
    return [" ".join([*head, *clause]) for clause in clauses]


# ------------------------------------------------------------------------------------------ the model


def _written(locale: str, intent: str) -> list[str]:
    spelling = SPELLING.get(locale, {})
    shared = [*SHARED[intent], *(p for patterns in CORE.get(intent, {}).values() for p in patterns)]
    own = [
        *EXTRA.get(locale, {}).get(intent, ()),
        *(p for patterns in EXTRA_CORE.get(locale, {}).get(intent, {}).values() for p in patterns),
    ]
    found: dict[str, None] = {}
    for pattern in shared:
        for sample in expand(pattern):
            found.setdefault(_respell(sample, spelling), None)
    for pattern in own:
        for sample in expand(pattern):
            found.setdefault(sample, None)
    return list(found)


def _made(locale: str, intent: str, written: list[str]) -> list[str]:
    spelling = SPELLING.get(locale, {})
    cores = [
        (frame, _respell(sample, spelling))
        for frame, patterns in CORE.get(intent, {}).items()
        for pattern in patterns
        for sample in expand(pattern)
    ] + [
        (frame, sample)
        for frame, patterns in EXTRA_CORE.get(locale, {}).get(intent, {}).items()
        for pattern in patterns
        for sample in expand(pattern)
    ]
    made: dict[str, None] = {}
    for frame, sample in cores:
        for said in framed(sample, frame, locale):
            made.setdefault(said, None)
    for sample in written:
        for said in embedded(sample):
            made.setdefault(said, None)
    return list(made)


def _heard(sample: str) -> str:
    """A sample as Alexa hears it, for telling two apart: 'check-in' and 'check in' are the same words."""
    return sample.replace("-", " ")


def phrasings(locale: str) -> dict[str, list[str]]:
    """Every intent's samples in one locale: what the source writes, then what is made from it."""
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}: we publish {', '.join(LOCALES)}")
    written = {intent: _written(locale, intent) for intent in SHARED}
    made = {intent: _made(locale, intent, written[intent]) for intent in SHARED}
    owner = {_heard(sample): intent for intent, samples in written.items() for sample in samples}
    makers: dict[str, set[str]] = {}
    for intent, samples in made.items():
        for sample in samples:
            makers.setdefault(_heard(sample), set()).add(intent)
    result = {}
    for intent in SHARED:
        found = dict.fromkeys(written[intent])
        seen = {_heard(sample) for sample in found}
        for sample in made[intent]:
            heard = _heard(sample)
            if heard in seen or owner.get(heard, intent) != intent or makers[heard] != {intent}:
                continue
            seen.add(heard)
            found.setdefault(sample, None)
        result[intent] = list(found)
    return result


def samples(locale: str, intent: str) -> list[str]:
    """The samples of one intent in one locale."""
    return phrasings(locale)[intent]


def deck_type() -> dict[str, Any]:
    """The DeckName slot type: each deck of the question bank, by id, with the words people use for it."""
    values = []
    for deck in question_bank().decks:
        first, *others = deck.synonyms
        values.append({"id": deck.id, "name": {"value": first, "synonyms": others}})
    return {"name": "DeckName", "values": values}


def slot_types() -> list[dict[str, Any]]:
    """The other custom slot types the source lists, each value by its id with the words for it."""
    return [
        {
            "name": name,
            "values": [
                {"id": value_id, "name": {"value": first, "synonyms": list(others)}}
                for value_id, (first, *others) in values
            ],
        }
        for name, values in SLOT_TYPES.items()
    ]


def build(locale: str) -> dict[str, Any]:
    """One locale's interaction model."""
    every = phrasings(locale)
    intents = []
    for name in SHARED:
        intent: dict[str, Any] = {"name": name}
        if name in SLOTS:
            intent["slots"] = [{"name": slot, "type": slot_type} for slot, slot_type in SLOTS[name]]
        intent["samples"] = every[name]
        intents.append(intent)
    language = {"invocationName": INVOCATION_NAME, "intents": intents, "types": [deck_type(), *slot_types()]}
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
