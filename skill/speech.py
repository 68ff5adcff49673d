"""SSML building: every piece of user text passes through `escape` before it is spoken."""

import re

# XML's five, "&" first on the way in and last on the way out, so no entity is read twice. (As
# xml.sax.saxutils does them, without importing the xml.sax package on every cold start.)
_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&apos;"))
# Characters XML 1.0 forbids, and which some speech recognisers still hand us.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(user_text: str) -> str:
    """User text made safe inside SSML: markup characters become entities, control characters go."""
    text = _NOT_XML.sub("", user_text)
    for character, entity in _ENTITIES:
        text = text.replace(character, entity)
    return text


def sentences(*parts: str) -> str:
    """Join already-safe SSML fragments into one utterance, a space between each."""
    return " ".join(part.strip() for part in parts if part and part.strip())


def pause(milliseconds: int) -> str:
    """A short silence, so a question can land before the next sentence."""
    return f'<break time="{milliseconds}ms"/>'


def strip_tags(ssml: str) -> str:
    """Plain text of an SSML string, for cards and the console."""
    plain = re.sub(r"<[^>]+>", " ", ssml)
    for character, entity in reversed(_ENTITIES):
        plain = plain.replace(entity, character)
    return re.sub(r"\s+", " ", plain).strip()
