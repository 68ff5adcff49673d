"""`python -m skill.tools` runs the `closer` command."""

from skill.tools.cli import main

main()
