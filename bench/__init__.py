"""`make bench`: how fast the skill answers, measured against a bare ask-sdk sample skill."""
