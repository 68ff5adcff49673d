"""SSML escaping: whatever a person says, what Alexa speaks stays well-formed."""

from xml.etree import ElementTree

from hypothesis import given
from hypothesis import strategies as st

from skill.speech import escape, strip_tags


def test_markup_characters_become_entities() -> None:
    assert escape('Tom & "Jerry" <3 it\'s') == "Tom &amp; &quot;Jerry&quot; &lt;3 it&apos;s"


@given(st.text())
def test_any_text_escaped_parses_and_reads_back_unchanged(text: str) -> None:
    ssml = f"<speak>{escape(text)}</speak>"
    root = ElementTree.fromstring(ssml)
    assert root.tag == "speak"
    allowed = "".join(ch for ch in text if ch in "\t\n\r" or (ord(ch) >= 0x20 and ch not in "\ufffe\uffff"))
    # XML parsers fold every line ending into a newline.
    assert (root.text or "") == allowed.replace("\r\n", "\n").replace("\r", "\n")


def test_strip_tags_gives_plain_text_for_cards() -> None:
    assert strip_tags('<speak>Hi &amp; <break time="300ms"/> bye</speak>') == "Hi & bye"


@given(st.text(alphabet=st.sampled_from(list("&<>\"' ;amplgtquosx"))))
def test_a_card_shows_what_was_said_even_when_it_spells_an_entity(text: str) -> None:
    """ "&amp;lt;" said aloud is shown as said, not as "<": entities are read back once, "&" last."""
    assert strip_tags(escape(text)) == " ".join(text.split())
