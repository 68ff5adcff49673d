"""Closer Together: the composition root, Lambda entry, storage and Alexa service clients."""
