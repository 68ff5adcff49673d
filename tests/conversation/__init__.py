"""An independent corpus of what couples say to an Echo, and how well the console's matcher understands it."""
