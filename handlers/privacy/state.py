"""The one question the privacy feature asks: whether to delete everything."""

CONFIRMING = "privacy.confirm_delete_all"
