"""Local tools: request envelopes like Alexa's, a console, a fake Alexa API and an embedded table."""
