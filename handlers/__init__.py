"""Request handlers: one package or module per feature, each declaring its `FEATURE` (handlers/registry.py
lists them in dispatch order)."""
