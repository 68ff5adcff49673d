"""What only people run: the console, the `closer` command and the self-hosted web service.

Lambda imports none of it."""
