"""`python -m skill` runs the `closer` command."""

from skill.cli import main

main()
