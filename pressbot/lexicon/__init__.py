"""Data-only word lists: calendar words, places and news agencies."""
