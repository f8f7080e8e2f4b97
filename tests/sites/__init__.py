"""Page classes used by tests to show how a site overrides extraction."""
