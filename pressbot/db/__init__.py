"""Storage: SQLAlchemy 2 models and the store used by pipelines, spiders and the CLI."""
