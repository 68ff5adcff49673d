"""What the skill says: data files read once per container (validated with pydantic in content/schema.py
at build and test time, never in the Lambda)."""

from content.models import Phrases, phrases

__all__ = ["Phrases", "phrases"]
