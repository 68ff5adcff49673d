"""`python -m skill.tools.model [--check]`: write (or check) every locale's interaction model."""

from skill.tools.model.cli import main

main()
