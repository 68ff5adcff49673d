"""What the skill says: validated data files, loaded once per container."""

from content.models import Phrases, phrases

__all__ = ["Phrases", "phrases"]
