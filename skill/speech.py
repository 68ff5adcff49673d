"""SSML building: every piece of user text passes through `escape` before it is spoken."""

import re
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import unescape

_XML_ENTITIES = {'"': "&quot;", "'": "&apos;"}
# Characters XML 1.0 forbids, and which some speech recognisers still hand us.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(user_text: str) -> str:
    """User text made safe inside SSML: markup characters become entities, control characters go."""
    return _xml_escape(_NOT_XML.sub("", user_text), _XML_ENTITIES)


def sentences(*parts: str) -> str:
    """Join already-safe SSML fragments into one utterance, a space between each."""
    return " ".join(part.strip() for part in parts if part and part.strip())


def pause(milliseconds: int) -> str:
    """A short silence, so a question can land before the next sentence."""
    return f'<break time="{milliseconds}ms"/>'


def strip_tags(ssml: str) -> str:
    """Plain text of an SSML string, for cards and the console."""
    plain = re.sub(r"<[^>]+>", " ", ssml)
    return re.sub(r"\s+", " ", unescape(plain, {"&quot;": '"', "&apos;": "'"})).strip()
